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

    /// Routes a question to the first skill that claims it confidently and returns its answer.
    public func route(_ question: Question) async throws -> Routed {
        let (claim, route) = try select(question)
        return Routed(answer: try await claim.resolve(), route: route)
    }

    /// Routes without waiting: the answer when the winning claim already holds it, the `no_backend` error when no
    /// skill claims the question, nil when the winner must be awaited (`route`).
    public func routeImmediately(_ question: Question) -> Result<Routed, RouterError>? {
        do {
            let (claim, route) = try select(question)
            return claim.immediate.map { .success(Routed(answer: $0, route: route)) }
        } catch {
            return .failure(error)
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
