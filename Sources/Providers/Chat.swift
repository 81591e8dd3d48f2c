/// One message of a conversation.
public struct ChatMessage: Sendable, Equatable {
    /// Who speaks.
    public enum Role: String, Sendable {
        /// Instructions for the model (Anthropic `system`, Gemini `systemInstruction`).
        case system
        /// The person asking.
        case user
        /// The model's earlier answers.
        case assistant
    }

    /// Who speaks.
    public var role: Role
    /// What they say.
    public var content: String

    /// Creates a message.
    public init(_ role: Role, _ content: String) {
        self.role = role
        self.content = content
    }
}

/// A chat request every provider understands.
public struct ChatRequest: Sendable, Equatable {
    /// The conversation, oldest first; system messages may appear anywhere and are sent the provider's way.
    public var messages: [ChatMessage]
    /// The most tokens to generate; nil takes ``ModelEndpoint/defaultMaxTokens``.
    public var maxTokens: Int?
    /// Sampling temperature; nil leaves the provider's default.
    public var temperature: Double?

    /// Creates a request.
    public init(messages: [ChatMessage], maxTokens: Int? = nil, temperature: Double? = nil) {
        self.messages = messages
        self.maxTokens = maxTokens
        self.temperature = temperature
    }
}

/// Why generation stopped.
public enum FinishReason: Sendable, Equatable, CustomStringConvertible {
    /// The model finished (OpenAI `stop`, Anthropic `end_turn`/`stop_sequence`, Gemini `STOP`).
    case stop
    /// `max_tokens` was reached (OpenAI `length`, Anthropic `max_tokens`, Gemini `MAX_TOKENS`).
    case length
    /// A safety filter stopped or blocked the answer.
    case contentFilter
    /// The model asked to call a tool.
    case toolCalls
    /// The stream ended without a reason, or with one not listed here (the provider's word).
    case other(String)

    /// `stop`, `length`, `content_filter`, `tool_calls`, or the provider's word.
    public var description: String {
        switch self {
        case .stop: return "stop"
        case .length: return "length"
        case .contentFilter: return "content_filter"
        case .toolCalls: return "tool_calls"
        case .other(let reason): return reason
        }
    }
}

/// Tokens as the provider reported them.
public struct Usage: Sendable, Equatable {
    /// All prompt tokens, cached ones included.
    public var inputTokens: Int
    /// Generated tokens, reasoning ("thinking") tokens included.
    public var outputTokens: Int
    /// The part of `inputTokens` read from the provider's prompt cache, when it reports that.
    public var cachedInputTokens: Int?

    /// Creates a usage record.
    public init(inputTokens: Int, outputTokens: Int, cachedInputTokens: Int? = nil) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cachedInputTokens = cachedInputTokens
    }
}

/// A complete answer.
public struct ChatResult: Sendable, Equatable {
    /// The generated text.
    public var text: String
    /// Why generation stopped.
    public var finishReason: FinishReason
    /// Tokens used, or nil when the provider did not report them.
    public var usage: Usage?
    /// The model that answered, as the provider named it (else the configured model id).
    public var model: String
    /// How many attempts it took (1 without retries).
    public var attempts: Int

    /// Creates a result.
    public init(text: String, finishReason: FinishReason, usage: Usage?, model: String, attempts: Int = 1) {
        self.text = text
        self.finishReason = finishReason
        self.usage = usage
        self.model = model
        self.attempts = attempts
    }
}
