extension CouncilConfig {
    /// `[runs]`: the caps of code the models write (the code skill in `ask`, and agent runs through `run`), and how
    /// long a run's files are kept.
    public struct RunsSection: Sendable, Equatable {
        /// `max_attempts`: programs one answer or run writes and runs at most, the first included (an agent's
        /// `max_attempts` replaces it; a request's may only lower it). 1 to 20, default 3.
        public var maxAttempts = 3
        /// `max_cost_usd`: US dollars one answer or run may spend on paid models, all attempts together (an agent's
        /// and a request's `max_cost_usd` may only lower it). Default 0.05.
        public var maxCostUSD = 0.05
        /// `max_concurrent`: runs that work at once; more wait, `queued`. 1 to 64, default 2.
        public var maxConcurrent = 2
        /// `max_duration_s`: seconds a run may take from its start, queueing excluded; then it is stopped
        /// (`timed_out`). 1 to 86400, default 600.
        public var maxDurationSeconds = 600
        /// `artifact_retention_hours`: hours the files a run's programs left are kept; then their contents are
        /// removed (the run still lists them). 1 to 8760, default 72.
        public var artifactRetentionHours = 72
        /// `max_artifact_bytes`: bytes of files kept per program run, all files together (more are listed as
        /// skipped). 0 keeps none; up to 64 MiB; default 4 MiB.
        public var maxArtifactBytes = 4 << 20

        /// The defaults.
        public init() {}

        init(reading table: inout TableReader) {
            maxAttempts = table.integer("max_attempts", default: maxAttempts, in: 1...20)
            maxCostUSD = table.number("max_cost_usd", default: maxCostUSD, minimum: 0)
            maxConcurrent = table.integer("max_concurrent", default: maxConcurrent, in: 1...64)
            maxDurationSeconds = table.integer("max_duration_s", default: maxDurationSeconds, in: 1...86_400)
            artifactRetentionHours = table.integer(
                "artifact_retention_hours", default: artifactRetentionHours, in: 1...8760)
            maxArtifactBytes = table.integer("max_artifact_bytes", default: maxArtifactBytes, in: 0...(64 << 20))
        }
    }
}
