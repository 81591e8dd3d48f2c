import Foundation
import Providers
import TestSupport
import XCTest

/// The OpenAI-compatible client and the embeddings client against a real llama.cpp server (one per suite).
final class LlamaServerTests: XCTestCase {
    nonisolated(unsafe) static var server: Result<LlamaServer, any Error>?  // set in class setUp, before any test
    let reply = "Hello from tiny llama."
    var client: HTTPClient!

    override class func setUp() {
        server = Result { try LlamaServer() }
    }

    override class func tearDown() {
        if case .success(let running) = server { running.stop() }
        server = nil
    }

    override func setUp() {
        client = HTTPClient()
    }

    override func tearDown() {
        client?.shutdown()
    }

    /// The endpoint of the running server; throws (failing the test, never skipping it) with how to create the
    /// virtualenv when it is missing.
    private func localEndpoint() throws -> ModelEndpoint {
        let running = try XCTUnwrap(Self.server).get()
        var endpoint = ModelEndpoint(
            name: "local", kind: .openAICompatible, baseURL: running.baseURL, model: "tiny", tier: .local)
        endpoint.retry = RetryPolicy(maxAttempts: 2, initialBackoff: .milliseconds(50))
        return endpoint
    }

    private func makeBackend() throws -> Backend {
        Backend(endpoint: try localEndpoint(), client: client, logger: quietLogger)
    }

    func testChatAnswersWithTextFinishReasonAndUsage() async throws {
        let result = try await makeBackend().complete(question("Say hello."), deadline: .now + .seconds(60))
        XCTAssertEqual(result.text, reply)
        XCTAssertEqual(result.finishReason, .stop)
        XCTAssertEqual(result.model, "tiny")
        XCTAssertEqual(result.attempts, 1)
        let usage = try XCTUnwrap(result.usage)
        XCTAssertGreaterThan(usage.inputTokens, 0)
        XCTAssertGreaterThan(usage.outputTokens, 0)
    }

    func testStreamingDeliversTheReplyPieceByPiece() async throws {
        let (deltas, result) = try await drain(
            makeBackend().stream(question("Say hello."), deadline: .now + .seconds(60)))
        XCTAssertGreaterThan(deltas.count, 1)
        XCTAssertEqual(deltas.joined(), reply)
        XCTAssertEqual(result?.text, reply)
        XCTAssertEqual(result?.finishReason, .stop)
    }

    func testMaxTokensTwoStopsForLength() async throws {
        let backend = try makeBackend()
        let result = try await backend.complete(question("Say hello.", maxTokens: 2))
        XCTAssertEqual(result.finishReason, .length)
        XCTAssertEqual(result.usage?.outputTokens, 2)
        XCTAssertEqual(result.text, "Hello from")
        let streamed = try await backend.stream(question("Say hello.", maxTokens: 2)).result()
        XCTAssertEqual(streamed.finishReason, .length)
    }

    func testAPromptBeyondTheContextWindowIsContextTooLong() async throws {
        let prompt = Array(repeating: "word", count: 3000).joined(separator: " ")
        let backend = try makeBackend()
        let error = await providerError { try await backend.complete(question(prompt)) }
        XCTAssertEqual(error?.code, .contextTooLong)
        XCTAssertEqual(error?.status, 400)
        XCTAssertEqual(error?.providerCode, "context_length_exceeded")
        XCTAssertEqual(error?.attempts, 1, "a prompt that does not fit is not retried")
        XCTAssertNotEqual(backend.health.status, .coolingDown)
    }

    func testRequestsReuseOneConnectionAndHealthChecksPass() async throws {
        let backend = try makeBackend()
        let health = await backend.checkHealth()
        XCTAssertEqual(health.status, .healthy)
        for _ in 0..<3 { _ = try await backend.complete(question("Hi", maxTokens: 2)) }
        XCTAssertEqual(client.connectionsOpened, 1)
    }

    func testEmbeddingsAreDeterministicVectorsInInputOrder() async throws {
        let embedder = EmbeddingClient(endpoint: try localEndpoint(), client: client)
        let vectors = try await embedder.embed(["the cat sat", "a dog ran", "the cat sat"])
        XCTAssertEqual(vectors.count, 3)
        XCTAssertEqual(vectors.map(\.count), [384, 384, 384])
        XCTAssertEqual(vectors[0], vectors[2])
        XCTAssertNotEqual(vectors[0], vectors[1])
    }
}
