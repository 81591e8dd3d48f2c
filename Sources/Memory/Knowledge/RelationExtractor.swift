/// A relation a sentence states: the `relation` of `subject` is `answer`.
struct ExtractedRelation: Sendable, Equatable {
    /// The canonical relation (``RelationVocabulary/canonical(_:)``).
    var relation: String
    /// The subject as matched (``RelationVocabulary/subjectKey(_:)``).
    var subject: String
    /// The answer as written in the sentence.
    var answer: String
}

/// Reads relations out of plain sentences with pattern rules, no model:
///
/// | pattern | example |
/// | --- | --- |
/// | the R of S is A | The capital of France is Paris. |
/// | A is the R of S | Paris is the capital and largest city of France. |
/// | S's R is A | France's population is 68 million. |
/// | S has a R of A | France has a population of 68 million. |
/// | S (R: A; R2: A2) | France (capital: Paris; currency: euro) |
/// | S was V by A | Hamlet was written by William Shakespeare. |
/// | A V S | Marie Curie discovered polonium. |
/// | S was born on D in P; S died ... | Ada Lovelace was born on 10 December 1815 in London. |
/// | S (born D), S (D1 – D2) | Alan Turing (23 June 1912 – 7 June 1954) |
///
/// A relation is one to four lowercase words (no names, numbers or verbs of being); subjects and answers are short
/// phrases cut at the next clause. A sentence may state several relations; one that fits no pattern states none.
enum RelationExtractor {
    /// The relations of every sentence in `text`, each with the sentence that states it.
    static func relations(in text: String) -> [(relation: ExtractedRelation, sentence: Substring)] {
        SentenceSplitter.sentences(text).flatMap { sentence in
            relations(inSentence: sentence).map { ($0, sentence) }
        }
    }

    /// The relations one sentence states.
    static func relations(inSentence sentence: Substring) -> [ExtractedRelation] {
        var found = parenthetical(sentence)
        let words = SentenceWords(sentence)
        guard words.count >= 3 else { return found }
        if let relations = relationOfSubjectIs(words) {
            found += relations
        } else if let relations = answerIsRelationOf(words) {
            found += relations
        }
        found += possessive(words) + hasRelationOf(words) + passive(words) + active(words) + lifeEvents(words)
        return found
    }

    // MARK: Copular patterns

    /// "The R of S is A."
    private static func relationOfSubjectIs(_ words: SentenceWords) -> [ExtractedRelation]? {
        guard words.lower[0] == "the", let of = firstIndex(of: "of", in: words, from: 2, to: 6),
            let relations = relationPhrases(words, 1..<of),
            let copula = firstIndex(in: words, from: of + 2, to: min(words.count, of + 12), where: isCopula)
        else { return nil }
        let subject = (of + 1)..<copula
        let answer = (copula + 1)..<words.phraseEnd(from: copula + 1)
        return make(relations, subject: subject, answer: answer, words)
    }

    /// "A is the R of S." (also "A is the R and R2 of S").
    private static func answerIsRelationOf(_ words: SentenceWords) -> [ExtractedRelation]? {
        guard let copula = firstIndex(in: words, from: 1, to: min(words.count, 9), where: isCopula),
            copula + 1 < words.count, words.lower[copula + 1] == "the",
            let of = firstIndex(of: "of", in: words, from: copula + 3, to: copula + 12),
            let relations = relationPhrases(words, (copula + 2)..<of)
        else { return nil }
        let subject = (of + 1)..<words.phraseEnd(from: of + 1)
        return make(relations, subject: subject, answer: 0..<copula, words)
    }

    /// "S's R is A."
    private static func possessive(_ words: SentenceWords) -> [ExtractedRelation] {
        guard let owner = firstIndex(in: words, from: 0, to: min(words.count, 8), where: { isPossessive(words, $0) }),
            let copula = firstIndex(in: words, from: owner + 2, to: min(words.count, owner + 7), where: isCopula),
            let relations = relationPhrases(words, (owner + 1)..<copula)
        else { return [] }
        let answer = (copula + 1)..<words.phraseEnd(from: copula + 1)
        return make(relations, subject: 0..<(owner + 1), answer: answer, words) ?? []
    }

    /// "S has a R of A."
    private static func hasRelationOf(_ words: SentenceWords) -> [ExtractedRelation] {
        guard
            let has = firstIndex(
                in: words, from: 1, to: min(words.count - 2, 10),
                where: {
                    ["has", "had", "have"].contains(words.lower[$0]) && ["a", "an"].contains(words.lower[$0 + 1])
                }
            ),
            let of = firstIndex(of: "of", in: words, from: has + 3, to: has + 7),
            let relations = relationPhrases(words, (has + 2)..<of)
        else { return [] }
        let answer = (of + 1)..<words.phraseEnd(from: of + 1)
        return make(relations, subject: 0..<has, answer: answer, words) ?? []
    }

    // MARK: Verb patterns

    /// "S was V by A."
    private static func passive(_ words: SentenceWords) -> [ExtractedRelation] {
        guard
            let copula = firstIndex(
                in: words, from: 1, to: min(words.count - 2, 12),
                where: {
                    isCopula(words, $0) && RelationVocabulary.isPastVerb(words.lower[$0 + 1]) && $0 + 2 < words.count
                        && words.lower[$0 + 2] == "by"
                })
        else { return [] }
        let relation = RelationVocabulary.canonical(words.lower[copula + 1])
        let answer = (copula + 3)..<words.phraseEnd(from: copula + 3)
        return make([relation], subject: 0..<copula, answer: answer, words, canonical: true) ?? []
    }

    /// "A V S." where A is a name (capitalised words, name particles allowed) and V a past-tense verb.
    private static func active(_ words: SentenceWords) -> [ExtractedRelation] {
        guard
            let verb = firstIndex(
                in: words, from: 1, to: min(words.count - 1, 7),
                where: { RelationVocabulary.isPastVerb(words.lower[$0]) })
        else { return [] }
        let isName = (0..<verb).allSatisfy { words.isCapitalized($0) || nameParticles.contains(words.lower[$0]) }
        guard isName, words.isCapitalized(0), !words.original[verb - 1].hasSuffix(",") else { return [] }
        let relation = RelationVocabulary.canonical(words.lower[verb])
        let subject = (verb + 1)..<words.phraseEnd(from: verb + 1)
        return make([relation], subject: subject, answer: 0..<verb, words, canonical: true) ?? []
    }

    /// "S was born on D in P", "S died in P on D".
    private static func lifeEvents(_ words: SentenceWords) -> [ExtractedRelation] {
        var found: [ExtractedRelation] = []
        for (index, word) in words.lower.enumerated() {
            let (time, place): (String, String)
            let subjectEnd: Int
            if word == "born", index >= 2, isCopula(words, index - 1) {
                (time, place, subjectEnd) = ("born", "birthplace", index - 1)
            } else if word == "died", index >= 1 {
                (time, place, subjectEnd) = ("died", "deathplace", index)
            } else {
                continue
            }
            guard subjectEnd <= 10 else { continue }
            for segment in segments(words, from: index + 1) {
                let relation = words.hasDigit(segment) ? time : place
                if let made = make([relation], subject: 0..<subjectEnd, answer: segment, words, canonical: true) {
                    found += made
                }
            }
        }
        return found
    }

    /// Phrases after "on", "in" or "at" up to the next such word or comma.
    private static func segments(_ words: SentenceWords, from start: Int) -> [Range<Int>] {
        var segments: [Range<Int>] = []
        var index = start
        while index < words.count {
            guard ["on", "in", "at"].contains(words.lower[index]) else { break }
            let begin = index + 1
            var end = begin
            while end < words.count, !["on", "in", "at", "and", "to", "as"].contains(words.lower[end]) {
                end += 1
                if words.original[end - 1].hasSuffix(",") { break }
            }
            if end > begin { segments.append(begin..<end) }
            index = end
        }
        return segments
    }

    // MARK: Parentheses

    /// "S (R: A; R2: A2)", "S (born D)", "S (D1 – D2)".
    private static func parenthetical(_ sentence: Substring) -> [ExtractedRelation] {
        guard let open = sentence.firstIndex(of: "("), let close = sentence[open...].firstIndex(of: ")") else {
            return []
        }
        let subject = RelationVocabulary.subjectKey(String(sentence[..<open]))
        let subjectWords = subject.split(separator: " ").count
        guard subjectWords >= 1, subjectWords <= 8 else { return [] }
        let inside = sentence[sentence.index(after: open)..<close]
        var found: [ExtractedRelation] = []
        for part in fields(inside) {
            let trimmed = part.trimmingSpaces()
            if let colon = trimmed.firstIndex(of: ":") {
                let name = trimmed[..<colon].trimmingSpaces().lowercased()
                let value = trimmed[trimmed.index(after: colon)...].trimmingSpaces()
                let nameWords = name.split(separator: " ")
                guard !value.isEmpty, (1...4).contains(nameWords.count),
                    nameWords.allSatisfy({ $0.allSatisfy { $0.isLetter || $0 == "-" } })
                else { continue }
                found.append(.init(relation: RelationVocabulary.canonical(name), subject: subject, answer: value))
            } else if let rest = dropPrefix(trimmed, ["born ", "b. "]) {
                found.append(.init(relation: "born", subject: subject, answer: rest))
            } else if let rest = dropPrefix(trimmed, ["died ", "d. "]) {
                found.append(.init(relation: "died", subject: subject, answer: rest))
            } else if let dash = trimmed.firstIndex(where: { "–—-".contains($0) }) {
                let birth = trimmed[..<dash].trimmingSpaces()
                let death = trimmed[trimmed.index(after: dash)...].trimmingSpaces()
                guard birth.contains(where: \.isNumber), death.contains(where: \.isNumber) else { continue }
                found.append(.init(relation: "born", subject: subject, answer: birth))
                found.append(.init(relation: "died", subject: subject, answer: death))
            }
        }
        return found
    }

    /// Splits at semicolons, and at commas that start another "name:" field ("capital: Washington, D.C." stays).
    private static func fields(_ inside: Substring) -> [String] {
        var fields: [String] = []
        for piece in inside.split(separator: ";") {
            for part in piece.split(separator: ",", omittingEmptySubsequences: false) {
                if part.contains(":") || fields.isEmpty {
                    fields.append(String(part))
                } else {
                    fields[fields.count - 1] += "," + part
                }
            }
        }
        return fields
    }

    private static func dropPrefix(_ text: String, _ prefixes: [String]) -> String? {
        for prefix in prefixes where text.lowercased().hasPrefix(prefix) {
            let rest = String(text.dropFirst(prefix.count)).trimmingSpaces()
            return rest.isEmpty ? nil : rest
        }
        return nil
    }

    // MARK: Helpers

    private static let nameParticles: Set<String> = ["de", "da", "di", "van", "von", "der", "del", "la", "le", "bin"]

    /// The relation phrases in `range`: one to four lowercase words without digits or verbs of being, split at
    /// "and" ("capital and largest city" → "capital", "largest city").
    private static func relationPhrases(_ words: SentenceWords, _ range: Range<Int>) -> [String]? {
        guard (1...4).contains(range.count),
            range.allSatisfy({ words.isLowercase($0) && !isCopula(words, $0) }), !words.hasDigit(range),
            !range.contains(where: { words.original[$0].contains(where: { ",;:()".contains($0) }) })
        else { return nil }
        let phrases = range.map { words.lower[$0] }.split(separator: "and").map { $0.joined(separator: " ") }
        guard !phrases.isEmpty, phrases.allSatisfy({ !$0.isEmpty }) else { return nil }
        return phrases.map(RelationVocabulary.canonical)
    }

    private static func make(
        _ relations: [String], subject: Range<Int>, answer: Range<Int>, _ words: SentenceWords,
        canonical: Bool = false
    ) -> [ExtractedRelation]? {
        guard (1...10).contains(subject.count), (1...10).contains(answer.count) else { return nil }
        let subjectKey = RelationVocabulary.subjectKey(words.text(subject))
        let answerText = words.text(answer)
        guard !subjectKey.isEmpty, !answerText.isEmpty else { return nil }
        return relations.map { ExtractedRelation(relation: $0, subject: subjectKey, answer: answerText) }
    }

    private static func isCopula(_ words: SentenceWords, _ index: Int) -> Bool {
        RelationVocabulary.copulas.contains(words.lower[index])
    }

    private static func isPossessive(_ words: SentenceWords, _ index: Int) -> Bool {
        let token = words.original[index]
        return token.hasSuffix("'s") || token.hasSuffix("’s")
    }

    private static func firstIndex(of word: String, in words: SentenceWords, from start: Int, to end: Int) -> Int? {
        firstIndex(in: words, from: start, to: min(end, words.count), where: { words.lower[$0] == word })
    }

    private static func firstIndex(
        in words: SentenceWords, from start: Int, to end: Int, where predicate: (SentenceWords, Int) -> Bool
    ) -> Int? {
        guard start < end else { return nil }
        return (start..<end).first { predicate(words, $0) }
    }

    private static func firstIndex(
        in words: SentenceWords, from start: Int, to end: Int, where predicate: (Int) -> Bool
    ) -> Int? {
        guard start < end else { return nil }
        return (start..<end).first(where: predicate)
    }
}

extension StringProtocol {
    /// The text without leading and trailing whitespace.
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
