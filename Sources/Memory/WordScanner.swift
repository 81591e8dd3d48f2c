/// Splits text into lowercased words (runs of letters and digits) as UTF-8 bytes, without allocating per word.
///
/// ASCII takes a fast path; other scalars count as word characters when alphabetic or numeric, and are
/// lowercased with Unicode's simple mapping. Apostrophes inside a word ("it's") end the word.
struct WordScanner {
    /// All words' bytes back to back.
    private(set) var bytes: [UInt8] = []
    /// Where each word starts and ends in `bytes`.
    private(set) var ranges: [Range<Int>] = []

    /// Scans `text`, replacing the previous contents.
    mutating func scan(_ text: String) {
        bytes.removeAll(keepingCapacity: true)
        ranges.removeAll(keepingCapacity: true)
        var start = 0
        var inWord = false
        func end(_ scanner: inout WordScanner) {
            if inWord { scanner.ranges.append(start..<scanner.bytes.count) }
            inWord = false
        }
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                let byte = UInt8(value)
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    if !inWord { (start, inWord) = (bytes.count, true) }
                    bytes.append(byte)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    if !inWord { (start, inWord) = (bytes.count, true) }
                    bytes.append(byte | 0x20)
                default:
                    end(&self)
                }
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                if !inWord { (start, inWord) = (bytes.count, true) }
                bytes.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
            } else {
                end(&self)
            }
        }
        end(&self)
    }

    /// The number of words.
    var count: Int { ranges.count }

    /// The words as strings (for tests and query terms).
    var words: [String] { ranges.map { String(decoding: bytes[$0], as: UTF8.self) } }
}

/// Very common English function words: they carry little meaning, so the embedder down-weights them and text
/// search ignores them.
enum Stopwords {
    static let english: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "did", "do", "does", "for", "from", "had",
        "has", "have", "he", "her", "his", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on",
        "or", "our", "she", "so", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
        "those", "to", "us", "was", "we", "were", "what", "when", "where", "which", "who", "whom", "why", "will",
        "with", "you", "your",
    ]

    /// The same words hashed as the embedder hashes unigrams, for a lookup without building strings.
    static let hashes: Set<UInt64> = Set(english.map { FeatureHash.bytes(Array($0.utf8), seed: 0) })

    /// Whether `word` (lowercased) is a stopword.
    static func contains(_ word: String) -> Bool { english.contains(word) }
}
