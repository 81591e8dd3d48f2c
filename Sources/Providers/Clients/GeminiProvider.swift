import JSON

/// Google Gemini: `POST {base}/models/{model}:generateContent` with `x-goog-api-key`, streaming through
/// `:streamGenerateContent?alt=sse` (each event a partial response, `usageMetadata` on the last); health as
/// `GET {base}/models`.
struct GeminiProvider: Provider {
    let endpoint: ModelEndpoint
    private let transport: ProviderTransport
    private let modelPath: String

    init(endpoint: ModelEndpoint, client: HTTPClient) {
        self.endpoint = endpoint
        var headers = HTTPHeaders()
        if let key = endpoint.apiKey { headers.add("x-goog-api-key", key.reveal()) }
        transport = ProviderTransport(endpoint: endpoint, client: client, authHeaders: headers)
        let id = endpoint.model.hasPrefix("models/") ? String(endpoint.model.dropFirst(7)) : endpoint.model
        modelPath = "/models/" + (id.addingPathEscapes())
    }

    func complete(_ request: ChatRequest, deadline: ContinuousClock.Instant?) async throws(ProviderError) -> ChatResult
    {
        let json = try await transport.json(
            .post, modelPath + ":generateContent", body: body(request), deadline: deadline)
        var state = ResponseState(model: endpoint.model)
        do {
            try state.merge(json, transport: transport)
        } catch {
            throw transport.named(error)
        }
        guard state.finish != nil || state.blocked else {
            throw transport.named(ProviderError(.malformedResponse, "the response has no candidate"))
        }
        return state.result
    }

    func stream(_ request: ChatRequest, deadline: ContinuousClock.Instant?) -> ChatStream {
        let body = body(request)
        let path = modelPath + ":streamGenerateContent?alt=sse"
        return ChatStream { [transport, endpoint] sink throws(ProviderError) in
            var state = ResponseState(model: endpoint.model)
            try await transport.events(path, body: body, deadline: deadline) { event throws(ProviderError) in
                let delta = try state.merge(transport.parse(event), transport: transport)
                sink.delta(delta)
            }
            guard state.finish != nil || state.blocked else { throw transport.named(transport.truncated()) }
            sink.finish(state.result)
        }
    }

    func checkHealth(deadline: ContinuousClock.Instant?) async throws(ProviderError) {
        _ = try await transport.json(.get, "/models?pageSize=1", body: nil, deadline: deadline)
    }

    private func body(_ request: ChatRequest) -> JSONValue {
        let (system, conversation) = request.splitSystem
        var body: JSONObject = [
            "contents": .array(
                conversation.map { message in
                    [
                        "role": .string(message.role == .assistant ? "model" : "user"),
                        "parts": [["text": .string(message.content)]],
                    ]
                })
        ]
        if let system { body["systemInstruction"] = ["parts": [["text": .string(system)]]] }
        var generation: JSONObject = ["maxOutputTokens": JSONValue(request.maxTokens ?? endpoint.defaultMaxTokens)]
        if let temperature = request.temperature { generation["temperature"] = JSONValue(temperature) }
        body["generationConfig"] = .object(generation)
        return .object(body)
    }

    static func finishReason(_ reason: String) -> FinishReason {
        switch reason {
        case "STOP": return .stop
        case "MAX_TOKENS": return .length
        case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY": return .contentFilter
        case "MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL": return .toolCalls
        default: return .other(reason)
        }
    }

    /// A response built from one whole `GenerateContentResponse` or from the partial ones of a stream.
    private struct ResponseState {
        var model: String
        var text = ""
        var finish: FinishReason?
        var blocked = false
        var usage: Usage?

        /// Adds a (partial) response and returns its new text.
        @discardableResult
        mutating func merge(_ json: JSONValue, transport: ProviderTransport) throws(ProviderError) -> String {
            if json["error"] != nil { throw transport.streamError(ErrorDetails(parsing: json)) }
            if let version = json["modelVersion"]?.stringValue { model = version }
            if let metadata = json["usageMetadata"], let prompt = metadata.int("promptTokenCount") {
                usage = Usage(
                    inputTokens: prompt,
                    outputTokens: (metadata.int("candidatesTokenCount") ?? 0)
                        + (metadata.int("thoughtsTokenCount") ?? 0),
                    cachedInputTokens: metadata.int("cachedContentTokenCount"))
            }
            if json["promptFeedback"]?["blockReason"]?.stringValue != nil {
                blocked = true
                finish = .contentFilter
            }
            guard let candidate = json["candidates"]?[0] else { return "" }
            var delta = ""
            for part in candidate["content"]?["parts"]?.arrayValue ?? [] where part["thought"]?.boolValue != true {
                delta += part["text"]?.stringValue ?? ""
            }
            text += delta
            if let reason = candidate["finishReason"]?.stringValue { finish = Self.finishReason(reason) }
            return delta
        }

        private static func finishReason(_ reason: String) -> FinishReason { GeminiProvider.finishReason(reason) }

        var result: ChatResult {
            ChatResult(text: text, finishReason: finish ?? .other("unspecified"), usage: usage, model: model)
        }
    }
}

extension String {
    /// The string with every byte outside RFC 3986's unreserved set percent-encoded, for one path segment.
    func addingPathEscapes() -> String {
        var escaped = ""
        for byte in utf8 {
            let character = Character(Unicode.Scalar(byte))
            if byte < 0x80 && (character.isLetter || character.isNumber || "-._~".contains(character)) {
                escaped.append(character)
            } else {
                let hex = Array("0123456789ABCDEF")
                escaped += "%\(hex[Int(byte >> 4)])\(hex[Int(byte & 15)])"
            }
        }
        return escaped
    }
}
