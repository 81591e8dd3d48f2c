import Memory

extension CouncilConfig {
    /// `[memory]`: facts, knowledge and conversations.
    public struct MemorySection: Sendable, Equatable {
        /// The values, validated (see `MemorySettings` for each key's meaning and default).
        public var settings = MemorySettings()

        /// The defaults.
        public init() {}

        init(reading table: inout TableReader) {
            settings.embedder = table.string("embedder", default: settings.embedder)
            settings.dimension = table.integer("dimension", default: settings.dimension, in: 8...4096)
            settings.dedupeThreshold = table.number(
                "dedupe_threshold", default: settings.dedupeThreshold, minimum: 0.5)
            settings.sessionTokenBudget = table.integer(
                "session_token_budget", default: settings.sessionTokenBudget, in: 0...1_000_000)
            settings.sessionExpiryDays = table.number(
                "session_expiry_days", default: settings.sessionExpiryDays, minimum: 0)
            if settings.dedupeThreshold > 2 {
                table.problems.invalid(
                    table.name("dedupe_threshold"), "must be from 0.5 to 1 (above 1 turns near-duplicate merging off)")
            }
        }
    }
}
