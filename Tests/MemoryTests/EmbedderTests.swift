import Memory
import XCTest

final class EmbedderTests: XCTestCase {
    let embedder = HashingEmbedder(dimension: 256)

    private func cosine(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    func testVectorsAreDeterministicUnitLengthAndNamedByDimension() async throws {
        let first = try await embedder.embed(["The capital of France is Paris."])[0]
        let again = HashingEmbedder(dimension: 256).vector(for: "The capital of France is Paris.")
        XCTAssertEqual(first, again)
        XCTAssertEqual(first.count, 256)
        XCTAssertEqual(cosine(first, first), 1, accuracy: 1e-5)
        XCTAssertEqual(embedder.name, "hashing-v1-256")
        XCTAssertEqual(HashingEmbedder(dimension: 384).name, "hashing-v1-384")
    }

    func testCaseAndPunctuationDoNotMatterButWordsDo() {
        let base = embedder.vector(for: "The capital of France is Paris.")
        XCTAssertEqual(cosine(base, embedder.vector(for: "the CAPITAL of france is paris")), 1, accuracy: 1e-5)
        let related = cosine(base, embedder.vector(for: "Paris is the capital city of France"))
        let unrelated = cosine(base, embedder.vector(for: "Photosynthesis turns sunlight into sugar in leaves"))
        XCTAssertGreaterThan(related, 0.5)
        XCTAssertLessThan(unrelated, 0.2)
        XCTAssertGreaterThan(related, unrelated + 0.4)
    }

    func testCharacterNgramsMakeWordFormsClose() {
        let plural = cosine(embedder.vector(for: "capitals"), embedder.vector(for: "capital"))
        let other = cosine(embedder.vector(for: "capitals"), embedder.vector(for: "elephant"))
        XCTAssertGreaterThan(plural, 0.35)
        XCTAssertLessThan(other, 0.1)
    }

    func testEmptyAndSymbolOnlyTextGiveZeroVectors() async throws {
        let vectors = try await embedder.embed(["", "!!! ???"])
        XCTAssertEqual(vectors[0], [Float](repeating: 0, count: 256))
        XCTAssertEqual(vectors[1], [Float](repeating: 0, count: 256))
    }

    func testNonASCIIWordsAreLowercasedAndMatched() {
        let a = embedder.vector(for: "Zürich liegt in der Schweiz")
        let b = embedder.vector(for: "ZÜRICH LIEGT IN DER SCHWEIZ")
        XCTAssertEqual(cosine(a, b), 1, accuracy: 1e-5)
    }
}
