import Memory
import Store
import XCTest

final class VectorIndexTests: XCTestCase {
    /// Deterministic pseudo-random unit vectors.
    private func randomVectors(_ count: Int, dimension: Int, seed: UInt64) -> [[Float]] {
        var state = seed
        func next() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 1000
        }
        return (0..<count).map { _ in
            let vector = (0..<dimension).map { _ in next() }
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return vector.map { $0 / norm }
        }
    }

    func testFastPathFindsWhatBruteForceFinds() {
        let vectors = randomVectors(3000, dimension: 100, seed: 7)
        var index = VectorIndex(dimension: 100)
        for (offset, vector) in vectors.enumerated() {
            index.upsert(id: Int64(offset + 1), vector: vector, session: nil, source: nil, tags: [])
        }
        var overlap = 0
        for query in randomVectors(50, dimension: 100, seed: 99) {
            let fast = index.search(query, k: 10).map(\.id)
            let exact = index.exactSearch(query, k: 10).map(\.id)
            overlap += Set(fast).intersection(exact).count
        }
        XCTAssertGreaterThanOrEqual(Double(overlap) / 500, 0.98)
    }

    func testScoresAreExactCosinesAndTheVectorItselfComesFirst() {
        let vectors = randomVectors(200, dimension: 64, seed: 3)
        var index = VectorIndex(dimension: 64)
        for (offset, vector) in vectors.enumerated() {
            index.upsert(id: Int64(offset), vector: vector, session: nil, source: nil, tags: [])
        }
        let hits = index.search(vectors[42], k: 3)
        XCTAssertEqual(hits.first?.id, 42)
        XCTAssertEqual(hits.first?.score ?? 0, 1, accuracy: 1e-5)
        let expected = zip(vectors[42], vectors[Int(hits[1].id)]).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        XCTAssertEqual(hits[1].score, expected, accuracy: 1e-5)
    }

    func testRemovingKeepsEveryOtherVectorFindable() {
        let vectors = randomVectors(100, dimension: 32, seed: 11)
        var index = VectorIndex(dimension: 32)
        for (offset, vector) in vectors.enumerated() {
            index.upsert(id: Int64(offset), vector: vector, session: nil, source: nil, tags: [])
        }
        for id in stride(from: 0, to: 100, by: 3) { XCTAssertTrue(index.remove(id: Int64(id))) }
        XCTAssertFalse(index.remove(id: 0))
        XCTAssertEqual(index.count, 66)
        for (offset, vector) in vectors.enumerated() {
            let top = index.search(vector, k: 1).first
            if offset % 3 == 0 {
                XCTAssertNotEqual(top?.id, Int64(offset))
            } else {
                XCTAssertEqual(top?.id, Int64(offset))
            }
        }
    }

    func testFiltersBySessionSourceAndTags() {
        let vectors = randomVectors(4, dimension: 16, seed: 5)
        var index = VectorIndex(dimension: 16)
        index.upsert(id: 1, vector: vectors[0], session: nil, source: "a.txt", tags: ["x"])
        index.upsert(id: 2, vector: vectors[1], session: "alice", source: "b.txt", tags: ["x", "y"])
        index.upsert(id: 3, vector: vectors[2], session: "bob", source: "a.txt", tags: ["y"])
        index.upsert(id: 4, vector: vectors[3], session: nil, source: nil, tags: [])
        func ids(_ filter: FactFilter) -> Set<Int64> { Set(index.search(vectors[0], k: 10, filter: filter).map(\.id)) }
        XCTAssertEqual(ids(FactFilter()), [1, 4])
        XCTAssertEqual(ids(FactFilter(session: "alice")), [1, 2, 4])
        XCTAssertEqual(ids(FactFilter(session: "carol")), [1, 4])
        XCTAssertEqual(ids(FactFilter(session: "bob", source: "a.txt")), [1, 3])
        XCTAssertEqual(ids(FactFilter(session: "alice", tags: ["x", "y"])), [2])
        XCTAssertEqual(ids(FactFilter(tags: ["nope"])), [])
        XCTAssertEqual(
            Set(index.exactSearch(vectors[0], k: 10, filter: FactFilter(session: "bob")).map(\.id)), [1, 3, 4])
    }
}
