import JSON
import Prolog

/// Logic: Prolog queries (`?- grandparent(tom, X).`) against the loaded programs, and syllogisms, kinship and
/// comparison puzzles in controlled English, answered with the steps of the proof. It claims only what it can
/// translate exactly; anything else goes to the next skill.
public struct LogicSkill: Skill {
    public let name = "logic"
    private let library: LogicLibrary
    /// Limits for English puzzles, which are small by construction.
    private let puzzleLimits = PrologLimits(maxInferences: 2_000_000, maxHeapCells: 2_000_000, timeout: .seconds(2))

    /// Creates the skill over the shared library of programs.
    public init(library: LogicLibrary) {
        self.library = library
    }

    public func claim(_ question: Question) -> Claim? {
        let prompt = question.prompt.trimmingWhitespace()
        if prompt.hasPrefix("?-") {
            let knowledgeBase = library.knowledgeBase() ?? KnowledgeBase()
            let limits = library.limits
            let skill = name
            return Claim(confidence: 1.0) {
                await Self.answerQuery(prompt, knowledgeBase: knowledgeBase, limits: limits, skill: skill)
            }
        }
        guard let problem = LogicEnglish.translate(prompt) else { return nil }
        let limits = puzzleLimits
        let skill = name
        return Claim(confidence: 1.0) {
            await LogicPuzzle(problem: problem, limits: limits).answer(skill: skill)
        }
    }

    /// Runs a `?-` query and describes its solutions.
    static func answerQuery(
        _ prompt: String, knowledgeBase: KnowledgeBase, limits: PrologLimits, skill: String
    ) async -> SkillAnswer {
        let goal = String(prompt.dropFirst(2)).trimmingWhitespace()
        let result: PrologResult
        do {
            result = try await knowledgeBase.solveDetached(goal, maxSolutions: 20, limits: limits)
        } catch {
            let message = "The query could not run: \(error)."
            return SkillAnswer(
                text: "?- \(goal)\n\(message)", answer: "error: \(error)", skill: skill, confidence: 1.0,
                details: ["working": [.string(message)]])
        }
        var lines: [String] = []
        var answers: [String] = []
        for solution in result.solutions {
            let bindings = solution.bindings
            if bindings.isEmpty {
                lines.append("true")
            } else {
                lines.append(bindings.map { "\($0.name) = \($0.text)" }.joined(separator: ", "))
                answers.append(
                    bindings.count == 1
                        ? bindings[0].text : bindings.map { "\($0.name) = \($0.text)" }.joined(separator: ", "))
            }
        }
        if result.solutions.isEmpty { lines.append("false") }
        if result.more { lines.append("(more solutions exist)") }
        let answer: String
        if result.solutions.isEmpty {
            answer = "no"
        } else if answers.isEmpty {
            answer = "yes"
        } else {
            answer = answers.joined(separator: answers.contains { $0.contains(" = ") } ? "; " : ", ")
        }
        var text = "?- \(goal)\n" + lines.joined(separator: "\n")
        if !result.output.isEmpty { text += "\nOutput:\n" + result.output }
        var details: JSONObject = [
            "working": .array(lines.map { .string($0) }),
            "solutions": .array(
                result.solutions.map { solution in
                    var object = JSONObject()
                    for binding in solution.bindings { object[binding.name] = .string(binding.text) }
                    return .object(object)
                }),
            "more": .bool(result.more),
        ]
        if !result.output.isEmpty { details["output"] = .string(result.output) }
        return SkillAnswer(text: text, answer: answer, skill: skill, confidence: 1.0, details: details)
    }
}
