import JSON
import Memory

/// Factual questions answered from stored facts, no LLM: "What is the capital of France?" → "Paris" once a fact
/// says so. It claims only questions of a recognised form ("the R of S", "S's R", "who wrote S", "when was S born",
/// ...) whose stored answers agree (``MemoryStore/knowledgeAnswer(to:session:)``), and passes everything else on.
/// Claiming is a parse and a dictionary lookup: no I/O.
public struct KnowledgeSkill: Skill {
    public let name = "knowledge"
    private let store: MemoryStore

    /// Creates the skill over a fact store.
    public init(store: MemoryStore) {
        self.store = store
    }

    public func claim(_ question: Question) -> Claim? {
        guard let found = store.knowledgeAnswer(to: question.prompt, session: question.session) else { return nil }
        let text = found.source.map { "\(found.sentence) (source: \($0))" } ?? found.sentence
        var details = JSONObject()
        details["sources"] = .array(found.sources.map { .string($0) })
        details["fact_ids"] = .array(found.supportingFacts.map { JSONValue($0) })
        if found.dissenting > 0 { details["dissenting_facts"] = JSONValue(found.dissenting) }
        return .answered(
            SkillAnswer(
                text: text, answer: found.answer, skill: name, confidence: found.confidence, details: details))
    }
}
