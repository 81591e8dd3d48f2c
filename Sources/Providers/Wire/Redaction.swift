/// Keeps keys out of error messages: provider messages sometimes echo the key they were sent (OpenAI's 401 shows a
/// masked form of it), and an error may end up in a log, an MQTT reply or an `info` snapshot.
enum Redaction {
    /// `text` without `key`, without words that look like API keys (`sk-…`, `AIza…`), on one line, at most
    /// `limit` characters.
    static func clean(_ text: String, key: APIKey?, limit: Int = 300) -> String {
        var text = text
        if let secret = key?.reveal(), secret.count >= 4 {
            text = text.replacingAll(secret, with: "[redacted]")
        }
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map { word -> Substring in
            let bare = word.drop { !$0.isLetter }
            return bare.hasPrefix("sk-") || bare.hasPrefix("AIza") ? "[redacted]" : word
        }
        var cleaned = words.joined(separator: " ")
        cleaned = String(cleaned.map { $0.isNewline ? " " : $0 })
        if cleaned.count > limit { cleaned = String(cleaned.prefix(limit)) + "…" }
        return cleaned
    }
}

extension String {
    /// This string with every occurrence of `target` replaced (FoundationEssentials-free).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }
}
