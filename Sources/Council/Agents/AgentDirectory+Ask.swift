import Router
import Skills
import Store

extension AgentDirectory {
    /// The question and cascade an `ask` naming `question.agent` is answered with (both unchanged without an agent):
    /// - the models get the agent's system prompt;
    /// - only the skills in its `skills` allow-list are asked (the models stay: the prompt is for them);
    /// - `tier = "cloud"` asks for the cloud tier unless the request chose a tier; `tier = "local"` keeps paid models
    ///   out unless the request set `allow_cloud`;
    /// - `max_cost_usd` lowers the request's cap (never raises it), for the models and the code skill;
    /// - the code skill runs at most `max_attempts` programs under `sandbox_profile`;
    /// - paid calls are recorded under the agent's name and held to its `daily_usd` (see ``AgentAllowance``).
    /// - Throws: `bad_request` naming the known agents when there is no such agent.
    public func applying(_ question: Question, to cascade: Cascade) throws(RouterError) -> (Question, Cascade) {
        guard let name = question.agent else { return (question, cascade) }
        guard let profile = entry(named: name)?.profile else {
            throw RouterError(
                code: "bad_request", message: "ask: 'agent': \(AgentDirectoryError.unknown(name: name, known: names))",
                route: [])
        }
        return (Self.apply(profile, to: question), Self.apply(profile, to: cascade))
    }

    /// `question` with the profile's tier preference and cost cap.
    public static func apply(_ profile: AgentProfile, to question: Question) -> Question {
        var question = question
        switch profile.tier {
        case "cloud": if question.preferredTier == nil { question.preferredTier = "cloud" }
        case "local": if question.allowCloud == nil { question.allowCloud = false }
        default: break
        }
        if let cap = profile.maxCostUSD { question.maxCostUSD = min(question.maxCostUSD ?? cap, cap) }
        return question
    }

    /// `gate` for calls made on the profile's behalf: recorded under its name, held to its `daily_usd`.
    static func agentGate(_ gate: any SpendingGate, _ profile: AgentProfile) -> any SpendingGate {
        gate.forAgent(profile.name, dailyUSD: profile.dailyUSD)
    }

    /// `cascade` with the profile's skills, code caps, system prompt and daily budget.
    public static func apply(_ profile: AgentProfile, to cascade: Cascade) -> Cascade {
        var skills = cascade.skills
        if let allowed = profile.skills { skills = skills.filter { allowed.contains($0.name) } }
        skills = skills.map { skill in
            guard let code = skill as? CodeSkill else { return skill }
            var limits = code.limits
            if let attempts = profile.maxAttempts { limits.maxAttempts = attempts }
            if let cost = profile.maxCostUSD { limits.maxCostUSD = min(limits.maxCostUSD, cost) }
            if let sandbox = profile.sandboxProfile { limits.profile = sandbox }
            return code.with(limits: limits, spending: code.spending.map { agentGate($0, profile) })
        }
        var models = cascade.models
        models?.systemPrompt = profile.systemPrompt
        if let gate = models?.spending { models?.spending = agentGate(gate, profile) }
        return Cascade(skills: skills, models: models, minimumConfidence: cascade.minimumConfidence)
    }
}
