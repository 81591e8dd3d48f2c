import JSON

/// OpenAI-compatible embeddings (`POST {base}/embeddings`): llama.cpp, Ollama, vLLM, LM Studio and OpenAI itself.
public struct EmbeddingClient: Sendable {
    /// The backend serving the embedding model.
    public let endpoint: ModelEndpoint
    private let transport: ProviderTransport

    /// A client for `endpoint` (its kind should be `openai-compatible` or `openai`), sending through `client`.
    public init(endpoint: ModelEndpoint, client: HTTPClient = .shared) {
        self.endpoint = endpoint
        var headers = HTTPHeaders()
        if let key = endpoint.apiKey { headers.add("Authorization", "Bearer \(key.reveal())") }
        transport = ProviderTransport(endpoint: endpoint, client: client, authHeaders: headers)
    }

    /// One vector per text, in the order of `texts`.
    public func embed(_ texts: [String], deadline: ContinuousClock.Instant? = nil) async throws(ProviderError)
        -> [[Float]]
    {
        guard !texts.isEmpty else { return [] }
        let body: JSONValue = ["model": .string(endpoint.model), "input": .array(texts.map(JSONValue.string))]
        let json = try await transport.json(.post, "/embeddings", body: body, deadline: deadline)
        guard let items = json["data"]?.arrayValue, items.count == texts.count else {
            throw transport.named(
                ProviderError(.malformedResponse, "the response does not hold \(texts.count) embeddings in data"))
        }
        var vectors = [[Float]?](repeating: nil, count: texts.count)
        for (position, item) in items.enumerated() {
            let index = item.int("index") ?? position
            guard vectors.indices.contains(index), vectors[index] == nil,
                let numbers = item["embedding"]?.arrayValue
            else {
                throw transport.named(ProviderError(.malformedResponse, "embedding \(position) is missing or repeated"))
            }
            var vector: [Float] = []
            vector.reserveCapacity(numbers.count)
            for number in numbers {
                guard let value = number.doubleValue else {
                    throw transport.named(ProviderError(.malformedResponse, "embedding \(index) holds a non-number"))
                }
                vector.append(Float(value))
            }
            vectors[index] = vector
        }
        return vectors.map { $0 ?? [] }
    }
}
