/// A client for one LLM backend: it turns a ``ChatRequest`` into the backend's wire format and its answers and
/// errors back into ``ChatResult`` and ``ProviderError``. One attempt per call: retries and cooldown are
/// ``Backend``'s job.
public protocol Provider: Sendable {
    /// The backend this client talks to.
    var endpoint: ModelEndpoint { get }

    /// Sends `request` and waits for the whole answer, giving up at `deadline` (and after the endpoint's request
    /// timeout) or when the task is cancelled.
    func complete(_ request: ChatRequest, deadline: ContinuousClock.Instant?) async throws(ProviderError) -> ChatResult

    /// Sends `request` with streaming on; the answer arrives as ``ChatStreamEvent``s.
    func stream(_ request: ChatRequest, deadline: ContinuousClock.Instant?) -> ChatStream

    /// A cheap request that shows the backend is up and the key is accepted (listing models, which costs nothing).
    func checkHealth(deadline: ContinuousClock.Instant?) async throws(ProviderError)
}

extension ModelEndpoint {
    /// The client for this endpoint's wire protocol, sending through `client`.
    public func makeProvider(client: HTTPClient = .shared) -> any Provider {
        switch kind {
        case .openAICompatible, .openAI: return OpenAIProvider(endpoint: self, client: client)
        case .anthropic: return AnthropicProvider(endpoint: self, client: client)
        case .gemini: return GeminiProvider(endpoint: self, client: client)
        }
    }
}
