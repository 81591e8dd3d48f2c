import JSON

/// A question as the skills see it.
public struct Question: Sendable {
    /// The user's text, unchanged.
    public var prompt: String
    /// The conversation it belongs to, when the requester named one.
    public var session: String?
    /// The agent profile the requester named, if any.
    public var agent: String?
    /// The request's `allow_cloud`: false forbids paid models, true permits them (subject to the `cloud_escalation`
    /// option and the budget), nil leaves it to the node's options.
    public var allowCloud: Bool?
    /// The request's `tier`: `"cloud"` asks to skip local models (still subject to `allow_cloud` and the budget).
    public var preferredTier: String?
    /// The request's `max_cost_usd`: the most this one answer may spend.
    public var maxCostUSD: Double?
    /// Receives the answer's text as it is generated, when the requester asked to stream.
    public var stream: (@Sendable (String) -> Void)?

    /// Creates a question.
    public init(prompt: String, session: String? = nil) {
        self.prompt = prompt
        self.session = session
    }
}

/// What answering cost: tokens, money, and whether a paid model had to be used.
public struct AnswerUsage: Sendable, Equatable {
    /// Prompt tokens sent to models.
    public var tokensIn = 0
    /// Tokens the models generated.
    public var tokensOut = 0
    /// US dollars spent.
    public var costUSD = 0.0
    /// True when the cost is an estimate (a stream ended without the provider reporting usage).
    public var costEstimated = false
    /// True when a cloud model answered because the local tier could not (or was skipped on request).
    public var escalated = false

    /// Nothing spent (exact skills).
    public init() {}
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
    /// Tokens, cost and escalation; zero for exact skills.
    public var usage = AnswerUsage()
    /// Steps taken while answering, after the skills consulted (for example the models tried), for the reply's
    /// `route`.
    public var route: [String] = []

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
