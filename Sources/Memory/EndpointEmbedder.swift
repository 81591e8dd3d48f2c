import Providers

/// Vectors from an OpenAI-compatible `/v1/embeddings` endpoint (llama.cpp, Ollama, vLLM, OpenAI), configured like
/// a `[[models]]` entry and named after its model, so `council memory reembed` runs when the model changes.
public struct EndpointEmbedder: Embedder {
    /// `"endpoint:<model>"`.
    public let name: String
    public let dimension: Int
    private let client: EmbeddingClient
    /// Texts sent per request.
    public static let batchSize = 64

    /// An embedder for a model whose vectors have `dimension` values.
    public init(client: EmbeddingClient, dimension: Int) {
        self.client = client
        self.dimension = dimension
        name = "endpoint:\(client.endpoint.model)"
    }

    /// Asks the endpoint for one vector to learn the model's dimension.
    /// - Throws: ``ProviderError`` when the endpoint fails; ``MemoryError`` `.embedderFailed` when it returns no
    ///   values.
    public static func connect(client: EmbeddingClient) async throws -> EndpointEmbedder {
        let probe = try await client.embed(["dimension probe"])
        guard let dimension = probe.first?.count, dimension > 0 else {
            throw MemoryError(.embedderFailed, "'\(client.endpoint.model)' returned an empty embedding")
        }
        return EndpointEmbedder(client: client, dimension: dimension)
    }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        var vectors: [[Float]] = []
        vectors.reserveCapacity(texts.count)
        var start = 0
        while start < texts.count {
            let end = min(start + Self.batchSize, texts.count)
            vectors += try await client.embed(Array(texts[start..<end]))
            start = end
        }
        return vectors
    }
}
