import JSON
import Router
import Skills

/// What a daemon can do beyond `info` and `health`: the skills its `ask` cascade consults, in order, and the ops it
/// serves besides `ask`. Built once the database is open, so both may keep state in it.
public struct Capabilities: Sendable {
    /// Skills in the order the cascade asks them.
    public var skills: [any Skill]
    /// Further ops (`logic/query`, `exec`, ...).
    public var operations: [any Operation]
    /// Run-time options these parts offer to the `options` op (`cloud_escalation`, `sandbox`, ...).
    public var options: [NodeOption]
    /// The LLM tiers asked when no skill claims a question; nil when no model is configured.
    public var models: ModelCascade?

    /// Long-running work the daemon runs while serving and cancels when it stops (health checks, ...).
    public var services: [@Sendable () async -> Void] = []
    /// The models for `info` (no secrets).
    public var modelDescriptions: @Sendable () -> JSONValue = { [] }
    /// The models' live health for `health`.
    public var backendHealth: @Sendable () -> JSONValue = { [] }

    /// Spend and what is left of the budget, for the metrics; nil when unknown.
    public var budgetFigures: @Sendable () -> BudgetFigures? = { nil }

    /// How many facts memory holds, for the metrics; nil without memory.
    public var factCount: (@Sendable () throws -> Int)?

    /// The agent profiles `ask` applies when a request names `agent`; nil ignores `agent`.
    public var agents: AgentDirectory?

    /// Creates a set of capabilities.
    public init(
        skills: [any Skill], models: ModelCascade? = nil, operations: [any Operation] = [],
        options: [NodeOption] = []
    ) {
        self.skills = skills
        self.models = models
        self.operations = operations
        self.options = options
    }
}
