extension StoreSchema {
    /// Agent runs (the `run` op): one row per run, its steps in order, and the files its programs left in the
    /// sandbox's workspace. An artifact's `content` is set to NULL when its retention ends (the row stays, so a
    /// run still lists what it produced).
    static let runs = Migration(
        name: "0009-runs",
        sql: """
            CREATE TABLE runs (
                id TEXT PRIMARY KEY NOT NULL,
                task TEXT NOT NULL,
                agent TEXT,
                state TEXT NOT NULL
                    CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'timed_out',
                                     'interrupted')),
                answer TEXT,
                code TEXT,
                error TEXT,
                error_code TEXT,
                max_attempts INTEGER NOT NULL,
                max_cost_usd REAL NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                tokens_in INTEGER NOT NULL DEFAULT 0,
                tokens_out INTEGER NOT NULL DEFAULT 0,
                cost_usd REAL NOT NULL DEFAULT 0,
                created_at_ms INTEGER NOT NULL,
                updated_at_ms INTEGER NOT NULL,
                finished_at_ms INTEGER
            ) STRICT;
            CREATE INDEX runs_created ON runs (created_at_ms);

            CREATE TABLE run_steps (
                run_id TEXT NOT NULL,
                seq INTEGER NOT NULL,
                kind TEXT NOT NULL,
                status TEXT NOT NULL,
                message TEXT NOT NULL,
                detail TEXT NOT NULL,
                at_ms INTEGER NOT NULL,
                PRIMARY KEY (run_id, seq)
            ) STRICT, WITHOUT ROWID;

            CREATE TABLE run_artifacts (
                run_id TEXT NOT NULL,
                path TEXT NOT NULL,
                size INTEGER NOT NULL,
                content BLOB,
                attempt INTEGER NOT NULL,
                created_at_ms INTEGER NOT NULL,
                expires_at_ms INTEGER NOT NULL,
                PRIMARY KEY (run_id, path)
            ) STRICT, WITHOUT ROWID;
            CREATE INDEX run_artifacts_expiry ON run_artifacts (expires_at_ms) WHERE content IS NOT NULL;
            """
    )
}

/// Where a run is: `queued` and `running` are live; the others are final.
public enum RunState: String, Sendable, Equatable, CaseIterable {
    /// Waiting for a slot (`runs.max_concurrent`).
    case queued
    /// Working.
    case running
    /// A program printed the answer.
    case succeeded
    /// Its caps, the budget or the models stopped it.
    case failed
    /// `run/cancel` stopped it.
    case cancelled
    /// `runs.max_duration_s` stopped it.
    case timedOut = "timed_out"
    /// The daemon stopped (or died) while the run was live.
    case interrupted

    /// Whether the run has ended.
    public var isFinal: Bool { self != .queued && self != .running }
}

/// One run as stored.
public struct RunRecord: Sendable, Equatable {
    /// 16 hex digits.
    public var id: String
    /// What the run was asked to do.
    public var task: String
    /// The agent profile it runs under.
    public var agent: String?
    /// Where it is.
    public var state: RunState
    /// The final answer (the last program's output), when it succeeded.
    public var answer: String?
    /// The program that produced the answer, or the last one tried.
    public var code: String?
    /// Why it failed, for a person, and the contract's code for it.
    public var error: String?
    /// The contract's code for the error (`code_failed`, `budget_exceeded`, `timeout`, `cancelled`, ...).
    public var errorCode: String?
    /// Programs it may write and run.
    public var maxAttempts: Int
    /// US dollars it may spend.
    public var maxCostUSD: Double
    /// Programs run so far.
    public var attempts: Int = 0
    /// Tokens of its model calls, in and out.
    public var tokensIn: Int = 0
    /// Tokens the models wrote.
    public var tokensOut: Int = 0
    /// What its paid calls cost, in USD.
    public var costUSD: Double = 0
    /// When it was started, Unix milliseconds.
    public var createdAtMillis: Int64
    /// When it last changed, Unix milliseconds.
    public var updatedAtMillis: Int64
    /// When it ended, Unix milliseconds; nil while live.
    public var finishedAtMillis: Int64?

    /// Creates a record of a new run.
    public init(
        id: String, task: String, agent: String?, state: RunState, maxAttempts: Int, maxCostUSD: Double, now: Int64
    ) {
        self.id = id
        self.task = task
        self.agent = agent
        self.state = state
        self.maxAttempts = maxAttempts
        self.maxCostUSD = maxCostUSD
        self.createdAtMillis = now
        self.updatedAtMillis = now
    }
}

/// One step of a run, in order: `plan`, `write`, `run`, `check`, `fix`, `answer`, ...
public struct RunStepRecord: Sendable, Equatable {
    /// 1, 2, 3, ... within the run.
    public var seq: Int
    /// What the step did.
    public var kind: String
    /// `ok`, `failed`, `skipped`, ...
    public var status: String
    /// One line for a person.
    public var message: String
    /// The step's data as a JSON object text (code, output, model, tokens, cost, ...).
    public var detail: String
    /// When it happened, Unix milliseconds.
    public var atMillis: Int64

    /// Creates a step.
    public init(seq: Int, kind: String, status: String, message: String, detail: String, atMillis: Int64) {
        self.seq = seq
        self.kind = kind
        self.status = status
        self.message = message
        self.detail = detail
        self.atMillis = atMillis
    }
}

/// A file a run's program left in its workspace.
public struct RunArtifactRecord: Sendable, Equatable {
    /// The path relative to the workspace.
    public var path: String
    /// Its length in bytes.
    public var size: Int
    /// The bytes; nil once the retention time has passed (empty when listed without contents).
    public var content: [UInt8]?
    /// The attempt whose program wrote it.
    public var attempt: Int
    /// When it was stored, Unix milliseconds.
    public var createdAtMillis: Int64
    /// When its contents stop being kept, Unix milliseconds.
    public var expiresAtMillis: Int64

    /// Creates a record.
    public init(
        path: String, size: Int, content: [UInt8]?, attempt: Int, createdAtMillis: Int64, expiresAtMillis: Int64
    ) {
        self.path = path
        self.size = size
        self.content = content
        self.attempt = attempt
        self.createdAtMillis = createdAtMillis
        self.expiresAtMillis = expiresAtMillis
    }

    /// Whether its contents can still be read at `now`.
    public func isAvailable(at now: Int64) -> Bool { content != nil && now < expiresAtMillis }
}

/// The runs kept in SQLite, so that a run's state, steps and files survive the requester and a restart.
///
/// Needs the schema of ``StoreSchema/migrations``. Every method is one short statement or transaction on the shared
/// ``Database``.
public final class RunRecords: Sendable {
    /// The database holding the tables.
    public let database: Database

    /// Opens the runs of a migrated database.
    /// - Throws: ``MigrationError`` `.notMigrated` when the tables are missing.
    public init(database: Database) throws {
        let tables = try database.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'run_steps'")
        guard !tables.isEmpty else {
            throw MigrationError(
                code: .notMigrated, migrations: [StoreSchema.runs.name],
                message: "database '\(database.path)' has no runs tables; open it with StoreSchema.open first")
        }
        self.database = database
    }

    /// Stores a new run.
    public func insert(_ run: RunRecord) throws {
        try database.run(
            """
            INSERT INTO runs (id, task, agent, state, max_attempts, max_cost_usd, created_at_ms, updated_at_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(run.id), .text(run.task), run.agent.sqlValue, .text(run.state.rawValue),
                .integer(Int64(run.maxAttempts)), .real(run.maxCostUSD), .integer(run.createdAtMillis),
                .integer(run.updatedAtMillis),
            ])
    }

    /// Writes a run's changing fields (state, answer, code, error, counts, cost, times).
    public func update(_ run: RunRecord) throws {
        try database.run(
            """
            UPDATE runs SET state = ?, answer = ?, code = ?, error = ?, error_code = ?, attempts = ?, tokens_in = ?,
                tokens_out = ?, cost_usd = ?, updated_at_ms = ?, finished_at_ms = ?
            WHERE id = ?
            """,
            [
                .text(run.state.rawValue), run.answer.sqlValue, run.code.sqlValue, run.error.sqlValue,
                run.errorCode.sqlValue, .integer(Int64(run.attempts)), .integer(Int64(run.tokensIn)),
                .integer(Int64(run.tokensOut)), .real(run.costUSD), .integer(run.updatedAtMillis),
                run.finishedAtMillis.sqlValue, .text(run.id),
            ])
    }

    /// Appends a step.
    public func append(_ step: RunStepRecord, to runID: String) throws {
        try database.run(
            "INSERT INTO run_steps (run_id, seq, kind, status, message, detail, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                .text(runID), .integer(Int64(step.seq)), .text(step.kind), .text(step.status), .text(step.message),
                .text(step.detail), .integer(step.atMillis),
            ])
    }

    /// Stores the files an attempt left, replacing earlier ones at the same paths.
    public func store(_ artifacts: [RunArtifactRecord], of runID: String) throws {
        guard !artifacts.isEmpty else { return }
        try database.transaction(.immediate) { connection in
            for artifact in artifacts {
                try connection.run(
                    """
                    INSERT OR REPLACE INTO run_artifacts
                        (run_id, path, size, content, attempt, created_at_ms, expires_at_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        .text(runID), .text(artifact.path), .integer(Int64(artifact.size)),
                        artifact.content.map { .blob($0) } ?? .null, .integer(Int64(artifact.attempt)),
                        .integer(artifact.createdAtMillis), .integer(artifact.expiresAtMillis),
                    ])
            }
        }
    }

    /// The run with this id, or nil.
    public func run(_ id: String) throws -> RunRecord? {
        try database.query("SELECT * FROM runs WHERE id = ?", [.text(id)]).first.map(Self.record)
    }

    /// The newest runs first, optionally only those in `state`.
    public func list(state: RunState? = nil, limit: Int) throws -> [RunRecord] {
        let rows =
            if let state {
                try database.query(
                    "SELECT * FROM runs WHERE state = ? ORDER BY created_at_ms DESC, id LIMIT ?",
                    [.text(state.rawValue), .integer(Int64(limit))])
            } else {
                try database.query(
                    "SELECT * FROM runs ORDER BY created_at_ms DESC, id LIMIT ?", [.integer(Int64(limit))])
            }
        return try rows.map(Self.record)
    }

    /// A run's steps in order.
    public func steps(of runID: String) throws -> [RunStepRecord] {
        try database.query(
            "SELECT seq, kind, status, message, detail, at_ms FROM run_steps WHERE run_id = ? ORDER BY seq",
            [.text(runID)]
        ).map { row in
            RunStepRecord(
                seq: try row.get(0), kind: try row.get(1), status: try row.get(2), message: try row.get(3),
                detail: try row.get(4), atMillis: try row.get(5))
        }
    }

    /// A run's files, by path, without their bytes: `content` is empty while kept, nil once expired.
    public func artifacts(of runID: String) throws -> [RunArtifactRecord] {
        try database.query(
            """
            SELECT path, size, CASE WHEN content IS NULL THEN NULL ELSE x'' END, attempt, created_at_ms, expires_at_ms
            FROM run_artifacts WHERE run_id = ? ORDER BY path
            """, [.text(runID)]
        ).map(Self.artifact)
    }

    /// One file of a run, with its contents (nil once expired), or nil when the run has no such file.
    public func artifact(of runID: String, path: String) throws -> RunArtifactRecord? {
        try database.query(
            """
            SELECT path, size, content, attempt, created_at_ms, expires_at_ms FROM run_artifacts
            WHERE run_id = ? AND path = ?
            """, [.text(runID), .text(path)]
        ).first.map(Self.artifact)
    }

    /// Drops the contents of files whose retention ended at or before `now`; returns how many.
    @discardableResult
    public func expireArtifacts(now: Int64) throws -> Int {
        try database.run(
            "UPDATE run_artifacts SET content = NULL WHERE content IS NOT NULL AND expires_at_ms <= ?",
            [.integer(now)])
    }

    /// Marks every live run `interrupted` (at start: the daemon that ran them is gone); returns their ids.
    public func interruptLiveRuns(now: Int64, reason: String) throws -> [String] {
        try database.transaction(.immediate) { connection in
            let ids: [String] = try connection.query(
                "SELECT id FROM runs WHERE state IN ('queued', 'running') ORDER BY created_at_ms"
            ).map { try $0.get(0) }
            try connection.run(
                """
                UPDATE runs SET state = 'interrupted', error = ?, error_code = 'interrupted', updated_at_ms = ?,
                    finished_at_ms = ?
                WHERE state IN ('queued', 'running')
                """, [.text(reason), .integer(now), .integer(now)])
            return ids
        }
    }

    private static func record(_ row: Row) throws -> RunRecord {
        var run = RunRecord(
            id: try row.get("id"), task: try row.get("task"), agent: try row.get("agent"),
            state: RunState(rawValue: try row.get("state")) ?? .failed, maxAttempts: try row.get("max_attempts"),
            maxCostUSD: try row.get("max_cost_usd"), now: try row.get("created_at_ms"))
        run.answer = try row.get("answer")
        run.code = try row.get("code")
        run.error = try row.get("error")
        run.errorCode = try row.get("error_code")
        run.attempts = try row.get("attempts")
        run.tokensIn = try row.get("tokens_in")
        run.tokensOut = try row.get("tokens_out")
        run.costUSD = try row.get("cost_usd")
        run.updatedAtMillis = try row.get("updated_at_ms")
        run.finishedAtMillis = try row.get("finished_at_ms")
        return run
    }

    private static func artifact(_ row: Row) throws -> RunArtifactRecord {
        RunArtifactRecord(
            path: try row.get(0), size: try row.get(1), content: try row.get(2), attempt: try row.get(3),
            createdAtMillis: try row.get(4), expiresAtMillis: try row.get(5))
    }
}
