/// One turn of a conversation as stored.
public struct ConversationTurn: Sendable, Equatable {
    /// Who spoke.
    public enum Role: String, Sendable, CaseIterable {
        case system, user, assistant
    }

    /// The turn's id: increases with every turn appended.
    public var id: Int64
    /// Who spoke.
    public var role: Role
    /// What was said.
    public var text: String
    /// The estimated tokens of `text`.
    public var tokens: Int
    /// When it was appended, Unix milliseconds.
    public var createdAtMillis: Int64

    /// Makes a turn.
    public init(id: Int64, role: Role, text: String, tokens: Int, createdAtMillis: Int64) {
        self.id = id
        self.role = role
        self.text = text
        self.tokens = tokens
        self.createdAtMillis = createdAtMillis
    }
}

/// The SQL side of conversations: the `conversation_turns` table (schema in ``StoreSchema/memory``). Every query
/// names one session, so sessions never see each other's turns.
public struct ConversationLog: Sendable {
    /// The database holding the table.
    public let database: Database

    /// Opens the conversations of a migrated database.
    /// - Throws: ``MigrationError`` `.notMigrated` when the table is missing.
    public init(database: Database) throws {
        let tables = try database.query(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'conversation_turns'")
        guard !tables.isEmpty else {
            throw MigrationError(
                code: .notMigrated, migrations: [StoreSchema.memory.name],
                message: "database '\(database.path)' has no conversation_turns table; open it with "
                    + "StoreSchema.open first")
        }
        self.database = database
    }

    /// Appends turns to a session in one transaction and returns their ids.
    @discardableResult
    public func append(
        session: String, turns: [(role: ConversationTurn.Role, text: String, tokens: Int)], nowMillis: Int64
    ) throws -> [Int64] {
        try database.transaction(.immediate) { connection in
            try turns.map { turn in
                try connection.run(
                    "INSERT INTO conversation_turns (session, role, text, tokens, created_at_ms) VALUES (?, ?, ?, ?, ?)",
                    [
                        .text(session), .text(turn.role.rawValue), .text(turn.text),
                        .integer(Int64(max(0, turn.tokens))), .integer(nowMillis),
                    ])
                return try connection.lastInsertRowID
            }
        }
    }

    /// The session's most recent turns whose tokens add up to at most `tokenBudget`, oldest first: older turns are
    /// dropped first, and a turn that would overflow the budget ends the walk back. Turns created before
    /// `notBeforeMillis` are left out.
    public func recent(session: String, tokenBudget: Int, notBeforeMillis: Int64 = .min) throws -> [ConversationTurn] {
        var kept: [ConversationTurn] = []
        var spent = 0
        var beforeID = Int64.max
        let pageSize: Int64 = 64
        while true {
            let rows = try database.query(
                """
                SELECT id, role, text, tokens, created_at_ms FROM conversation_turns
                WHERE session = ? AND id < ? AND created_at_ms >= ? ORDER BY id DESC LIMIT ?
                """,
                [.text(session), .integer(beforeID), .integer(notBeforeMillis), .integer(pageSize)])
            for row in rows {
                let turn = try Self.turn(from: row)
                guard spent + turn.tokens <= tokenBudget else { return kept.reversed() }
                spent += turn.tokens
                kept.append(turn)
                beforeID = turn.id
            }
            if rows.count < pageSize { return kept.reversed() }
        }
    }

    /// How many turns the session has stored.
    public func count(session: String) throws -> Int {
        try database.query("SELECT count(*) FROM conversation_turns WHERE session = ?", [.text(session)]).first?
            .get(0) ?? 0
    }

    /// Deletes every turn of the session and returns how many there were.
    @discardableResult
    public func forget(session: String) throws -> Int {
        try database.run("DELETE FROM conversation_turns WHERE session = ?", [.text(session)])
    }

    /// Deletes the turns of every session created before `cutoffMillis` and returns how many.
    @discardableResult
    public func prune(createdBefore cutoffMillis: Int64) throws -> Int {
        try database.run("DELETE FROM conversation_turns WHERE created_at_ms < ?", [.integer(cutoffMillis)])
    }

    private static func turn(from row: Row) throws -> ConversationTurn {
        let roleName: String = try row.get(1)
        return ConversationTurn(
            id: try row.get(0), role: ConversationTurn.Role(rawValue: roleName) ?? .user, text: try row.get(2),
            tokens: try row.get(3), createdAtMillis: try row.get(4))
    }
}
