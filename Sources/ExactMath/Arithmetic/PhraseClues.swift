/// What one pass over a question's bytes reveals about which phrase forms could match it, so that
/// `ArithmeticRecognizer` runs only those forms. Each clue is a plain substring test, deliberately wider than the
/// form it guards: a form may still reject a question whose clue is present, but never accepts one whose clue is
/// absent (every phrase form compares words byte for byte, in lower case).
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
    /// The names of statistics: "mean", "average", "median", "mode", "range", "sum", "total", …
    static let statistic = PhraseClues(rawValue: 1 << 4)
    /// "round", "decimal", "sig", "nearest".
    static let rounding = PhraseClues(rawValue: 1 << 5)
    /// "percent", "per cent".
    static let percentWord = PhraseClues(rawValue: 1 << 6)
    /// "%".
    static let percentSign = PhraseClues(rawValue: 1 << 7)
    /// "what", "as", "in": the words every "what percent" phrasing needs one of.
    static let whatAsIn = PhraseClues(rawValue: 1 << 8)
    /// "in", "to": the words every unit conversion needs one of.
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

    /// The substrings that set each clue.
    private static let keywords: [(text: String, clues: PhraseClues)] = [
        ("prime", .prime), ("composite", .composite), ("factor", .factor), ("decomposition", .factor),
        ("common", .divisor), ("gcd", .divisor), ("gcf", .divisor), ("hcf", .divisor), ("lcm", .divisor),
        ("mean", .statistic), ("average", .statistic), ("median", .statistic), ("mode", .statistic),
        ("range", .statistic), ("sum", .statistic), ("total", .statistic), ("product", .statistic),
        ("min", .statistic), ("max", .statistic), ("est", .statistic), ("variance", .statistic),
        ("dev", .statistic),
        ("round", .rounding), ("decimal", .rounding), ("sig", .rounding), ("nearest", .rounding),
        ("percent", .percentWord), ("per cent", .percentWord), ("%", .percentSign),
        ("what", .whatAsIn), ("as", .whatAsIn), ("in", [.whatAsIn, .inOrTo]), ("to", .inOrTo),
        ("increase", .change), ("decrease", .change), ("change", .change),
        ("than", .relation), ("above", .relation), ("below", .relation), ("off", .relation), ("tax", .relation),
        ("vat", .relation), ("tip", .relation), ("gratuity", .relation), ("charge", .relation),
        ("commission", .relation), ("discount", .relation), ("reduc", .relation), ("marked", .relation),
        ("$", .currency), ("€", .currency), ("£", .currency),
        ("square of", .power), ("cube of", .power), ("inverse of", .power), ("reciprocal of", .power),
        ("choose", .choose), ("select", .choose), ("pick", .choose), ("combination", .choose),
        ("permutation", .choose),
        ("arrange", .arrange), ("order", .arrange),
        ("mod", .modulo), ("remainder", .modulo),
    ]

    /// The keywords grouped by their first byte: the only ones worth comparing at a position holding that byte.
    private static let keywordsByFirstByte: [[(bytes: [UInt8], clues: PhraseClues)]] = {
        var table = [[(bytes: [UInt8], clues: PhraseClues)]](repeating: [], count: 256)
        for (text, clues) in keywords {
            let bytes = Array(text.utf8)
            table[Int(bytes[0])].append((bytes, clues))
        }
        return table
    }()

    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> PhraseClues {
        var found = PhraseClues()
        let table = keywordsByFirstByte
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") { found.insert(.letter) }
            for (keyword, clues) in table[Int(byte)]
            where !found.isSuperset(of: clues) && keyword.count <= bytes.count - index {
                var offset = 1
                while offset < keyword.count, bytes[index + offset] == keyword[offset] { offset += 1 }
                if offset == keyword.count { found.formUnion(clues) }
            }
            index += 1
        }
        return found
    }

    private static func scan(_ bytes: [UInt8]) -> PhraseClues {
        bytes.withUnsafeBufferPointer { scan($0) }
    }
}
