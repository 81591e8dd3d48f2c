import JSON

/// OpenAI Chat Completions, and every server that speaks it without a key (llama.cpp `llama-server`, Ollama, vLLM,
/// LM Studio): `POST {base}/chat/completions`, streaming as SSE chunks ending in `data: [DONE]` with
/// `stream_options.include_usage`, health as `GET {base}/models`. The key goes in `Authorization: Bearer`.
struct OpenAIProvider: Provider {
    let endpoint: ModelEndpoint
    private let transport: ProviderTransport

    init(endpoint: ModelEndpoint, client: HTTPClient) {
        self.endpoint = endpoint
        var headers = HTTPHeaders()
        if let key = endpoint.apiKey { headers.add("Authorization", "Bearer \(key.reveal())") }
        transport = ProviderTransport(endpoint: endpoint, client: client, authHeaders: headers)
    }

    func complete(_ request: ChatRequest, deadline: ContinuousClock.Instant?) async throws(ProviderError) -> ChatResult
    {
        let json = try await transport.json(
            .post, "/chat/completions", body: body(request, stream: false), deadline: deadline)
        do {
            return try result(from: json)
        } catch {
            throw transport.named(error)
        }
    }

    func stream(_ request: ChatRequest, deadline: ContinuousClock.Instant?) -> ChatStream {
        let body = body(request, stream: true)
        return ChatStream { [transport, endpoint] sink throws(ProviderError) in
            var state = StreamState(model: endpoint.model)
            try await transport.events("/chat/completions", body: body, deadline: deadline) {
                event throws(ProviderError) in
                guard !state.done else { return }
                if event.data == "[DONE]" {
                    state.done = true
                    return
                }
                let chunk = try transport.parse(event)
                if chunk["error"] != nil { throw transport.streamError(ErrorDetails(parsing: chunk)) }
                if let model = chunk["model"]?.stringValue, !model.isEmpty { state.model = model }
                if let choice = chunk["choices"]?[0] {
                    if let text = choice["delta"]?["content"]?.stringValue {
                        state.text += text
                        sink.delta(text)
                    }
                    if let reason = choice["finish_reason"]?.stringValue { state.finish = Self.finishReason(reason) }
                }
                if let usage = Self.usage(chunk["usage"]) { state.usage = usage }
            }
            guard state.done || state.finish != nil else { throw transport.named(transport.truncated()) }
            sink.finish(
                ChatResult(
                    text: state.text, finishReason: state.finish ?? .other("unspecified"), usage: state.usage,
                    model: state.model))
        }
    }

    func checkHealth(deadline: ContinuousClock.Instant?) async throws(ProviderError) {
        _ = try await transport.json(.get, "/models", body: nil, deadline: deadline)
    }

    private struct StreamState {
        var model: String
        var text = ""
        var finish: FinishReason?
        var usage: Usage?
        var done = false
    }

    private func body(_ request: ChatRequest, stream: Bool) -> JSONValue {
        var body: JSONObject = [
            "model": .string(endpoint.model),
            "messages": .array(
                request.messages.map { ["role": .string($0.role.rawValue), "content": .string($0.content)] }),
        ]
        // OpenAI's reasoning models accept only max_completion_tokens; local servers know max_tokens.
        let maxTokensKey = endpoint.kind == .openAI ? "max_completion_tokens" : "max_tokens"
        body[maxTokensKey] = JSONValue(request.maxTokens ?? endpoint.defaultMaxTokens)
        if let temperature = request.temperature { body["temperature"] = JSONValue(temperature) }
        if stream {
            body["stream"] = true
            body["stream_options"] = ["include_usage": true]
        }
        return .object(body)
    }

    private func result(from json: JSONValue) throws(ProviderError) -> ChatResult {
        if json["error"] != nil { throw transport.streamError(ErrorDetails(parsing: json)) }
        guard let choice = json["choices"]?[0], let message = choice["message"]?.objectValue else {
            throw ProviderError(.malformedResponse, "the response has no choices[0].message")
        }
        return ChatResult(
            text: message["content"]?.stringValue ?? "",
            finishReason: choice["finish_reason"]?.stringValue.map(Self.finishReason) ?? .other("unspecified"),
            usage: Self.usage(json["usage"]),
            model: json["model"]?.stringValue ?? endpoint.model)
    }

    static func finishReason(_ reason: String) -> FinishReason {
        switch reason {
        case "stop": return .stop
        case "length": return .length
        case "content_filter": return .contentFilter
        case "tool_calls", "function_call": return .toolCalls
        default: return .other(reason)
        }
    }

    static func usage(_ json: JSONValue?) -> Usage? {
        guard let json, let input = json.int("prompt_tokens") else { return nil }
        return Usage(
            inputTokens: input, outputTokens: json.int("completion_tokens") ?? 0,
            cachedInputTokens: json["prompt_tokens_details"]?.int("cached_tokens"))
    }
}
