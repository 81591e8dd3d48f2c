import Foundation
import Providers
import XCTest

/// The embeddings client against OpenAI's documented response shape.
final class EmbeddingClientTests: XCTestCase {
    func testVectorsComeBackInInputOrderWhateverTheResponseOrder() async throws {
        let body = """
            {"object":"list","data":[{"object":"embedding","index":1,"embedding":[0.5,-1]},\
            {"object":"embedding","index":0,"embedding":[0.25,2]}],"model":"text-embedding-3-small",\
            "usage":{"prompt_tokens":4,"total_tokens":4}}
            """
        let server = try FakeServer { _ in Respond.json(body) }
        defer { server.stop() }
        let client = HTTPClient()
        defer { client.shutdown() }
        let embedder = EmbeddingClient(
            endpoint: fakeEndpoint(.openAI, server: server, model: "text-embedding-3-small", key: "sk-e"),
            client: client)
        let vectors = try await embedder.embed(["first", "second"])
        XCTAssertEqual(vectors, [[0.25, 2], [0.5, -1]])
        let sent = try XCTUnwrap(server.requests.first)
        XCTAssertEqual(sent.target, "/v1/embeddings")
        XCTAssertEqual(sent.json["input"] as? [String], ["first", "second"])
        XCTAssertEqual(sent.header("authorization"), "Bearer sk-e")
    }

    func testAMissingVectorIsAMalformedResponse() async throws {
        let server = try FakeServer { _ in Respond.json(#"{"object":"list","data":[{"index":0,"embedding":[1]}]}"#) }
        defer { server.stop() }
        let client = HTTPClient()
        defer { client.shutdown() }
        let embedder = EmbeddingClient(endpoint: fakeEndpoint(.openAICompatible, server: server), client: client)
        let error = await providerError { try await embedder.embed(["a", "b"]) }
        XCTAssertEqual(error?.code, .malformedResponse)
    }
}
