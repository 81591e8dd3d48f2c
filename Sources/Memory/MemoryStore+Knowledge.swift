import Store

extension MemoryStore {
    /// The stored answer to a factual question ("What is the capital of France?"), from the facts visible to
    /// `session`, when the question has a recognised form (``QuestionParser``) and the facts agree; else nil. No
    /// I/O: a parse and a dictionary lookup.
    public func knowledgeAnswer(to question: String, session: String? = nil) -> KnowledgeAnswer? {
        guard let parsed = QuestionParser.parse(question) else { return nil }
        return state.withLock { $0.knowledge.answer(parsed, session: session) }
    }

    /// Whether the store holds no fact at all (then a search can only come back empty: skip it). Checked in memory
    /// first; the table is counted only when no vector is held.
    public var isEmpty: Bool {
        state.withLock { $0.vectors.count == 0 } && ((try? count()) ?? 1) == 0
    }

    /// How many distinct (relation, subject) pairs the stored facts state.
    public var knownRelationCount: Int { state.withLock { $0.knowledge.relationCount } }

    /// The facts most relevant to a prompt, for an LLM to use with their sources: hybrid search, keeping only hits
    /// that share a word with the prompt or are at least `minimumSimilarity` similar to it.
    public func relevantFacts(
        for prompt: String, session: String? = nil, k: Int = 5, minimumSimilarity: Float = 0.35
    ) async throws -> [MemoryHit] {
        guard !FactValidation.trimmed(prompt).isEmpty, !isEmpty else { return [] }
        let hits = try await search(prompt, k: k, filter: FactFilter(session: session))
        return hits.filter { $0.bm25 != nil || ($0.similarity ?? -1) >= minimumSimilarity }
    }
}

/// Formats relevant facts for an LLM prompt and lists their sources for the reply.
public enum FactContext {
    /// A block for the system prompt: numbered facts with their sources, and how to cite them; empty when there are
    /// no facts.
    public static func promptBlock(_ hits: [MemoryHit]) -> String {
        guard !hits.isEmpty else { return "" }
        var lines = ["Facts from memory (cite them as [n] when you use them):"]
        for (index, hit) in hits.enumerated() {
            let source = hit.fact.source.map { " (source: \($0))" } ?? ""
            lines.append("[\(index + 1)] \(hit.fact.text)\(source)")
        }
        return lines.joined(separator: "\n")
    }

    /// The distinct sources of the facts, in order (facts without a source are listed as `fact <id>`).
    public static func sources(_ hits: [MemoryHit]) -> [String] {
        var sources: [String] = []
        for hit in hits {
            let source = hit.fact.source ?? "fact \(hit.fact.id)"
            if !sources.contains(source) { sources.append(source) }
        }
        return sources
    }
}
