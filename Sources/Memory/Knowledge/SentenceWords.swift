/// A sentence cut into whitespace-separated tokens, each with a lowercased form stripped of surrounding
/// punctuation for matching, the original kept for answers.
struct SentenceWords {
    /// The tokens as written.
    let original: [Substring]
    /// The tokens lowercased, without leading or trailing punctuation ("Paris." → "paris", "(capital:" →
    /// "capital"); internal punctuation stays ("d.c", "france's").
    let lower: [String]

    init(_ sentence: Substring) {
        original = Self.tokens(sentence)
        lower = original.map { Self.lowercased(Self.stripped($0)) }
    }

    /// Whitespace-separated tokens; ASCII whitespace on the fast path, other Unicode whitespace too.
    static func tokens(_ text: Substring) -> [Substring] {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return text.utf8.split(whereSeparator: { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0d) }).map { Substring($0) }
        }
        return text.split(whereSeparator: \.isWhitespace)
    }

    /// Lowercased, with an ASCII fast path.
    static func lowercased(_ token: Substring) -> String {
        var bytes = Array(token.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return token.lowercased() }
        for index in bytes.indices where bytes[index] >= 0x41 && bytes[index] <= 0x5a { bytes[index] |= 0x20 }
        return String(decoding: bytes, as: UTF8.self)
    }

    var count: Int { original.count }

    /// Token `index` starts with an uppercase letter or a digit (a name, a number, a date).
    func isCapitalized(_ index: Int) -> Bool {
        let token = Self.stripped(original[index])
        if let byte = token.utf8.first, byte < 0x80 {
            return (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x30 && byte <= 0x39)
        }
        guard let first = token.first else { return false }
        return first.isUppercase || first.isNumber
    }

    /// Token `index` starts with a lowercase letter.
    func isLowercase(_ index: Int) -> Bool {
        let token = Self.stripped(original[index])
        if let byte = token.utf8.first, byte < 0x80 { return byte >= 0x61 && byte <= 0x7a }
        return token.first?.isLowercase ?? false
    }

    /// Whether any of the tokens contains a digit.
    func hasDigit(_ range: Range<Int>) -> Bool {
        range.contains { index in original[index].contains(where: \.isNumber) }
    }

    /// The original text of tokens `range`, joined by single spaces, without trailing punctuation.
    func text(_ range: Range<Int>) -> String {
        var text = original[range].joined(separator: " ")
        while let last = text.last, ".,;:!?\"'”’)".contains(last) {
            if last == ")" && text.contains("(") { break }
            text.removeLast()
        }
        while let first = text.first, "\"'“‘(".contains(first) { text.removeFirst() }
        return text
    }

    /// The end of a short noun phrase starting at `start`: before a relative pronoun, a comma followed by a
    /// lowercase word, "and"/"but" followed by a lowercase word, or a preposition followed by a number
    /// ("Paris in 1900"), else the end of the sentence.
    func phraseEnd(from start: Int, limit: Int? = nil) -> Int {
        let end = limit ?? count
        var index = start
        while index < end {
            if index > start {
                let word = lower[index]
                if Self.clauseWords.contains(word) { return index }
                if Self.conjunctions.contains(word), index + 1 < end, isLowercase(index + 1) { return index }
                if Self.datePrepositions.contains(word), index + 1 < end,
                    original[index + 1].first?.isNumber ?? false
                {
                    return index
                }
                if original[index].hasPrefix("(") { return index }
            }
            if let last = original[index].last, ",;:".contains(last), index + 1 < end, isLowercase(index + 1) {
                return index + 1
            }
            index += 1
        }
        return end
    }

    private static let clauseWords: Set<String> = [
        "which", "who", "whom", "whose", "where", "that", "while", "although", "because", "whereas",
    ]
    private static let conjunctions: Set<String> = ["and", "but", "or"]
    private static let datePrepositions: Set<String> = ["in", "on", "since", "from", "until", "around", "circa"]

    static func stripped(_ token: Substring) -> Substring {
        let utf8 = token.utf8
        if let first = utf8.first, let last = utf8.last, first < 0x80, last < 0x80, isASCIIAlphanumeric(first),
            isASCIIAlphanumeric(last)
        {
            return token
        }
        var token = token
        while let first = token.first, !(first.isLetter || first.isNumber) { token.removeFirst() }
        while let last = token.last, !(last.isLetter || last.isNumber) { token.removeLast() }
        return token
    }

    @inline(__always)
    static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7a)
    }
}

/// Splits a passage into sentences: at `.`, `!` or `?` followed by a space and a capital, digit or quote, and at
/// line breaks; not after one- or two-letter capitalised abbreviations ("D.C.", "St.").
enum SentenceSplitter {
    static func sentences(_ text: String) -> [Substring] {
        let utf8 = text.utf8
        var sentences: [Substring] = []
        var start = utf8.startIndex
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            let next = utf8.index(after: index)
            if byte == 0x0a {
                append(text[start..<index], to: &sentences)
                start = next
            } else if byte == 0x2e || byte == 0x21 || byte == 0x3f, next < utf8.endIndex,
                utf8[next] == 0x20 || utf8[next] == 0x0a, startsSentence(text, after: next),
                !isAbbreviation(text[start..<index])
            {
                append(text[start..<next], to: &sentences)
                start = next
            }
            index = next
        }
        append(text[start...], to: &sentences)
        return sentences
    }

    private static func append(_ sentence: Substring, to sentences: inout [Substring]) {
        let trimmed = sentence.drop(while: \.isWhitespace)
        if !trimmed.isEmpty { sentences.append(trimmed) }
    }

    private static func startsSentence(_ text: String, after index: String.Index) -> Bool {
        guard let first = text.unicodeScalars[index...].first(where: { $0 != " " && $0 != "\n" }) else { return true }
        if first.isASCII {
            let byte = UInt8(first.value)
            return (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x30 && byte <= 0x39) || byte == 0x22 || byte == 0x27
                || byte == 0x28
        }
        return first.properties.isUppercase || first == "“"
    }

    /// The text before a period ends with a short capitalised token such as "D.C" or "St".
    private static func isAbbreviation(_ before: Substring) -> Bool {
        var letters = 0
        var firstLetterIsUpper = false
        for scalar in before.unicodeScalars.reversed() {
            if scalar == " " || scalar == "\n" { break }
            if scalar.properties.isAlphabetic {
                letters += 1
                if letters > 2 { return false }
                firstLetterIsUpper = scalar.properties.isUppercase
            }
        }
        return letters > 0 && firstLetterIsUpper
    }
}
