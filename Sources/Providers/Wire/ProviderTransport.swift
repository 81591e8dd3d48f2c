import JSON

/// The HTTP plumbing every provider shares: builds requests with the endpoint's timeouts and key headers, turns
/// error statuses into ``ProviderError``s, parses JSON bodies and feeds event streams through the SSE parser.
struct ProviderTransport: Sendable {
    let endpoint: ModelEndpoint
    let client: HTTPClient
    /// The headers that carry the key (and API version), added to every request.
    let authHeaders: HTTPHeaders

    private func request(
        _ method: HTTPRequest.Method, _ path: String, body: JSONValue?, deadline: ContinuousClock.Instant?,
        accept: String
    ) -> HTTPRequest {
        var headers = authHeaders
        headers.add("Accept", accept)
        if body != nil { headers.add("Content-Type", "application/json") }
        return HTTPRequest(
            method: method, url: endpoint.baseURL + path, headers: headers, body: body?.encoded() ?? [],
            connectTimeout: endpoint.connectTimeout, timeout: endpoint.requestTimeout, deadline: deadline)
    }

    /// The classified error of a non-2xx response.
    private func failure(status: Int, headers: HTTPHeaders, body: [UInt8]) -> ProviderError {
        let details = ErrorDetails(parsing: try? JSONParser.parse(body))
        return named(
            ErrorClassifier.classify(
                status: status, headers: headers, details: details, key: endpoint.apiKey, rawBody: body))
    }

    /// Sends a request and returns the streaming response of a 2xx status; other statuses throw the classified
    /// error.
    func send(
        _ method: HTTPRequest.Method, _ path: String, body: JSONValue?, deadline: ContinuousClock.Instant?,
        accept: String = "application/json"
    ) async throws(ProviderError) -> HTTPResponse {
        let response: HTTPResponse
        do {
            response = try await client.execute(request(method, path, body: body, deadline: deadline, accept: accept))
        } catch {
            throw named(error)
        }
        guard response.isSuccess else {
            let bytes = (try? await response.body.collect(upTo: 1 << 20)) ?? []
            throw failure(status: response.status, headers: response.headers, body: bytes)
        }
        return response
    }

    /// Sends a request and parses the whole 2xx body as JSON; other statuses throw the classified error.
    func json(
        _ method: HTTPRequest.Method, _ path: String, body: JSONValue?, deadline: ContinuousClock.Instant?
    ) async throws(ProviderError) -> JSONValue {
        let response: HTTPBufferedResponse
        do {
            response = try await client.fetch(
                request(method, path, body: body, deadline: deadline, accept: "application/json"))
        } catch {
            throw named(error)
        }
        guard response.isSuccess else {
            throw failure(status: response.status, headers: response.headers, body: response.body)
        }
        do {
            return try JSONParser.parse(response.body)
        } catch {
            throw named(ProviderError(.malformedResponse, "the response is not JSON (\(error))"))
        }
    }

    /// Sends a streaming request and hands each server-sent event to `handle` as it arrives.
    func events(
        _ path: String, body: JSONValue, deadline: ContinuousClock.Instant?,
        handle: (ServerSentEvent) throws(ProviderError) -> Void
    ) async throws(ProviderError) {
        let response = try await send(.post, path, body: body, deadline: deadline, accept: "text/event-stream")
        var parser = ServerSentEventParser()
        do throws(ProviderError) {
            for try await chunk in response.body {
                for event in parser.feed(chunk) { try handle(event) }
            }
        } catch {
            throw named(error)
        }
    }

    /// Parses the JSON of an event's data.
    func parse(_ event: ServerSentEvent) throws(ProviderError) -> JSONValue {
        do {
            return try JSONParser.parse(event.data)
        } catch {
            throw ProviderError(.malformedResponse, "a stream event is not JSON (\(error))")
        }
    }

    /// The error classified from an error object inside a 200 stream.
    func streamError(_ details: ErrorDetails) -> ProviderError {
        ErrorClassifier.classify(status: nil, details: details, key: endpoint.apiKey)
    }

    /// `error` with the backend's name in front.
    func named(_ error: ProviderError) -> ProviderError {
        error.prefixed("model \"\(endpoint.name)\"")
    }

    /// The stream ended before its end marker.
    func truncated() -> ProviderError {
        ProviderError(.connectionFailed, "the stream ended before the answer was complete")
    }
}

extension ChatRequest {
    /// The system messages joined, and the rest, for providers that take the system prompt separately.
    var splitSystem: (system: String?, conversation: [ChatMessage]) {
        let system = messages.filter { $0.role == .system }.map(\.content)
        return (system.isEmpty ? nil : system.joined(separator: "\n\n"), messages.filter { $0.role != .system })
    }
}

extension JSONValue {
    /// An integer field, accepting integral doubles.
    func int(_ key: String) -> Int? {
        self[key]?.intValue ?? self[key]?.doubleValue.flatMap { Int(exactly: $0) }
    }
}
