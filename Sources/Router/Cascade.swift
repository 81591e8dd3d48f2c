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
        var route: [String] = []
        for skill in skills {
            route.append(skill.name)
            guard let claim = skill.claim(question), claim.confidence >= minimumConfidence else { continue }
            return Routed(answer: try await claim.resolve(), route: route)
        }
        throw RouterError(
            code: "no_backend",
            message: "No local skill can answer this, and no LLM backend is configured. Add a [[models]] entry "
                + "(for example a local llama.cpp or Ollama server) to /etc/council/council.toml and restart Council.",
            route: route)
    }
}
