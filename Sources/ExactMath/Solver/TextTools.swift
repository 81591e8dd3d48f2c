/// Small text helpers the recognisers share: prefix and suffix stripping, letter scans. No regular expressions:
/// these run on every question.
enum TextTools {
    /// Removes the first of `prefixes` that `text` starts with (followed by a word boundary), and any spaces after
    /// it; returns whether one was removed.
    @discardableResult
    static func dropPrefix(_ text: inout Substring, _ prefixes: [String]) -> Bool {
        for prefix in prefixes where text.hasPrefix(prefix) {
            let rest = text.dropFirst(prefix.count)
            if let next = rest.first, next.isLetter, prefix.last?.isLetter == true { continue }
            text = rest.drop(while: { $0 == " " })
            return true
        }
        return false
    }

    /// Removes the first of `suffixes` that `text` ends with (preceded by a word boundary), and any spaces before
    /// it; returns whether one was removed.
    @discardableResult
    static func dropSuffix(_ text: inout Substring, _ suffixes: [String]) -> Bool {
        for suffix in suffixes where text.hasSuffix(suffix) {
            let rest = text.dropLast(suffix.count)
            if let previous = rest.last, previous.isLetter, suffix.first?.isLetter == true { continue }
            text = trimmed(rest)
            return true
        }
        return false
    }

    /// `text` without leading and trailing spaces and newlines.
    static func trimmed(_ text: Substring) -> Substring {
        var text = text
        while let first = text.first, first == " " || first == "\n" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\n" { text = text.dropLast() }
        return text
    }

    /// The letters that stand alone as one-letter words or next to digits and symbols ("3x + 2y" -> x, y), i.e.
    /// the candidate variable names; longer runs of letters ("sqrt", "pi") are not included.
    static func singleLetters(in text: Substring) -> [Character] {
        var letters: [Character] = []
        var run: [Character] = []
        func flush() {
            if run.count == 1, !letters.contains(run[0]) { letters.append(run[0]) }
            run.removeAll(keepingCapacity: true)
        }
        for char in text {
            if char.isLetter, char != "π", char != "√" {
                run.append(char)
            } else {
                flush()
            }
        }
        flush()
        return letters
    }

    /// True when `text` contains any run of two or more letters other than those in `allowed`.
    static func containsWord(in text: Substring, except allowed: Set<Substring>) -> Bool {
        var start: Substring.Index? = nil
        var index = text.startIndex
        while index < text.endIndex {
            let char = text[index]
            if char.isLetter, char != "π" {
                if start == nil { start = index }
            } else if let wordStart = start {
                if text.distance(from: wordStart, to: index) > 1, !allowed.contains(text[wordStart..<index]) {
                    return true
                }
                start = nil
            }
            index = text.index(after: index)
        }
        if let wordStart = start, text.distance(from: wordStart, to: text.endIndex) > 1,
            !allowed.contains(text[wordStart...])
        {
            return true
        }
        return false
    }

    /// Splits `text` at each occurrence of `separator`.
    static func split(_ text: Substring, by separator: String) -> [Substring] {
        var parts: [Substring] = []
        var rest = text
        while let range = rest.firstRange(of: separator) {
            parts.append(rest[..<range.lowerBound])
            rest = rest[range.upperBound...]
        }
        parts.append(rest)
        return parts
    }

    /// The number of times `char` occurs in `text`.
    static func count(of char: Character, in text: Substring) -> Int {
        var count = 0
        for c in text where c == char { count += 1 }
        return count
    }
}
