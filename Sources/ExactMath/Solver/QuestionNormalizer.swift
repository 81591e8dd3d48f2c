/// Turns a question as a person wrote it into the `core` that recognisers read: lower case, folded spaces and
/// dashes, without the instruction phrasing around the actual problem ("Step by step:", "Calculate", "What is",
/// "and show your work", trailing "?").
///
/// Instruction phrasing is recognised from a vocabulary of instruction words, not from a list of known prompts:
/// a lead-in ending in ":" or "," is dropped when every word in it is an instruction word, and a trailing run of
/// instruction words is dropped when it starts with a word such as "show", "explain", "step" or "with".
enum QuestionNormalizer {
    /// The normalised form of `text` (see the type's documentation).
    static func core(of text: String) -> String {
        var core = fold(text)
        for _ in 0..<8 {
            let before = core
            core = trimPunctuation(core)
            core = dropTrailingInstruction(core)
            core = dropLeadIn(core)
            core = dropLeadingPhrase(core)
            if core == before { break }
        }
        return core
    }

    // MARK: - Character folding

    /// Lower-cases, folds Unicode spaces to one ASCII space, dashes used as minus signs to "-", typographic quotes
    /// to ASCII, keeps single newlines (they separate equations) and trims the ends.
    static func fold(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        var pendingNewline = false
        for scalar in text.lowercased().unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x0D, 0x2028, 0x2029:
                pendingNewline = true
                continue
            case 0x200B, 0x200C, 0x200D, 0xFEFF:
                continue
            default:
                break
            }
            if scalar.properties.isWhitespace {
                pendingSpace = true
                continue
            }
            if !scalars.isEmpty {
                if pendingNewline {
                    scalars.append("\n")
                } else if pendingSpace {
                    scalars.append(" ")
                }
            }
            pendingSpace = false
            pendingNewline = false
            switch scalar.value {
            case 0x2212, 0x2012, 0xFE63, 0xFF0D: scalars.append("-")
            case 0x2018, 0x2019, 0x02BC: scalars.append("'")
            case 0x201C, 0x201D: scalars.append("\"")
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    // MARK: - Punctuation at the ends

    /// Drops trailing "?", ".", ":", ";", "," and a trailing "!" that is not a factorial sign, and leading ":" or ",".
    static func trimPunctuation(_ text: String) -> String {
        var chars = Substring(text)
        while let last = chars.last {
            if last == " " || last == "\n" || last == "?" || last == "." || last == ":" || last == ";"
                || last == "," || last == "…"
            {
                chars = chars.dropLast()
            } else if last == "!" {
                let previous = chars.dropLast().last
                if let previous, previous.isNumber || previous == ")" { break }
                chars = chars.dropLast()
            } else {
                break
            }
        }
        while let first = chars.first, first == " " || first == "\n" || first == ":" || first == "," || first == "-" {
            // A leading "-" stays when it is a sign ("-3 + 5").
            if first == "-", let next = chars.dropFirst().first, next != " " { break }
            chars = chars.dropFirst()
        }
        return String(chars)
    }

    // MARK: - Instruction vocabulary

    /// Words that make up instruction phrasing around a problem.
    static let instructionWords: Set<Substring> = [
        "step", "steps", "by", "step-by-step", "explain", "explaining", "explanation", "and", "solve", "solving", "show",
        "showing", "shows", "your", "all", "the", "reasoning", "work", "working", "workings", "using", "use",
        "mathematical", "math", "maths", "principles", "principle", "through", "this", "these", "following",
        "problem", "problems", "question", "provide", "providing", "a", "detailed", "detail", "in", "solution",
        "please", "calculate", "compute", "find", "determine", "evaluate", "answer", "carefully", "clearly",
        "briefly", "think", "reason", "let's", "lets", "us", "it", "out", "with", "how", "you", "got", "get", "me",
        "full", "process", "include", "including", "give", "giving", "then", "now", "task", "exercise", "here",
        "here's", "is", "an", "of", "each", "justify", "justification", "thoroughly", "logic", "logically",
        "method", "methods", "thanks", "thank", "kindly", "can", "could", "would", "i", "need", "to", "want",
        "help", "steps:", "answer:", "work:", "final", "result", "results", "both", "what", "did",
    ]

    /// Words that may start a trailing instruction run ("… and show your work", "… step by step").
    static let trailingStarters: Set<Substring> = [
        "show", "showing", "explain", "explaining", "step", "steps", "step-by-step", "with", "please", "using",
        "justify", "include", "including", "give", "giving", "provide", "providing", "thanks", "thank", "kindly",
    ]

    /// A word without surrounding punctuation ("solve:" -> "solve", "(show" -> "show").
    static func bare(_ word: Substring) -> Substring {
        var word = word
        while let first = word.first, first == "(" || first == "[" || first == "\"" { word = word.dropFirst() }
        while let last = word.last, last == ")" || last == "]" || last == ":" || last == "," || last == "."
            || last == ";" || last == "\"" || last == "?" || last == "!"
        {
            word = word.dropLast()
        }
        return word
    }

    /// True when every word of `phrase` is an instruction word; "for <letter>" ("solve for x") counts too.
    static func isInstruction(_ phrase: Substring) -> Bool {
        var sawWord = false
        var previous: Substring = ""
        for raw in phrase.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\n" }) {
            let word = bare(raw)
            if word.isEmpty { continue }
            sawWord = true
            if instructionWords.contains(word) {
                previous = word
                continue
            }
            if word == "for" {
                previous = word
                continue
            }
            if previous == "for", word.count == 1, word.first!.isLetter {
                previous = word
                continue
            }
            return false
        }
        return sawWord
    }

    // MARK: - Lead-ins and trailers

    /// Drops "Step by step:", "Using mathematical principles, solve:" and similar lead-ins.
    static func dropLeadIn(_ text: String) -> String {
        for separator in [Character(":"), ","] {
            guard let index = text.firstIndex(of: separator) else { continue }
            let prefix = text[..<index]
            if prefix.count <= 80, isInstruction(prefix) {
                return String(text[text.index(after: index)...])
            }
        }
        return text
    }

    /// Drops a trailing instruction run such as "and show your work", "(step by step)", ". Explain your reasoning".
    static func dropTrailingInstruction(_ text: String) -> String {
        var words = text.split(separator: " ", omittingEmptySubsequences: true)
        var runStart = words.count
        while runStart > 0 {
            let word = bare(words[runStart - 1])
            if word.isEmpty || instructionWords.contains(word) || word == "for" {
                runStart -= 1
            } else {
                break
            }
        }
        guard runStart < words.count else { return text }
        guard let starter = (runStart..<words.count).first(where: { trailingStarters.contains(bare(words[$0])) })
        else { return text }
        // The run must begin a clause: at the start of a word run after punctuation, or after "and"/"then".
        words.removeSubrange(starter...)
        while let last = words.last, ["and", "then", "&", "-"].contains(bare(last)) || bare(last).isEmpty {
            words.removeLast()
        }
        return words.joined(separator: " ")
    }

    /// Leading instruction phrases dropped one at a time; each must be followed by a space, ":" or ",".
    static let leadingPhrases: [String] = [
        "please", "kindly", "can you", "could you", "would you", "will you", "help me", "i need to", "i want to",
        "i'd like to", "tell me", "show me", "let's", "lets", "now", "then", "and", "what is", "what's", "whats",
        "what are", "what would be", "what will be", "how much is", "calculate", "compute", "find", "determine",
        "evaluate", "work out", "figure out", "solve", "give me", "quickly", "also",
    ]

    /// Drops one leading instruction phrase ("calculate", "what is", "solve for x").
    static func dropLeadingPhrase(_ text: String) -> String {
        for phrase in leadingPhrases where text.hasPrefix(phrase) {
            var rest = text.dropFirst(phrase.count)
            guard let next = rest.first, next == " " || next == ":" || next == "," || next == "\n" else { continue }
            rest = rest.drop(while: { $0 == " " || $0 == ":" || $0 == "," || $0 == "\n" })
            if phrase == "solve", rest.hasPrefix("for "), let letter = rest.dropFirst(4).first, letter.isLetter {
                let afterLetter = rest.dropFirst(5)
                if afterLetter.isEmpty || afterLetter.first == " " || afterLetter.first == ":"
                    || afterLetter.first == ","
                {
                    rest = afterLetter.drop(while: { $0 == " " || $0 == ":" || $0 == "," || $0 == "\n" })
                }
            }
            return String(rest)
        }
        return text
    }
}
