extension CouncilConfig {
    /// `[journal]`: the SQLite request journal.
    public struct JournalSection: Sendable, Equatable {
        /// SQLite's `synchronous` setting for the journal.
        public enum Synchronous: String, Sendable, CaseIterable {
            /// Safe against a daemon crash; a power loss may drop the last transactions (WAL). The default.
            case normal
            /// Safe against power loss too, at the cost of an fsync per commit.
            case full
        }

        /// `synchronous`: `"normal"` (default) or `"full"`.
        public var synchronous = Synchronous.normal
        /// `dedupe_window_s`: how long a finished request is remembered to drop redelivered copies. Default 600.
        public var dedupeWindowSeconds = 600

        /// The defaults.
        public init() {}

        init(reading table: inout TableReader) {
            synchronous = table.choice("synchronous", default: synchronous)
            dedupeWindowSeconds = table.integer("dedupe_window_s", default: dedupeWindowSeconds, in: 0...Int.max)
        }
    }

    /// `[requests]`: request handling.
    public struct RequestsSection: Sendable, Equatable {
        /// `default_timeout_s`: seconds a request may take before it is answered with `timeout`. Default 30.
        public var defaultTimeoutSeconds = 30

        /// The defaults.
        public init() {}

        init(reading table: inout TableReader) {
            defaultTimeoutSeconds = table.integer("default_timeout_s", default: defaultTimeoutSeconds, in: 1...86_400)
        }
    }
}
