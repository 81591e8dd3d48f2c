/// A question in controlled English, translated to Prolog: the stated facts and rules, and what is asked.
struct LogicProblem: Equatable {
    /// Prolog clauses for the statements, in the order stated.
    var clauses: [String] = []
    /// What is asked.
    var question: LogicQuestion
    /// Display names of the people and things mentioned, by atom.
    var names: [String: String] = [:]
    /// Categories that were written as nouns ("a man"), so they read back with an article.
    var nouns: Set<String> = []
}

/// The kinds of questions the translator understands.
enum LogicQuestion: Equatable {
    /// "Is Socrates mortal?": the goal, and the goal that would prove the opposite.
    case yesNo(goal: String, opposite: String?)
    /// "Who is Carol's grandmother?": a goal with the variable `W`.
    case who(goal: String)
    /// "Who is the tallest?": the comparison relation, and whether the greatest (or least) is wanted.
    case extreme(relation: String, greatest: Bool)
}

/// Translates a small controlled English into Prolog: copula facts ("Socrates is a man", "Ann is happy"),
/// universal rules ("All men are mortal", "No cat is a dog"), possessive kinship ("Alice is Bob's mother"),
/// comparatives ("Tom is taller than Ann"), conditions ("If A and B, who ...?"), and questions about them.
/// Anything outside this grammar makes the whole translation fail (nil), so the skill passes.
struct LogicEnglish {
    /// Kinship nouns and the base facts a statement "X is Y's <noun>" asserts.
    static let kinship: [String: (facts: [String], relation: String)] = [
        "mother": (["parent_of(X, Y)", "gender(X, female)"], "mother"),
        "father": (["parent_of(X, Y)", "gender(X, male)"], "father"),
        "parent": (["parent_of(X, Y)"], "parent"),
        "son": (["parent_of(Y, X)", "gender(X, male)"], "son"),
        "daughter": (["parent_of(Y, X)", "gender(X, female)"], "daughter"),
        "child": (["parent_of(Y, X)"], "child"),
        "brother": (["sibling_of(X, Y)", "gender(X, male)"], "brother"),
        "sister": (["sibling_of(X, Y)", "gender(X, female)"], "sister"),
        "sibling": (["sibling_of(X, Y)"], "sibling"),
        "husband": (["spouse_of(X, Y)", "gender(X, male)"], "husband"),
        "wife": (["spouse_of(X, Y)", "gender(X, female)"], "wife"),
        "spouse": (["spouse_of(X, Y)"], "spouse"),
        "grandmother": (["grandparent_of(X, Y)", "gender(X, female)"], "grandmother"),
        "grandfather": (["grandparent_of(X, Y)", "gender(X, male)"], "grandfather"),
        "grandparent": (["grandparent_of(X, Y)"], "grandparent"),
        "grandson": (["grandparent_of(Y, X)", "gender(X, male)"], "grandson"),
        "granddaughter": (["grandparent_of(Y, X)", "gender(X, female)"], "granddaughter"),
        "grandchild": (["grandparent_of(Y, X)"], "grandchild"),
        "uncle": (["uncle_or_aunt_of(X, Y)", "gender(X, male)"], "uncle"),
        "aunt": (["uncle_or_aunt_of(X, Y)", "gender(X, female)"], "aunt"),
        "cousin": (["cousin_of(X, Y)"], "cousin"),
    ]

    /// Relations asked about that are not kinship nouns of their own.
    static let derivedRelations: Set<String> = ["ancestor", "descendant"]

    /// Plural forms of kinship nouns.
    static let kinshipPlurals: [String: String] = [
        "mothers": "mother", "fathers": "father", "parents": "parent", "sons": "son", "daughters": "daughter",
        "children": "child", "brothers": "brother", "sisters": "sister", "siblings": "sibling",
        "grandmothers": "grandmother", "grandfathers": "grandfather", "grandparents": "grandparent",
        "grandsons": "grandson", "granddaughters": "granddaughter", "grandchildren": "grandchild",
        "uncles": "uncle", "aunts": "aunt", "cousins": "cousin", "ancestors": "ancestor",
        "descendants": "descendant",
    ]

    /// Comparatives whose opposite is stated the other way round ("shorter than" is "taller than" reversed).
    static let antonyms: [String: String] = [
        "shorter": "taller", "younger": "older", "slower": "faster", "smaller": "bigger", "lighter": "heavier",
        "weaker": "stronger", "poorer": "richer", "lower": "higher", "worse": "better", "colder": "hotter",
        "cheaper": "dearer", "narrower": "wider", "thinner": "thicker", "later": "earlier",
    ]

    /// Irregular superlatives.
    static let superlatives: [String: String] = ["best": "better", "worst": "worse", "eldest": "older"]

    static let irregularPlurals: [String: String] = [
        "men": "man", "women": "woman", "people": "person", "children": "child", "mice": "mouse", "geese": "goose",
        "feet": "foot", "teeth": "tooth", "humans": "human",
    ]

    private var problem = LogicProblem(question: .who(goal: "fail"))

    /// Translates `text`, or returns nil when any part of it is outside the grammar.
    static func translate(_ text: String) -> LogicProblem? {
        var translator = LogicEnglish()
        return translator.run(text)
    }

    private mutating func run(_ text: String) -> LogicProblem? {
        let sentences = Self.sentences(text)
        guard let last = sentences.last, last.isQuestion else { return nil }
        var question: LogicQuestion?
        for sentence in sentences {
            var words = sentence.words
            if sentence.isQuestion {
                guard question == nil else { return nil }
                // "If A and B, who ...?": the conditions are statements.
                if let first = words.first, ["if", "given", "suppose", "assume"].contains(first.lower) {
                    guard let comma = words.lastIndex(where: { $0.commaAfter }) else { return nil }
                    var conditions = Array(words[1...comma])
                    if conditions.first?.lower == "that" { conditions.removeFirst() }
                    for statement in Self.splitConditions(conditions) {
                        guard statementClauses(statement) else { return nil }
                    }
                    words = Array(words[(comma + 1)...])
                }
                guard let asked = self.question(words) else { return nil }
                question = asked
            } else {
                guard statementClauses(words) else { return nil }
            }
        }
        guard let question, !problem.clauses.isEmpty else { return nil }
        problem.question = question
        return problem
    }

    // MARK: Words

    struct Word: Equatable {
        var text: String
        var lower: String { text.lowercased() }
        /// "Bob's": the possessive ending was removed from `text`.
        var possessive = false
        var commaAfter = false
        var isCapitalized: Bool { text.first?.isUppercase ?? false }
    }

    struct Sentence {
        var words: [Word]
        var isQuestion: Bool
    }

    static func sentences(_ text: String) -> [Sentence] {
        var sentences: [Sentence] = []
        var current = ""
        for character in text.replacing("’", with: "'") {
            if character == "." || character == "?" || character == "!" {
                let words = Self.words(current)
                if !words.isEmpty { sentences.append(Sentence(words: words, isQuestion: character == "?")) }
                current = ""
            } else {
                current.append(character)
            }
        }
        let rest = Self.words(current)
        if !rest.isEmpty { sentences.append(Sentence(words: rest, isQuestion: false)) }
        return sentences
    }

    static func words(_ text: String) -> [Word] {
        var words: [Word] = []
        for raw in text.split(whereSeparator: { $0.isWhitespace }) {
            var token = String(raw)
            var comma = false
            while let last = token.last, last == "," || last == ";" || last == ":" {
                comma = true
                token.removeLast()
            }
            var possessive = false
            if token.hasSuffix("'s") {
                possessive = true
                token.removeLast(2)
            } else if token.hasSuffix("s'") {
                possessive = true
                token.removeLast()
            }
            guard !token.isEmpty, token.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
                return []
            }
            words.append(Word(text: token, possessive: possessive, commaAfter: comma))
        }
        return words
    }

    /// Splits "A and B, C" into statements at "and" and commas (names joined by "and" stay together when the verb
    /// is "are").
    static func splitConditions(_ words: [Word]) -> [[Word]] {
        var statements: [[Word]] = []
        var current: [Word] = []
        for (index, word) in words.enumerated() {
            let isAnd = word.lower == "and"
            let nextIsAre = index + 2 < words.count && words[index + 2].lower == "are"
            if isAnd && !current.isEmpty && !nextIsAre {
                statements.append(current)
                current = []
                continue
            }
            var copy = word
            let endsStatement = word.commaAfter
            copy.commaAfter = false
            current.append(copy)
            if endsStatement {
                statements.append(current)
                current = []
            }
        }
        if !current.isEmpty { statements.append(current) }
        return statements
    }

    // MARK: Atoms

    private mutating func entity(_ word: Word) -> String? {
        guard word.isCapitalized, !Self.keywords.contains(word.lower) else { return nil }
        let atom = Self.atom(word.text)
        problem.names[atom] = word.text
        return atom
    }

    static let keywords: Set<String> = [
        "is", "are", "was", "were", "a", "an", "the", "all", "every", "each", "no", "who", "which", "what", "if",
        "and", "or", "not", "than", "of", "some", "any", "none", "nobody",
    ]

    static func atom(_ text: String) -> String {
        var result = ""
        for scalar in text.lowercased().unicodeScalars {
            result.unicodeScalars.append(
                scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) ? scalar : "_")
        }
        return "'" + result + "'"
    }

    static func singular(_ word: String) -> String {
        let lower = word.lowercased()
        if let irregular = irregularPlurals[lower] { return irregular }
        if lower.hasSuffix("ies") && lower.count > 4 { return String(lower.dropLast(3)) + "y" }
        for ending in ["sses", "shes", "ches", "xes", "zes"] where lower.hasSuffix(ending) {
            return String(lower.dropLast(2))
        }
        if lower.hasSuffix("s") && !lower.hasSuffix("ss") && !lower.hasSuffix("us") && lower.count > 3 {
            return String(lower.dropLast())
        }
        return lower
    }

    /// A category from words after a copula: "a man" (noun), "mortal" (adjective), "men" (plural noun).
    private mutating func category(_ words: ArraySlice<Word>, plural: Bool) -> String? {
        var words = words
        var hasArticle = false
        if let first = words.first, ["a", "an"].contains(first.lower) {
            hasArticle = true
            words = words.dropFirst()
        }
        guard words.count == 1, let word = words.first, !word.possessive,
            !Self.keywords.contains(word.lower), Self.kinship[Self.singular(word.lower)] == nil
        else { return nil }
        // A plural that differs from its singular is a noun ("men"); a word that does not is an adjective.
        let name = plural && !hasArticle ? Self.singular(word.text) : word.lower
        let atom = Self.atom(name)
        if hasArticle || name != word.lower { problem.nouns.insert(atom) }
        return atom
    }

    /// "taller", "more careful", or an antonym, as (relation, reversed).
    private func comparative(_ words: ArraySlice<Word>) -> (String, Bool)? {
        let lowers = words.map(\.lower)
        if lowers.count == 2 && lowers[0] == "more" && !Self.keywords.contains(lowers[1]) {
            return (Self.atom("more_" + lowers[1]), false)
        }
        guard lowers.count == 1, let word = lowers.first, word.count > 3 else { return nil }
        if let opposite = Self.antonyms[word] { return (Self.atom(opposite), true) }
        let known: Set<String> = ["better", "worse", "elder"]
        guard word.hasSuffix("er") || known.contains(word) else { return nil }
        return (Self.atom(word), false)
    }

    // MARK: Statements

    /// Adds the clauses of one statement; false when it is outside the grammar.
    private mutating func statementClauses(_ words: [Word]) -> Bool {
        let lowers = words.map(\.lower)
        guard words.count >= 3 else { return false }
        // "All men are mortal.", "Every man is a mortal.", "No cat is a dog."
        if ["all", "every", "each", "no"].contains(lowers[0]) {
            guard words.count >= 4, lowers[2] == "are" || lowers[2] == "is" else { return false }
            let plural = lowers[2] == "are"
            guard let subject = category(words[1..<2], plural: plural || lowers[0] == "all"),
                let predicate = category(words[3...], plural: plural)
            else { return false }
            if lowers[0] == "no" {
                problem.clauses.append("isa(X, non(\(predicate))) :- isa(X, \(subject)).")
                problem.clauses.append("isa(X, non(\(subject))) :- isa(X, \(predicate)).")
            } else {
                problem.clauses.append("isa(X, \(predicate)) :- isa(X, \(subject)).")
            }
            return true
        }
        // "Alice and Bob are siblings." / "Alice and Bob are happy."
        if words.count >= 5, lowers[1] == "and", lowers[3] == "are" {
            guard let first = entity(words[0]), let second = entity(words[2]) else { return false }
            let rest = words[4...]
            if rest.count == 1, let noun = rest.first, ["siblings", "married"].contains(noun.lower) {
                problem.clauses.append(
                    noun.lower == "siblings" ? "sibling_of(\(first), \(second))." : "spouse_of(\(first), \(second)).")
                return true
            }
            guard let predicate = category(rest, plural: true) else { return false }
            problem.clauses.append("isa(\(first), \(predicate)).")
            problem.clauses.append("isa(\(second), \(predicate)).")
            return true
        }
        guard let subject = entity(words[0]), ["is", "was"].contains(lowers[1]) else { return false }
        var rest = words[2...]
        var negated = false
        if rest.first?.lower == "not" {
            negated = true
            rest = rest.dropFirst()
        }
        // "Alice is Bob's mother." / "Alice is the mother of Bob."
        if let relation = kinshipStatement(subject, rest) {
            guard !negated else { return false }
            problem.clauses += relation
            return true
        }
        // "Tom is taller than Ann."
        if let than = rest.firstIndex(where: { $0.lower == "than" }), than + 1 == rest.endIndex - 1 {
            guard !negated, let (relation, reversed) = comparative(rest[rest.startIndex..<than]),
                let other = entity(rest[than + 1])
            else { return false }
            let (larger, smaller) = reversed ? (other, subject) : (subject, other)
            problem.clauses.append("cmp(\(relation), \(larger), \(smaller)).")
            return true
        }
        // "Socrates is a man." / "Ann is happy." / "Bob is male."
        guard let predicate = category(rest, plural: false) else { return false }
        if negated {
            problem.clauses.append("isa(\(subject), non(\(predicate))).")
            return true
        }
        problem.clauses.append("isa(\(subject), \(predicate)).")
        let lowerName = String(predicate.dropFirst().dropLast())
        if ["male", "man", "boy"].contains(lowerName) { problem.clauses.append("gender(\(subject), male).") }
        if ["female", "woman", "girl"].contains(lowerName) { problem.clauses.append("gender(\(subject), female).") }
        return true
    }

    /// The base facts of "X is Y's <kin>" or "X is the <kin> of Y".
    private mutating func kinshipStatement(_ subject: String, _ rest: ArraySlice<Word>) -> [String]? {
        var other: String?
        var noun: String?
        let words = Array(rest)
        if words.count == 2, words[0].possessive {
            other = entity(words[0])
            noun = words[1].lower
        } else if words.count == 4, words[0].lower == "the", words[2].lower == "of" {
            other = entity(words[3])
            noun = words[1].lower
        }
        guard let other, let noun, let kin = Self.kinship[noun] else { return nil }
        return kin.facts.map { fact in
            fact.replacing("X", with: subject).replacing("Y", with: other) + "."
        }
    }

    // MARK: Questions

    private mutating func question(_ words: [Word]) -> LogicQuestion? {
        let lowers = words.map(\.lower)
        guard let first = lowers.first else { return nil }
        if first == "who" || first == "which" {
            var rest = words.dropFirst()
            if first == "which" {
                // "Which person is the tallest?"
                guard rest.count >= 2 else { return nil }
                rest = rest.dropFirst()
            }
            guard let verb = rest.first, ["is", "are", "was"].contains(verb.lower) else { return nil }
            rest = rest.dropFirst()
            return whoQuestion(Array(rest), plural: verb.lower == "are")
        }
        guard ["is", "are", "was"].contains(first), words.count >= 3 else { return nil }
        guard let subject = entity(words[1]) else { return nil }
        let rest = words[2...]
        if let relation = kinshipQuestionGoal(Array(rest), subject: subject) {
            return .yesNo(goal: relation, opposite: nil)
        }
        if let than = rest.firstIndex(where: { $0.lower == "than" }), than + 1 == rest.endIndex - 1 {
            guard let (relation, reversed) = comparative(rest[rest.startIndex..<than]),
                let other = entity(rest[than + 1])
            else { return nil }
            let (larger, smaller) = reversed ? (other, subject) : (subject, other)
            return .yesNo(
                goal: "greater(\(relation), \(larger), \(smaller))",
                opposite: "greater(\(relation), \(smaller), \(larger))")
        }
        guard let predicate = category(rest, plural: false) else { return nil }
        return .yesNo(goal: "isa(\(subject), \(predicate))", opposite: "isa(\(subject), non(\(predicate)))")
    }

    /// "Is Alice Bob's mother?" → `mother(alice, bob)`.
    private mutating func kinshipQuestionGoal(_ words: [Word], subject: String) -> String? {
        var other: String?
        var noun: String?
        if words.count == 2, words[0].possessive {
            other = entity(words[0])
            noun = words[1].lower
        } else if words.count == 4, words[0].lower == "the", words[2].lower == "of" {
            other = entity(words[3])
            noun = words[1].lower
        }
        guard let other, let noun, Self.kinship[noun] != nil || Self.derivedRelations.contains(noun) else {
            return nil
        }
        return "\(noun)(\(subject), \(other))"
    }

    private mutating func whoQuestion(_ words: [Word], plural: Bool) -> LogicQuestion? {
        // "Who is Carol's grandmother?" / "Who are Bob's children?" / "Who is the mother of Bob?"
        var other: String?
        var noun: String?
        if words.count == 2, words[0].possessive {
            other = entity(words[0])
            noun = words[1].lower
        } else if words.count == 4, words[0].lower == "the", words[2].lower == "of" {
            other = entity(words[3])
            noun = words[1].lower
        }
        if let other, var noun {
            if let singular = Self.kinshipPlurals[noun] { noun = singular }
            guard Self.kinship[noun] != nil || Self.derivedRelations.contains(noun) else { return nil }
            return .who(goal: "\(noun)(W, \(other))")
        }
        // "Who is the tallest?" / "Who is the shortest?" / "Who is the most careful?"
        if words.count >= 2, words[0].lower == "the" {
            let superlative = words[1...].map(\.lower)
            if superlative.count == 2, superlative[0] == "most" {
                return .extreme(relation: Self.atom("more_" + superlative[1]), greatest: true)
            }
            if superlative.count == 2, superlative[0] == "least" {
                return .extreme(relation: Self.atom("more_" + superlative[1]), greatest: false)
            }
            guard superlative.count == 1, let word = superlative.first else { return nil }
            var comparative: String
            if let irregular = Self.superlatives[word] {
                comparative = irregular
            } else if word.hasSuffix("est"), word.count > 4 {
                // "tallest" → "taller", "biggest" → "bigger", "happiest" → "happier".
                comparative = String(word.dropLast(3)) + "er"
            } else {
                return nil
            }
            if let opposite = Self.antonyms[comparative] {
                return .extreme(relation: Self.atom(opposite), greatest: false)
            }
            return .extreme(relation: Self.atom(comparative), greatest: true)
        }
        // "Who is mortal?" / "Who is a man?" / "Who are men?"
        guard let predicate = category(words[...], plural: plural) ?? category(words[...], plural: false) else {
            return nil
        }
        return .who(goal: "isa(W, \(predicate))")
    }
}
