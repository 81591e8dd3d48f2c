import Skills

/// Why the cascade could not answer.
public struct RouterError: Error, Sendable, CustomStringConvertible {
    /// Machine-readable code, one of the MQTT contract's error codes.
    public let code: String
    /// Human explanation.
    public let message: String
    /// The skills consulted before giving up.
    public let route: [String]

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
    /// Claims below this confidence are passed over.
    public let minimumConfidence: Double

    /// Creates a cascade.
    public init(skills: [any Skill], minimumConfidence: Double = 0.9) {
        self.skills = skills
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
        throw RouterError(
            code: "no_backend",
            message: "No local skill can answer this, and no LLM backend is configured. Add a [[models]] entry "
                + "(for example a local llama.cpp or Ollama server) to /etc/council/council.toml and restart Council.",
            route: route)
    }
}
