import Foundation
import Providers
import XCTest

/// The OpenAI and OpenAI-compatible client against a fake speaking OpenAI's wire format.
final class OpenAIProviderTests: XCTestCase {
    let key = "sk-proj-Zq3ExampleExampleExample0123456789abcd"
    var client: HTTPClient!

    override func setUp() { client = HTTPClient() }
    override func tearDown() { client.shutdown() }

    private func provider(_ server: FakeServer, kind: ModelEndpoint.Kind = .openAI, key: String? = nil) -> any Provider
    {
        fakeEndpoint(kind, server: server, model: "gpt-4o-mini", key: key).makeProvider(client: client)
    }

    func testCompletionSendsTheKeyAsBearerAndReadsTextFinishAndUsage() async throws {
        let server = try FakeServer { _ in Respond.json(OpenAIWire.completion) }
        defer { server.stop() }
        let request = ChatRequest(
            messages: [ChatMessage(.system, "Be brief."), ChatMessage(.user, "Capital of France?")], maxTokens: 50,
            temperature: 0.2)
        let result = try await provider(server, key: key).complete(request, deadline: nil)
        XCTAssertEqual(result.text, "Paris is the capital of France.")
        XCTAssertEqual(result.finishReason, .stop)
        XCTAssertEqual(result.usage, Usage(inputTokens: 19, outputTokens: 8, cachedInputTokens: 12))
        XCTAssertEqual(result.model, "gpt-4o-mini-2024-07-18")

        let sent = try XCTUnwrap(server.requests.first)
        XCTAssertEqual(sent.method, "POST")
        XCTAssertEqual(sent.target, "/v1/chat/completions")
        XCTAssertEqual(sent.header("authorization"), "Bearer \(key)")
        XCTAssertEqual(sent.header("content-type"), "application/json")
        let body = sent.json
        XCTAssertEqual(body["model"] as? String, "gpt-4o-mini")
        XCTAssertEqual(body["max_completion_tokens"] as? Int, 50)
        XCTAssertNil(body["max_tokens"])
        XCTAssertEqual(body["temperature"] as? Double, 0.2)
        let messages = try XCTUnwrap(body["messages"] as? [[String: String]])
        XCTAssertEqual(
            messages, [["role": "system", "content": "Be brief."], ["role": "user", "content": "Capital of France?"]])
    }

    func testACompatibleServerGetsMaxTokensAndNoKeyHeader() async throws {
        let server = try FakeServer { _ in Respond.json(OpenAIWire.completion) }
        defer { server.stop() }
        _ = try await provider(server, kind: .openAICompatible).complete(question(maxTokens: 7), deadline: nil)
        let sent = try XCTUnwrap(server.requests.first)
        XCTAssertNil(sent.header("authorization"))
        XCTAssertEqual(sent.json["max_tokens"] as? Int, 7)
    }

    func testStreamingDeliversDeltasThenTheResultWithUsage() async throws {
        let server = try FakeServer { _ in Respond.sse(OpenAIWire.stream) }
        defer { server.stop() }
        let (deltas, result) = try await drain(provider(server, key: key).stream(question(), deadline: nil))
        XCTAssertEqual(deltas, ["Paris", " is the", " capital."])
        XCTAssertEqual(result?.text, "Paris is the capital.")
        XCTAssertEqual(result?.finishReason, .stop)
        XCTAssertEqual(result?.usage, Usage(inputTokens: 19, outputTokens: 4, cachedInputTokens: 0))
        let body = try XCTUnwrap(server.requests.first?.json)
        XCTAssertEqual(body["stream"] as? Bool, true)
        XCTAssertEqual((body["stream_options"] as? [String: Bool])?["include_usage"], true)
        XCTAssertEqual(server.requests.first?.header("accept"), "text/event-stream")
    }

    func testAStreamWithoutUsageReportsNone() async throws {
        let events = [
            OpenAIWire.chunk(#"{"content":"Hi"}"#), OpenAIWire.chunk("{}", finish: "length"), "data: [DONE]\n\n",
        ]
        let server = try FakeServer { _ in Respond.sse(events) }
        defer { server.stop() }
        let result = try await provider(server).stream(question(), deadline: nil).result()
        XCTAssertEqual(result.text, "Hi")
        XCTAssertEqual(result.finishReason, .length)
        XCTAssertNil(result.usage)
    }

    func testAStreamCutOffMidwayFails() async throws {
        let server = try FakeServer { _ in
            [Respond.streamHead()] + Respond.split(Array(OpenAIWire.stream.prefix(2))) + [Respond.lastChunk]
        }
        defer { server.stop() }
        var deltas: [String] = []
        let error = await providerError {
            for try await event in self.provider(server).stream(question(), deadline: nil) {
                if case .delta(let text) = event { deltas.append(text) }
            }
        }
        XCTAssertEqual(deltas, ["Paris"])
        XCTAssertEqual(error?.code, .connectionFailed)
        XCTAssertTrue(error?.message.contains("fake-openai") ?? false, error?.message ?? "")
    }

    func testLeavingAStreamEarlyClosesTheConnection() async throws {
        let server = try FakeServer { _ in
            [Respond.streamHead()] + Respond.split(Array(OpenAIWire.stream.prefix(2))) + [.hang]
        }
        defer { server.stop() }
        for try await event in provider(server).stream(question(), deadline: nil) {
            XCTAssertEqual(event, .delta("Paris"))
            break
        }
        let closed = await eventually { server.clientDisconnects == 1 }
        XCTAssertTrue(closed, "the abandoned stream kept its connection open")
    }

    func testADisconnectMidStreamFails() async throws {
        let server = try FakeServer { _ in
            [Respond.streamHead()] + Respond.split(Array(OpenAIWire.stream.prefix(3))) + [.close]
        }
        defer { server.stop() }
        let error = await providerError { try await self.provider(server).stream(question(), deadline: nil).result() }
        XCTAssertEqual(error?.code, .connectionFailed)
    }

    func testErrorBodiesAreClassified() async throws {
        let cases:
            [(status: Int, headers: [(String, String)], body: String, code: ProviderError.Code, retry: Duration?)] = [
                (429, [("retry-after", "20")], OpenAIWire.rateLimited, .rateLimited, .seconds(20)),
                (
                    429, [("retry-after-ms", "1500"), ("retry-after", "2")], OpenAIWire.rateLimited, .rateLimited,
                    .milliseconds(1500)
                ),
                (429, [], OpenAIWire.insufficientQuota, .quotaExhausted, nil),
                (400, [], OpenAIWire.contextLength, .contextTooLong, nil),
                (400, [], OpenAIWire.vllmContextLength, .contextTooLong, nil),
                (500, [], OpenAIWire.serverError, .serverError, nil),
                (502, [], "<html><body>Bad gateway</body></html>", .serverError, nil),
                (
                    404, [],
                    #"{"error":{"message":"The model `gpt-9` does not exist","type":"invalid_request_error","code":"model_not_found"}}"#,
                    .invalidRequest, nil
                ),
                (
                    403, [],
                    #"{"error":{"message":"Country, region, or territory not supported","type":"request_forbidden","code":"unsupported_country_region_territory"}}"#,
                    .authenticationFailed, nil
                ),
            ]
        for (status, headers, body, code, retry) in cases {
            let server = try FakeServer { _ in Respond.json(body, status: status, headers: headers) }
            defer { server.stop() }
            let error = await providerError {
                try await self.provider(server, key: self.key).complete(question(), deadline: nil)
            }
            XCTAssertEqual(error?.code, code, "HTTP \(status) \(body)")
            XCTAssertEqual(error?.status, status)
            XCTAssertEqual(error?.retryAfter, retry, "HTTP \(status) \(headers)")
            XCTAssertTrue(error?.message.hasPrefix("model \"fake-openai\"") ?? false, error?.message ?? "")
        }
    }

    func testTheKeyNeverAppearsInErrors() async throws {
        // OpenAI echoes a masked key on 401; a misbehaving proxy might echo the whole key anywhere.
        let bodies: [(Int, String)] = [
            (401, OpenAIWire.invalidKey("sk-proj-Zq3E********************************abcd")),
            (401, OpenAIWire.invalidKey(key)),
            (400, #"{"error":{"message":"bad header Authorization: Bearer \#(key)","type":"invalid_request_error"}}"#),
            (500, "upstream said \(key)"),
        ]
        for (status, body) in bodies {
            let server = try FakeServer { _ in Respond.json(body, status: status) }
            defer { server.stop() }
            let thrown = await providerError {
                try await self.provider(server, key: self.key).complete(question(), deadline: nil)
            }
            let error = try XCTUnwrap(thrown)
            for text in [error.message, "\(error)", String(reflecting: error), error.providerCode ?? ""] {
                XCTAssertFalse(text.contains(key), text)
                XCTAssertFalse(text.contains("sk-proj"), text)
            }
            if status == 401 { XCTAssertEqual(error.code, .authenticationFailed) }
        }
        let endpoint = fakeEndpoint(.openAI, server: try FakeServer { _ in [] }, key: key)
        var dumped = ""
        dump(endpoint, to: &dumped)
        for text in ["\(endpoint)", String(reflecting: endpoint), dumped] { XCTAssertFalse(text.contains(key), text) }
    }

    func testMalformedBodiesAreMalformedResponses() async throws {
        for body in ["{\"choices\": [", #"{"object":"list"}"#] {
            let server = try FakeServer { _ in Respond.json(body) }
            defer { server.stop() }
            let error = await providerError { try await self.provider(server).complete(question(), deadline: nil) }
            XCTAssertEqual(error?.code, .malformedResponse, body)
        }
        let server = try FakeServer { _ in Respond.sse([Respond.data("{not json")]) }
        defer { server.stop() }
        let error = await providerError { try await self.provider(server).stream(question(), deadline: nil).result() }
        XCTAssertEqual(error?.code, .malformedResponse)
    }

    func testAnErrorObjectInsideAStreamIsClassified() async throws {
        let events = [
            OpenAIWire.chunk(#"{"content":"Par"}"#),
            Respond.data(#"{"error":{"message":"The server had an error","type":"server_error","code":null}}"#),
        ]
        let server = try FakeServer { _ in Respond.sse(events) }
        defer { server.stop() }
        let error = await providerError { try await self.provider(server).stream(question(), deadline: nil).result() }
        XCTAssertEqual(error?.code, .serverError)
    }

    func testHealthCheckListsModels() async throws {
        let server = try FakeServer { request in
            request.path == "/v1/models"
                ? Respond.json(#"{"object":"list","data":[{"id":"gpt-4o-mini","object":"model"}]}"#)
                : Respond.json("{}", status: 404)
        }
        defer { server.stop() }
        try await provider(server, key: key).checkHealth(deadline: .now + .seconds(5))
        XCTAssertEqual(server.requests.first?.method, "GET")
        XCTAssertEqual(server.requests.first?.header("authorization"), "Bearer \(key)")
    }
}
