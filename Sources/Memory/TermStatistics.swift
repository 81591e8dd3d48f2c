/// How many stored facts contain each Porter stem (of content words), so text search can leave out terms so common
/// that they barely change BM25 scores (their inverse document frequency is low) yet make SQLite score a large share
/// of the store: FTS5 computes `bm25()` for every matching row, about a microsecond each.
struct TermStatistics: Sendable {
    private var termIDs: [String: UInt32] = [:]
    private var documentFrequency: [Int32] = []
    private var termsOfFact: [Int64: [UInt32]] = [:]

    /// Facts counted.
    var documentCount: Int { termsOfFact.count }

    /// Counts the words of a fact, replacing what it contained before.
    mutating func update(id: Int64, text: String) {
        remove(id: id)
        var scanner = WordScanner()
        scanner.scan(text)
        var terms: [UInt32] = []
        for word in scanner.words where !Stopwords.contains(word) {
            let stem = PorterStemmer.stem(word)
            let term: UInt32
            if let known = termIDs[stem] {
                term = known
            } else {
                term = UInt32(documentFrequency.count)
                termIDs[stem] = term
                documentFrequency.append(0)
            }
            if !terms.contains(term) {
                terms.append(term)
                documentFrequency[Int(term)] += 1
            }
        }
        termsOfFact[id] = terms
    }

    /// Stops counting a fact's words.
    mutating func remove(id: Int64) {
        guard let terms = termsOfFact.removeValue(forKey: id) else { return }
        for term in terms { documentFrequency[Int(term)] -= 1 }
    }

    /// How many facts contain a word with the same stem as `word`.
    func frequency(of word: String) -> Int {
        termIDs[PorterStemmer.stem(word)].map { Int(documentFrequency[Int($0)]) } ?? 0
    }

    /// The query words to search for: rarest first, as many as fit in `matchBudget` matching facts (at most
    /// `limit` words), and always the rarest one.
    func selectTerms(_ words: [String], limit: Int = 6, matchBudget: Int = 2_000) -> [String] {
        var selected: [String] = []
        var matches = 0
        for (word, frequency) in words.map({ ($0, frequency(of: $0)) }).sorted(by: { $0.1 < $1.1 }) {
            guard selected.count < limit, selected.isEmpty || matches + frequency <= matchBudget else { break }
            selected.append(word)
            matches += frequency
        }
        return selected
    }
}
