import JSON

/// Anthropic's Messages API: `POST {base}/messages` with `x-api-key` and `anthropic-version`, streaming as
/// `message_start`, `content_block_delta`, `message_delta` (cumulative usage) and `message_stop` events, with `ping`
/// keep-alives and `error` events (`overloaded_error`) inside a 200 stream; health as `GET {base}/models`.
struct AnthropicProvider: Provider {
    /// The API version this client speaks.
    static let apiVersion = "2023-06-01"

    let endpoint: ModelEndpoint
    private let transport: ProviderTransport

    init(endpoint: ModelEndpoint, client: HTTPClient) {
        self.endpoint = endpoint
        var headers: HTTPHeaders = ["anthropic-version": Self.apiVersion]
        if let key = endpoint.apiKey { headers.add("x-api-key", key.reveal()) }
        transport = ProviderTransport(endpoint: endpoint, client: client, authHeaders: headers)
    }

    func complete(_ request: ChatRequest, deadline: ContinuousClock.Instant?) async throws(ProviderError) -> ChatResult
    {
        let json = try await transport.json(.post, "/messages", body: body(request, stream: false), deadline: deadline)
        if json["type"]?.stringValue == "error" {
            throw transport.named(transport.streamError(ErrorDetails(parsing: json)))
        }
        guard let content = json["content"]?.arrayValue else {
            throw transport.named(ProviderError(.malformedResponse, "the response has no content array"))
        }
        let text = content.filter { $0["type"]?.stringValue == "text" }.compactMap { $0["text"]?.stringValue }
        var usage = UsageState()
        usage.merge(json["usage"])
        return ChatResult(
            text: text.joined(),
            finishReason: json["stop_reason"]?.stringValue.map(Self.finishReason) ?? .other("unspecified"),
            usage: usage.usage, model: json["model"]?.stringValue ?? endpoint.model)
    }

    func stream(_ request: ChatRequest, deadline: ContinuousClock.Instant?) -> ChatStream {
        let body = body(request, stream: true)
        return ChatStream { [transport, endpoint] sink throws(ProviderError) in
            var model = endpoint.model
            var text = ""
            var finish: FinishReason?
            var usage = UsageState()
            var stopped = false
            try await transport.events("/messages", body: body, deadline: deadline) { event throws(ProviderError) in
                guard !stopped else { return }
                let json = try transport.parse(event)
                switch json["type"]?.stringValue ?? event.event {
                case "message_start":
                    if let name = json["message"]?["model"]?.stringValue { model = name }
                    usage.merge(json["message"]?["usage"])
                case "content_block_delta":
                    if json["delta"]?["type"]?.stringValue == "text_delta",
                        let piece = json["delta"]?["text"]?.stringValue
                    {
                        text += piece
                        sink.delta(piece)
                    }
                case "message_delta":
                    if let reason = json["delta"]?["stop_reason"]?.stringValue { finish = Self.finishReason(reason) }
                    usage.merge(json["usage"])
                case "message_stop":
                    stopped = true
                case "error":
                    throw transport.streamError(ErrorDetails(parsing: json))
                default:
                    break  // ping, content_block_start/stop, and event types added later
                }
            }
            guard stopped || finish != nil else { throw transport.named(transport.truncated()) }
            sink.finish(
                ChatResult(
                    text: text, finishReason: finish ?? .other("unspecified"), usage: usage.usage, model: model))
        }
    }

    func checkHealth(deadline: ContinuousClock.Instant?) async throws(ProviderError) {
        _ = try await transport.json(.get, "/models?limit=1", body: nil, deadline: deadline)
    }

    private func body(_ request: ChatRequest, stream: Bool) -> JSONValue {
        let (system, conversation) = request.splitSystem
        var body: JSONObject = [
            "model": .string(endpoint.model),
            "max_tokens": JSONValue(request.maxTokens ?? endpoint.defaultMaxTokens),
            "messages": .array(
                conversation.map { ["role": .string($0.role.rawValue), "content": .string($0.content)] }),
        ]
        if let system { body["system"] = .string(system) }
        if let temperature = request.temperature { body["temperature"] = JSONValue(temperature) }
        if stream { body["stream"] = true }
        return .object(body)
    }

    static func finishReason(_ reason: String) -> FinishReason {
        switch reason {
        case "end_turn", "stop_sequence": return .stop
        case "max_tokens": return .length
        case "refusal": return .contentFilter
        case "tool_use": return .toolCalls
        default: return .other(reason)
        }
    }

    /// Anthropic's usage, merged from `message_start` and the cumulative `message_delta` counts. Its
    /// `input_tokens` excludes cache reads and writes; ``Usage/inputTokens`` counts all of them.
    struct UsageState {
        var input: Int?
        var output: Int?
        var cacheWrite: Int?
        var cacheRead: Int?

        mutating func merge(_ json: JSONValue?) {
            guard let json else { return }
            input = json.int("input_tokens") ?? input
            output = json.int("output_tokens") ?? output
            cacheWrite = json.int("cache_creation_input_tokens") ?? cacheWrite
            cacheRead = json.int("cache_read_input_tokens") ?? cacheRead
        }

        var usage: Usage? {
            guard let input else { return nil }
            return Usage(
                inputTokens: input + (cacheWrite ?? 0) + (cacheRead ?? 0), outputTokens: output ?? 0,
                cachedInputTokens: cacheRead)
        }
    }
}
