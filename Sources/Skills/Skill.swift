import JSON

/// A question as the skills see it.
public struct Question: Sendable {
    /// The user's text, unchanged.
    public var prompt: String
    /// The conversation it belongs to, when the requester named one.
    public var session: String?

    /// Creates a question.
    public init(prompt: String, session: String? = nil) {
        self.prompt = prompt
        self.session = session
    }
}

/// What a skill answered.
public struct SkillAnswer: Sendable {
    /// Reads well to a person: working, then the result.
    public var text: String
    /// The final result alone, for machines and automations.
    public var answer: String
    /// The skill that answered ("math", ...).
    public var skill: String
    /// 1.0 for exact skills that fully understood the question.
    public var confidence: Double
    /// The model that produced it; nil for exact skills.
    public var model: String?
    /// Skill-specific fields added to the reply's `data` (for math: `exact`, `approximation`, `working`, `topic`).
    public var details: JSONObject

    /// Creates an answer.
    public init(
        text: String, answer: String, skill: String, confidence: Double, model: String? = nil,
        details: JSONObject = JSONObject()
    ) {
        self.text = text
        self.answer = answer
        self.skill = skill
        self.confidence = confidence
        self.model = model
        self.details = details
    }
}

/// A skill's offer to answer a question: how sure it is, and how to produce the answer.
public struct Claim: Sendable {
    /// From 0 to 1; exact skills claim 1 only when they fully understood the question.
    public var confidence: Double
    /// Produces the answer; may do I/O (an LLM call), unlike `Skill.claim`.
    public var resolve: @Sendable () async throws -> SkillAnswer
    /// The answer, when claiming already produced it (exact skills); lets the daemon reply without a task hop.
    public var immediate: SkillAnswer?

    /// A claim whose answer is already known (exact skills compute it while claiming).
    public static func answered(_ answer: SkillAnswer) -> Claim {
        var claim = Claim(confidence: answer.confidence, resolve: { answer })
        claim.immediate = answer
        return claim
    }

    /// Creates a claim.
    public init(confidence: Double, resolve: @escaping @Sendable () async throws -> SkillAnswer) {
        self.confidence = confidence
        self.resolve = resolve
        self.immediate = nil
    }
}

/// One way of answering questions. `claim` is cheap and does no I/O; returning nil passes the question on.
public protocol Skill: Sendable {
    /// Short name used in replies, routes and metrics.
    var name: String { get }
    /// Offers to answer, or passes (nil). Must never guess: pass when not sure.
    func claim(_ question: Question) -> Claim?
}
