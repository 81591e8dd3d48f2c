import Store
import Testing

@Suite("Migrations")
struct MigrationTests {
    let folder: TemporaryFolder
    let path: String

    init() throws {
        folder = try TemporaryFolder()
        path = folder.file("council.db")
    }

    static let first = Migration(name: "0001-notes", sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);")
    static let second = Migration(
        name: "0002-notes-tags",
        sql: """
            ALTER TABLE notes ADD COLUMN tag TEXT;
            CREATE INDEX notes_tag ON notes (tag);
            """
    )

    private func tables(_ database: Database) throws -> [String] {
        try database.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").map { try $0.get(0) }
    }

    @Test("migrations are applied in order and recorded once; reopening applies nothing new")
    func appliedOnce() throws {
        let migrator = Migrator([Self.first, Self.second])
        do {
            let database = try Database(path: path)
            #expect(try migrator.appliedMigrations(database) == [])
            #expect(try migrator.migrate(database) == ["0001-notes", "0002-notes-tags"])
            #expect(try migrator.migrate(database) == [])
            try database.run("INSERT INTO notes (body, tag) VALUES ('kept', 'x')")
            database.close()
        }
        let reopened = try Database(path: path)
        #expect(try migrator.migrate(reopened) == [])
        #expect(try migrator.appliedMigrations(reopened) == ["0001-notes", "0002-notes-tags"])
        let recorded = try reopened.query("SELECT name, applied_at FROM schema_migrations ORDER BY rowid")
        #expect(recorded.count == 2)
        let appliedAt: String = try recorded[0].get("applied_at")
        #expect(appliedAt.hasSuffix("Z") && appliedAt.count == 24)  // e.g. 2025-01-02T03:04:05.678Z
        #expect(try reopened.query("SELECT body FROM notes")[0][0] == .text("kept"))
    }

    @Test("a migration added later is the only one applied")
    func laterMigration() throws {
        let database = try Database(path: path)
        #expect(try Migrator([Self.first]).migrate(database) == ["0001-notes"])
        try database.run("INSERT INTO notes (body) VALUES ('old')")
        #expect(try Migrator([Self.first, Self.second]).migrate(database) == ["0002-notes-tags"])
        #expect(try database.query("SELECT body, tag FROM notes")[0].values == [.text("old"), .null])
    }

    @Test("a failing migration rolls back completely and leaves the recorded version unchanged")
    func failingMigrationRollsBack() throws {
        let broken = Migration(
            name: "0002-broken",
            sql: """
                CREATE TABLE half_done (x INTEGER);
                INSERT INTO notes (body) VALUES ('inside the failed migration');
                ALTER TABLE nowhere ADD COLUMN y TEXT;
                """
        )
        let database = try Database(path: path)
        let migrator = Migrator([Self.first, broken])
        let error = try #require(throws: MigrationError.self) { try migrator.migrate(database) }
        #expect(error.code == .failed)
        #expect(error.migrations == ["0002-broken"])
        #expect(error.underlying?.message == "no such table: nowhere")
        #expect(error.description.contains("0002-broken"))
        #expect(try migrator.appliedMigrations(database) == ["0001-notes"])
        #expect(try tables(database) == ["notes", "schema_migrations"])
        #expect(try database.query("SELECT count(*) FROM notes")[0][0] == .integer(0))

        // Fixing the migration lets it apply on the next start.
        let fixed = Migration(name: "0002-broken", sql: "CREATE TABLE half_done (x INTEGER);")
        #expect(try Migrator([Self.first, fixed]).migrate(database) == ["0002-broken"])
    }

    @Test("a database migrated by a newer Council is refused without changes")
    func newerSchemaRefused() throws {
        let database = try Database(path: path)
        let newer = Migration(name: "0003-from-the-future", sql: "CREATE TABLE future (x);")
        try Migrator([Self.first, newer]).migrate(database)
        let older = Migrator([Self.first, Self.second])
        let error = try #require(throws: MigrationError.self) { try older.migrate(database) }
        #expect(error.code == .newerSchema)
        #expect(error.migrations == ["0003-from-the-future"])
        #expect(error.message.contains("newer Council"))
        // 0002 was not applied on top of the unknown schema.
        #expect(try older.appliedMigrations(database) == ["0001-notes", "0003-from-the-future"])
        #expect(
            try database.query("SELECT count(*) FROM pragma_table_info('notes') WHERE name = 'tag'")[0][0]
                == .integer(0))
    }

    @Test("a list that repeats a name is rejected before touching the database")
    func duplicateNames() throws {
        let database = try Database(path: path)
        let error = try #require(throws: MigrationError.self) {
            try Migrator([Self.first, Self.second, Self.first]).migrate(database)
        }
        #expect(error.code == .duplicateName)
        #expect(try tables(database) == [])
    }

    @Test("two connections migrating the same file apply each migration once")
    func twoConnections() throws {
        let one = try Database(path: path)
        let two = try Database(path: path)
        let migrator = Migrator([Self.first, Self.second])
        #expect(try migrator.migrate(one) == ["0001-notes", "0002-notes-tags"])
        #expect(try migrator.migrate(two) == [])
        #expect(try two.query("SELECT count(*) FROM schema_migrations")[0][0] == .integer(2))
    }

    @Test("StoreSchema.open creates Council's tables, starting with the journal")
    func storeSchema() throws {
        #expect(StoreSchema.migrations.first?.name == "0001-journal")
        let database = try StoreSchema.open(path: path)
        #expect(try tables(database).contains("journal"))
        #expect(try StoreSchema.migrator.appliedMigrations(database) == StoreSchema.migrations.map(\.name))
        database.close()
        let again = try Database(path: path)
        #expect(try StoreSchema.migrate(again) == [])
    }
}
