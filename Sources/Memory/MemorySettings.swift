/// The `[memory]` configuration: which embedder, how near a duplicate is, how much conversation to keep.
public struct MemorySettings: Sendable, Equatable {
    /// `embedder`: "hashing" (built in, the default) or the name of a `[[models]]` entry whose server has an
    /// OpenAI-compatible `/v1/embeddings` endpoint.
    public var embedder: String
    /// `dimension`: the built-in embedder's vector length (default 256).
    public var dimension: Int
    /// `dedupe_threshold`: cosine similarity at which a new fact updates an existing one (default 0.95; above 1
    /// turns near-duplicate detection off).
    public var dedupeThreshold: Double
    /// `session_token_budget`: tokens of recent conversation handed to the LLM (default 2,048).
    public var sessionTokenBudget: Int
    /// `session_expiry_days`: conversation turns older than this are dropped (default 30; 0 keeps them forever).
    public var sessionExpiryDays: Double

    /// The defaults.
    public init(
        embedder: String = "hashing", dimension: Int = 256, dedupeThreshold: Double = 0.95,
        sessionTokenBudget: Int = 2_048, sessionExpiryDays: Double = 30
    ) {
        self.embedder = embedder
        self.dimension = dimension
        self.dedupeThreshold = dedupeThreshold
        self.sessionTokenBudget = sessionTokenBudget
        self.sessionExpiryDays = sessionExpiryDays
    }

    /// Whether the built-in embedder is configured.
    public var usesBuiltInEmbedder: Bool { embedder == "hashing" }

    /// The built-in embedder at the configured dimension.
    public var hashingEmbedder: HashingEmbedder { HashingEmbedder(dimension: dimension) }

    /// The fact store's options.
    public var storeOptions: MemoryOptions { MemoryOptions(nearDuplicateThreshold: Float(dedupeThreshold)) }

    /// The conversations' options.
    public var conversationOptions: ConversationOptions {
        ConversationOptions(
            tokenBudget: sessionTokenBudget, expiryDays: sessionExpiryDays > 0 ? sessionExpiryDays : nil)
    }

    /// What is wrong with the values, one sentence per key (empty when all is well).
    public var problems: [String] {
        var problems: [String] = []
        if !(8...4096).contains(dimension) { problems.append("memory.dimension must be from 8 to 4096") }
        if !(0.5...2).contains(dedupeThreshold) {
            problems.append("memory.dedupe_threshold must be from 0.5 to 1 (above 1 turns near-duplicate merging off)")
        }
        if sessionTokenBudget < 0 { problems.append("memory.session_token_budget must not be negative") }
        if sessionExpiryDays < 0 { problems.append("memory.session_expiry_days must not be negative (0 = never)") }
        return problems
    }
}
