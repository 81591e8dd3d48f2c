/// The question after normalising: the original text, and `core`: lower-cased, instruction phrases such as
/// "step by step:", "show your work", "explain and solve:", "calculate", "what is", "compute", "find", trailing "?"
/// and "." removed, Unicode spaces folded. Both forms are available; recognisers pick what they need.
public struct MathQuestion: Sendable {
    /// The question exactly as it arrived.
    public let original: String
    /// The normalised question (see the type's documentation).
    public let core: String

    /// Normalises `text`: `core` is computed by `QuestionNormalizer.core(of:)`.
    public init(_ text: String) {
        original = text
        core = QuestionNormalizer.core(of: text)
    }

    /// A question with an already normalised core, for recognisers that rewrite a question (and for tests).
    public init(original: String, core: String) {
        self.original = original
        self.core = core
    }
}
