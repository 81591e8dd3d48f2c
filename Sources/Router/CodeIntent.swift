/// What a question asks of the code skill, decided by pattern checks alone.
public enum CodeIntent: Sendable, Equatable {
    /// Run the code the question already contains.
    case run(FoundCode)
    /// Have a model write a program that computes the answer, then run it.
    case write

    /// The intent of `prompt`, or nil when the code skill should pass: no code to run and no request to compute by
    /// running code, or code the question asks about (explain, review, fix...) rather than asks to run.
    public static func of(_ prompt: String) -> CodeIntent? {
        let lowered = prompt.lowercased()
        if lowered.contains("```") || lowered.contains("~~~") {
            guard let found = CodeBlocks.fencedProgram(in: prompt) else { return nil }
            let outside = textOutsideFences(lowered)
            if asksAboutCode.contains(where: { outside.contains($0) }) { return nil }
            return .run(found)
        }
        if let found = CodeBlocks.inlineProgram(in: prompt) { return .run(found) }
        return asksToComputeWithCode(lowered) ? .write : nil
    }

    /// Whether `lowered` asks for a result computed by running a program ("Write and run a program that ...", "Use
    /// Python to compute ..."), rather than for the program itself or how to write one ("How do I use Python to
    /// ...?").
    static func asksToComputeWithCode(_ lowered: String) -> Bool {
        let text = lowered.trimmingWhitespace()
        if howToOpenings.contains(where: { text.hasPrefix($0) }) { return false }
        if text.contains("explain") || text.contains("review") { return false }
        if runPhrases.contains(where: { text.contains($0) }) { return true }
        // "Python" alone is a weaker sign: it must come with a request to work something out, in the imperative.
        guard pythonPhrases.contains(where: { text.contains($0) }) else { return false }
        let firstWord = text.prefix { $0.isLetter }
        return imperativeOpenings.contains(String(firstWord)) && computeVerbs.contains { text.contains($0) }
    }

    /// The prompt without its fenced blocks: what the person wrote around the code.
    private static func textOutsideFences(_ text: String) -> String {
        var outside: [Substring] = []
        var inFence = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                inFence.toggle()
                continue
            }
            if !inFence { outside.append(line) }
        }
        return outside.joined(separator: "\n")
    }

    /// Phrases that ask for a program to be run.
    private static let runPhrases = [
        "write and run", "write and execute", "write & run", "write, run", "writing and running",
        "by running code", "by running a program", "by running a script", "run a program to", "run a program that",
        "run a script to", "run a script that", "run some code", "run code to", "execute code to",
    ]
    /// Phrases that name Python (or code) as the means.
    private static let pythonPhrases = [
        "use python", "using python", "with python", "in python", "use code", "using code",
    ]
    /// First words of a request to work something out.
    private static let imperativeOpenings: Set<String> = [
        "use", "using", "with", "in", "compute", "calculate", "count", "find", "solve", "simulate", "generate",
        "determine", "evaluate", "estimate", "work", "figure", "list", "please", "can", "could",
    ]
    /// Verbs of working something out.
    private static let computeVerbs = [
        "comput", "calculat", "count", "find", "solve", "simulat", "generat", "determin", "evaluat", "estimat",
        "work out", "figure out", "sum ", "list ",
    ]
    /// Openings of questions about how to program, which a model should answer in words.
    private static let howToOpenings = [
        "how ", "why ", "what is the best way", "what's the best way", "should ", "is it ", "can i ", "could i ",
        "explain", "teach me",
    ]
    /// Requests about code that running it would not answer.
    private static let asksAboutCode = [
        "explain", "review", "fix ", "fix:", "debug", "refactor", "improve", "rewrite", "translate", "convert",
        "optimize", "optimise", "what does this code do", "what does this function do", "what does this script do",
        "what does this program do", "why does", "why is", "comment on",
    ]
}
