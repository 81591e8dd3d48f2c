/// Turns texts into vectors whose dot products measure similarity.
///
/// Implementations: ``HashingEmbedder`` (built in, no model weights) and, through the `Providers` module, an
/// OpenAI-compatible `/v1/embeddings` endpoint. The store records each vector's embedder ``name`` and
/// ``dimension``; change either and `council memory reembed` rebuilds the stored vectors. Vectors need not be
/// normalised: the store scales them to unit length, so dot products are cosine similarities.
public protocol Embedder: Sendable {
    /// A stable name that changes whenever the vectors would change (e.g. `"hashing-v1-256"`,
    /// `"openai-compatible:nomic-embed-text"`).
    var name: String { get }
    /// The length of every vector returned.
    var dimension: Int { get }
    /// One vector per text, in order, each of ``dimension`` values.
    func embed(_ texts: [String]) async throws -> [[Float]]
}
