/// What makes two fact texts "the same" for deduplication.
public enum FactText {
    /// The text lowercased (each scalar by Unicode's default lowercase mapping), with runs of whitespace collapsed to one space, trimmed, and sentence-final `.`, `!`
    /// or `?` (and the spaces before them) removed: "The capital of France is Paris. " and "the capital of  France
    /// is Paris" normalise alike; "3.14" and "314" do not.
    public static func normalized(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                var byte = UInt8(scalar.value)
                if byte == 0x20 || (byte >= 0x09 && byte <= 0x0d) {
                    pendingSpace = !out.isEmpty
                    continue
                }
                if pendingSpace { out.append(0x20) }
                pendingSpace = false
                if byte >= 0x41 && byte <= 0x5a { byte |= 0x20 }
                out.append(byte)
            } else if scalar.properties.isWhitespace {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20) }
                pendingSpace = false
                out.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
            }
        }
        while let last = out.last, last == 0x2e || last == 0x21 || last == 0x3f || last == 0x20 { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    /// The 16-byte identity of the normalised text, stored in `facts.text_hash`.
    public static func identity(_ text: String) -> [UInt8] {
        FeatureHash.identity(normalized(text))
    }

    /// Estimated tokens of `text` when no tokenizer is at hand: about four bytes of UTF-8 a token, rounded up
    /// (the same rule the router uses to budget prompts).
    public static func estimatedTokens(_ text: String) -> Int {
        (text.utf8.count + 3) / 4
    }
}
