import Memory
import Providers
import Store
import TestSupport
import XCTest

/// The `/v1/embeddings` path against a real llama.cpp server, and switching a store between embedders.
final class EndpointEmbedderTests: XCTestCase {
    nonisolated(unsafe) static var server: Result<LlamaServer, any Error>?  // set in class setUp, before any test
    var folder: TestFolder!
    var http: HTTPClient!

    override class func setUp() { server = Result { try LlamaServer() } }

    override class func tearDown() {
        if case .success(let running) = server { running.stop() }
        server = nil
    }

    override func setUpWithError() throws {
        folder = try TestFolder(name)
        http = HTTPClient()
    }

    override func tearDown() {
        http?.shutdown()
        folder?.remove()
    }

    private func embedder() async throws -> EndpointEmbedder {
        let running = try XCTUnwrap(Self.server).get()
        let endpoint = ModelEndpoint(
            name: "local", kind: .openAICompatible, baseURL: running.baseURL, model: "tiny", tier: .local)
        return try await EndpointEmbedder.connect(client: EmbeddingClient(endpoint: endpoint, client: http))
    }

    func testConnectLearnsTheDimensionAndEmbedsInOrder() async throws {
        let embedder = try await embedder()
        XCTAssertEqual(embedder.name, "endpoint:tiny")
        XCTAssertEqual(embedder.dimension, 384)
        let texts = (0..<70).map { "passage number \($0)" }
        let vectors = try await embedder.embed(texts)
        XCTAssertEqual(vectors.count, 70)
        XCTAssertTrue(vectors.allSatisfy { $0.count == 384 })
        let single = try await embedder.embed([texts[69]])
        XCTAssertEqual(single[0], vectors[69])
    }

    func testStoreSearchesWithServerVectorsAndReembedsWhenTheEmbedderChanges() async throws {
        let facts = [
            "The capital of France is Paris.", "Bananas are berries but strawberries are not.",
            "SQLite keeps a whole database in one file.",
        ]
        do {
            let hashing = try folder.openStore()
            _ = try await hashing.add(facts.map { NewFact(text: $0) })
        }
        let store = try MemoryStore(database: folder.openDatabase(), embedder: try await embedder())
        XCTAssertEqual(try store.otherEmbedderCount(), 3)
        XCTAssertEqual(store.vectorCount, 0)
        let reembedded = try await store.reembed()
        XCTAssertEqual(reembedded, 3)
        XCTAssertEqual(store.vectorCount, 3)
        XCTAssertEqual(try store.otherEmbedderCount(), 0)
        let stored = try XCTUnwrap(try store.fact(id: 2))
        XCTAssertEqual(stored.embedder, "endpoint:tiny")
        XCTAssertEqual(stored.dimension, 384)
        // The same text embeds to the same vector, so the vector side ranks it first.
        let vector = try await store.queryVector(facts[1])
        XCTAssertEqual(store.vectorSearch(vector, k: 1).first?.id, 2)
        XCTAssertEqual(store.vectorSearch(vector, k: 1).first?.score ?? 0, 1, accuracy: 1e-4)
        let added = try await store.add(NewFact(text: "Honey never spoils."))
        XCTAssertEqual(added.kind, .inserted)
        let hits = try await store.search("Honey never spoils", k: 1)
        XCTAssertEqual(hits.first?.fact.id, added.id)
    }
}
