import Prolog
import Skills
import XCTest

/// The logic skill: Prolog queries against loaded programs, English puzzles with their proofs, and abstaining.
final class LogicSkillTests: XCTestCase {
    private func ask(_ prompt: String, library: LogicLibrary? = nil) async throws -> SkillAnswer? {
        let skill = LogicSkill(library: try library ?? LogicLibrary(storage: nil))
        guard let claim = skill.claim(Question(prompt: prompt)) else { return nil }
        XCTAssertEqual(claim.confidence, 1.0)
        return try await claim.resolve()
    }

    private func working(_ answer: SkillAnswer?) -> [String] {
        answer?.details["working"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    func testSyllogismIsAnsweredWithItsSteps() async throws {
        let answer = try await ask("All men are mortal. Socrates is a man. Is Socrates mortal?")
        XCTAssertEqual(answer?.answer, "yes")
        XCTAssertEqual(answer?.skill, "logic")
        XCTAssertEqual(
            working(answer),
            ["Given: Socrates is a man.", "Socrates is a man, and every man is mortal, so Socrates is mortal."])
        XCTAssertTrue(answer?.text.contains("So the answer is yes") ?? false, answer?.text ?? "")
    }

    func testChainedCategoriesAndNegation() async throws {
        let chained = try await ask("Every cat is a mammal. All mammals are animals. Tom is a cat. Is Tom an animal?")
        XCTAssertEqual(chained?.answer, "yes")
        XCTAssertEqual(working(chained).count, 3)
        let negated = try await ask("No reptile is a mammal. Rex is a reptile. Is Rex a mammal?")
        XCTAssertEqual(negated?.answer, "no")
        XCTAssertTrue(working(negated).contains { $0.contains("so Rex is not a mammal") }, "\(working(negated))")
        let unknown = try await ask("Socrates is a man. Is Socrates happy?")
        XCTAssertEqual(unknown?.answer, "unknown")
        let who = try await ask("All men are mortal. Socrates is a man. Plato is a man. Who is mortal?")
        XCTAssertEqual(who?.answer, "Socrates, Plato")
    }

    func testKinshipQuestionsUseTheRuleBase() async throws {
        let grandmother = try await ask(
            "If Alice is Bob's mother and Bob is Carol's father, who is Carol's grandmother?")
        XCTAssertEqual(grandmother?.answer, "Alice")
        XCTAssertTrue(working(grandmother).contains("Given: Alice is a parent of Bob."), "\(working(grandmother))")
        XCTAssertTrue(
            working(grandmother).contains(
                "Alice is Carol's grandparent and Alice is female, so Alice is Carol's grandmother.")
                || working(grandmother).contains { $0.hasSuffix("so Alice is Carol's grandmother.") },
            "\(working(grandmother))")
        let siblings = try await ask(
            "Tom is Ann's father. Tom is Bob's father. Bob is male. Who is Ann's brother?")
        XCTAssertEqual(siblings?.answer, "Bob")
        let yesNo = try await ask("Mary is the mother of John. John is Kate's father. Is Mary Kate's grandmother?")
        XCTAssertEqual(yesNo?.answer, "yes")
        let nobody = try await ask("Mary is the mother of John. Who is John's father?")
        XCTAssertEqual(nobody?.answer, "nobody")
    }

    func testComparativesAreTransitive() async throws {
        let facts = "Tom is taller than Ann. Ann is taller than Bob."
        let tallest = try await ask(facts + " Who is the tallest?")
        XCTAssertEqual(tallest?.answer, "Tom")
        XCTAssertTrue(working(tallest).contains("Given: Tom is taller than Ann."), "\(working(tallest))")
        XCTAssertTrue(working(tallest).contains { $0.hasSuffix("so Tom is taller than Bob.") }, "\(working(tallest))")
        let shortest = try await ask(facts + " Who is the shortest?")
        XCTAssertEqual(shortest?.answer, "Bob")
        let compared = try await ask(facts + " Is Bob taller than Tom?")
        XCTAssertEqual(compared?.answer, "no")
        let antonym = try await ask("Kim is younger than Lee. Lee is younger than Max. Who is the oldest?")
        XCTAssertEqual(antonym?.answer, "Max")
    }

    func testAbstainsOnWhatItCannotTranslate() async throws {
        for prompt in [
            "Is the economy doing well?", "What is 2 + 2?", "All men are mortal.", "Tell me a story about Socrates.",
            "Some cats are black. Is Tom black?", "Socrates is a man. Why is Socrates sad?",
        ] {
            let answer = try await ask(prompt)
            XCTAssertNil(answer, "should pass on: \(prompt) (got \(answer?.answer ?? ""))")
        }
    }

    func testPrologQueryRunsAgainstTheLoadedPrograms() async throws {
        let library = try LogicLibrary(storage: nil)
        try library.consult(
            name: "family",
            text: """
                parent(tom, bob). parent(bob, ann). parent(bob, pat).
                grandparent(X, Z) :- parent(X, Y), parent(Y, Z).
                """)
        let answer = try await ask("?- grandparent(tom, X).", library: library)
        XCTAssertEqual(answer?.answer, "ann, pat")
        XCTAssertEqual(working(answer), ["X = ann", "X = pat"])
        let yes = try await ask("?- parent(tom, bob).", library: library)
        XCTAssertEqual(yes?.answer, "yes")
        let no = try await ask("?- parent(ann, tom).", library: library)
        XCTAssertEqual(no?.answer, "no")
        let error = try await ask("?- parent(tom, X", library: library)
        XCTAssertTrue(error?.answer.hasPrefix("error:") ?? false, error?.answer ?? "")
    }
}
