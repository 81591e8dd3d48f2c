extension StoreSchema {
    /// Logic programs consulted through `logic/consult`: one row per name, the text as given.
    static let logicPrograms = Migration(
        name: "0002-logic-programs",
        sql: """
            CREATE TABLE logic_programs (
                name TEXT PRIMARY KEY NOT NULL,
                text TEXT NOT NULL,
                clauses INTEGER NOT NULL CHECK (clauses >= 0),
                updated_at TEXT NOT NULL
            ) STRICT;
            """
    )
}

/// A stored logic program.
public struct LogicProgramRecord: Sendable, Equatable {
    /// The program's name.
    public var name: String
    /// Its Prolog text, as consulted.
    public var text: String
    /// How many clauses the text had when it was consulted.
    public var clauses: Int
    /// When it was last consulted, UTC ISO 8601.
    public var updatedAt: String

    /// Creates a record.
    public init(name: String, text: String, clauses: Int, updatedAt: String) {
        self.name = name
        self.text = text
        self.clauses = clauses
        self.updatedAt = updatedAt
    }
}

/// The named logic programs kept in SQLite, so that they survive a restart. The caller validates texts (the Prolog
/// reader) before saving; this type only stores them.
///
/// Needs the schema of ``StoreSchema/migrations``. Every method is one short statement on the shared ``Database``.
public final class LogicPrograms: Sendable {
    /// The database holding the `logic_programs` table.
    public let database: Database

    /// Opens the programs of a migrated database.
    /// - Throws: ``MigrationError`` `.notMigrated` when the `logic_programs` table is missing.
    public init(database: Database) throws {
        let tables = try database.query(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'logic_programs'")
        guard !tables.isEmpty else {
            throw MigrationError(
                code: .notMigrated,
                migrations: [StoreSchema.logicPrograms.name],
                message: "database '\(database.path)' has no logic_programs table; open it with StoreSchema.open first"
            )
        }
        self.database = database
    }

    /// Saves `text` under `name`, replacing a program of that name; returns the stored record.
    @discardableResult
    public func save(name: String, text: String, clauses: Int) throws -> LogicProgramRecord {
        let rows = try database.query(
            """
            INSERT INTO logic_programs (name, text, clauses, updated_at)
            VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
            ON CONFLICT (name) DO UPDATE SET text = excluded.text, clauses = excluded.clauses,
                updated_at = excluded.updated_at
            RETURNING updated_at
            """,
            [.text(name), .text(text), .integer(Int64(clauses))])
        let updatedAt: String = try rows.first?.get(0) ?? ""
        return LogicProgramRecord(name: name, text: text, clauses: clauses, updatedAt: updatedAt)
    }

    /// Every program, by name.
    public func loadAll() throws -> [LogicProgramRecord] {
        try database.query("SELECT name, text, clauses, updated_at FROM logic_programs ORDER BY name").map { row in
            LogicProgramRecord(
                name: try row.get(0), text: try row.get(1), clauses: try row.get(2), updatedAt: try row.get(3))
        }
    }

    /// Removes the program called `name`, or every program when `name` is nil; returns the names removed.
    @discardableResult
    public func forget(name: String?) throws -> [String] {
        let rows: [Row]
        if let name {
            rows = try database.query("DELETE FROM logic_programs WHERE name = ? RETURNING name", [.text(name)])
        } else {
            rows = try database.query("DELETE FROM logic_programs RETURNING name")
        }
        return try rows.map { try $0.get(0) }.sorted()
    }
}
