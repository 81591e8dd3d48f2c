import Foundation
import Providers
import XCTest

/// The Anthropic client against a fake speaking the Messages API's wire format.
final class AnthropicProviderTests: XCTestCase {
    let key = "sk-ant-api03-ExampleExampleExample-0123456789"
    var client: HTTPClient!

    override func setUp() { client = HTTPClient() }
    override func tearDown() { client.shutdown() }

    private func endpoint(_ server: FakeServer) -> ModelEndpoint {
        fakeEndpoint(.anthropic, server: server, model: "claude-3-5-haiku-latest", key: key)
    }

    private func provider(_ server: FakeServer) -> any Provider { endpoint(server).makeProvider(client: client) }

    func testMessageSendsKeyAndVersionHeadersAndSeparateSystemPrompt() async throws {
        let server = try FakeServer { _ in Respond.json(AnthropicWire.message) }
        defer { server.stop() }
        let request = ChatRequest(
            messages: [
                ChatMessage(.system, "Be brief."), ChatMessage(.user, "Hi"), ChatMessage(.assistant, "Hello"),
                ChatMessage(.user, "How are you?"),
            ], temperature: 0.5)
        let result = try await provider(server).complete(request, deadline: nil)
        XCTAssertEqual(result.text, "Hello! How can I help?")
        XCTAssertEqual(result.finishReason, .stop)
        XCTAssertEqual(result.usage, Usage(inputTokens: 112, outputTokens: 9, cachedInputTokens: 100))
        XCTAssertEqual(result.model, "claude-3-5-haiku-20241022")

        let sent = try XCTUnwrap(server.requests.first)
        XCTAssertEqual(sent.target, "/v1/messages")
        XCTAssertEqual(sent.header("x-api-key"), key)
        XCTAssertEqual(sent.header("anthropic-version"), "2023-06-01")
        XCTAssertNil(sent.header("authorization"))
        let body = sent.json
        XCTAssertEqual(body["system"] as? String, "Be brief.")
        XCTAssertEqual(body["max_tokens"] as? Int, 1024, "Anthropic requires max_tokens; the endpoint default fills it")
        XCTAssertEqual((body["messages"] as? [[String: String]])?.map { $0["role"] }, ["user", "assistant", "user"])
    }

    func testStreamingFollowsTheEventSequenceWithCumulativeUsage() async throws {
        let server = try FakeServer { _ in Respond.sse(AnthropicWire.stream) }
        defer { server.stop() }
        let (deltas, result) = try await drain(provider(server).stream(question(), deadline: nil))
        XCTAssertEqual(deltas, ["Hello", "!", " Hi."])
        XCTAssertEqual(result?.text, "Hello! Hi.")
        XCTAssertEqual(result?.finishReason, .stop)
        XCTAssertEqual(result?.usage, Usage(inputTokens: 25, outputTokens: 15, cachedInputTokens: 0))
        XCTAssertEqual(server.requests.first?.json["stream"] as? Bool, true)
    }

    func testMaxTokensStopReasonIsLength() async throws {
        let body = AnthropicWire.message.replacingOccurrences(of: "end_turn", with: "max_tokens")
        let server = try FakeServer { _ in Respond.json(body) }
        defer { server.stop() }
        let result = try await provider(server).complete(question(maxTokens: 9), deadline: nil)
        XCTAssertEqual(result.finishReason, .length)
        XCTAssertEqual(server.requests.first?.json["max_tokens"] as? Int, 9)
    }

    func testAnOverloadedErrorEventInsideA200StreamIsOverloaded() async throws {
        let events = [
            AnthropicWire.messageStart, AnthropicWire.ping, AnthropicWire.delta("Hel"), AnthropicWire.overloadedEvent,
        ]
        let server = try FakeServer { _ in Respond.sse(events) }
        defer { server.stop() }
        var deltas: [String] = []
        let error = await providerError {
            for try await event in self.provider(server).stream(question(), deadline: nil) {
                if case .delta(let text) = event { deltas.append(text) }
            }
        }
        XCTAssertEqual(deltas, ["Hel"])
        XCTAssertEqual(error?.code, .overloaded)
        XCTAssertEqual(error?.providerCode, "overloaded_error")
        XCTAssertNil(error?.status)
    }

    func testErrorBodiesAreClassified() async throws {
        let cases: [(Int, [(String, String)], String, ProviderError.Code, Duration?)] = [
            (529, [], AnthropicWire.overloaded, .overloaded, nil),
            (429, [("retry-after", "7")], AnthropicWire.rateLimited, .rateLimited, .seconds(7)),
            (400, [], AnthropicWire.creditTooLow, .quotaExhausted, nil),
            (400, [], AnthropicWire.promptTooLong, .contextTooLong, nil),
            (401, [], AnthropicWire.error("authentication_error", "invalid x-api-key"), .authenticationFailed, nil),
            (500, [], AnthropicWire.error("api_error", "Internal server error"), .serverError, nil),
            (
                413, [],
                AnthropicWire.error("request_too_large", "Request exceeds the maximum allowed number of bytes."),
                .contextTooLong, nil
            ),
        ]
        for (status, headers, body, code, retry) in cases {
            let server = try FakeServer { _ in Respond.json(body, status: status, headers: headers) }
            defer { server.stop() }
            let error = await providerError { try await self.provider(server).complete(question(), deadline: nil) }
            XCTAssertEqual(error?.code, code, "HTTP \(status) \(body)")
            XCTAssertEqual(error?.retryAfter, retry)
            XCTAssertFalse(error?.message.contains(key) ?? true)
        }
    }

    func testHealthCheckListsModelsWithTheKey() async throws {
        let server = try FakeServer { _ in
            Respond.json(#"{"data":[{"type":"model","id":"claude-3-5-haiku-20241022"}],"has_more":true}"#)
        }
        defer { server.stop() }
        try await provider(server).checkHealth(deadline: .now + .seconds(5))
        XCTAssertEqual(server.requests.first?.path, "/v1/models")
        XCTAssertEqual(server.requests.first?.header("x-api-key"), key)
    }
}
