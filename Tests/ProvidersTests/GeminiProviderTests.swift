import Foundation
import Providers
import XCTest

/// The Gemini client against a fake speaking generateContent's wire format.
final class GeminiProviderTests: XCTestCase {
    let key = "AIzaSyExampleExampleExampleExample012345"
    var client: HTTPClient!

    override func setUp() { client = HTTPClient() }
    override func tearDown() { client.shutdown() }

    private func provider(_ server: FakeServer) -> any Provider {
        fakeEndpoint(.gemini, server: server, basePath: "/v1beta", model: "gemini-2.5-flash", key: key)
            .makeProvider(client: client)
    }

    func testGenerateContentSendsTheKeyInAHeaderNeverInTheURL() async throws {
        let server = try FakeServer { _ in Respond.json(GeminiWire.response) }
        defer { server.stop() }
        let request = ChatRequest(
            messages: [
                ChatMessage(.system, "Be brief."), ChatMessage(.user, "Rain?"), ChatMessage(.assistant, "Yes"),
                ChatMessage(.user, "A haiku"),
            ], maxTokens: 64, temperature: 1)
        let result = try await provider(server).complete(request, deadline: nil)
        XCTAssertEqual(result.text, "A haiku about rain.")
        XCTAssertEqual(result.finishReason, .stop)
        XCTAssertEqual(result.usage, Usage(inputTokens: 8, outputTokens: 12), "thinking tokens are billed as output")
        XCTAssertEqual(result.model, "gemini-2.5-flash")

        let sent = try XCTUnwrap(server.requests.first)
        XCTAssertEqual(sent.target, "/v1beta/models/gemini-2.5-flash:generateContent")
        XCTAssertEqual(sent.header("x-goog-api-key"), key)
        XCTAssertFalse(sent.target.contains(key))
        let body = sent.json
        let contents = try XCTUnwrap(body["contents"] as? [[String: Any]])
        XCTAssertEqual(contents.map { $0["role"] as? String }, ["user", "model", "user"])
        let system = (body["systemInstruction"] as? [String: Any])?["parts"] as? [[String: String]]
        XCTAssertEqual(system, [["text": "Be brief."]])
        let generation = try XCTUnwrap(body["generationConfig"] as? [String: Any])
        XCTAssertEqual(generation["maxOutputTokens"] as? Int, 64)
        XCTAssertEqual(generation["temperature"] as? Double, 1)
    }

    func testStreamingUsesAltSSEAndTheLastUsageMetadata() async throws {
        let server = try FakeServer { _ in Respond.sse(GeminiWire.stream) }
        defer { server.stop() }
        let (deltas, result) = try await drain(provider(server).stream(question(), deadline: nil))
        XCTAssertEqual(deltas, ["The", " quick brown", " fox."])
        XCTAssertEqual(result?.text, "The quick brown fox.")
        XCTAssertEqual(result?.finishReason, .stop)
        XCTAssertEqual(result?.usage, Usage(inputTokens: 4, outputTokens: 6))
        XCTAssertEqual(server.requests.first?.target, "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse")
    }

    func testAStreamThatEndsWithoutAFinishReasonFails() async throws {
        let server = try FakeServer { _ in Respond.sse(Array(GeminiWire.stream.prefix(2))) }
        defer { server.stop() }
        let error = await providerError { try await self.provider(server).stream(question(), deadline: nil).result() }
        XCTAssertEqual(error?.code, .connectionFailed)
    }

    func testErrorBodiesAreClassified() async throws {
        let cases: [(Int, String, ProviderError.Code, Duration?)] = [
            (429, GeminiWire.perMinute, .rateLimited, .seconds(2)),
            (429, GeminiWire.perDay, .quotaExhausted, .seconds(42)),
            (400, GeminiWire.invalidKey, .authenticationFailed, nil),
            (503, GeminiWire.overloaded, .overloaded, nil),
            (400, GeminiWire.tooLong, .contextTooLong, nil),
            (500, GeminiWire.status(500, "INTERNAL", "An internal error has occurred."), .serverError, nil),
        ]
        for (status, body, code, retry) in cases {
            let server = try FakeServer { _ in Respond.json(body, status: status) }
            defer { server.stop() }
            let error = await providerError { try await self.provider(server).complete(question(), deadline: nil) }
            XCTAssertEqual(error?.code, code, body)
            XCTAssertEqual(error?.retryAfter, retry, body)
        }
    }

    func testABlockedPromptIsAContentFilterFinish() async throws {
        let body =
            #"{"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":7,"totalTokenCount":7}}"#
        let server = try FakeServer { _ in Respond.json(body) }
        defer { server.stop() }
        let result = try await provider(server).complete(question(), deadline: nil)
        XCTAssertEqual(result.finishReason, .contentFilter)
        XCTAssertEqual(result.text, "")
        XCTAssertEqual(result.usage, Usage(inputTokens: 7, outputTokens: 0))
    }
}
