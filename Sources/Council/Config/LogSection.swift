import Logging

extension CouncilConfig {
    /// `[log]`: logging to stderr (journald).
    public struct LogSection: Sendable, Equatable {
        /// `level`: `trace`, `debug`, `info` (default), `notice`, `warning`, `error` or `critical`.
        public var level = Logger.Level.info

        /// The defaults.
        public init() {}

        init(reading table: inout TableReader) {
            level = table.choice("level", default: level)
        }
    }
}
