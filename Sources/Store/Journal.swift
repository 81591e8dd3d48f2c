/// The durable inbox of MQTT requests (DESIGN.md, "Durability").
///
/// Every request is admitted as it arrives, marked done when its reply is published, and replayed after a restart
/// unless it has expired. Admitting also deduplicates: a request with correlation data or a `transaction` has a key
/// (reply topic + correlation data + transaction + a 64-bit FNV-1a hash of the payload), and a second request with
/// the same key is a duplicate while the first is pending or finished (done or expired) less than
/// `dedupeWindowMillis` ago. Requests without a key are never duplicates.
///
/// Needs the schema of ``StoreSchema/migrations`` (open the database with ``StoreSchema/open(path:options:)``).
/// Every method is one short transaction on the shared ``Database``. The journal keeps the hashes of its dedupe keys
/// in memory as well, so ``duplicateCheck(_:nowMillis:)`` reads the database only for a likely redelivery: only this
/// instance may write the table.
public final class Journal: Sendable {
    /// The database holding the `journal` table.
    public let database: Database
    /// How long a finished entry still counts for dedupe and is kept before ``prune(nowMillis:)`` deletes it.
    public let dedupeWindowMillis: Int64
    private let keyIndex: JournalKeyIndex

    /// Opens the journal in a migrated database and reads its dedupe keys. Past `keyIndexCapacity` keys (~16 bytes of
    /// memory each) every duplicate check reads the database, until pruning brings the journal back under it.
    /// - Throws: ``MigrationError`` `.notMigrated` when the `journal` table is missing.
    public init(database: Database, dedupeWindowMillis: Int64 = 600_000, keyIndexCapacity: Int = 262_144) throws {
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
        keyIndex = JournalKeyIndex(capacity: keyIndexCapacity)
        keyIndex.rebuild(from: try database.query(Self.keysSQL).map { try $0.get(0) })
    }

    private static let keysSQL = "SELECT dedupe_key FROM journal WHERE dedupe_key IS NOT NULL"

    /// How many dedupe keys the in-memory index holds, and whether it holds them all (it gives up past its capacity).
    public var keyIndexSummary: (count: Int, isComplete: Bool) { keyIndex.summary }

    /// Records a request as it arrives, or reports it as a duplicate (see the type's documentation).
    /// `entry.id` is ignored; `transaction` is the payload's `transaction` field, if any.
    public func admit(_ entry: JournalEntry, transaction: String?, nowMillis: Int64) throws -> Admission {
        try record(arrivals: [Arrival(entry, transaction: transaction)], done: [], nowMillis: nowMillis)[0]
    }

    /// A request to admit: the entry and its payload's `transaction`, if any.
    public struct Arrival: Sendable {
        /// The request; its `id` is ignored.
        public var entry: JournalEntry
        /// The payload's `transaction` field, part of the dedupe key.
        public var transaction: String?
        /// The request was answered and the broker acknowledged the reply before it was recorded: it is recorded
        /// done at once, with no later update.
        public var isDelivered = false

        /// Creates an arrival.
        public init(_ entry: JournalEntry, transaction: String?) {
            self.entry = entry
            self.transaction = transaction
        }
    }

    /// Group commit: admits `arrivals` (in order) and marks the entries `done` finished, all in one transaction, so
    /// that a burst of requests costs one commit rather than one each. Returns one admission per arrival.
    public func record(arrivals: [Arrival], done: [Int64], nowMillis: Int64) throws -> [Admission] {
        let window = dedupeWindowMillis
        let prepared = arrivals.map { arrival -> (key: [UInt8]?, values: [SQLValue]) in
            let entry = arrival.entry
            let key = DedupeKey.make(
                replyTopic: entry.replyTopic,
                correlationData: entry.correlationData,
                transaction: arrival.transaction,
                payload: entry.payload
            )
            let values: [SQLValue] = [
                .text(entry.op), .text(entry.topic), .blob(entry.payload), .text(entry.replyTopic),
                entry.correlationData.sqlValue, key.sqlValue, .integer(entry.receivedAtMillis),
                entry.expiresAtMillis.sqlValue, .text(arrival.isDelivered ? "done" : "pending"),
                arrival.isDelivered ? .integer(nowMillis) : .null,
            ]
            return (key, values)
        }
        return try database.transaction(.immediate) { [keyIndex] connection in
            keyIndex.add(prepared.lazy.compactMap(\.key))
            for id in done {
                try connection.run(Self.markDoneSQL, [.integer(nowMillis), .integer(id)])
            }
            var admissions: [Admission] = []
            admissions.reserveCapacity(prepared.count)
            for (key, values) in prepared {
                admissions.append(
                    try Self.admit(key: key, values: values, window: window, nowMillis: nowMillis, connection))
            }
            return admissions
        }
    }

    private static func admit(
        key: [UInt8]?, values: [SQLValue], window: Int64, nowMillis: Int64, _ connection: borrowing Connection
    ) throws -> Admission {
        // The common case, a new request, costs one statement: the unique index finds any earlier holder.
        if try connection.run(insertSQL, values) == 1 {
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
                sql: insertSQL
            )
        }
        let finishedAt: Int64? = try earlier.get(1)
        guard let finishedAt, nowMillis - finishedAt >= window else { return .duplicate }
        // The earlier request finished long enough ago: free its key (its row stays until pruned) and admit.
        try connection.run("UPDATE journal SET dedupe_key = NULL WHERE id = ?", [earlier[0]])
        try connection.run(insertSQL, values)
        return .admitted(id: try connection.lastInsertRowID)
    }

    private static let markDoneSQL =
        "UPDATE journal SET state = 'done', finished_at_ms = ? WHERE id = ? AND state = 'pending'"

    /// Inserts an entry unless another holds the same dedupe key (then changes nothing).
    private static let insertSQL = """
        INSERT INTO journal (op, topic, payload, reply_topic, correlation_data, dedupe_key,
                             received_at_ms, expires_at_ms, state, finished_at_ms)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
        """

    /// Whether `arrival` would be admitted as a duplicate right now, without writing anything: lets the daemon answer
    /// a request before its journal commit (the reply leaves while the commit runs) yet never answer a redelivery.
    /// Requests without a dedupe key are never duplicates. Returns the key too, so the caller can also catch the
    /// same request twice within one batch.
    public func duplicateCheck(_ arrival: Arrival, nowMillis: Int64) throws -> (isDuplicate: Bool, key: [UInt8]?) {
        let entry = arrival.entry
        guard
            let key = DedupeKey.make(
                replyTopic: entry.replyTopic, correlationData: entry.correlationData,
                transaction: arrival.transaction, payload: entry.payload)
        else { return (false, nil) }
        guard keyIndex.mayHold(key) else { return (false, key) }
        guard let earlier = try database.query(Self.finishedAtSQL, [.blob(key)]).first else { return (false, key) }
        let finishedAt: Int64? = try earlier.get(0)
        guard let finishedAt else { return (true, key) }
        return (nowMillis - finishedAt < dedupeWindowMillis, key)
    }

    private static let finishedAtSQL = "SELECT finished_at_ms FROM journal WHERE dedupe_key = ?"

    /// Marks a pending entry done (its reply was published). Returns false, changing nothing, when the entry is
    /// unknown, pruned, or already done or expired.
    @discardableResult
    public func markDone(id: Int64, nowMillis: Int64) throws -> Bool {
        try database.run(Self.markDoneSQL, [.integer(nowMillis), .integer(id)]) == 1
    }

    /// Marks several pending entries done in one transaction.
    public func markDone(ids: [Int64], nowMillis: Int64) throws {
        guard !ids.isEmpty else { return }
        _ = try database.transaction(.immediate) { connection in
            for id in ids { try connection.run(Self.markDoneSQL, [.integer(nowMillis), .integer(id)]) }
            return true
        }
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
        try database.transaction(.immediate) { [keyIndex, dedupeWindowMillis] connection in
            let removed = try connection.run(
                """
                DELETE FROM journal
                WHERE state <> 'pending' AND finished_at_ms <= ? AND id < (SELECT max(id) FROM journal)
                """,
                [.integer(nowMillis - dedupeWindowMillis)]
            )
            keyIndex.rebuild(from: try connection.query(Self.keysSQL).map { try $0.get(0) })
            return removed
        }
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
