/// Rewrites arithmetic said in words into expression syntax by general grammar, not by known prompts:
/// word operators become symbols ("plus" → +, "divided by" → /, "to the power of" → ^, "squared" → ^2,
/// "percent" → %), function phrases become prefixes ("the square root of" → √, "log base 2 of" → log_2,
/// "factorial of" → factorial, "5th root of" → ⁵√), and "N factorial" becomes "N!". Every other word is kept
/// as it is, so the parser rejects anything it does not know ("apples").
enum PhraseRewriter {
    /// One piece of the text: a run of ASCII letters, or a run of anything else (digits, symbols, spaces).
    private struct Piece {
        let isWord: Bool
        let text: Substring
        /// The first byte and the length in bytes of `text`: a word can equal a phrase word only if both agree.
        let firstByte: UInt8
        let length: Int

        init(isWord: Bool, text: Substring) {
            self.isWord = isWord
            self.text = text
            firstByte = text.utf8.first ?? 0
            length = text.utf8.count
        }

        /// False when the piece certainly is not the word `key` describes (compares first byte and length only).
        func mayBe(_ key: WordKey) -> Bool { isWord && firstByte == key.firstByte && length == key.length }
    }

    /// The first byte and length of a phrase's first word, for `Piece.mayBe`.
    private struct WordKey {
        let firstByte: UInt8
        let length: Int

        init(_ word: Substring) {
            firstByte = word.utf8.first ?? 0
            length = word.utf8.count
        }
    }

    /// The text with word phrases replaced by symbols; nil when an ordinal appears where no rule expects it.
    static func rewrite(_ text: Substring) -> String? {
        let pieces = split(text)
        // Fast path: no word that a rule (or the ordinal check below) looks at, so the text stays as it is.
        if !pieces.indices.contains(where: { mayStartRule(at: $0, in: pieces) }) { return String(text) }
        var output = ""
        var index = 0
        while index < pieces.count {
            let piece = pieces[index]
            if mayStartRule(at: index, in: pieces),
                let (replacement, next) = rule(at: index, in: pieces, output: output)
            {
                output += replacement
                index = next
                continue
            }
            // An ordinal suffix glued to a number ("10th") that no rule consumed is not arithmetic.
            if piece.isWord, piece.text.utf8.count == 2, ordinalSuffixes.contains(piece.text), index > 0,
                pieces[index - 1].text.last?.isNumber == true
            {
                return nil
            }
            output += piece.text
            index += 1
        }
        return output
    }

    /// False when `rule(at:in:output:)` certainly finds nothing at `index`: a word that is neither a rule starter
    /// nor an ordinal suffix, or a non-word piece not followed by an ordinal suffix ("5" + "th"). Compares bytes only.
    private static func mayStartRule(at index: Int, in pieces: [Piece]) -> Bool {
        if pieces[index].isWord { return isKeyword(pieces[index].text) }
        return index + 1 < pieces.count && pieces[index + 1].isWord && isKeyword(pieces[index + 1].text)
    }

    /// True when `word` (ASCII letters) is a rule starter or an ordinal suffix.
    private static func isKeyword(_ word: Substring) -> Bool {
        let utf8 = word.utf8
        guard let first = utf8.first else { return false }
        for keyword in keywordsByFirstByte[Int(first)] where keyword.count == utf8.count {
            if utf8.elementsEqual(keyword) { return true }
        }
        return false
    }

    /// The rule starters and ordinal suffixes as bytes, grouped by first byte.
    private static let keywordsByFirstByte: [[[UInt8]]] = {
        var table = [[[UInt8]]](repeating: [], count: 256)
        for word in ruleStarters.union(ordinalSuffixes) {
            let bytes = Array(word.utf8)
            table[Int(bytes[0])].append(bytes)
        }
        return table
    }()

    private static func split(_ text: Substring) -> [Piece] {
        var pieces: [Piece] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        var inWord = false
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index] | 0x20
            let isLetter = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
            if index == utf8.startIndex {
                inWord = isLetter
            } else if isLetter != inWord {
                pieces.append(Piece(isWord: inWord, text: text[start..<index]))
                start = index
                inWord = isLetter
            }
            index = utf8.index(after: index)
        }
        if start < utf8.endIndex { pieces.append(Piece(isWord: inWord, text: text[start...])) }
        return pieces
    }

    /// The words that can start a rule; any other word is copied as it is without trying the rules.
    private static let ruleStarters: Set<Substring> = {
        var words = Set<Substring>(replacements.map { $0.0[0] })
        for phrase in logBasePhrases { words.insert(phrase[0]) }
        words.formUnion(["raised", "to", "factorial"])
        words.formUnion(ordinalWords.keys)
        return words
    }()

    /// "st", "nd", "rd", "th": all two letters long.
    static let ordinalSuffixes: Set<Substring> = ["st", "nd", "rd", "th"]

    static let ordinalWords: [Substring: Int] = [
        "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
        "tenth": 10,
    ]

    /// Index of the piece after the words of `phrase` starting at `index` (words separated by spaces only).
    private static func match(_ phrase: [Substring], at index: Int, in pieces: [Piece]) -> Int? {
        var position = index
        for (offset, word) in phrase.enumerated() {
            if offset > 0 {
                guard position < pieces.count, !pieces[position].isWord,
                    pieces[position].text.allSatisfy({ $0 == " " })
                else { return nil }
                position += 1
            }
            guard position < pieces.count, pieces[position].isWord, pieces[position].text == word else { return nil }
            position += 1
        }
        return position
    }

    /// Simple one-to-one phrase replacements, longest phrases first.
    private static let replacements: [([Substring], String)] = [
        (["raised", "to", "the", "power", "of"], "^"), (["to", "the", "power", "of"], "^"),
        (["raised", "to", "the", "power"], "^"), (["to", "the", "power"], "^"), (["raised", "to"], "^"),
        (["multiplied", "by"], "×"), (["times"], "×"), (["divided", "by"], "/"), (["over"], "/"),
        (["plus"], "+"), (["minus"], "-"), (["negative"], "-"), (["squared"], "^2"), (["cubed"], "^3"),
        (["per", "cent"], "%"), (["percent"], "%"), (["pct"], "%"),
        (["square", "root", "of"], "√"), (["square", "root"], "√"), (["sqrt", "of"], "√"),
        (["cube", "root", "of"], "∛"), (["cube", "root"], "∛"), (["cbrt", "of"], "∛"),
        (["natural", "logarithm", "of"], "ln "), (["natural", "log", "of"], "ln "),
        (["natural", "logarithm"], "ln "), (["natural", "log"], "ln "), (["ln", "of"], "ln "),
        (["logarithm", "of"], "log "), (["log", "of"], "log "), (["logarithm"], "log"),
        (["absolute", "value", "of"], "abs "), (["factorial", "of"], "factorial "),
        (["degrees"], "°"), (["degree"], "°"), (["the"], ""),
    ]

    /// The keys of the first words of `replacements` and `logBasePhrases`, in the same order.
    private static let replacementKeys = replacements.map { WordKey($0.0[0]) }
    private static let logBaseKeys = logBasePhrases.map { WordKey($0[0]) }

    /// Phrases the rules look for after their first word.
    private static let of: [Substring] = ["of"]
    private static let rootOf: [Substring] = ["root", "of"]
    private static let root: [Substring] = ["root"]
    private static let raisedToThe: [Substring] = ["raised", "to", "the"]
    private static let toThe: [Substring] = ["to", "the"]
    private static let power: [Substring] = ["power"]

    private static let logBasePhrases: [[Substring]] = [
        ["logarithm", "to", "base"], ["logarithm", "to", "the", "base"], ["logarithm", "base"],
        ["log", "to", "base"], ["log", "to", "the", "base"], ["log", "base"],
    ]

    /// The replacement for the words at `index` and the index after them, or nil when no rule applies.
    private static func rule(at index: Int, in pieces: [Piece], output: String) -> (String, Int)? {
        let piece = pieces[index]
        // "log base 2 of 64" → "log_2 64".
        for (phrase, key) in zip(logBasePhrases, logBaseKeys) where piece.mayBe(key) {
            guard let next = match(phrase, at: index, in: pieces), next < pieces.count, !pieces[next].isWord else {
                continue
            }
            let number = pieces[next].text.drop(while: { $0 == " " })
            guard let first = number.first, first.isNumber else { continue }
            var after = next + 1
            var text = "log_" + number
            if let skip = match(PhraseRewriter.of, at: after, in: pieces) {
                after = skip
                text = String(text.reversed().drop(while: { $0 == " " }).reversed()) + " "
            }
            return (text, after)
        }
        // "5th root of 32" → "⁵√32", "fifth root of 32" too.
        if let (prefix, n, next) = ordinal(at: index, in: pieces) {
            let afterSpace =
                next < pieces.count && !pieces[next].isWord && pieces[next].text.allSatisfy { $0 == " " }
                ? next + 1 : next
            if let after = match(PhraseRewriter.rootOf, at: afterSpace, in: pieces)
                ?? match(PhraseRewriter.root, at: afterSpace, in: pieces)
            {
                return (prefix + ExpressionPrinter.superscript(n) + "√", after)
            }
        }
        guard piece.isWord, ruleStarters.contains(piece.text) else { return nil }
        // "to the 3rd power" / "to the third power" → "^3".
        if let afterTo = match(PhraseRewriter.raisedToThe, at: index, in: pieces)
            ?? match(PhraseRewriter.toThe, at: index, in: pieces)
        {
            let found = ordinal(at: afterTo, in: pieces) ?? ordinal(at: afterTo + 1, in: pieces)
            if let (prefix, n, next) = found, prefix.allSatisfy({ $0 == " " }) {
                let afterSpace = next < pieces.count && !pieces[next].isWord ? next + 1 : next
                return ("^" + String(n), match(PhraseRewriter.power, at: afterSpace, in: pieces) ?? next)
            }
        }
        for ((phrase, replacement), key) in zip(replacements, replacementKeys) where piece.mayBe(key) {
            if let next = match(phrase, at: index, in: pieces) { return (replacement, next) }
        }
        // "8 factorial" → "8!", but "factorial 8" stays a prefix.
        if pieces[index].text == "factorial" {
            let previous = output.last(where: { $0 != " " })
            if let previous, previous.isNumber || previous == ")" || previous == "!" { return ("!", index + 1) }
            return ("factorial ", index + 1)
        }
        return nil
    }

    /// An ordinal starting at piece `index`: a word such as "fifth", or the trailing digits of a non-word piece
    /// glued to "st"/"nd"/"rd"/"th" ("5" + "th"). Returns the text before the digits, the value, and the index
    /// after the ordinal.
    private static func ordinal(at index: Int, in pieces: [Piece]) -> (prefix: Substring, value: Int, next: Int)? {
        guard index < pieces.count else { return nil }
        let piece = pieces[index]
        if piece.isWord {
            guard let value = ordinalWords[piece.text] else { return nil }
            return (piece.text.prefix(0), value, index + 1)
        }
        guard index + 1 < pieces.count, pieces[index + 1].isWord, ordinalSuffixes.contains(pieces[index + 1].text)
        else { return nil }
        var digitsStart = piece.text.endIndex
        while digitsStart > piece.text.startIndex, piece.text[piece.text.index(before: digitsStart)].isASCII,
            piece.text[piece.text.index(before: digitsStart)].isNumber
        {
            digitsStart = piece.text.index(before: digitsStart)
        }
        let digits = piece.text[digitsStart...]
        guard !digits.isEmpty, digits.count <= 4, let value = Int(digits) else { return nil }
        return (piece.text[..<digitsStart], value, index + 2)
    }
}
