/// Small text helpers the recognisers share: prefix and suffix stripping, letter scans. No regular expressions:
/// these run on every question.
enum TextTools {
    /// True when the text is one parenthesised group: "(3 + 4)" and "(x+1)", but not "(1) + (2)" or "(x+1)(x-1)".
    static func isOneParenthesisedGroup(_ text: Substring) -> Bool {
        guard text.first == "(", text.last == ")" else { return false }
        var depth = 0
        for (offset, char) in text.enumerated() {
            if char == "(" { depth += 1 }
            if char == ")" {
                depth -= 1
                if depth == 0 && offset != text.count - 1 { return false }
            }
        }
        return depth == 0
    }

    /// Removes the first of `prefixes` that `text` starts with (followed by a word boundary), and any spaces after
    /// it; returns whether one was removed. Prefixes are ASCII.
    @discardableResult
    static func dropPrefix(_ text: inout Substring, _ prefixes: [String]) -> Bool {
        let utf8 = text.utf8
        for prefix in prefixes where utf8.starts(with: prefix.utf8) {
            let rest = utf8.dropFirst(prefix.utf8.count)
            if let next = rest.first, isASCIILetter(next), let last = prefix.utf8.last, isASCIILetter(last) {
                continue
            }
            text = Substring(rest.drop(while: { $0 == UInt8(ascii: " ") }))
            return true
        }
        return false
    }

    /// Removes the first of `suffixes` that `text` ends with (preceded by a word boundary), and any spaces before
    /// it; returns whether one was removed. Suffixes are ASCII.
    @discardableResult
    static func dropSuffix(_ text: inout Substring, _ suffixes: [String]) -> Bool {
        let utf8 = text.utf8
        for suffix in suffixes
        where utf8.count >= suffix.utf8.count
            && utf8.suffix(suffix.utf8.count).elementsEqual(suffix.utf8)
        {
            let rest = utf8.dropLast(suffix.utf8.count)
            if let previous = rest.last, isASCIILetter(previous), let first = suffix.utf8.first, isASCIILetter(first) {
                continue
            }
            text = trimmed(Substring(rest))
            return true
        }
        return false
    }

    /// The scalar whose UTF-8 encoding starts at `bytes[index]` and the number of bytes it takes; nil at the end or
    /// when `index` is not at the start of a complete scalar (never the case in a Swift string's bytes).
    static func scalar(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (scalar: Unicode.Scalar, length: Int)? {
        guard index < bytes.count else { return nil }
        let lead = bytes[index]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        guard index + length <= bytes.count else { return nil }
        var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for offset in 1..<length { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
        guard let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }

    static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    /// True when `text` contains any of the ASCII `bytes`.
    static func containsAny(_ text: Substring, of bytes: [UInt8]) -> Bool {
        text.utf8.contains(where: { bytes.contains($0) })
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
        var runLength = 0
        var runScalar: Unicode.Scalar = " "
        func flush() {
            if runLength == 1, !letters.contains(Character(runScalar)) { letters.append(Character(runScalar)) }
            runLength = 0
        }
        for scalar in text.unicodeScalars {
            let isLetter =
                scalar.isASCII
                ? isASCIILetter(UInt8(scalar.value))
                : scalar.properties.isAlphabetic && scalar != "π" && scalar != "√"
            if isLetter {
                runLength += 1
                runScalar = scalar
            } else if scalar.properties.generalCategory == .nonspacingMark {
                continue
            } else {
                flush()
            }
        }
        flush()
        return letters
    }

    /// True when every character of `text` is one Unicode scalar that is not canonically equivalent to any other
    /// single scalar: then comparing characters with ASCII ones gives the same answers as comparing UTF-8 bytes, so
    /// hot paths may scan bytes. Conservative: true for ASCII without carriage returns plus Latin-1 and Latin
    /// letters (U+0080–U+02FF), π, punctuation, super- and subscripts, currency signs, number forms, arrows and math
    /// operators (U+2010–U+205F, U+2070–U+20CF, U+2150–U+2BFF); false as soon as anything else (a combining mark,
    /// a joiner, an emoji selector, CR before LF) could merge scalars into one character.
    static func charactersAreScalars(_ text: Substring) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { charactersAreScalars($0) }
            ?? Array(text.utf8).withUnsafeBufferPointer { charactersAreScalars($0) }
    }

    private static func charactersAreScalars(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            if lead < 0x80 {
                if lead == 0x0D { return false }
                index += 1
            } else if lead >= 0xC2 && lead <= 0xDF && index + 1 < bytes.count {
                let scalar = UInt32(lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
                guard scalar < 0x300 || scalar == 0x3C0 else { return false }
                index += 2
            } else if lead >= 0xE0 && lead <= 0xEF && index + 2 < bytes.count {
                let scalar =
                    UInt32(lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
                guard
                    (0x2010..<0x2060).contains(scalar) || (0x2070..<0x20D0).contains(scalar)
                        || (0x2150..<0x2C00).contains(scalar)
                else { return false }
                index += 3
            } else {
                return false
            }
        }
        return true
    }

    /// True when `text` begins with the bytes of `prefix` (a plain byte comparison: no allocation, no Unicode rules).
    static func bytes(_ text: Substring.UTF8View, startWith prefix: [UInt8]) -> Bool {
        var index = text.startIndex
        for byte in prefix {
            guard index < text.endIndex, text[index] == byte else { return false }
            index = text.index(after: index)
        }
        return true
    }

    /// True when the two texts have the same UTF-8 bytes (lengths first, then byte by byte).
    static func sameBytes(_ a: Substring.UTF8View, _ b: Substring.UTF8View) -> Bool {
        guard a.count == b.count else { return false }
        var i = a.startIndex
        var j = b.startIndex
        while i < a.endIndex {
            guard a[i] == b[j] else { return false }
            i = a.index(after: i)
            j = b.index(after: j)
        }
        return true
    }

    /// The space-separated words of `text`, as `text.split(separator: " ")` gives them, found by scanning bytes
    /// when every character is one scalar.
    static func spaceSeparatedWords(_ text: Substring) -> [Substring] {
        guard charactersAreScalars(text) else { return text.split(separator: " ") }
        var words: [Substring] = []
        let utf8 = text.utf8
        var index = utf8.startIndex
        while index < utf8.endIndex {
            guard utf8[index] != UInt8(ascii: " ") else {
                index = utf8.index(after: index)
                continue
            }
            let start = index
            while index < utf8.endIndex, utf8[index] != UInt8(ascii: " ") { index = utf8.index(after: index) }
            words.append(text[start..<index])
        }
        return words
    }

    /// Splits `text` at each occurrence of `separator`.
    static func split(_ text: Substring, by separator: String) -> [Substring] {
        var parts: [Substring] = []
        var rest = text
        while let range = rest.bytesRange(of: separator) {
            parts.append(rest[..<range.lowerBound])
            rest = rest[range.upperBound...]
        }
        parts.append(rest)
        return parts
    }

    /// The number of times the ASCII character `char` occurs in `text`.
    static func count(of char: Character, in text: Substring) -> Int {
        guard let byte = char.asciiValue else { return 0 }
        var count = 0
        for c in text.utf8 where c == byte { count += 1 }
        return count
    }
}

extension StringProtocol {
    /// `hasPrefix` compared byte by byte in UTF-8 (no Unicode normalisation, much faster on hot paths).
    func hasBytesPrefix(_ prefix: String) -> Bool { utf8.starts(with: prefix.utf8) }

    /// The range of the first occurrence of `needle`, compared byte by byte in UTF-8; nil when absent.
    func bytesRange(of needle: String) -> Range<Index>? {
        let pattern = Array(needle.utf8)
        guard let first = pattern.first else { return nil }
        let view = utf8
        var index = view.startIndex
        while index != view.endIndex {
            if view[index] == first {
                var probe = view.index(after: index)
                var offset = 1
                while offset < pattern.count, probe != view.endIndex, view[probe] == pattern[offset] {
                    probe = view.index(after: probe)
                    offset += 1
                }
                if offset == pattern.count { return index..<probe }
            }
            index = view.index(after: index)
        }
        return nil
    }

    /// The range of the last occurrence of `needle`, compared byte by byte in UTF-8; nil when absent.
    func lastBytesRange(of needle: String) -> Range<Index>? {
        var found: Range<Index>? = nil
        var rest = self[...]
        while let range = rest.bytesRange(of: needle) {
            found = range
            rest = rest[range.upperBound...]
        }
        return found
    }

    /// `hasSuffix` compared byte by byte in UTF-8.
    func hasBytesSuffix(_ suffix: String) -> Bool {
        let count = suffix.utf8.count
        return utf8.count >= count && utf8.suffix(count).elementsEqual(suffix.utf8)
    }
}
