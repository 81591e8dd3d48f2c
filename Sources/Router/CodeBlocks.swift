/// A program found in a question or a model's reply: the language the sandbox should run it with, and its text.
public struct FoundCode: Sendable, Equatable {
    /// The sandbox language name: `python`, `sh` or `bash`.
    public var language: String
    /// The program's text.
    public var code: String

    /// Creates a program.
    public init(language: String, code: String) {
        self.language = language
        self.code = code
    }
}

/// Finds runnable code in text by pattern checks alone (no I/O, no model): Markdown fences tagged `python`, `sh` or
/// `bash`, untagged fences whose content is clearly Python, and one-line requests like "Run this: print(2**100)".
public enum CodeBlocks {
    /// One fenced block: its info string's first word (lowercased, may be empty) and its content.
    public struct Fence: Sendable, Equatable {
        /// The tag after the opening fence, lowercased; empty when untagged.
        public var tag: String
        /// The lines between the fences.
        public var content: String
    }

    /// The fenced blocks of `text`, in order. An unclosed fence runs to the end of the text.
    public static func fences(in text: String) -> [Fence] {
        var fences: [Fence] = []
        var open: (marker: String, tag: String, lines: [Substring])?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            let indent = line.count - trimmed.count
            if var block = open {
                if indent <= 3, trimmed.hasPrefix(block.marker),
                    trimmed.allSatisfy({ $0 == "`" || $0 == "~" || $0 == " " })
                {
                    fences.append(Fence(tag: block.tag, content: block.lines.joined(separator: "\n")))
                    open = nil
                } else {
                    block.lines.append(line)
                    open = block
                }
                continue
            }
            guard indent <= 3, let marker = fenceMarker(trimmed) else { continue }
            let info = trimmed.dropFirst(marker.count).drop { $0 == " " }
            let tag = info.prefix { !$0.isWhitespace && $0 != "{" }.lowercased()
            open = (marker, tag, [])
        }
        if let block = open { fences.append(Fence(tag: block.tag, content: block.lines.joined(separator: "\n"))) }
        return fences
    }

    /// The sandbox language a fence tag names, or nil when the tag names something the code skill does not run.
    public static func language(forTag tag: String) -> String? {
        switch tag {
        case "python", "python3", "py": "python"
        case "sh", "shell": "sh"
        case "bash": "bash"
        default: nil
        }
    }

    /// The program in `text`'s fences: the runnable blocks (tagged, or untagged and clearly Python), joined in order
    /// when several share one language. Nil when there is none, or when blocks of different languages make it
    /// unclear what to run.
    public static func fencedProgram(in text: String) -> FoundCode? {
        var found: [FoundCode] = []
        for fence in fences(in: text) {
            let body = fence.content.trimmingWhitespace()
            guard !body.isEmpty else { continue }
            if let language = language(forTag: fence.tag) {
                found.append(FoundCode(language: language, code: body))
            } else if fence.tag.isEmpty, isClearlyPython(body) {
                found.append(FoundCode(language: "python", code: body))
            }
        }
        guard let first = found.first, found.allSatisfy({ $0.language == first.language }) else { return nil }
        return FoundCode(language: first.language, code: found.map(\.code).joined(separator: "\n\n"))
    }

    /// Whether `code` is unmistakably Python: some line uses Python-only syntax (`import x`, `def f(`, `print(`, a
    /// block header ending in `:`), and no line ends the way C, Java or JavaScript lines do (`;`, `{`, `}`).
    public static func isClearlyPython(_ code: String) -> Bool {
        var marked = false
        for rawLine in code.split(separator: "\n") {
            let line = String(rawLine).trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasSuffix(";") || line.hasSuffix("{") || line.hasSuffix("}") { return false }
            if line.hasPrefix("#include") || line.hasPrefix("//") { return false }
            if pythonMarkers.contains(where: { line.hasPrefix($0) }) {
                marked = true
            } else if line.hasSuffix(":"), blockKeywords.contains(where: { line.hasPrefix($0) }) {
                marked = true
            }
        }
        return marked
    }

    /// A one-line (or short) request to run code without fences: "Run this: print(2**100)", "Execute this Python
    /// code: ...", "run `echo hi` in bash". Nil unless the code after the request is clearly in the named language
    /// (Python when none is named).
    public static func inlineProgram(in text: String) -> FoundCode? {
        var rest = Substring(text.trimmingWhitespace())
        let lowered = rest.lowercased()
        var matched = false
        for verb in runVerbs where lowered.hasPrefix(verb) {
            rest = rest.dropFirst(verb.count)
            matched = true
            break
        }
        guard matched else { return nil }
        var language: String?
        // An optional "this", "the following", then an optional language and noun, then ':' or a new line.
        rest = rest.drop { $0 == " " }
        for filler in ["the following", "this", "these"] where rest.lowercased().hasPrefix(filler) {
            rest = rest.dropFirst(filler.count).drop { $0 == " " }
            break
        }
        for (word, name) in namedLanguages where rest.lowercased().hasPrefix(word) {
            let after = rest.dropFirst(word.count)
            guard let next = after.first, !next.isLetter && !next.isNumber else { continue }
            rest = after.drop { $0 == " " }
            language = name
            break
        }
        for noun in ["code", "script", "program", "command", "snippet"] where rest.lowercased().hasPrefix(noun) {
            rest = rest.dropFirst(noun.count).drop { $0 == " " }
            break
        }
        guard let separator = rest.first, separator == ":" || separator == "\n" else { return nil }
        var code = String(rest.dropFirst()).trimmingWhitespace()
        if code.hasPrefix("`"), code.hasSuffix("`"), code.count > 2 {
            code = String(code.dropFirst().dropLast()).trimmingWhitespace()
        }
        guard !code.isEmpty, !code.contains("```") else { return nil }
        if let language { return FoundCode(language: language, code: code) }
        return isClearlyPython(code) ? FoundCode(language: "python", code: code) : nil
    }

    /// Lines that only Python starts this way.
    private static let pythonMarkers = [
        "import ", "from ", "def ", "class ", "print(", "elif ", "lambda ", "async def ", "return ", "yield ",
        "assert ", "raise ", "with open(",
    ]
    /// Block headers that end in `:` in Python.
    private static let blockKeywords = ["for ", "while ", "if ", "else", "try", "except", "finally", "with "]
    /// How a request to run code starts.
    private static let runVerbs = ["please run", "please execute", "run", "execute", "evaluate"]
    /// Language names a request may give, and the sandbox language each means.
    private static let namedLanguages = [
        ("python3", "python"), ("python", "python"), ("bash", "bash"), ("shell", "sh"), ("sh", "sh"),
    ]

    /// The opening marker of a fence (three or more backticks or tildes), or nil.
    private static func fenceMarker(_ line: Substring) -> String? {
        guard let first = line.first, first == "`" || first == "~" else { return nil }
        let run = line.prefix { $0 == first }
        guard run.count >= 3 else { return nil }
        // A backtick fence's info string may not contain backticks (that is inline code).
        if first == "`", line.dropFirst(run.count).contains("`") { return nil }
        return String(run)
    }
}
