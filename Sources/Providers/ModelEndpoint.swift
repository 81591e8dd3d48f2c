/// One configured LLM backend as plain data: where it is, which wire protocol it speaks, which model it serves,
/// what it costs, and how patiently to talk to it. The daemon builds these from its `[[models]]` configuration.
public struct ModelEndpoint: Sendable, Equatable {
    /// The wire protocol of a backend.
    public enum Kind: String, Sendable, CaseIterable {
        /// OpenAI's chat completions API without a key requirement (llama.cpp, Ollama, vLLM, LM Studio).
        case openAICompatible = "openai-compatible"
        /// OpenAI.
        case openAI = "openai"
        /// Anthropic's Messages API.
        case anthropic
        /// Google Gemini's `generateContent` API.
        case gemini
    }

    /// Where a model runs, which decides routing order and budgets.
    public enum Tier: String, Sendable, CaseIterable {
        /// On the home network: tried first, free.
        case local
        /// A paid service: tried after local tiers, within the budget.
        case cloud
    }

    /// The unique name used in replies, metrics, health and errors.
    public var name: String
    /// The wire protocol.
    public var kind: Kind
    /// The base URL the API paths are appended to (`http://127.0.0.1:8080/v1`, `https://api.anthropic.com/v1`,
    /// `https://generativelanguage.googleapis.com/v1beta`), without a trailing slash.
    public var baseURL: String
    /// The model id the backend expects (`tiny`, `gpt-4o-mini`, `claude-3-5-haiku-latest`, `gemini-2.0-flash`).
    public var model: String
    /// The key, when the backend needs one; sent only in the provider's key header.
    public var apiKey: APIKey?
    /// Local or cloud.
    public var tier: Tier
    /// Prices per million tokens.
    public var prices: ModelPrices
    /// How long connecting may take. Default 5 s.
    public var connectTimeout: Duration
    /// How long one attempt (request and whole answer) may take. Default 120 s.
    public var requestTimeout: Duration
    /// `max_tokens` for requests that do not set one (Anthropic requires a value). Default 1024.
    public var defaultMaxTokens: Int
    /// How failed attempts are retried.
    public var retry: RetryPolicy
    /// Consecutive failed attempts after which the backend cools down. Default 3.
    public var failureThreshold: Int
    /// How long a failing backend is left alone before one request may probe it again. Default 30 s.
    public var cooldown: Duration
    /// How often ``HealthMonitor`` checks the backend; nil for never. Default 30 s for local, nil for cloud.
    public var healthCheckInterval: Duration?

    /// An endpoint with the given essentials and the defaults for the rest.
    public init(
        name: String, kind: Kind, baseURL: String, model: String, apiKey: APIKey? = nil, tier: Tier,
        prices: ModelPrices = ModelPrices()
    ) {
        self.name = name
        self.kind = kind
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.model = model
        self.apiKey = apiKey
        self.tier = tier
        self.prices = prices
        connectTimeout = .seconds(5)
        requestTimeout = .seconds(120)
        defaultMaxTokens = 1024
        retry = RetryPolicy()
        failureThreshold = 3
        cooldown = .seconds(30)
        healthCheckInterval = tier == .local ? .seconds(30) : nil
    }
}

/// What a model costs, in US dollars per million tokens.
public struct ModelPrices: Sendable, Equatable {
    /// Per million input (prompt) tokens.
    public var inputUSDPerMillionTokens: Double
    /// Per million output (completion) tokens.
    public var outputUSDPerMillionTokens: Double
    /// Per million input tokens read from the provider's prompt cache; nil charges them as ordinary input.
    public var cachedInputUSDPerMillionTokens: Double?

    /// Prices; all zero by default (a local model).
    public init(
        inputUSDPerMillionTokens: Double = 0, outputUSDPerMillionTokens: Double = 0,
        cachedInputUSDPerMillionTokens: Double? = nil
    ) {
        self.inputUSDPerMillionTokens = inputUSDPerMillionTokens
        self.outputUSDPerMillionTokens = outputUSDPerMillionTokens
        self.cachedInputUSDPerMillionTokens = cachedInputUSDPerMillionTokens
    }

    /// Whether every price is zero.
    public var isFree: Bool {
        inputUSDPerMillionTokens == 0 && outputUSDPerMillionTokens == 0 && (cachedInputUSDPerMillionTokens ?? 0) == 0
    }

    /// The cost of `usage` in US dollars: cached input at the cached price when there is one.
    public func cost(of usage: Usage) -> Double {
        let cached = min(usage.cachedInputTokens ?? 0, usage.inputTokens)
        let cachedPrice = cachedInputUSDPerMillionTokens ?? inputUSDPerMillionTokens
        let input = Double(usage.inputTokens - cached) * inputUSDPerMillionTokens + Double(cached) * cachedPrice
        return (input + Double(usage.outputTokens) * outputUSDPerMillionTokens) / 1_000_000
    }
}
