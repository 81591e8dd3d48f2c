/// Council's own schema: every migration Store's tables need, in order. Append new migrations; never edit
/// shipped ones.
public enum StoreSchema {
    /// All of Council's migrations, oldest first.
    public static let migrations: [Migration] = [
        journal, logicPrograms, options, budget, memory, agents, ExecutionHistory.migration, AgentSpend.migration, runs,
    ]

    /// A migrator for ``migrations``.
    public static var migrator: Migrator { Migrator(migrations) }

    /// Opens (or creates) the database at `path` and brings its schema up to date.
    /// - Throws: ``SQLiteError`` when the file cannot be opened; ``MigrationError`` when the schema is newer than
    ///   this Council or a migration fails.
    public static func open(path: String, options: Database.Options = Database.Options()) throws -> Database {
        let database = try Database(path: path, options: options)
        try migrate(database)
        return database
    }

    /// Brings an open database's schema up to date and returns the names of the migrations applied now.
    /// - Throws: ``MigrationError`` when the schema is newer than this Council or a migration fails.
    @discardableResult
    public static func migrate(_ database: Database) throws -> [String] {
        try migrator.migrate(database)
    }

    /// The request journal: the durable inbox of MQTT requests (see ``Journal``). Every index costs a page write on
    /// the hot path (measured: dropping a partial index on pending entries took a sequential request from 1.75× to
    /// 1.55× the echo floor), so there is one: the dedupe key. Counting and replaying pending entries scan the table,
    /// which ``Journal/prune(nowMillis:)`` keeps to the dedupe window's worth of finished entries.
    static let journal = Migration(
        name: "0001-journal",
        sql: """
            CREATE TABLE journal (
                id INTEGER PRIMARY KEY,
                op TEXT NOT NULL,
                topic TEXT NOT NULL,
                payload BLOB NOT NULL,
                reply_topic TEXT NOT NULL,
                correlation_data BLOB,
                dedupe_key BLOB,
                received_at_ms INTEGER NOT NULL,
                expires_at_ms INTEGER,
                state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'expired')),
                finished_at_ms INTEGER,
                CHECK ((state = 'pending') = (finished_at_ms IS NULL))
            ) STRICT;
            CREATE UNIQUE INDEX journal_dedupe_key ON journal (dedupe_key) WHERE dedupe_key IS NOT NULL;
            """
    )
}
