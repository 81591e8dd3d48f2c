/// Checks a fact's fields before anything is embedded or written.
enum FactValidation {
    static let maxTags = 64
    static let maxLabelBytes = 256

    /// The fact with its text trimmed and tags deduplicated, or an error naming the field.
    static func validated(_ fact: NewFact, maxTextBytes: Int, position: Int? = nil) throws(MemoryError) -> NewFact {
        let prefix = position.map { "fact \($0): " } ?? ""
        var result = fact
        result.text = trimmed(fact.text)
        guard !result.text.isEmpty else { throw MemoryError(.invalidFact, "\(prefix)'text' is empty") }
        guard result.text.utf8.count <= maxTextBytes else {
            throw MemoryError(
                .invalidFact,
                "\(prefix)'text' has \(result.text.utf8.count) bytes; the limit is \(maxTextBytes) "
                    + "(split long documents into passages)")
        }
        if let source = fact.source { try checkLabel(source, field: "source", prefix: prefix) }
        if let session = fact.session { try checkLabel(session, field: "session", prefix: prefix) }
        guard fact.tags.count <= maxTags else {
            throw MemoryError(.invalidFact, "\(prefix)'tags' has \(fact.tags.count) tags; the limit is \(maxTags)")
        }
        var tags: [String] = []
        for tag in fact.tags {
            try checkLabel(tag, field: "tags", prefix: prefix)
            if !tags.contains(tag) { tags.append(tag) }
        }
        result.tags = tags
        return result
    }

    /// Rejects an empty label, one with control characters, or one too long.
    static func checkLabel(_ label: String, field: String, prefix: String = "") throws(MemoryError) {
        guard !label.isEmpty else { throw MemoryError(.invalidFact, "\(prefix)'\(field)' must not be empty") }
        guard label.utf8.count <= maxLabelBytes else {
            throw MemoryError(.invalidFact, "\(prefix)'\(field)' is longer than \(maxLabelBytes) bytes")
        }
        guard !label.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else {
            throw MemoryError(.invalidFact, "\(prefix)'\(field)' must not contain control characters")
        }
    }

    static func trimmed(_ text: String) -> String {
        var slice = Substring(text)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}

/// The words of a query that text search looks for: content words, or every word when all are function words.
enum QueryTerms {
    static let maxTerms = 32

    static func of(_ query: String) -> [String] {
        var scanner = WordScanner()
        scanner.scan(query)
        var seen: Set<String> = []
        let words = scanner.words.filter { seen.insert($0).inserted }
        let content = words.filter { !Stopwords.contains($0) }
        return Array((content.isEmpty ? words : content).prefix(maxTerms))
    }
}
