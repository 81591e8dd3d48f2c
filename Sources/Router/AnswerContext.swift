import Skills

/// What a model is told besides the question — the session's recent conversation and facts from memory — and
/// where an answered exchange is remembered.
public protocol AnswerContext: Sendable {
    /// The context for `question`: facts for the system prompt, earlier turns, and the facts' sources.
    func prepare(_ question: Skills.Question) async -> PreparedContext
    /// Remembers an answered exchange in the question's session (no-op without one).
    func record(_ question: Skills.Question, answer: String) async
}

/// The context prepared for one question.
public struct PreparedContext: Sendable {
    /// Appended to the system prompt (numbered facts and how to cite them); empty for none.
    public var systemAddition: String
    /// Earlier turns of the session, oldest first.
    public var turns: [ChatTurn]
    /// The sources of the facts given, for the reply's `sources`.
    public var sources: [String]

    /// Creates a context.
    public init(systemAddition: String = "", turns: [ChatTurn] = [], sources: [String] = []) {
        self.systemAddition = systemAddition
        self.turns = turns
        self.sources = sources
    }
}
