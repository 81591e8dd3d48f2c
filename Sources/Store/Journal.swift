/// The durable inbox of MQTT requests (DESIGN.md, "Durability").
///
/// Every request is admitted as it arrives, marked done when its reply is published, and replayed after a restart
/// unless it has expired. Admitting also deduplicates: a request with correlation data or a `transaction` has a key
/// (reply topic + correlation data + transaction + a 64-bit FNV-1a hash of the payload), and a second request with
/// the same key is a duplicate while the first is pending or finished (done or expired) less than
/// `dedupeWindowMillis` ago. Requests without a key are never duplicates.
///
/// Needs the schema of ``StoreSchema/migrations`` (open the database with ``StoreSchema/open(path:options:)``).
/// Every method is one short transaction on the shared ``Database``.
public final class Journal: Sendable {
    /// The database holding the `journal` table.
    public let database: Database
    /// How long a finished entry still counts for dedupe and is kept before ``prune(nowMillis:)`` deletes it.
    public let dedupeWindowMillis: Int64

    /// Opens the journal in a migrated database.
    /// - Throws: ``MigrationError`` `.notMigrated` when the `journal` table is missing.
    public init(database: Database, dedupeWindowMillis: Int64 = 600_000) throws {
        let tables = try database.query(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'journal'")
        guard !tables.isEmpty else {
            throw MigrationError(
                code: .notMigrated,
                migrations: [StoreSchema.journal.name],
                message: "database '\(database.path)' has no journal table; open it with StoreSchema.open first"
            )
        }
        self.database = database
        self.dedupeWindowMillis = max(0, dedupeWindowMillis)
    }

    /// Records a request as it arrives, or reports it as a duplicate (see the type's documentation).
    /// `entry.id` is ignored; `transaction` is the payload's `transaction` field, if any.
    public func admit(_ entry: JournalEntry, transaction: String?, nowMillis: Int64) throws -> Admission {
        let key = DedupeKey.make(
            replyTopic: entry.replyTopic,
            correlationData: entry.correlationData,
            transaction: transaction,
            payload: entry.payload
        )
        let window = dedupeWindowMillis
        let values: [SQLValue] = [
            .text(entry.op), .text(entry.topic), .blob(entry.payload), .text(entry.replyTopic),
            entry.correlationData.sqlValue, key.sqlValue, .integer(entry.receivedAtMillis),
            entry.expiresAtMillis.sqlValue,
        ]
        return try database.transaction(.immediate) { connection in
            // The common case, a new request, costs one statement: the unique index finds any earlier holder.
            if try connection.run(Self.insertSQL, values) == 1 {
                return .admitted(id: try connection.lastInsertRowID)
            }
            guard let key,
                let earlier = try connection.query(
                    "SELECT id, finished_at_ms FROM journal WHERE dedupe_key = ?", [.blob(key)]
                ).first
            else {
                throw SQLiteError(
                    extendedCode: SQLiteError.Code.error.rawValue,
                    message: "journal insert was ignored but no entry holds its dedupe key",
                    sql: Self.insertSQL
                )
            }
            let finishedAt: Int64? = try earlier.get(1)
            guard let finishedAt, nowMillis - finishedAt >= window else { return .duplicate }
            // The earlier request finished long enough ago: free its key (its row stays until pruned) and admit.
            try connection.run("UPDATE journal SET dedupe_key = NULL WHERE id = ?", [earlier[0]])
            try connection.run(Self.insertSQL, values)
            return .admitted(id: try connection.lastInsertRowID)
        }
    }

    /// Inserts an entry unless another holds the same dedupe key (then changes nothing).
    private static let insertSQL = """
        INSERT INTO journal (op, topic, payload, reply_topic, correlation_data, dedupe_key,
                             received_at_ms, expires_at_ms)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
        """

    /// Marks a pending entry done (its reply was published). Returns false, changing nothing, when the entry is
    /// unknown, pruned, or already done or expired.
    @discardableResult
    public func markDone(id: Int64, nowMillis: Int64) throws -> Bool {
        let changed = try database.run(
            "UPDATE journal SET state = 'done', finished_at_ms = ? WHERE id = ? AND state = 'pending'",
            [.integer(nowMillis), .integer(id)]
        )
        return changed == 1
    }

    /// The entries not yet done, oldest first, to answer again after a restart. Pending entries whose expiry is at
    /// or before `nowMillis` are marked expired instead, and only counted.
    public func pendingForReplay(nowMillis: Int64) throws -> (replay: [JournalEntry], expired: Int) {
        try database.transaction(.immediate) { connection in
            let expired = try connection.run(
                """
                UPDATE journal SET state = 'expired', finished_at_ms = ?1
                WHERE state = 'pending' AND expires_at_ms IS NOT NULL AND expires_at_ms <= ?1
                """,
                [.integer(nowMillis)]
            )
            let rows = try connection.query(
                """
                SELECT id, op, topic, payload, reply_topic, correlation_data, received_at_ms, expires_at_ms
                FROM journal WHERE state = 'pending' ORDER BY id
                """
            )
            return (try rows.map(Self.entry(from:)), expired)
        }
    }

    /// How many entries are pending (admitted, neither done nor expired).
    public func pendingCount() throws -> Int {
        guard let row = try database.query("SELECT count(*) FROM journal WHERE state = 'pending'").first else {
            return 0
        }
        return try row.get(0)
    }

    /// Deletes done and expired entries that finished at least `dedupeWindowMillis` before `nowMillis`, and returns
    /// how many it deleted. Call it periodically (it scans the table); pending entries are never deleted, nor is the
    /// newest entry, which keeps ids increasing across restarts.
    @discardableResult
    public func prune(nowMillis: Int64) throws -> Int {
        try database.run(
            """
            DELETE FROM journal
            WHERE state <> 'pending' AND finished_at_ms <= ? AND id < (SELECT max(id) FROM journal)
            """,
            [.integer(nowMillis - dedupeWindowMillis)]
        )
    }

    private static func entry(from row: Row) throws -> JournalEntry {
        JournalEntry(
            id: try row.get(0),
            op: try row.get(1),
            topic: try row.get(2),
            payload: try row.get(3),
            replyTopic: try row.get(4),
            correlationData: try row.get(5),
            receivedAtMillis: try row.get(6),
            expiresAtMillis: try row.get(7)
        )
    }
}
