/// Where a model runs, which decides routing order and budgets.
public enum ModelTier: String, Sendable, CaseIterable {
    /// On the home network: tried first, free, never blocked by a budget.
    case local
    /// A paid service: tried only when the local tier cannot answer, within the budget.
    case cloud
}

/// One message of a chat prompt.
public struct ChatTurn: Sendable, Equatable {
    /// Who speaks.
    public enum Role: String, Sendable {
        case system, user, assistant
    }

    /// Who speaks.
    public var role: Role
    /// What they say.
    public var text: String

    /// Creates a turn.
    public init(_ role: Role, _ text: String) {
        self.role = role
        self.text = text
    }
}

/// Tokens a provider reported for one call.
public struct TokenUsage: Sendable, Equatable {
    /// Prompt tokens, including cached ones.
    public var input: Int
    /// Generated tokens.
    public var output: Int
    /// Prompt tokens served from the provider's cache (billed at a lower price), when reported.
    public var cachedInput: Int

    /// Creates a usage record.
    public init(input: Int, output: Int, cachedInput: Int = 0) {
        self.input = input
        self.output = output
        self.cachedInput = cachedInput
    }
}

/// What a model produced.
public struct Completion: Sendable, Equatable {
    /// The generated text.
    public var text: String
    /// Why generation stopped (`stop`, `length`, ...), as the provider said it.
    public var finishReason: String?
    /// Tokens as the provider reported them; nil when it did not (the cost is then estimated).
    public var usage: TokenUsage?

    /// Creates a completion.
    public init(text: String, finishReason: String? = nil, usage: TokenUsage? = nil) {
        self.text = text
        self.finishReason = finishReason
        self.usage = usage
    }
}

/// Why a model call failed, classified for routing: whether another tier may be tried.
public struct ModelFailure: Error, Sendable, CustomStringConvertible {
    /// The failure's class.
    public enum Kind: String, Sendable {
        /// Down, refusing connections, or cooling down after failures.
        case unavailable
        /// 429 or overloaded; retried already where that was worth it.
        case rateLimited = "rate_limited"
        /// No answer within its time.
        case timeout
        /// The account's quota or spend limit is exhausted (never retried).
        case quotaExhausted = "quota_exhausted"
        /// The prompt does not fit the model's context.
        case contextTooLong = "context_too_long"
        /// Authentication failed (a wrong or missing key).
        case unauthorized
        /// A malformed or failed response.
        case failed
    }

    /// The class.
    public var kind: Kind
    /// A human explanation, without secrets.
    public var message: String

    /// Creates a failure.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}

/// A language model the cascade can fall back to when no exact skill claims a question.
public protocol LanguageModel: Sendable {
    /// The configured name (`[[models]] name`), used in replies, routes and the budget.
    var name: String { get }
    /// Local or cloud.
    var tier: ModelTier { get }
    /// False while the backend is known to be down or cooling down after failures.
    var isAvailable: Bool { get }
    /// Generates an answer to `turns`, at most `maxTokens` long; streams text to `onDelta` as it arrives when given.
    /// Cancelling the task aborts the call.
    /// - Throws: `ModelFailure`.
    func complete(_ turns: [ChatTurn], maxTokens: Int, onDelta: (@Sendable (String) -> Void)?) async throws
        -> Completion
}
