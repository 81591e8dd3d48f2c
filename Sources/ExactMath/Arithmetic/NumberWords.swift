/// Rewrites numbers written in words into digits, by grammar rather than by known prompts: cardinals
/// ("one hundred and twenty-five" → 125, "two million" → 2000000, "three point five" → 3.5), "a" before a scale
/// ("a dozen" → 12, "a hundred" → 100), fractions with a numerator ("a third of" → "1/3 of", "two thirds of" →
/// "2/3 of", "half of" → "1/2 of", "half a dozen" → "1/2 of 12") and multiplier words ("twice 17" → "2 × 17",
/// "double", "triple"). Scale words after digits multiply ("3 dozen" → "3 × 12"). Ordinals stay as they are
/// ("the third root", "the 10th prime"), and any other word is left for the later stages to accept or reject.
enum NumberWords {
    private static let units: [Substring: Int] = [
        "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    ]
    private static let teens: [Substring: Int] = [
        "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
        "seventeen": 17, "eighteen": 18, "nineteen": 19,
    ]
    private static let tens: [Substring: Int] = [
        "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    ]
    private static let scales: [Substring: BigInt] = [
        "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 1_000_000_000_000,
    ]
    /// Denominators of fractions said in words; singular and plural.
    private static let denominators: [Substring: Int] = [
        "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4, "fourths": 4,
        "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8,
        "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10, "hundredth": 100, "hundredths": 100,
        "thousandth": 1000, "thousandths": 1000,
    ]
    private static let multipliers: [Substring: Int] = ["twice": 2, "double": 2, "triple": 3, "thrice": 3]
    private static let digitWords: [Substring: Int] = [
        "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9,
    ]

    /// Every word this rewriter may act on; a text without any of them is returned unchanged.
    private static let vocabulary: Set<Substring> = {
        var words = Set<Substring>(units.keys)
        words.formUnion(teens.keys)
        words.formUnion(tens.keys)
        words.formUnion(scales.keys)
        words.formUnion(denominators.keys)
        words.formUnion(multipliers.keys)
        words.formUnion(["zero", "hundred", "dozen", "a", "an"])
        return words
    }()

    /// The vocabulary as bytes, grouped by first byte, for `mayRewrite`.
    private static let vocabularyByFirstByte: [[[UInt8]]] = {
        var table = [[[UInt8]]](repeating: [], count: 256)
        for word in vocabulary {
            let bytes = Array(word.utf8)
            table[Int(bytes[0])].append(bytes)
        }
        return table
    }()

    /// False only when `rewrite` would certainly return `text` unchanged: no space-separated word, without its
    /// trailing punctuation and cut at its first hyphen, is in the vocabulary. A cheap byte-level test that allocates
    /// nothing; it may answer true for a text that `rewrite` leaves alone, never false for one it changes.
    static func mayRewrite(_ text: Substring) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { mayRewrite($0) }
            ?? Array(text.utf8).withUnsafeBufferPointer {
                mayRewrite($0)
            }
    }

    private static func mayRewrite(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let space = UInt8(ascii: " ")
        var start = 0
        while start < bytes.count {
            if bytes[start] == space {
                start += 1
                continue
            }
            var end = start
            while end < bytes.count, bytes[end] != space { end += 1 }
            let next = end
            while end > start, isTrailingPunctuation(bytes[end - 1]) { end -= 1 }
            var cut = start
            while cut < end, bytes[cut] != UInt8(ascii: "-") { cut += 1 }
            if cut > start, isVocabulary(bytes, from: start, to: cut) { return true }
            start = next
        }
        return false
    }

    private static func isTrailingPunctuation(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ";")
            || byte == UInt8(ascii: ")") || byte == UInt8(ascii: "?")
    }

    private static func isVocabulary(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        let length = end - start
        for word in vocabularyByFirstByte[Int(bytes[start])] where word.count == length {
            var offset = 1
            while offset < length, bytes[start + offset] == word[offset] { offset += 1 }
            if offset == length { return true }
        }
        return false
    }

    /// The text with number words replaced by digits; the text itself when it has none.
    static func rewrite(_ text: Substring) -> Substring {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        guard words.contains(where: { vocabulary.contains(parts(bareWord($0).word)[0]) }) else { return text }
        var output: [String] = []
        var index = 0
        while index < words.count {
            if let (replacement, next) = phrase(at: index, in: words) {
                output.append(replacement)
                index = next
            } else {
                output.append(String(words[index]))
                index += 1
            }
        }
        return Substring(output.joined(separator: " "))
    }

    /// A word without trailing punctuation (",", ":", ";", ")"), and that punctuation.
    private static func bareWord(_ word: Substring) -> (word: Substring, tail: Substring) {
        var end = word.endIndex
        while end > word.startIndex, ",:;)?".contains(word[word.index(before: end)]) { end = word.index(before: end) }
        return (word[..<end], word[end...])
    }

    /// The pieces of hyphenated numbers ("twenty-five") as separate words.
    private static func parts(_ word: Substring) -> [Substring] {
        word.contains("-") ? word.split(separator: "-", omittingEmptySubsequences: false) : [word]
    }

    /// A phrase starting at word `index`: its replacement and the index after it.
    private static func phrase(at index: Int, in words: [Substring]) -> (String, Int)? {
        let (word, _) = bareWord(words[index])
        // "twice 17" → "2 ×".
        if let factor = multipliers[word], bareWord(words[index]).tail.isEmpty, index + 1 < words.count {
            return ("\(factor) ×", index + 1)
        }
        // "half of 90", "half a dozen".
        if word == "half", bareWord(words[index]).tail.isEmpty, index + 1 < words.count {
            let next = bareWord(words[index + 1]).word
            if next == "of" { return ("1/2 of", index + 2) }
            if next == "a" || next == "an" { return ("1/2 of", index + 1) }
        }
        // "3 dozen" → "3 × 12"; "2 million" → "2 × 1000000".
        if word == "dozen" || word == "hundred" || scales[word] != nil, index > 0,
            let last = words[index - 1].last, last.isASCII, last.isNumber
        {
            let value = word == "dozen" ? BigInt(12) : word == "hundred" ? BigInt(100) : scales[word]!
            return ("× " + value.description + bareWord(words[index]).tail, index + 1)
        }
        guard let (value, next) = cardinal(at: index, in: words) else { return nil }
        let tail = bareWord(words[next - 1]).tail
        // A numerator followed by a denominator word: "two thirds", "a quarter", "one half".
        if tail.isEmpty, next < words.count, let denominator = denominators[bareWord(words[next]).word],
            let numerator = value.asInt, numerator > 0
        {
            let denominatorTail = bareWord(words[next]).tail
            if denominatorTail.isEmpty, next + 1 < words.count, bareWord(words[next + 1]).word == "of" {
                return ("\(numerator)/\(denominator) of", next + 2)
            }
            return ("(\(numerator)/\(denominator))" + denominatorTail, next + 1)
        }
        if case .article = value { return nil }
        guard case .number(let number, let decimals) = value else { return nil }
        return (number.description + (decimals.isEmpty ? "" : "." + decimals) + tail, next)
    }

    /// A cardinal number read from words; "a"/"an" alone is an article, which counts only before a scale word or
    /// a denominator.
    private enum Cardinal {
        case article
        case number(BigInt, decimals: String)

        var asInt: Int? {
            switch self {
            case .article: return 1
            case .number(let value, let decimals): return decimals.isEmpty ? value.asInt : nil
            }
        }
    }

    /// Where a word sits in the grammar of a cardinal, to reject sequences such as "twelve thirteen".
    private enum Last { case none, unit, teen, tens, hundred, scale, and }

    private static func cardinal(at start: Int, in words: [Substring]) -> (Cardinal, Int)? {
        var total = BigInt(0)
        var group = 0
        var last = Last.none
        var lastScale: BigInt? = nil
        var sawArticle = false
        var index = start
        var consumed = start
        var sawDigitWord = false
        var zero = false
        wordLoop: while index < words.count {
            let (bare, tail) = bareWord(words[index])
            if index == start, bare == "a" || bare == "an" {
                guard tail.isEmpty else { return nil }
                sawArticle = true
                index += 1
                continue
            }
            if bare == "zero", index == start, !sawArticle {
                zero = true
                index += 1
                consumed = index
                break
            }
            let pieces = parts(bare)
            let saved = (total, group, last, lastScale)
            var pieceIndex = 0
            var accepted = true
            while pieceIndex < pieces.count {
                let piece = pieces[pieceIndex]
                if let value = units[piece],
                    last == .none || last == .tens || last == .hundred || last == .scale
                        || last == .and
                {
                    group += value
                    last = .unit
                } else if let value = teens[piece], last == .none || last == .hundred || last == .scale || last == .and
                {
                    group += value
                    last = .teen
                } else if let value = tens[piece], last == .none || last == .hundred || last == .scale || last == .and {
                    group += value
                    last = .tens
                } else if piece == "hundred", group < 100,
                    last == .unit || last == .teen || last == .tens
                        || (last == .none && sawArticle)
                {
                    group = max(group, 1) * 100
                    last = .hundred
                } else if let scale = scales[piece], last != .none || sawArticle, last != .and,
                    lastScale.map({ scale < $0 }) ?? true
                {
                    total += BigInt(max(group, 1)) * scale
                    group = 0
                    lastScale = scale
                    last = .scale
                } else if piece == "dozen",
                    last == .none && sawArticle || last == .unit || last == .teen
                        || last == .tens
                {
                    group = max(group, 1) * 12
                    last = .scale
                    lastScale = 1
                } else {
                    accepted = false
                    break
                }
                pieceIndex += 1
            }
            guard accepted else {
                (total, group, last, lastScale) = saved
                break wordLoop
            }
            sawDigitWord = true
            index += 1
            consumed = index
            if !tail.isEmpty { break }
            // "one hundred and five": "and" only after a hundred or a scale, before more of the number.
            if index + 1 < words.count, last == .hundred || last == .scale, bareWord(words[index]).word == "and",
                bareWord(words[index]).tail.isEmpty
            {
                let following = parts(bareWord(words[index + 1]).word)[0]
                if units[following] != nil || teens[following] != nil || tens[following] != nil {
                    last = .and
                    index += 1
                }
            }
        }
        if zero { return (.number(0, decimals: ""), consumed) }
        if !sawDigitWord {
            return sawArticle ? (.article, start + 1) : nil
        }
        let value = total + BigInt(group)
        // "three point one four".
        var decimals = ""
        if consumed + 1 < words.count, bareWord(words[consumed - 1]).tail.isEmpty, words[consumed] == "point" {
            var position = consumed + 1
            while position < words.count, let digit = digitWords[bareWord(words[position]).word] {
                decimals += String(digit)
                position += 1
                if !bareWord(words[position - 1]).tail.isEmpty { break }
            }
            if !decimals.isEmpty { consumed = position }
        }
        return (.number(value, decimals: decimals), consumed)
    }
}
