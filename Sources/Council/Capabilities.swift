import Skills

/// What a daemon can do beyond `info` and `health`: the skills its `ask` cascade consults, in order, and the ops it
/// serves besides `ask`. Built once the database is open, so both may keep state in it.
public struct Capabilities: Sendable {
    /// Skills in the order the cascade asks them.
    public var skills: [any Skill]
    /// Further ops (`logic/query`, `exec`, ...).
    public var operations: [any Operation]

    /// Creates a set of capabilities.
    public init(skills: [any Skill], operations: [any Operation] = []) {
        self.skills = skills
        self.operations = operations
    }
}
