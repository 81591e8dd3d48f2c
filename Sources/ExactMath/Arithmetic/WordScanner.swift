/// A small cursor over the space-separated words of a question, for phrase forms such as
/// "how many ways to choose 3 items from 10" or "what percent of 80 is 20".
struct WordScanner {
    private let words: [Substring]
    private(set) var position = 0

    init(_ text: Substring) {
        words = TextTools.spaceSeparatedWords(text)
    }

    /// The next word, not consumed; nil at the end.
    var peek: Substring? { position < words.count ? words[position] : nil }

    /// Consumes the next word.
    mutating func skip() {
        if position < words.count { position += 1 }
    }

    /// True when every word has been consumed.
    var atEnd: Bool { position == words.count }

    /// The remaining words joined by spaces.
    var rest: Substring {
        guard position < words.count else { return "" }
        let start = words[position].startIndex
        return words[position].base[start..<words[words.count - 1].endIndex]
    }

    /// Consumes the first of `phrases` (each one or more words) that comes next; false if none does.
    mutating func accept(_ phrases: String...) -> Bool {
        accept(phrases)
    }

    /// Consumes the first of `phrases` that comes next; false if none does.
    mutating func accept(_ phrases: [String]) -> Bool {
        // Most phrases differ from the next word in their first byte: test that before comparing words.
        let firstByte = position < words.count ? words[position].utf8.first : nil
        for phrase in phrases {
            if let first = phrase.utf8.first, first != firstByte { continue }
            // Compare word by word without splitting the phrase into an array (this runs on every question).
            let utf8 = phrase.utf8
            var wordIndex = position
            var start = utf8.startIndex
            var matched = true
            while start < utf8.endIndex {
                let end = utf8[start...].firstIndex(of: UInt8(ascii: " ")) ?? utf8.endIndex
                guard wordIndex < words.count, TextTools.sameBytes(words[wordIndex].utf8, utf8[start..<end]) else {
                    matched = false
                    break
                }
                wordIndex += 1
                start = end == utf8.endIndex ? end : utf8.index(after: end)
            }
            if matched {
                position = wordIndex
                return true
            }
        }
        return false
    }

    /// Consumes one word if it is a plain word (letters only) not in `excluded`: a noun such as "items".
    mutating func acceptNoun(excluding excluded: Set<Substring>) -> Bool {
        guard position < words.count else { return false }
        let word = words[position]
        guard word.allSatisfy({ $0.isASCII && $0.isLetter }), !excluded.contains(word) else { return false }
        position += 1
        return true
    }

    /// Consumes a plain decimal number ("12", "2.5", "1,000").
    mutating func number() -> Rational? {
        guard position < words.count, let value = WordScanner.decimal(words[position]) else { return nil }
        position += 1
        return value
    }

    /// Consumes a whole number.
    mutating func integer() -> BigInt? {
        let saved = position
        guard let value = number(), value.isInteger else {
            position = saved
            return nil
        }
        return value.numerator
    }

    /// Consumes a percentage, "10%", "10 %", "10 percent" or "10 per cent", returning 10.
    mutating func percentage() -> Rational? {
        guard position < words.count else { return nil }
        let word = words[position]
        if word.hasSuffix("%"), let value = WordScanner.decimal(word.dropLast()) {
            position += 1
            return value
        }
        let saved = position
        if let value = number(), accept("%", "percent", "per cent", "pct") { return value }
        position = saved
        return nil
    }

    /// A decimal literal with optional thousands separators in groups of three.
    static func decimal(_ text: Substring) -> Rational? {
        guard let first = text.first, first.isNumber || first == "." || first == "-" else { return nil }
        if text.contains(",") {
            let groups = text.split(separator: ",", omittingEmptySubsequences: false)
            guard let head = groups.first, (1...3).contains(head.count),
                groups.dropFirst().enumerated().allSatisfy({ index, group in
                    group.prefix(3).count == 3 && group.prefix(3).allSatisfy(\.isNumber)
                        && (group.count == 3 || (index == groups.count - 2 && group.dropFirst(3).first == "."))
                })
            else { return nil }
            return Rational(decimal: Substring(groups.joined()))
        }
        return Rational(decimal: text)
    }
}

extension Substring {
    /// Whether the text contains `needle`, compared byte by byte: a cheap pre-check for phrase forms.
    func mentions(_ needle: String) -> Bool {
        let needleBytes = needle.utf8
        guard let first = needleBytes.first else { return true }
        let found = utf8.withContiguousStorageIfAvailable { haystack -> Bool in
            let count = needleBytes.count
            guard haystack.count >= count else { return false }
            var index = 0
            while index <= haystack.count - count {
                if haystack[index] == first {
                    var offset = 1
                    var byteIndex = needleBytes.index(after: needleBytes.startIndex)
                    while offset < count, haystack[index + offset] == needleBytes[byteIndex] {
                        offset += 1
                        byteIndex = needleBytes.index(after: byteIndex)
                    }
                    if offset == count { return true }
                }
                index += 1
            }
            return false
        }
        guard let found else { return utf8.contains(needleBytes.first!) && String(self).contains(needle) }
        guard found else { return false }
        // The bytes are there; the characters must be too. When every character is one scalar, an ASCII needle
        // found as bytes is found as characters (the search below compares characters).
        if needleBytes.allSatisfy({ $0 < 0x80 }) && TextTools.charactersAreScalars(self) { return true }
        return String(self).contains(needle)
    }
}
