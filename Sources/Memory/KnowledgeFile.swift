import Glibc
import JSON

/// Why a knowledge file could not be read or parsed.
public struct KnowledgeFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The 1-based line of a JSONL file at fault, when there is one.
    public var line: Int?
    /// What is wrong.
    public var message: String

    /// Makes an error.
    public init(line: Int? = nil, _ message: String) {
        self.line = line
        self.message = message
    }

    /// "line 3: 'text' is missing", or the message alone.
    public var description: String { line.map { "line \($0): \(message)" } ?? message }
}

/// Files for `council knowledge import`: JSONL, one fact per line (`{"text": "...", "source": "...", "tags":
/// [...]}`, `source` and `tags` optional), or plain text split into passages at blank lines, long paragraphs cut
/// into groups of sentences.
public enum KnowledgeFile {
    /// How a file is read.
    public enum Format: String, Sendable, CaseIterable {
        case jsonl, text
    }

    /// A paragraph longer than this many UTF-8 bytes is cut into groups of sentences of about this size.
    public static let passageBytes = 600

    /// The facts in a file; `format` nil guesses from the extension (`.jsonl`, `.ndjson`) or the first character.
    /// Facts without a source get `defaultSource`; `tags` are added to every fact's own.
    public static func facts(
        path: String, format: Format? = nil, defaultSource: String?, tags: [String] = []
    ) throws(KnowledgeFileError) -> [NewFact] {
        let text = try read(path)
        let chosen = format ?? guessFormat(path: path, text: text)
        switch chosen {
        case .jsonl: return try jsonLines(text, defaultSource: defaultSource, tags: tags)
        case .text: return passages(text).map { NewFact(text: $0, source: defaultSource, tags: tags) }
        }
    }

    /// JSONL → facts; blank lines are skipped, anything else must be an object with a string `text`.
    public static func jsonLines(_ text: String, defaultSource: String?, tags: [String] = []) throws(KnowledgeFileError)
        -> [NewFact]
    {
        var facts: [NewFact] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            guard line.contains(where: { !$0.isWhitespace }) else { continue }
            let value: JSONValue
            do {
                value = try JSONParser.parse(String(line))
            } catch {
                throw KnowledgeFileError(line: number, "not JSON: \(error)")
            }
            guard case .object(let object) = value else { throw KnowledgeFileError(line: number, "not a JSON object") }
            guard case .string(let factText)? = object["text"] else {
                throw KnowledgeFileError(
                    line: number, "'text' \(object["text"] == nil ? "is missing" : "must be a string")")
            }
            var source = defaultSource
            switch object["source"] {
            case nil, .null?: break
            case .string(let given)?: source = given
            default: throw KnowledgeFileError(line: number, "'source' must be a string")
            }
            var factTags: [String] = []
            switch object["tags"] {
            case nil, .null?: break
            case .array(let items)?:
                for item in items {
                    guard case .string(let tag) = item else {
                        throw KnowledgeFileError(line: number, "'tags' must be an array of strings")
                    }
                    factTags.append(tag)
                }
            default: throw KnowledgeFileError(line: number, "'tags' must be an array of strings")
            }
            facts.append(
                NewFact(text: factText, source: source, tags: factTags + tags.filter { !factTags.contains($0) }))
        }
        return facts
    }

    /// Plain text → passages: paragraphs (separated by blank lines) with their lines joined, each paragraph longer
    /// than ``passageBytes`` cut into consecutive sentences of about that size.
    public static func passages(_ text: String) -> [String] {
        var passages: [String] = []
        var paragraph: [Substring] = []
        func flush() {
            let joined = paragraph.map { $0.trimmingSpaces() }.joined(separator: " ")
            paragraph.removeAll()
            guard !joined.isEmpty else { return }
            guard joined.utf8.count > passageBytes else { return passages.append(joined) }
            var group = ""
            for sentence in SentenceSplitter.sentences(joined) {
                let trimmed = sentence.trimmingSpaces()
                if !group.isEmpty, group.utf8.count + trimmed.utf8.count + 1 > passageBytes {
                    passages.append(group)
                    group = ""
                }
                group += group.isEmpty ? trimmed : " " + trimmed
            }
            if !group.isEmpty { passages.append(group) }
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy(\.isWhitespace) { flush() } else { paragraph.append(line) }
        }
        flush()
        return passages
    }

    /// `.jsonl`/`.ndjson` files, or files whose first non-blank character is `{`, are JSONL.
    public static func guessFormat(path: String, text: String) -> Format {
        let lower = path.lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .jsonl }
        return text.first(where: { !$0.isWhitespace }) == "{" ? .jsonl : .text
    }

    /// The file's contents as UTF-8 (invalid sequences replaced).
    static func read(_ path: String) throws(KnowledgeFileError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw KnowledgeFileError("cannot open '\(path)': \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT != S_IFDIR else {
            throw KnowledgeFileError("'\(path)' is not a regular file")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw KnowledgeFileError("cannot read '\(path)': \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
