import JSON
import Memory
import Skills
import Store
import XCTest

/// The knowledge skill answering from stored facts, and abstaining when it must.
final class KnowledgeTests: XCTestCase {
    var folder: TestFolder!
    var store: MemoryStore!

    override func setUp() async throws {
        folder = try TestFolder(name)
        store = try folder.openStore()
        _ = try await store.add([
            NewFact(text: "The capital of France is Paris.", source: "capitals.jsonl"),
            NewFact(text: "Canberra is the capital of Australia.", source: "capitals.jsonl"),
            NewFact(text: "Japan's capital is Tokyo.", source: "capitals.jsonl"),
            NewFact(text: "Kenya (capital: Nairobi; currency: Kenyan shilling)", source: "atlas"),
            NewFact(text: "Germany has a population of 84 million.", source: "census"),
            NewFact(text: "Paris is the capital and largest city of France. It lies on the Seine.", source: "atlas"),
            NewFact(text: "Hamlet was written by William Shakespeare around 1600.", source: "plays"),
            NewFact(text: "Marie Curie discovered polonium in 1898.", source: "science"),
            NewFact(text: "Ada Lovelace was born on 10 December 1815 in London.", source: "bio"),
            NewFact(text: "Alan Turing (23 June 1912 – 7 June 1954) was a mathematician.", source: "bio"),
            NewFact(text: "The first president of the United States was George Washington.", source: "history"),
        ])
    }

    override func tearDown() { folder.remove() }

    func testAnswersRecognisedQuestionFormsWithTheirSource() {
        let expectations: [(String, String)] = [
            ("What is the capital of France?", "Paris"),
            ("what's the capital of france", "Paris"),
            ("Tell me the capital of France.", "Paris"),
            ("capital of France", "Paris"),
            ("France's capital?", "Paris"),
            ("What is the capital of Australia?", "Canberra"),
            ("What is Japan's capital?", "Tokyo"),
            ("What is the currency of Kenya?", "Kenyan shilling"),
            ("What is the population of Germany?", "84 million"),
            ("How many people live in Germany?", "84 million"),
            ("What is the largest city of France?", "Paris"),
            ("Who wrote Hamlet?", "William Shakespeare"),
            ("Who is the author of Hamlet?", "William Shakespeare"),
            ("Who discovered polonium?", "Marie Curie"),
            ("When was Ada Lovelace born?", "10 December 1815"),
            ("Where was Ada Lovelace born?", "London"),
            ("In what year was Alan Turing born?", "23 June 1912"),
            ("When did Alan Turing die?", "7 June 1954"),
            ("Who was the first president of the United States?", "George Washington"),
        ]
        for (question, answer) in expectations {
            let found = store.knowledgeAnswer(to: question)
            XCTAssertEqual(found?.answer, answer, question)
            XCTAssertEqual(found?.confidence, 1.0, question)
        }
        let paris = store.knowledgeAnswer(to: "What is the capital of France?")
        XCTAssertEqual(paris?.sources, ["atlas", "capitals.jsonl"])
        XCTAssertEqual(paris?.supportingFacts.count, 2)
    }

    func testAbstainsWhenNoStoredFactAnswers() {
        let unanswerable = [
            "What is the capital of Atlantis?",  // unknown subject
            "What is the population of France?",  // a relation no fact states for France
            "What is the capital of Germany?",  // Germany is known, its capital is not
            "Who wrote Macbeth?",
            "When was Marie Curie born?",
            "Who painted Hamlet?",  // a different relation of a known subject
            "What is the capital of France and why?",  // more than the recognised form
            "Is Paris the capital of France?",
            "Tell me a joke",
            "What is 2 + 2?",
            "",
        ]
        for question in unanswerable {
            XCTAssertNil(store.knowledgeAnswer(to: question), question)
        }
    }

    func testAbstainsOnDisagreementAndAcceptsAClearMajority() async throws {
        _ = try await store.add([
            NewFact(text: "The capital of Bolivia is Sucre.", source: "a"),
            NewFact(text: "The capital of Bolivia is La Paz.", source: "b"),
        ])
        XCTAssertNil(store.knowledgeAnswer(to: "What is the capital of Bolivia?"))
        _ = try await store.add([
            NewFact(text: "Sucre is the capital of Bolivia.", source: "c"),
            NewFact(text: "Bolivia's capital is Sucre.", source: "d"),
            NewFact(text: "Bolivia (capital: Sucre)", source: "e"),
        ])
        let majority = try XCTUnwrap(store.knowledgeAnswer(to: "What is the capital of Bolivia?"))
        XCTAssertEqual(majority.answer, "Sucre")
        XCTAssertEqual(majority.confidence, 0.9)
        XCTAssertEqual(majority.dissenting, 1)
    }

    func testForgettingAFactRemovesItsAnswer() throws {
        XCTAssertEqual(try store.forget(.source("plays")), 1)
        XCTAssertNil(store.knowledgeAnswer(to: "Who wrote Hamlet?"))
        XCTAssertEqual(try store.forget(.source("capitals.jsonl")), 3)
        let left = store.knowledgeAnswer(to: "What is the capital of France?")
        XCTAssertEqual(left?.sources, ["atlas"])
    }

    func testSkillClaimsOnlyWhatTheStoreAnswers() throws {
        let skill = KnowledgeSkill(store: store)
        XCTAssertEqual(skill.name, "knowledge")
        let claim = try XCTUnwrap(skill.claim(Question(prompt: "What is the capital of Australia?")))
        let answer = try XCTUnwrap(claim.immediate)
        XCTAssertEqual(answer.answer, "Canberra")
        XCTAssertEqual(answer.text, "Canberra is the capital of Australia. (source: capitals.jsonl)")
        XCTAssertEqual(answer.skill, "knowledge")
        XCTAssertEqual(answer.confidence, 1.0)
        XCTAssertNil(answer.model)
        XCTAssertEqual(answer.details["sources"], ["capitals.jsonl"])
        XCTAssertEqual(answer.details["fact_ids"]?.arrayValue?.count, 1)
        XCTAssertNil(skill.claim(Question(prompt: "What is the capital of Atlantis?")))
        XCTAssertNil(skill.claim(Question(prompt: "Who painted the Mona Lisa?")))
    }

    func testQuestionParserReducesFormsToRelationAndSubject() {
        let cases: [(String, FactualQuestion?)] = [
            ("What is the capital of France?", FactualQuestion(relation: "capital", subject: "france")),
            ("Who wrote The Hobbit?", FactualQuestion(relation: "write", subject: "hobbit")),
            ("Who is the author of The Hobbit?", FactualQuestion(relation: "write", subject: "hobbit")),
            ("When was Ada Lovelace born?", FactualQuestion(relation: "born", subject: "ada lovelace")),
            ("Where did Ada Lovelace die?", FactualQuestion(relation: "deathplace", subject: "ada lovelace")),
            ("What is the capital city of Peru?", FactualQuestion(relation: "capital", subject: "peru")),
            ("How are you?", nil),
            ("Why is the sky blue?", nil),
        ]
        for (question, expected) in cases { XCTAssertEqual(QuestionParser.parse(question), expected, question) }
    }
}
