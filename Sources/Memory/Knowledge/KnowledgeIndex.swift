import Store

/// A stored fact's answer to a factual question.
public struct KnowledgeAnswer: Sendable, Equatable {
    /// The answer alone, as the fact writes it ("Paris").
    public var answer: String
    /// The sentence that states it ("The capital of France is Paris.").
    public var sentence: String
    /// The fact holding that sentence.
    public var factID: Int64
    /// That fact's source, if known.
    public var source: String?
    /// 1.0 when every stored fact on the question agrees; 0.9 when a clear majority does.
    public var confidence: Double
    /// Every fact giving this answer, newest first.
    public var supportingFacts: [Int64]
    /// Their distinct sources, in the same order.
    public var sources: [String]
    /// How many facts gave another answer.
    public var dissenting: Int
}

/// Relations extracted from every stored fact (``RelationExtractor``), keyed by (relation, subject), so a factual
/// question is answered by a dictionary lookup: no I/O, microseconds.
struct KnowledgeIndex: Sendable {
    struct Entry: Sendable {
        var factID: Int64
        var session: String?
        var answer: String
        var answerKey: String
        var sentence: String
        var source: String?
    }

    private var entries: [FactualQuestion: [Entry]] = [:]
    private var keysOfFact: [Int64: [FactualQuestion]] = [:]

    /// The number of (relation, subject) pairs known.
    var relationCount: Int { entries.count }

    /// Indexes the relations `fact` states, replacing what it stated before.
    mutating func update(_ fact: StoredFact) {
        remove(id: fact.id)
        var keys: [FactualQuestion] = []
        for (relation, sentence) in RelationExtractor.relations(in: fact.text) {
            let key = FactualQuestion(relation: relation.relation, subject: relation.subject)
            let entry = Entry(
                factID: fact.id, session: fact.session, answer: relation.answer,
                answerKey: RelationVocabulary.subjectKey(relation.answer), sentence: String(sentence),
                source: fact.source)
            if entries[key]?.contains(where: { $0.factID == fact.id && $0.answerKey == entry.answerKey }) ?? false {
                continue
            }
            entries[key, default: []].append(entry)
            if !keys.contains(key) { keys.append(key) }
        }
        if !keys.isEmpty { keysOfFact[fact.id] = keys }
    }

    /// Forgets what fact `id` stated.
    mutating func remove(id: Int64) {
        guard let keys = keysOfFact.removeValue(forKey: id) else { return }
        for key in keys {
            entries[key]?.removeAll { $0.factID == id }
            if entries[key]?.isEmpty ?? false { entries[key] = nil }
        }
    }

    /// The answer the facts visible to `session` (global ones and its own) give, when they agree: all of them
    /// (confidence 1), or at least three quarters of at least four (confidence 0.9). Otherwise nil.
    func answer(_ question: FactualQuestion, session: String?) -> KnowledgeAnswer? {
        guard let candidates = entries[question] else { return nil }
        let visible = candidates.filter { $0.session == nil || $0.session == session }
        guard !visible.isEmpty else { return nil }
        var groups: [String: [Entry]] = [:]
        for entry in visible { groups[entry.answerKey, default: []].append(entry) }
        let ranked = groups.values.sorted {
            $0.count > $1.count || ($0.count == $1.count && $0[0].factID > $1[0].factID)
        }
        let winners = ranked[0]
        let dissenting = visible.count - winners.count
        let confidence: Double
        if dissenting == 0 {
            confidence = 1.0
        } else if visible.count >= 4, winners.count * 4 >= visible.count * 3 {
            confidence = 0.9
        } else {
            return nil
        }
        let newestFirst = winners.sorted { $0.factID > $1.factID }
        var sources: [String] = []
        for source in newestFirst.compactMap(\.source) where !sources.contains(source) { sources.append(source) }
        let best = newestFirst[0]
        return KnowledgeAnswer(
            answer: best.answer, sentence: best.sentence, factID: best.factID, source: best.source,
            confidence: confidence, supportingFacts: newestFirst.map(\.factID), sources: sources,
            dissenting: dissenting)
    }
}
