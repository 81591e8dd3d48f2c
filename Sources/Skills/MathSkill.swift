import ExactMath
import JSON

/// Exact mathematics: arithmetic of any size, percentages, roots, logarithms, number theory, geometry, equations,
/// polynomial calculus. It answers only what `MathSolver` fully understands, so it never guesses.
public struct MathSkill: Skill {
    public let name = "math"

    /// Creates the skill.
    public init() {}

    public func claim(_ question: Question) -> Claim? {
        guard let solved = MathSolver.solve(question.prompt) else { return nil }
        var details = JSONObject()
        details["exact"] = .string(solved.exact)
        if let approximation = solved.approximation { details["approximation"] = .string(approximation) }
        details["working"] = .array(solved.working.map { .string($0) })
        details["topic"] = .string(solved.topic.rawValue)
        return .answered(
            SkillAnswer(text: solved.text, answer: solved.answer, skill: name, confidence: 1.0, details: details))
    }
}
