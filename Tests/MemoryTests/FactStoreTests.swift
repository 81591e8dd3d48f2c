import Memory
import Store
import XCTest

final class FactStoreTests: XCTestCase {
    var folder: TestFolder!

    override func setUpWithError() throws { folder = try TestFolder(name) }
    override func tearDown() { folder.remove() }

    private func cosine(_ a: String, _ b: String) -> Float {
        let embedder = HashingEmbedder(dimension: 256)
        return zip(embedder.vector(for: a), embedder.vector(for: b)).reduce(0) { $0 + $1.0 * $1.1 }
    }

    func testSameTextIsStoredOnceAndMergesTags() async throws {
        let store = try folder.openStore()
        let first = try await store.add(
            NewFact(text: "The capital of France is Paris.", source: "atlas", tags: ["geo"]))
        XCTAssertFalse(first.deduplicated)
        let before = try XCTUnwrap(store.fact(id: first.id))
        try await Task.sleep(for: .milliseconds(5))
        let again = try await store.add(NewFact(text: "  the capital of FRANCE is   Paris ", tags: ["europe"]))
        XCTAssertEqual(again, AddOutcome(id: first.id, kind: .sameText))
        XCTAssertTrue(again.deduplicated)
        XCTAssertEqual(try store.count(), 1)
        let after = try XCTUnwrap(store.fact(id: first.id))
        XCTAssertEqual(after.tags, ["geo", "europe"])
        XCTAssertEqual(after.source, "atlas")
        XCTAssertEqual(after.text, "The capital of France is Paris.")
        XCTAssertGreaterThan(after.updatedAtMillis, before.updatedAtMillis)
        XCTAssertEqual(after.createdAtMillis, before.createdAtMillis)
    }

    func testNearDuplicateUpdatesTheExistingFact() async throws {
        let original = "The Eiffel Tower in Paris was completed in 1889 for the World's Fair and is 330 metres tall."
        let revised = "The Eiffel Tower in Paris was completed in 1889 for the World's Fair, and is 330 metres tall!!"
        let different = "The Louvre in Paris is the most visited art museum in the world."
        XCTAssertGreaterThanOrEqual(cosine(original, revised), 0.95)
        XCTAssertLessThan(cosine(original, different), 0.95)
        XCTAssertNotEqual(FactText.normalized(original), FactText.normalized(revised))

        let store = try folder.openStore()
        let first = try await store.add(NewFact(text: original, source: "guide", tags: ["paris"]))
        let second = try await store.add(NewFact(text: revised, tags: ["landmarks"]))
        XCTAssertEqual(second.id, first.id)
        guard case .nearDuplicate(let similarity) = second.kind else {
            return XCTFail("expected a near duplicate, got \(second.kind)")
        }
        XCTAssertGreaterThanOrEqual(similarity, 0.95)
        let stored = try XCTUnwrap(store.fact(id: first.id))
        XCTAssertEqual(stored.text, revised)
        XCTAssertEqual(stored.tags, ["paris", "landmarks"])
        XCTAssertEqual(stored.source, "guide")
        let third = try await store.add(NewFact(text: different))
        XCTAssertEqual(third.kind, .inserted)
        XCTAssertEqual(try store.count(), 2)
        // The replaced text is what text search finds now.
        let hits = try await store.search("World's Fair metres", k: 1)
        XCTAssertEqual(hits.first?.fact.text, revised)
    }

    func testNearDuplicateDetectionCanBeTurnedOffAndRespectsScope() async throws {
        let a = "The Eiffel Tower in Paris was completed in 1889 for the World's Fair and is 330 metres tall."
        let b = "The Eiffel Tower in Paris was completed in 1889 for the World's Fair, and is 330 metres tall!!"
        let off = try folder.openStore(options: MemoryOptions(nearDuplicateThreshold: 1.01))
        _ = try await off.add(NewFact(text: a))
        let second = try await off.add(NewFact(text: b))
        XCTAssertEqual(second.kind, .inserted)
        // A session's fact is not merged into a global one, nor the same text across scopes.
        let scoped = try await off.add(NewFact(text: a, session: "alice"))
        XCTAssertEqual(scoped.kind, .inserted)
        XCTAssertEqual(try off.count(), 3)
    }

    func testForgetByIdTagSourceAndSession() async throws {
        let store = try folder.openStore()
        let outcomes = try await store.add([
            NewFact(text: "Mercury is the closest planet to the Sun.", source: "planets.txt", tags: ["space"]),
            NewFact(text: "Venus is the hottest planet.", source: "planets.txt", tags: ["space", "hot"]),
            NewFact(text: "Bananas are berries.", source: "fruit.txt", tags: ["food"]),
            NewFact(text: "Kiwis are rich in vitamin C.", source: "fruit.txt", tags: ["food"]),
            NewFact(text: "My parking spot is B12.", tags: ["personal"], session: "alice"),
            NewFact(text: "My locker code is 4471.", session: "alice"),
        ])
        XCTAssertEqual(outcomes.map(\.kind), Array(repeating: .inserted, count: 6))
        XCTAssertEqual(try store.forget(.id(outcomes[2].id)), 1)
        XCTAssertEqual(try store.forget(.id(outcomes[2].id)), 0)
        XCTAssertEqual(try store.forget(.tag("hot")), 1)
        XCTAssertEqual(try store.forget(.tag("ho")), 0)
        XCTAssertEqual(try store.forget(.source("fruit.txt")), 1)
        XCTAssertEqual(try store.forget(.session("alice")), 2)
        XCTAssertEqual(try store.count(), 1)
        XCTAssertEqual(store.vectorCount, 1)
        let everything = try await store.search(
            "planet berries kiwis vitamin parking locker", k: 10,
            filter: FactFilter(session: "alice"))
        XCTAssertEqual(everything.map(\.fact.id), [outcomes[0].id])
    }

    func testFactsPersistAcrossRestart() async throws {
        var store: MemoryStore? = try folder.openStore()
        let id = try await store!.add(NewFact(text: "Ada Lovelace wrote the first published algorithm.", source: "bio"))
            .id
        _ = try await store!.add(NewFact(text: "The Analytical Engine was designed by Charles Babbage."))
        store = nil
        let reopened = try folder.openStore()
        XCTAssertEqual(try reopened.count(), 2)
        XCTAssertEqual(reopened.vectorCount, 2)
        let hits = try await reopened.search("Who wrote the first algorithm?", k: 1)
        XCTAssertEqual(hits.first?.fact.id, id)
        XCTAssertEqual(hits.first?.fact.source, "bio")
        let again = try await reopened.add(NewFact(text: "Ada Lovelace wrote the first published algorithm"))
        XCTAssertEqual(again.kind, .sameText)
        XCTAssertEqual(reopened.knowledgeAnswer(to: "Who designed the Analytical Engine?")?.answer, "Charles Babbage")
    }

    func testSessionFactsAreVisibleOnlyToTheirSession() async throws {
        let store = try folder.openStore()
        _ = try await store.add(NewFact(text: "Alice's favourite colour is green.", session: "alice"))
        _ = try await store.add(NewFact(text: "Bob's favourite colour is orange.", session: "bob"))
        _ = try await store.add(NewFact(text: "The favourite colour of most people is blue."))
        let alice = try await store.search("favourite colour", k: 10, filter: FactFilter(session: "alice"))
        XCTAssertEqual(
            Set(alice.map(\.fact.text)),
            [
                "Alice's favourite colour is green.",
                "The favourite colour of most people is blue.",
            ])
        let nobody = try await store.search("favourite colour", k: 10)
        XCTAssertEqual(nobody.map(\.fact.text), ["The favourite colour of most people is blue."])
        XCTAssertEqual(
            store.knowledgeAnswer(to: "What is Alice's favourite colour?", session: "alice")?.answer, "green")
        XCTAssertNil(store.knowledgeAnswer(to: "What is Alice's favourite colour?", session: "bob"))
        XCTAssertNil(store.knowledgeAnswer(to: "What is Alice's favourite colour?"))
    }

    func testBadFactsAreRejectedNamingTheField() async throws {
        let store = try folder.openStore(options: MemoryOptions(maxTextBytes: 100))
        let cases: [(NewFact, String)] = [
            (NewFact(text: "   "), "'text' is empty"),
            (NewFact(text: String(repeating: "a", count: 101)), "'text' has 101 bytes"),
            (NewFact(text: "ok", source: ""), "'source' must not be empty"),
            (NewFact(text: "ok", tags: ["fine", "bad\ntag"]), "'tags' must not contain control characters"),
            (NewFact(text: "ok", session: ""), "'session' must not be empty"),
        ]
        for (fact, message) in cases {
            do {
                _ = try await store.add(fact)
                XCTFail("accepted \(fact)")
            } catch let error as MemoryError {
                XCTAssertEqual(error.code, .invalidFact)
                XCTAssertTrue(error.message.contains(message), error.message)
            }
        }
        do {
            _ = try await store.add([NewFact(text: "fine"), NewFact(text: "")])
            XCTFail("accepted an empty second fact")
        } catch let error as MemoryError {
            XCTAssertTrue(error.message.hasPrefix("fact 1:"), error.message)
        }
        XCTAssertEqual(try store.count(), 0)
    }

    func testAnotherProcessesWritesAreSeenAfterSynchronizing() async throws {
        let daemon = try folder.openStore()
        let importer = try folder.openStore()
        let id = try await importer.add(NewFact(text: "The capital of Peru is Lima.", source: "capitals.jsonl")).id
        XCTAssertNil(daemon.knowledgeAnswer(to: "What is the capital of Peru?"))
        XCTAssertEqual(try daemon.synchronize(), 1)
        XCTAssertEqual(daemon.knowledgeAnswer(to: "What is the capital of Peru?")?.answer, "Lima")
        XCTAssertEqual(daemon.vectorCount, 1)
        // Searching synchronizes by itself.
        XCTAssertEqual(try importer.forget(.id(id)), 1)
        let hits = try await daemon.search("capital of Peru", k: 5)
        XCTAssertTrue(hits.isEmpty)
        XCTAssertNil(daemon.knowledgeAnswer(to: "What is the capital of Peru?"))
        // A writer that fell behind catches up before it writes, so dedupe sees the other process's facts.
        _ = try await importer.add(NewFact(text: "The capital of Chile is Santiago."))
        let chile = try await daemon.add(NewFact(text: "the capital of chile is santiago"))
        XCTAssertEqual(chile.kind, .sameText)
    }

    func testVectorsFromAnotherEmbedderAreRebuiltByReembed() async throws {
        let old = try folder.openStore(dimension: 128)
        _ = try await old.add([
            NewFact(text: "Otters hold hands while sleeping."), NewFact(text: "Koalas sleep 20 hours a day."),
        ])
        let current = try folder.openStore(dimension: 256)
        XCTAssertEqual(try current.otherEmbedderCount(), 2)
        XCTAssertEqual(current.vectorCount, 0)
        // Text search still finds them meanwhile.
        let before = try await current.search("otters sleeping", k: 1)
        XCTAssertEqual(before.first?.fact.text, "Otters hold hands while sleeping.")
        XCTAssertNil(before.first?.similarity)
        var progress: [Int] = []
        let reembedded = try await current.reembed { done, _ in progress.append(done) }
        XCTAssertEqual(reembedded, 2)
        XCTAssertEqual(progress.last, 2)
        XCTAssertEqual(try current.otherEmbedderCount(), 0)
        XCTAssertEqual(current.vectorCount, 2)
        let after = try await current.search("koala", k: 1)
        XCTAssertEqual(after.first?.fact.text, "Koalas sleep 20 hours a day.")
        XCTAssertNotNil(after.first?.similarity)
        XCTAssertEqual(try folder.openStore(dimension: 256).vectorCount, 2)
    }
}
