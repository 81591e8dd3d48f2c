/// One named step of the schema: SQL run once, in its own transaction, and recorded in `schema_migrations`.
///
/// Never edit or rename a migration that has shipped; add a new one. The SQL may hold several statements, but
/// not ones SQLite refuses inside a transaction (`VACUUM`, `PRAGMA journal_mode`).
public struct Migration: Sendable, Equatable {
    /// A unique, stable name; sorting is not implied, the list order is the order applied (e.g. "0001-journal").
    public let name: String
    /// The SQL script.
    public let sql: String

    /// Makes a migration.
    public init(name: String, sql: String) {
        self.name = name
        self.sql = sql
    }
}

/// Applies an ordered list of migrations to a database, each once, recording them in `schema_migrations`
/// (`name TEXT PRIMARY KEY`, `applied_at TEXT` as UTC ISO 8601).
public struct Migrator: Sendable {
    /// The migrations, in the order they are applied.
    public let migrations: [Migration]

    /// Makes a migrator for `migrations`, applied in this order.
    public init(_ migrations: [Migration]) {
        self.migrations = migrations
    }

    /// Applies the migrations not yet recorded, in order, each in its own `BEGIN IMMEDIATE` transaction, and returns
    /// the names applied now (empty when the schema was already current). Safe to call on every start, and from
    /// several processes at once.
    /// - Throws: ``MigrationError`` `.newerSchema` (before changing anything) when the database records a
    ///   migration this list lacks; `.failed` when a migration's SQL fails (that migration is rolled back, earlier
    ///   ones stay applied); `.duplicateName` for a list that repeats a name.
    @discardableResult
    public func migrate(_ database: Database) throws -> [String] {
        try checkNamesAreUnique()
        try database.execute(Self.createTableSQL)
        let known = Set(migrations.map(\.name))
        let unknown = try appliedMigrations(database).filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw MigrationError(
                code: .newerSchema,
                migrations: unknown,
                message: "database '\(database.path)' was migrated by a newer Council (unknown migrations: "
                    + "\(unknown.joined(separator: ", "))); upgrade Council or restore a backup"
            )
        }
        var appliedNow: [String] = []
        for migration in migrations {
            let applied = try apply(migration, to: database)
            if applied { appliedNow.append(migration.name) }
        }
        return appliedNow
    }

    /// The names recorded in `schema_migrations`, in the order they were applied (empty for a new database).
    public func appliedMigrations(_ database: Database) throws -> [String] {
        try database.execute(Self.createTableSQL)
        return try database.query("SELECT name FROM schema_migrations ORDER BY rowid").map { try $0.get(0) }
    }

    /// Applies one migration unless already recorded (checked inside the transaction, so two processes racing to
    /// migrate apply it once). Returns whether it ran now.
    private func apply(_ migration: Migration, to database: Database) throws -> Bool {
        do {
            return try database.transaction(.immediate) { connection in
                let recorded = try connection.query(
                    "SELECT 1 FROM schema_migrations WHERE name = ?", [.text(migration.name)])
                guard recorded.isEmpty else { return false }
                try connection.execute(migration.sql)
                try connection.run(
                    "INSERT INTO schema_migrations (name, applied_at) "
                        + "VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                    [.text(migration.name)]
                )
                return true
            }
        } catch let error as SQLiteError {
            throw MigrationError(
                code: .failed,
                migrations: [migration.name],
                underlying: error,
                message: "migration '\(migration.name)' failed and was rolled back"
            )
        }
    }

    private func checkNamesAreUnique() throws {
        var seen: Set<String> = []
        for migration in migrations where !seen.insert(migration.name).inserted {
            throw MigrationError(
                code: .duplicateName,
                migrations: [migration.name],
                message: "migration '\(migration.name)' appears twice in the list"
            )
        }
    }

    private static let createTableSQL = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            name TEXT PRIMARY KEY NOT NULL,
            applied_at TEXT NOT NULL
        )
        """
}
