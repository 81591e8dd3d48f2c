/// What a model charges, in US dollars per token (the config gives them per million tokens, `*_usd_per_mtok`).
///
/// A model whose input and output prices are both zero is free: the ledger never reserves for it and never blocks
/// it. Declare cloud models with their real prices, or they run unbudgeted.
public struct ModelPrice: Sendable, Equatable {
    /// USD per input (prompt) token.
    public var inputUSDPerToken: Double
    /// USD per output (completion) token.
    public var outputUSDPerToken: Double
    /// USD per input token read from the provider's prompt cache; `nil` bills cached tokens at the input price.
    public var cachedInputUSDPerToken: Double?

    /// Makes a price from per-million-token figures as written in the config (negative figures count as zero).
    public init(
        inputUSDPerMillionTokens: Double, outputUSDPerMillionTokens: Double,
        cachedInputUSDPerMillionTokens: Double? = nil
    ) {
        inputUSDPerToken = max(0, inputUSDPerMillionTokens) / 1_000_000
        outputUSDPerToken = max(0, outputUSDPerMillionTokens) / 1_000_000
        cachedInputUSDPerToken = cachedInputUSDPerMillionTokens.map { max(0, $0) / 1_000_000 }
    }

    /// A free model (local): costs nothing, never reserved for, never blocked.
    public static let free = ModelPrice(inputUSDPerMillionTokens: 0, outputUSDPerMillionTokens: 0)

    /// Whether the model costs nothing (input and output prices both zero).
    public var isFree: Bool { inputUSDPerToken == 0 && outputUSDPerToken == 0 }

    /// The cost of a call that used `usage`, in USD: uncached input at the input price, cached input at the cached
    /// price, output at the output price.
    public func cost(of usage: BudgetUsage) -> Double { Double(costNanos(of: usage)) / 1e9 }

    /// The most a call can cost: `promptTokens` all uncached plus `maxTokens` of output, in USD.
    public func worstCase(promptTokens: Int, maxTokens: Int) -> Double {
        Double(worstCaseNanos(promptTokens: promptTokens, maxTokens: maxTokens)) / 1e9
    }

    // Money is kept in whole nano-dollars (1e-9 USD) so that sums are exact: a thousand $0.001 calls add up to
    // exactly $1 and a cap allowing ten calls allows ten, not nine.

    var inputNanosPerToken: Double { inputUSDPerToken * 1e9 }
    var outputNanosPerToken: Double { outputUSDPerToken * 1e9 }

    func costNanos(of usage: BudgetUsage) -> Int64 {
        let input = max(0, usage.inputTokens)
        let cached = min(input, max(0, usage.cachedInputTokens ?? 0))
        let cachedPrice = (cachedInputUSDPerToken ?? inputUSDPerToken) * 1e9
        let nanos =
            Double(input - cached) * inputNanosPerToken + Double(cached) * cachedPrice
            + Double(max(0, usage.outputTokens)) * outputNanosPerToken
        return Int64(nanos.rounded())
    }

    func worstCaseNanos(promptTokens: Int, maxTokens: Int) -> Int64 {
        let nanos = Double(max(0, promptTokens)) * inputNanosPerToken + Double(max(0, maxTokens)) * outputNanosPerToken
        return Int64(nanos.rounded(.up))
    }
}

/// The tokens one call used, as the provider reports them (or as estimated when it did not).
///
/// `inputTokens` counts every prompt token, cached ones included (OpenAI's `prompt_tokens`, Gemini's
/// `promptTokenCount`; for Anthropic add `cache_read_input_tokens` to `input_tokens`). `cachedInputTokens` says how
/// many of them were read from the prompt cache.
public struct BudgetUsage: Sendable, Equatable {
    /// Prompt tokens, cached ones included.
    public var inputTokens: Int
    /// Completion tokens.
    public var outputTokens: Int
    /// How many prompt tokens came from the provider's cache, when it reports that.
    public var cachedInputTokens: Int?
    /// True when the counts are estimates (the stream ended without usage), not the provider's figures.
    public var estimated: Bool

    /// Makes a usage record.
    public init(inputTokens: Int, outputTokens: Int, cachedInputTokens: Int? = nil, estimated: Bool = false) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cachedInputTokens = cachedInputTokens
        self.estimated = estimated
    }

    /// Usage guessed from text when the provider reported none: one token per four characters (Unicode scalars),
    /// rounded up, OpenAI's rule of thumb for English; marked `estimated`.
    public static func estimated(promptText: String, completionText: String) -> BudgetUsage {
        BudgetUsage(
            inputTokens: TokenCount.estimate(promptText), outputTokens: TokenCount.estimate(completionText),
            estimated: true)
    }
}

/// Token counts without a tokenizer.
public enum TokenCount {
    /// An estimate: characters (Unicode scalars) / 4, rounded up. Good for reporting, not for a cap.
    public static func estimate(_ text: String) -> Int { (text.unicodeScalars.count + 3) / 4 }

    /// A bound no tokenizer in use exceeds, for reserving: the UTF-8 byte count plus `overhead` (a few tokens per
    /// chat message for role markers). Byte-level BPE tokenizers (GPT, Llama 3, Claude) and SentencePiece with byte
    /// fallback (Gemini, Llama 2) never make more than one token per byte.
    public static func upperBound(_ text: String, overhead: Int = 8) -> Int { text.utf8.count + max(0, overhead) }
}
