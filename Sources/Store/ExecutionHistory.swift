/// The sandbox runs of the code skill: what was predicted for each program and how it went, so that later programs
/// with the same features get a prediction from experience. Bounded: only the newest ``capacity`` runs are kept.
///
/// Needs ``migration`` applied (the lead appends it to ``StoreSchema/migrations``). Each method is one or two short
/// statements on the shared ``Database``.
public final class ExecutionHistory: Sendable {
    /// The `execution_history` table: one row per run, looked up by signature, newest first.
    public static let migration = Migration(
        name: "0007-execution-history",
        sql: """
            CREATE TABLE execution_history (
                id INTEGER PRIMARY KEY,
                signature TEXT NOT NULL,
                language TEXT NOT NULL,
                profile TEXT NOT NULL,
                predicted_ms REAL NOT NULL CHECK (predicted_ms >= 0),
                duration_ms REAL NOT NULL CHECK (duration_ms >= 0),
                cpu_ms REAL NOT NULL CHECK (cpu_ms >= 0),
                max_rss_kb INTEGER NOT NULL CHECK (max_rss_kb >= 0),
                exit_code INTEGER,
                timed_out INTEGER NOT NULL CHECK (timed_out IN (0, 1)),
                oom_killed INTEGER NOT NULL CHECK (oom_killed IN (0, 1)),
                recorded_at TEXT NOT NULL
            ) STRICT;
            CREATE INDEX execution_history_signature ON execution_history (signature, id);
            """
    )

    /// One run: the prediction and the outcome.
    public struct Run: Sendable, Equatable {
        /// The program's feature signature (see the router's `ExecutionEstimate.signature`).
        public var signature: String
        /// The sandbox language.
        public var language: String
        /// The profile it ran under.
        public var profile: String
        /// The predicted wall time, milliseconds.
        public var predictedMillis: Double
        /// The measured wall time, milliseconds.
        public var durationMillis: Double
        /// CPU time, milliseconds.
        public var cpuMillis: Double
        /// The largest resident set, KiB.
        public var maxRSSKilobytes: Int
        /// The exit status; nil when killed.
        public var exitCode: Int?
        /// Whether the time limit stopped it.
        public var timedOut: Bool
        /// Whether it ran out of memory.
        public var oomKilled: Bool

        /// Creates a run record.
        public init(
            signature: String, language: String, profile: String, predictedMillis: Double, durationMillis: Double,
            cpuMillis: Double, maxRSSKilobytes: Int, exitCode: Int?, timedOut: Bool, oomKilled: Bool
        ) {
            self.signature = signature
            self.language = language
            self.profile = profile
            self.predictedMillis = predictedMillis
            self.durationMillis = durationMillis
            self.cpuMillis = cpuMillis
            self.maxRSSKilobytes = maxRSSKilobytes
            self.exitCode = exitCode
            self.timedOut = timedOut
            self.oomKilled = oomKilled
        }
    }

    /// What the recent runs of one signature under one profile did.
    public struct Summary: Sendable, Equatable {
        /// The profile.
        public var profile: String
        /// Runs looked at (at most the lookup's `last`).
        public var runs: Int
        /// The median wall time of the runs that finished in time, milliseconds; nil when none did.
        public var medianDurationMillis: Double?
        /// The median CPU time of the runs that finished in time, milliseconds.
        public var medianCPUMillis: Double?
        /// The largest resident set seen, KiB.
        public var maxRSSKilobytes: Int
        /// Runs the time limit stopped.
        public var timeouts: Int
        /// Runs killed for memory.
        public var oomKills: Int
        /// The median of |predicted − measured| over the runs that finished, milliseconds (how good the
        /// predictions were).
        public var medianErrorMillis: Double?

        /// Creates a summary.
        public init(
            profile: String, runs: Int, medianDurationMillis: Double?, medianCPUMillis: Double?, maxRSSKilobytes: Int,
            timeouts: Int, oomKills: Int, medianErrorMillis: Double?
        ) {
            self.profile = profile
            self.runs = runs
            self.medianDurationMillis = medianDurationMillis
            self.medianCPUMillis = medianCPUMillis
            self.maxRSSKilobytes = maxRSSKilobytes
            self.timeouts = timeouts
            self.oomKills = oomKills
            self.medianErrorMillis = medianErrorMillis
        }
    }

    /// The database holding the table.
    public let database: Database
    /// The most runs kept; older ones are deleted as new ones arrive.
    public let capacity: Int

    /// Opens the history of a migrated database.
    /// - Throws: ``MigrationError`` `.notMigrated` when the `execution_history` table is missing.
    public init(database: Database, capacity: Int = 10_000) throws {
        let tables = try database.query(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'execution_history'")
        guard !tables.isEmpty else {
            throw MigrationError(
                code: .notMigrated, migrations: [Self.migration.name],
                message: "database '\(database.path)' has no execution_history table; apply migration "
                    + "\(Self.migration.name) first")
        }
        self.database = database
        self.capacity = max(1, capacity)
    }

    /// Records a run and drops the runs beyond ``capacity``; returns the new row's id.
    @discardableResult
    public func record(_ run: Run) throws -> Int64 {
        try database.transaction { connection in
            try connection.run(
                """
                INSERT INTO execution_history (signature, language, profile, predicted_ms, duration_ms, cpu_ms,
                    max_rss_kb, exit_code, timed_out, oom_killed, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                """,
                [
                    .text(run.signature), .text(run.language), .text(run.profile), .real(max(0, run.predictedMillis)),
                    .real(max(0, run.durationMillis)), .real(max(0, run.cpuMillis)),
                    .integer(Int64(max(0, run.maxRSSKilobytes))), run.exitCode.map { .integer(Int64($0)) } ?? .null,
                    .integer(run.timedOut ? 1 : 0), .integer(run.oomKilled ? 1 : 0),
                ])
            let id = try connection.lastInsertRowID
            try connection.run("DELETE FROM execution_history WHERE id <= ?", [.integer(id - Int64(capacity))])
            return id
        }
    }

    /// The last `last` runs of `signature`, newest first.
    public func runs(signature: String, last: Int = 20) throws -> [Run] {
        try database.query(
            """
            SELECT signature, language, profile, predicted_ms, duration_ms, cpu_ms, max_rss_kb, exit_code, timed_out,
                oom_killed
            FROM execution_history WHERE signature = ? ORDER BY id DESC LIMIT ?
            """, [.text(signature), .integer(Int64(max(0, last)))]
        ).map { row in
            Run(
                signature: try row.get(0), language: try row.get(1), profile: try row.get(2),
                predictedMillis: try row.get(3), durationMillis: try row.get(4), cpuMillis: try row.get(5),
                maxRSSKilobytes: try row.get(6), exitCode: try row.get(7), timedOut: try row.get(8),
                oomKilled: try row.get(9))
        }
    }

    /// What the last `last` runs of `signature` did, per profile (profiles without runs are absent).
    public func summaries(signature: String, last: Int = 20) throws -> [String: Summary] {
        let recent = try runs(signature: signature, last: last)
        var byProfile: [String: [Run]] = [:]
        for run in recent { byProfile[run.profile, default: []].append(run) }
        return byProfile.mapValues { Self.summary(of: $0) }
    }

    /// The number of runs kept.
    public func count() throws -> Int {
        try database.query("SELECT COUNT(*) FROM execution_history").first?.get(0) ?? 0
    }

    /// Summarises runs of one profile.
    public static func summary(of runs: [Run]) -> Summary {
        let finished = runs.filter { !$0.timedOut && !$0.oomKilled }
        return Summary(
            profile: runs.first?.profile ?? "", runs: runs.count,
            medianDurationMillis: median(finished.map(\.durationMillis)),
            medianCPUMillis: median(finished.map(\.cpuMillis)),
            maxRSSKilobytes: runs.map(\.maxRSSKilobytes).max() ?? 0,
            timeouts: runs.filter(\.timedOut).count, oomKills: runs.filter(\.oomKilled).count,
            medianErrorMillis: median(finished.map { abs($0.predictedMillis - $0.durationMillis) }))
    }

    /// The median of `values`; nil when empty.
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
