/// A factual question reduced to what it asks: the `relation` of `subject`.
public struct FactualQuestion: Sendable, Equatable, Hashable {
    /// The canonical relation ("capital", "write", "born", "population").
    public var relation: String
    /// The subject as matched ("france", "hamlet").
    public var subject: String

    /// Makes a question from already canonical parts.
    public init(relation: String, subject: String) {
        self.relation = relation
        self.subject = subject
    }
}

/// Recognises the factual question forms the knowledge skill answers, the whole question or nothing:
/// "What is the capital of France?", "Who was the first president of the United States?", "What is France's
/// population?", "Who wrote Hamlet?", "When was Ada Lovelace born?", "Where was Ada Lovelace born?", "When did
/// Alan Turing die?", "How many people live in France?", and bare "capital of France" / "France's capital".
public enum QuestionParser {
    /// The question's relation and subject, or nil when it is not one of the recognised forms.
    public static func parse(_ question: String) -> FactualQuestion? {
        var text = question.trimmingSpaces()
        while let last = text.last, "?.!".contains(last) { text.removeLast() }
        let words = SentenceWords(Substring(text))
        var lower = words.lower
        guard !lower.isEmpty, lower.count <= 24 else { return nil }
        expandContraction(&lower)
        for prefix in [["tell", "me"], ["do", "you", "know"], ["please", "tell", "me"], ["name"], ["give", "me"]]
        where lower.starts(with: prefix) {
            lower.removeFirst(prefix.count)
            break
        }
        let span: Span = { range in lower[range].joined(separator: " ") }
        return lifeEvent(lower, span) ?? population(lower, span) ?? verb(lower, span) ?? copular(lower, span)
            ?? bare(lower, span)
    }

    private typealias Span = (Range<Int>) -> String

    /// "what's" → "what is", "who's" → "who is".
    private static func expandContraction(_ lower: inout [String]) {
        if let first = lower.first, ["what's", "whats", "who's", "whos", "what’s", "who’s"].contains(first) {
            lower.replaceSubrange(0..<1, with: [first.hasPrefix("what") ? "what" : "who", "is"])
        }
    }

    /// "What/Who/Which (noun) is/was the R of S", "What is S's R".
    private static func copular(_ lower: [String], _ span: Span) -> FactualQuestion? {
        guard let first = lower.first, ["what", "who", "which"].contains(first) else { return nil }
        var copula = 1
        if first == "which", lower.count > 2, !RelationVocabulary.copulas.contains(lower[1]) { copula = 2 }
        guard copula < lower.count, RelationVocabulary.copulas.contains(lower[copula]) else { return nil }
        return relationOfSubject(lower, from: copula + 1, span)
    }

    /// "the R of S", "R of S", "S's R" from `start` to the end.
    private static func relationOfSubject(_ lower: [String], from start: Int, _ span: Span) -> FactualQuestion? {
        guard start < lower.count else { return nil }
        var begin = start
        if lower[begin] == "the" { begin += 1 }
        if let of = lower[begin...].firstIndex(of: "of"), of > begin, of - begin <= 4, of + 1 < lower.count {
            let relation = lower[begin..<of].joined(separator: " ")
            return make(relation: relation, subject: span((of + 1)..<lower.count))
        }
        if let owner = lower[start...].firstIndex(where: { $0.hasSuffix("'s") || $0.hasSuffix("’s") }),
            owner + 1 < lower.count, lower.count - owner - 1 <= 4
        {
            let relation = lower[(owner + 1)...].joined(separator: " ")
            return make(relation: relation, subject: span(start..<(owner + 1)))
        }
        return nil
    }

    /// "Who V S" with V in the past tense.
    private static func verb(_ lower: [String], _ span: Span) -> FactualQuestion? {
        guard lower.count >= 3, lower[0] == "who", RelationVocabulary.isPastVerb(lower[1]) else { return nil }
        return make(relation: RelationVocabulary.canonical(lower[1]), subject: span(2..<lower.count), canonical: true)
    }

    /// "When/Where was S born", "In what year was S born", "When/Where did S die".
    private static func lifeEvent(_ lower: [String], _ span: Span) -> FactualQuestion? {
        var words = lower[...]
        if words.starts(with: ["in", "what", "year"]) || words.starts(with: ["what", "year"]) {
            words = ["when"] + words.drop(while: { $0 != "year" }).dropFirst()
        }
        guard let first = words.first, first == "when" || first == "where", words.count >= 4 else { return nil }
        let offset = lower.count - words.count
        let second = words[words.startIndex + 1], last = words[words.endIndex - 1]
        let subject = (offset + 2)..<(lower.count - 1)
        if ["was", "is"].contains(second), last == "born" {
            return make(relation: first == "when" ? "born" : "birthplace", subject: span(subject), canonical: true)
        }
        if second == "did", last == "die" {
            return make(relation: first == "when" ? "died" : "deathplace", subject: span(subject), canonical: true)
        }
        return nil
    }

    /// "How many people live in S", "What is the population of S" (the latter through `copular`).
    private static func population(_ lower: [String], _ span: Span) -> FactualQuestion? {
        let prefix = ["how", "many", "people", "live", "in"]
        guard lower.count > prefix.count, lower.starts(with: prefix) else { return nil }
        return make(relation: "population", subject: span(prefix.count..<lower.count), canonical: true)
    }

    /// "capital of France", "the capital of France", "France's capital".
    private static func bare(_ lower: [String], _ span: Span) -> FactualQuestion? {
        guard let first = lower.first, !["what", "who", "which", "when", "where", "how", "why"].contains(first) else {
            return nil
        }
        return relationOfSubject(lower, from: 0, span)
    }

    private static func make(relation: String, subject: String, canonical: Bool = false) -> FactualQuestion? {
        let relationWords = relation.split(separator: " ")
        guard !relationWords.isEmpty, relationWords.count <= 4,
            relationWords.allSatisfy({ $0.allSatisfy { $0.isLetter || $0 == "-" } }),
            !relationWords.contains(where: { RelationVocabulary.copulas.contains(String($0)) })
        else { return nil }
        let key = RelationVocabulary.subjectKey(subject)
        guard !key.isEmpty, key.split(separator: " ").count <= 10 else { return nil }
        return FactualQuestion(relation: canonical ? relation : RelationVocabulary.canonical(relation), subject: key)
    }
}
