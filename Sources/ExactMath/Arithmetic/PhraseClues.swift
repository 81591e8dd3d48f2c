/// What one pass over a question's bytes reveals about which phrase forms could match it, so that
/// `ArithmeticRecognizer` runs only those forms. Each clue is a plain substring test (or, for the words that phrase
/// forms only ever read as whole space-separated words, a whole-word test), deliberately wider than the form it
/// guards: a form may still reject a question whose clue is present, but never accepts one whose clue is absent
/// (every phrase form compares words byte for byte, in lower case).
struct PhraseClues: OptionSet {
    let rawValue: UInt32

    /// "prime".
    static let prime = PhraseClues(rawValue: 1 << 0)
    /// "composite".
    static let composite = PhraseClues(rawValue: 1 << 1)
    /// "factor", "decomposition".
    static let factor = PhraseClues(rawValue: 1 << 2)
    /// "common", "gcd", "gcf", "hcf", "lcm".
    static let divisor = PhraseClues(rawValue: 1 << 3)
    /// The first word, or the word after a leading "the", starts the name of a statistic ("mean", "sum", "min", …).
    static let statistic = PhraseClues(rawValue: 1 << 4)
    /// "round", "decimal", "sig", "nearest".
    static let rounding = PhraseClues(rawValue: 1 << 5)
    /// "percent", "per cent".
    static let percentWord = PhraseClues(rawValue: 1 << 6)
    /// "%".
    static let percentSign = PhraseClues(rawValue: 1 << 7)
    /// The whole words "what", "as", "in": every "what percent" phrasing needs one of.
    static let whatAsIn = PhraseClues(rawValue: 1 << 8)
    /// The whole words "in", "to", "into": every unit conversion needs one of.
    static let inOrTo = PhraseClues(rawValue: 1 << 9)
    /// "increase", "decrease", "change".
    static let change = PhraseClues(rawValue: 1 << 10)
    /// The words of a percentage relation: "than", "off", "tax", "tip", "discount", "marked", …
    static let relation = PhraseClues(rawValue: 1 << 11)
    /// A currency symbol: "$", "€", "£".
    static let currency = PhraseClues(rawValue: 1 << 12)
    /// "square of", "cube of", "inverse of", "reciprocal of".
    static let power = PhraseClues(rawValue: 1 << 13)
    /// "choose", "select", "pick", "combination", "permutation".
    static let choose = PhraseClues(rawValue: 1 << 14)
    /// "arrange", "order".
    static let arrange = PhraseClues(rawValue: 1 << 15)
    /// "mod", "remainder".
    static let modulo = PhraseClues(rawValue: 1 << 16)
    /// Any ASCII lower-case letter.
    static let letter = PhraseClues(rawValue: 1 << 17)

    init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// The clues present in `text`, found in one pass over its UTF-8 bytes.
    init(_ text: Substring) {
        let found = text.utf8.withContiguousStorageIfAvailable { PhraseClues.scan($0) }
        self = found ?? PhraseClues.scan(Array(text.utf8))
    }

    /// A substring that sets clues, anywhere in the text or only as a whole space-separated word.
    private struct Keyword {
        let bytes: [UInt8]
        let clues: PhraseClues
        let wholeWord: Bool

        init(_ text: String, _ clues: PhraseClues, wholeWord: Bool = false) {
            bytes = Array(text.utf8)
            self.clues = clues
            self.wholeWord = wholeWord
        }
    }

    /// The substrings that set each clue (`.statistic` is found by `leadingWordNamesStatistic`).
    private static let keywords: [Keyword] = [
        Keyword("prime", .prime), Keyword("composite", .composite), Keyword("factor", .factor),
        Keyword("decomposition", .factor),
        Keyword("common", .divisor), Keyword("gcd", .divisor), Keyword("gcf", .divisor), Keyword("hcf", .divisor),
        Keyword("lcm", .divisor),
        Keyword("round", .rounding), Keyword("decimal", .rounding), Keyword("sig", .rounding),
        Keyword("nearest", .rounding),
        Keyword("percent", .percentWord), Keyword("per cent", .percentWord), Keyword("%", .percentSign),
        Keyword("what", .whatAsIn, wholeWord: true), Keyword("as", .whatAsIn, wholeWord: true),
        Keyword("in", [.whatAsIn, .inOrTo], wholeWord: true), Keyword("to", .inOrTo, wholeWord: true),
        Keyword("into", .inOrTo, wholeWord: true),
        Keyword("increase", .change), Keyword("decrease", .change), Keyword("change", .change),
        Keyword("than", .relation), Keyword("above", .relation), Keyword("below", .relation), Keyword("off", .relation),
        Keyword("tax", .relation),
        Keyword("vat", .relation), Keyword("tip", .relation), Keyword("gratuity", .relation),
        Keyword("charge", .relation),
        Keyword("commission", .relation), Keyword("discount", .relation), Keyword("reduc", .relation),
        Keyword("marked", .relation),
        Keyword("$", .currency), Keyword("€", .currency), Keyword("£", .currency),
        Keyword("square of", .power), Keyword("cube of", .power), Keyword("inverse of", .power),
        Keyword("reciprocal of", .power),
        Keyword("choose", .choose), Keyword("select", .choose), Keyword("pick", .choose),
        Keyword("combination", .choose),
        Keyword("permutation", .choose),
        Keyword("arrange", .arrange), Keyword("order", .arrange),
        Keyword("mod", .modulo), Keyword("remainder", .modulo),
    ]

    /// The keywords grouped by their first byte: the only ones worth comparing at a position holding that byte.
    private static let keywordsByFirstByte: [[Keyword]] = {
        var table = [[Keyword]](repeating: [], count: 256)
        for keyword in keywords { table[Int(keyword.bytes[0])].append(keyword) }
        return table
    }()

    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> PhraseClues {
        var found = PhraseClues()
        let table = keywordsByFirstByte
        let space = UInt8(ascii: " ")
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") { found.insert(.letter) }
            for keyword in table[Int(byte)]
            where !found.isSuperset(of: keyword.clues) && keyword.bytes.count <= bytes.count - index {
                let end = index + keyword.bytes.count
                if keyword.wholeWord {
                    guard index == 0 || bytes[index - 1] == space, end == bytes.count || bytes[end] == space else {
                        continue
                    }
                }
                var offset = 1
                while offset < keyword.bytes.count, bytes[index + offset] == keyword.bytes[offset] { offset += 1 }
                if offset == keyword.bytes.count { found.formUnion(keyword.clues) }
            }
            index += 1
        }
        if leadingWordNamesStatistic(bytes) { found.insert(.statistic) }
        return found
    }

    /// True when the first space-separated word, or the second after a first word "the", is the first word of a
    /// statistic's name: `StatisticsPhrases.summary` reads the name there and nowhere else.
    private static func leadingWordNamesStatistic(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var word = nextWord(in: bytes, from: 0)
        if equal(bytes[word], theBytes) { word = nextWord(in: bytes, from: word.upperBound) }
        guard !word.isEmpty else { return false }
        return StatisticsPhrases.leadingWords.contains { equal(bytes[word], $0) }
    }

    private static func equal(_ slice: Slice<UnsafeBufferPointer<UInt8>>, _ word: [UInt8]) -> Bool {
        guard slice.count == word.count else { return false }
        var offset = 0
        for byte in slice {
            guard byte == word[offset] else { return false }
            offset += 1
        }
        return true
    }

    private static let theBytes = Array("the".utf8)

    /// The range of the first space-separated word at or after `start` (empty at the end of the text).
    private static func nextWord(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Range<Int> {
        var first = start
        while first < bytes.count, bytes[first] == UInt8(ascii: " ") { first += 1 }
        var end = first
        while end < bytes.count, bytes[end] != UInt8(ascii: " ") { end += 1 }
        return first..<end
    }

    private static func scan(_ bytes: [UInt8]) -> PhraseClues {
        bytes.withUnsafeBufferPointer { scan($0) }
    }
}
