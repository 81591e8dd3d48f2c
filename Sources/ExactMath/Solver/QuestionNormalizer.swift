/// Turns a question as a person wrote it into the `core` that recognisers read: lower case, folded spaces and
/// dashes, without the instruction phrasing around the actual problem ("Step by step:", "Calculate", "What is",
/// "and show your work", trailing "?").
///
/// Instruction phrasing is recognised from a vocabulary of instruction words, not from a list of known prompts:
/// a lead-in ending in ":" or "," is dropped when every word in it is an instruction word, and a trailing run of
/// instruction words is dropped when it starts with a word such as "show", "explain", "step" or "with".
/// Everything works on UTF-8 bytes, since every question passes through here.
enum QuestionNormalizer {
    /// The normalised form of `text` (see the type's documentation).
    static func core(of text: String) -> String {
        let bytes = fold(text)
        var start = 0
        var end = bytes.count
        for _ in 0..<8 {
            let before = (start, end)
            trimPunctuation(bytes, &start, &end)
            dropTrailingInstruction(bytes, start, &end)
            dropLeadIn(bytes, &start, end)
            dropLeadingPhrase(bytes, &start, end)
            if before == (start, end) { break }
        }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    // MARK: - Character folding

    /// Lower-cases, folds Unicode spaces to one ASCII space, dashes used as minus signs to "-", typographic quotes
    /// to ASCII, keeps single newlines (they separate equations) and trims the ends.
    static func fold(_ text: String) -> [UInt8] {
        var folded = FoldedBytes(capacity: text.utf8.count)
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte < 0x80 {
                    folded.add(ascii: byte)
                    index += 1
                } else if let (scalar, length) = TextTools.scalar(in: bytes, at: index) {
                    folded.add(scalar)
                    index += length
                } else {
                    index += 1
                }
            }
        }
        if done == nil {
            for scalar in text.unicodeScalars {
                if scalar.value < 0x80 { folded.add(ascii: UInt8(scalar.value)) } else { folded.add(scalar) }
            }
        }
        return folded.bytes
    }

    /// The folded bytes as they are built: spaces and newlines are held back until a byte follows them, so that
    /// runs fold to one and the ends come out trimmed.
    private struct FoldedBytes {
        var bytes: [UInt8] = []
        var pendingSpace = false
        var pendingNewline = false

        init(capacity: Int) {
            bytes.reserveCapacity(capacity)
        }

        mutating func emit(_ byte: UInt8) {
            if !bytes.isEmpty {
                if pendingNewline {
                    bytes.append(newline)
                } else if pendingSpace {
                    bytes.append(space)
                }
            }
            pendingSpace = false
            pendingNewline = false
            bytes.append(byte)
        }

        mutating func add(ascii byte: UInt8) {
            switch byte {
            case 0x0A, 0x0D: pendingNewline = true
            case 0x09, 0x0B, 0x0C, space: pendingSpace = true
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): emit(byte + 32)
            default: emit(byte)
            }
        }

        /// A scalar outside ASCII.
        mutating func add(_ scalar: Unicode.Scalar) {
            switch scalar.value {
            case 0x2028, 0x2029, 0x85: pendingNewline = true
            case 0x200B, 0x200C, 0x200D, 0xFEFF: break
            case 0x2212, 0x2012, 0xFE63, 0xFF0D: emit(UInt8(ascii: "-"))
            case 0x2018, 0x2019, 0x02BC: emit(UInt8(ascii: "'"))
            case 0x201C, 0x201D: emit(UInt8(ascii: "\""))
            default:
                if scalar.properties.isWhitespace {
                    pendingSpace = true
                    return
                }
                let lower =
                    scalar.properties.changesWhenLowercased
                    ? scalar.properties.lowercaseMapping
                    : String(Character(scalar))
                var first = true
                for byte in lower.utf8 {
                    if first {
                        emit(byte)
                        first = false
                    } else {
                        bytes.append(byte)
                    }
                }
            }
        }
    }

    static let space = UInt8(ascii: " ")
    static let newline = UInt8(ascii: "\n")

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    static func isLetter(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }

    // MARK: - Punctuation at the ends

    /// Drops trailing "?", ".", ":", ";", ",", "…" and a trailing "!" that is not a factorial sign, and leading
    /// ":", "," or a "-" that is not a sign.
    static func trimPunctuation(_ bytes: [UInt8], _ start: inout Int, _ end: inout Int) {
        while end > start {
            let last = bytes[end - 1]
            switch last {
            case space, newline, UInt8(ascii: "?"), UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: ";"),
                UInt8(ascii: ","):
                end -= 1
                continue
            case UInt8(ascii: "!"):
                if end - 2 >= start, isDigit(bytes[end - 2]) || bytes[end - 2] == UInt8(ascii: ")") { return }
                end -= 1
                continue
            case 0xA6 where end - 3 >= start && bytes[end - 3] == 0xE2 && bytes[end - 2] == 0x80:  // "…"
                end -= 3
                continue
            default:
                break
            }
            break
        }
        while start < end {
            let first = bytes[start]
            if first == space || first == newline || first == UInt8(ascii: ":") || first == UInt8(ascii: ",") {
                start += 1
            } else if first == UInt8(ascii: "-"), start + 1 < end, bytes[start + 1] == space {
                start += 1
            } else {
                break
            }
        }
    }

    // MARK: - Instruction vocabulary

    private static func words(_ list: [String]) -> Set<ArraySlice<UInt8>> {
        Set(list.map { ArraySlice(Array($0.utf8)) })
    }

    /// Words that make up instruction phrasing around a problem.
    static let instructionWords = words([
        "step", "steps", "by", "step-by-step", "explain", "explaining", "explanation", "and", "solve", "solving",
        "show",
        "showing", "shows", "your", "all", "the", "reasoning", "work", "working", "workings", "using", "use",
        "mathematical", "math", "maths", "principles", "principle", "through", "this", "these", "following",
        "problem", "problems", "question", "provide", "providing", "a", "detailed", "detail", "in", "solution",
        "please", "calculate", "compute", "find", "determine", "evaluate", "answer", "carefully", "clearly",
        "briefly", "think", "reason", "let's", "lets", "us", "it", "out", "with", "how", "you", "got", "get", "me",
        "full", "process", "include", "including", "give", "giving", "then", "now", "task", "exercise", "here",
        "here's", "is", "an", "of", "each", "justify", "justification", "thoroughly", "logic", "logically",
        "method", "methods", "thanks", "thank", "kindly", "can", "could", "would", "i", "need", "to", "want",
        "help", "final", "result", "results", "both", "what", "did", "hi", "hello", "hey", "ok", "okay", "so",
    ])

    /// Words that may start a trailing instruction run ("… and show your work", "… step by step").
    static let trailingStarters = words([
        "show", "showing", "explain", "explaining", "step", "steps", "step-by-step", "with", "please", "using",
        "justify", "include", "including", "give", "giving", "provide", "providing", "thanks", "thank", "kindly",
    ])

    static let forWord = ArraySlice(Array("for".utf8))

    /// The bounds of a word without surrounding punctuation ("solve:" -> "solve", "(show" -> "show").
    static func bare(_ bytes: [UInt8], _ start: Int, _ end: Int) -> ArraySlice<UInt8> {
        var start = start
        var end = end
        while start < end, [UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "\"")].contains(bytes[start]) {
            start += 1
        }
        while end > start,
            [
                UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "."),
                UInt8(ascii: ";"), UInt8(ascii: "\""), UInt8(ascii: "?"), UInt8(ascii: "!"),
            ].contains(bytes[end - 1])
        {
            end -= 1
        }
        return bytes[start..<end]
    }

    /// True when every word of bytes[start..<end] is an instruction word; "for <letter>" ("solve for x") counts.
    static func isInstruction(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Bool {
        var sawWord = false
        var previousWasFor = false
        var index = start
        while index < end {
            while index < end, bytes[index] == space || bytes[index] == newline || bytes[index] == UInt8(ascii: ",") {
                index += 1
            }
            guard index < end else { break }
            var wordEnd = index
            while wordEnd < end, bytes[wordEnd] != space, bytes[wordEnd] != newline,
                bytes[wordEnd] != UInt8(ascii: ",")
            {
                wordEnd += 1
            }
            let word = bare(bytes, index, wordEnd)
            index = wordEnd
            if word.isEmpty { continue }
            sawWord = true
            if word == forWord {
                previousWasFor = true
            } else if instructionWords.contains(word) {
                previousWasFor = false
            } else if previousWasFor, word.count == 1, isLetter(word.first!) {
                previousWasFor = false
            } else {
                return false
            }
        }
        return sawWord
    }

    // MARK: - Lead-ins and trailers

    /// Drops "Step by step:", "Using mathematical principles, solve:" and similar lead-ins.
    static func dropLeadIn(_ bytes: [UInt8], _ start: inout Int, _ end: Int) {
        let limit = min(end, start + 120)
        for separator in [UInt8(ascii: ":"), UInt8(ascii: ",")] {
            guard let index = bytes[start..<limit].firstIndex(of: separator) else { continue }
            if isInstruction(bytes, start, index) {
                start = index + 1
                return
            }
        }
    }

    /// Drops a trailing instruction run such as "and show your work", "(step by step)", ". Explain your reasoning".
    static func dropTrailingInstruction(_ bytes: [UInt8], _ start: Int, _ end: inout Int) {
        var runStart = end
        var starter: Int? = nil
        var wordEnd = end
        while wordEnd > start {
            var wordStart = wordEnd
            while wordStart > start, bytes[wordStart - 1] != space, bytes[wordStart - 1] != newline { wordStart -= 1 }
            let word = bare(bytes, wordStart, wordEnd)
            guard word.isEmpty || word == forWord || instructionWords.contains(word) else { break }
            if trailingStarters.contains(word) { starter = wordStart }
            runStart = wordStart
            wordEnd = wordStart
            while wordEnd > start, bytes[wordEnd - 1] == space || bytes[wordEnd - 1] == newline { wordEnd -= 1 }
        }
        guard runStart < end, var cut = starter else { return }
        // Drop the connectors left in front of the run: "… and", "… then", "… ,".
        while true {
            while cut > start, bytes[cut - 1] == space || bytes[cut - 1] == newline { cut -= 1 }
            var wordStart = cut
            while wordStart > start, bytes[wordStart - 1] != space, bytes[wordStart - 1] != newline { wordStart -= 1 }
            let word = bare(bytes, wordStart, cut)
            if word.isEmpty && wordStart < cut || word == andWord || word == thenWord || word == ampersand {
                cut = wordStart
            } else {
                break
            }
        }
        end = cut
    }

    static let andWord = ArraySlice(Array("and".utf8))
    static let thenWord = ArraySlice(Array("then".utf8))
    static let ampersand = ArraySlice(Array("&".utf8))

    /// Leading instruction phrases dropped one at a time; each must be followed by a space, ":" or ",".
    static let leadingPhrases: [[UInt8]] = [
        "please", "kindly", "can you", "could you", "would you", "will you", "help me", "i need to", "i want to",
        "i'd like to", "tell me", "show me", "let's", "lets", "now", "then", "and", "what is", "what's", "whats",
        "what are", "what would be", "what will be", "how much is", "calculate", "compute", "find", "determine",
        "evaluate", "work out", "figure out", "solve", "give me", "quickly", "also", "explain",
    ].map { Array($0.utf8) }

    static let solvePhrase = Array("solve".utf8)

    static func isBoundary(_ byte: UInt8) -> Bool {
        byte == space || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ",") || byte == newline
    }

    /// Drops one leading instruction phrase ("calculate", "what is", "solve for x").
    static func dropLeadingPhrase(_ bytes: [UInt8], _ start: inout Int, _ end: Int) {
        for phrase in leadingPhrases where phrase.count < end - start && phrase[0] == bytes[start] {
            guard bytes[start..<start + phrase.count].elementsEqual(phrase), isBoundary(bytes[start + phrase.count])
            else { continue }
            var rest = start + phrase.count
            while rest < end, isBoundary(bytes[rest]) { rest += 1 }
            // "solve for x: …"
            if phrase == solvePhrase, rest + 5 <= end, bytes[rest..<rest + 4].elementsEqual("for ".utf8),
                isLetter(bytes[rest + 4]), rest + 5 == end || isBoundary(bytes[rest + 5])
            {
                rest += 5
                while rest < end, isBoundary(bytes[rest]) { rest += 1 }
            }
            start = rest
            return
        }
    }
}
