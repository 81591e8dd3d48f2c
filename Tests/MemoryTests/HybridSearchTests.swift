import Memory
import Store
import XCTest

/// Hybrid search on a small corpus whose right answers are known.
final class HybridSearchTests: XCTestCase {
    var folder: TestFolder!
    var store: MemoryStore!
    var ids: [String: Int64] = [:]

    let corpus: [(key: String, text: String, source: String, tags: [String])] = [
        (
            "eiffel", "The Eiffel Tower is 330 metres tall and stands on the Champ de Mars in Paris.", "paris.txt",
            ["landmark"]
        ),
        ("louvre", "The Louvre is the world's most visited art museum.", "paris.txt", ["museum"]),
        ("venus", "Venus is the hottest planet in the Solar System.", "planets.txt", ["space"]),
        ("mars", "Mars has the tallest volcano in the Solar System, Olympus Mons.", "planets.txt", ["space"]),
        (
            "photosynthesis", "Photosynthesis lets plants turn sunlight, water and carbon dioxide into sugar.",
            "biology.txt", ["science"]
        ),
        ("mitochondria", "Mitochondria produce most of the energy a cell uses.", "biology.txt", ["science"]),
        (
            "everest", "Mount Everest is the highest mountain above sea level, at 8,849 metres.", "geography.txt",
            ["landmark"]
        ),
        (
            "nile", "The Nile flows north through eleven countries into the Mediterranean Sea.", "geography.txt",
            ["river"]
        ),
        ("python", "Python is a programming language that emphasises readable code.", "computing.txt", ["software"]),
        (
            "sqlite", "SQLite is an embedded database engine that stores a whole database in one file.",
            "computing.txt", ["software"]
        ),
        ("honey", "Honey never spoils when it is sealed and kept dry.", "food.txt", ["food"]),
        ("coffee", "Coffee beans are the roasted seeds of a cherry-like fruit.", "food.txt", ["food"]),
    ]

    override func setUp() async throws {
        folder = try TestFolder(name)
        store = try folder.openStore()
        let outcomes = try await store.add(corpus.map { NewFact(text: $0.text, source: $0.source, tags: $0.tags) })
        for (entry, outcome) in zip(corpus, outcomes) { ids[entry.key] = outcome.id }
    }

    override func tearDown() { folder.remove() }

    private func top(_ query: String, k: Int = 3, filter: FactFilter = FactFilter()) async throws -> [String] {
        let hits = try await store.search(query, k: k, filter: filter)
        return hits.map { hit in ids.first { $0.value == hit.fact.id }!.key }
    }

    func testRightFactComesFirst() async throws {
        let expectations = [
            ("How tall is the Eiffel Tower?", "eiffel"),
            ("Which planet is the hottest?", "venus"),
            ("how do plants make sugar from sunlight", "photosynthesis"),
            ("what gives a cell its energy", "mitochondria"),
            ("highest mountain in the world", "everest"),
            ("river flowing into the Mediterranean", "nile"),
            ("a database kept in a single file", "sqlite"),
            ("does honey go bad", "honey"),
            ("biggest volcano", "mars"),
        ]
        for (query, expected) in expectations {
            let ranked = try await top(query)
            XCTAssertEqual(ranked.first, expected, "\(query) → \(ranked)")
        }
    }

    func testMisspelledQueryIsFoundThroughCharacterNgrams() async throws {
        // "hotest" and "plannet" match no indexed word, so only the vector side can find Venus.
        let hits = try await store.search("hotest plannet", k: 1)
        XCTAssertEqual(hits.first?.fact.id, ids["venus"])
        XCTAssertNil(hits.first?.bm25)
        XCTAssertNotNil(hits.first?.similarity)
    }

    func testHitsCarryFactSourceTagsAndBothScores() async throws {
        let hits = try await store.search("Eiffel Tower metres tall", k: 5)
        let first = try XCTUnwrap(hits.first)
        XCTAssertEqual(first.fact.id, ids["eiffel"])
        XCTAssertEqual(first.fact.source, "paris.txt")
        XCTAssertEqual(first.fact.tags, ["landmark"])
        XCTAssertGreaterThan(try XCTUnwrap(first.bm25), 0)
        XCTAssertGreaterThan(try XCTUnwrap(first.similarity), 0.3)
        // Found by both searches at rank 1: 2 / (60 + 1).
        XCTAssertEqual(first.score, 2.0 / 61, accuracy: 1e-9)
        XCTAssertEqual(hits.map(\.score), hits.map(\.score).sorted(by: >))
    }

    func testFiltersNarrowTheResults() async throws {
        let paris = try await top("Paris museum", k: 10)
        XCTAssertEqual(Set(paris), ["eiffel", "louvre"])
        let museums = try await top("Paris museum", k: 10, filter: FactFilter(tags: ["museum"]))
        XCTAssertEqual(museums, ["louvre"])
        let landmarks = try await top("metres", k: 10, filter: FactFilter(tags: ["landmark"]))
        XCTAssertEqual(Set(landmarks), ["eiffel", "everest"])
        let biology = try await top("plants cell energy", k: 10, filter: FactFilter(source: "biology.txt"))
        XCTAssertEqual(Set(biology), ["photosynthesis", "mitochondria"])
        let nowhere = try await top("plants cell energy", k: 10, filter: FactFilter(source: "nowhere.txt"))
        XCTAssertEqual(nowhere, [])
        let unrelated = try await top("quantum chromodynamics", k: 10)
        XCTAssertEqual(unrelated, [])
    }

    func testRelevantFactsForAPromptCarrySourcesAndLeaveOutUnrelatedOnes() async throws {
        let facts = try await store.relevantFacts(for: "Tell me about the Louvre museum", k: 5)
        XCTAssertEqual(facts.first?.fact.id, ids["louvre"])
        XCTAssertTrue(facts.allSatisfy { $0.bm25 != nil || ($0.similarity ?? 0) >= 0.35 })
        XCTAssertFalse(facts.contains { $0.fact.id == ids["coffee"] })
        let block = FactContext.promptBlock(facts)
        XCTAssertTrue(
            block.contains("[1] The Louvre is the world's most visited art museum. (source: paris.txt)"), block)
        XCTAssertEqual(FactContext.sources(facts).first, "paris.txt")
        let nothing = try await store.relevantFacts(for: "zyxwv qqq", k: 5)
        XCTAssertEqual(nothing.count, 0)
    }

    func testBadQueriesAreRejected() async throws {
        for (query, k) in [("  ", 5), ("venus", 0)] {
            do {
                _ = try await store.search(query, k: k)
                XCTFail("accepted query '\(query)' k \(k)")
            } catch let error as MemoryError {
                XCTAssertEqual(error.code, .invalidQuery)
            }
        }
        // FTS5 syntax in a query is taken literally.
        let hits = try await store.search("\"Venus\" OR NEAR(", k: 1)
        XCTAssertEqual(hits.first?.fact.id, ids["venus"])
    }
}
