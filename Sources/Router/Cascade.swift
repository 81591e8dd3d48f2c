import JSON
import Skills

/// Why the cascade could not answer.
public struct RouterError: Error, Sendable, CustomStringConvertible {
    /// Machine-readable code, one of the MQTT contract's error codes.
    public let code: String
    /// Human explanation.
    public let message: String
    /// The skills and models consulted before giving up.
    public let route: [String]
    /// Extra data for the error reply (for `budget_exceeded`: what is left and when it resets).
    public let data: JSONObject

    /// Creates an error.
    public init(code: String, message: String, route: [String], data: JSONObject = JSONObject()) {
        self.code = code
        self.message = message
        self.route = route
        self.data = data
    }

    public var description: String { message }
}

/// The outcome of routing one question.
public struct Routed: Sendable {
    /// The winning answer.
    public var answer: SkillAnswer
    /// The skills consulted, in order; the last one answered.
    public var route: [String]
}

/// The answering cascade: exact skills first, in order; the first confident claim wins.
///
/// Later tiers (code, local LLM, cloud LLM within budget) join as further skills; with none configured a question
/// no skill claims gets `no_backend`.
public struct Cascade: Sendable {
    /// Skills in the order they are asked.
    public let skills: [any Skill]
    /// The LLM tiers asked when no skill claims a question; nil when none are configured.
    public let models: ModelCascade?
    /// Claims below this confidence are passed over.
    public let minimumConfidence: Double

    /// Creates a cascade.
    public init(skills: [any Skill], models: ModelCascade? = nil, minimumConfidence: Double = 0.9) {
        self.skills = skills
        self.models = models.flatMap { $0.isEmpty ? nil : $0 }
        self.minimumConfidence = minimumConfidence
    }

    /// What routing decided: the answer already in hand (exact skills answer while claiming), or the winning claim,
    /// still to be awaited.
    public enum Decision: Sendable {
        case answered(Routed)
        case pending(Claim, route: [String])
    }

    /// Picks the first skill that claims the question confidently, without waiting for anything.
    /// - Throws: `no_backend` when no skill claims it.
    public func decide(_ question: Question) throws(RouterError) -> Decision {
        let (claim, route) = try select(question)
        if let answer = claim.immediate { return .answered(Routed(answer: answer, route: route)) }
        return .pending(claim, route: route)
    }

    /// Routes a question to the first skill that claims it confidently and returns its answer.
    public func route(_ question: Question) async throws -> Routed {
        switch try decide(question) {
        case .answered(let routed): return routed
        case .pending(let claim, let route): return Routed(answer: try await claim.resolve(), route: route)
        }
    }

    private func select(_ question: Question) throws(RouterError) -> (Claim, [String]) {
        var route: [String] = []
        for skill in skills {
            route.append(skill.name)
            if let claim = skill.claim(question), claim.confidence >= minimumConfidence { return (claim, route) }
        }
        if let models {
            let claim = Claim(confidence: 0.5) { try await models.answer(question) }
            return (claim, route)
        }
        throw RouterError(
            code: "no_backend",
            message: "No local skill can answer this, and no LLM backend is configured. Add a [[models]] entry "
                + "(for example a local llama.cpp or Ollama server) to /etc/council/council.toml and restart Council.",
            route: route)
    }
}
