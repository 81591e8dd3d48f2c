import Store
import Testing

@Suite("Running statements")
struct StatementTests {
    let folder: TemporaryFolder
    let database: Database

    init() throws {
        folder = try TemporaryFolder()
        database = try Database(path: folder.file("council.db"))
        try database.execute(
            """
            CREATE TABLE owner (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
            CREATE TABLE pet (id INTEGER PRIMARY KEY, owner_id INTEGER NOT NULL REFERENCES owner (id), name TEXT);
            """
        )
    }

    @Test("run returns the number of changed rows and lastInsertRowID the new rowid")
    func changesAndRowID() throws {
        #expect(try database.run("INSERT INTO owner (name) VALUES (?)", ["ada"]) == 1)
        #expect(try database.lastInsertRowID == 1)
        #expect(try database.run("INSERT INTO owner (name) VALUES (?), (?)", ["bob", "cy"]) == 2)
        #expect(try database.lastInsertRowID == 3)
        #expect(try database.run("UPDATE owner SET name = upper(name) WHERE id > ?", [1]) == 2)
        #expect(try database.run("UPDATE owner SET name = 'x' WHERE id > 100") == 0)
        #expect(try database.run("CREATE TABLE other (x)") == 0)
        #expect(try database.run("DELETE FROM owner") == 3)
    }

    @Test("bad SQL carries the code, SQLite's message and the SQL")
    func syntaxError() throws {
        let sql = "SELEC name FROM owner"
        let error = try #require(throws: SQLiteError.self) { try database.query(sql) }
        #expect(error.code == .error)
        #expect(error.message.contains("syntax error"))
        #expect(error.sql == sql)
        #expect(error.description.contains("SQLite error 1"))

        let missing = try #require(throws: SQLiteError.self) { try database.query("SELECT * FROM nowhere") }
        #expect(missing.message == "no such table: nowhere")
    }

    @Test("constraint violations carry the extended code")
    func constraints() throws {
        try database.run("INSERT INTO owner (name) VALUES ('ada')")
        let unique = try #require(throws: SQLiteError.self) {
            try database.run("INSERT INTO owner (name) VALUES ('ada')")
        }
        #expect(unique.isConstraintViolation)
        #expect(unique.extendedCode == 2067)  // SQLITE_CONSTRAINT_UNIQUE
        #expect(unique.message == "UNIQUE constraint failed: owner.name")

        let notNull = try #require(throws: SQLiteError.self) {
            try database.run("INSERT INTO owner (name) VALUES (?)", [.null])
        }
        #expect(notNull.extendedCode == 1299)  // SQLITE_CONSTRAINT_NOTNULL

        let foreignKey = try #require(throws: SQLiteError.self) {
            try database.run("INSERT INTO pet (owner_id, name) VALUES (?, ?)", [99, "rex"])
        }
        #expect(foreignKey.extendedCode == 787)  // SQLITE_CONSTRAINT_FOREIGNKEY
        #expect(try database.query("SELECT count(*) FROM pet")[0][0] == .integer(0))
    }

    @Test("run and query refuse several statements and a wrong number of bindings")
    func misuse() throws {
        let several = try #require(throws: SQLiteError.self) {
            try database.run("INSERT INTO owner (name) VALUES ('a'); DELETE FROM owner")
        }
        #expect(several.code == .misuse)
        #expect(try database.query("SELECT count(*) FROM owner")[0][0] == .integer(0))

        let tooFew = try #require(throws: SQLiteError.self) {
            try database.run("INSERT INTO pet (owner_id, name) VALUES (?, ?)", [1])
        }
        #expect(tooFew.code == .misuse)
        #expect(tooFew.message.contains("2 parameters but 1"))

        let empty = try #require(throws: SQLiteError.self) { try database.query("  -- nothing\n") }
        #expect(empty.code == .misuse)

        // A trailing semicolon and comment are not a second statement.
        #expect(try database.query("SELECT 1; -- done")[0][0] == .integer(1))
    }

    @Test("execute runs a multi-statement script and stops at the first error")
    func executeScript() throws {
        try database.execute("INSERT INTO owner (name) VALUES ('a'); INSERT INTO owner (name) VALUES ('b');")
        #expect(try database.query("SELECT count(*) FROM owner")[0][0] == .integer(2))
        let error = try #require(throws: SQLiteError.self) {
            try database.execute("INSERT INTO owner (name) VALUES ('c'); INSERT INTO owner (name) VALUES ('a');")
        }
        #expect(error.extendedCode == 2067)
        #expect(
            try database.query("SELECT name FROM owner ORDER BY id").map { try $0.get(0, as: String.self) }
                == ["a", "b", "c"])
    }

    @Test("a transaction commits its body's work")
    func transactionCommits() throws {
        let petID = try database.transaction { connection in
            try connection.run("INSERT INTO owner (name) VALUES (?)", ["ada"])
            let ownerID = try connection.lastInsertRowID
            try connection.run("INSERT INTO pet (owner_id, name) VALUES (?, ?)", [.integer(ownerID), "rex"])
            return try connection.lastInsertRowID
        }
        #expect(petID == 1)
        let rows = try database.query(
            "SELECT owner.name AS owner, pet.name AS pet FROM pet JOIN owner ON owner.id = pet.owner_id")
        #expect(rows.count == 1)
        #expect(try rows[0].get("owner") == "ada")
        #expect(try rows[0].get("pet") == "rex")
    }

    @Test("a transaction whose body throws is rolled back")
    func transactionRollsBack() throws {
        struct Abandon: Error {}
        #expect(throws: Abandon.self) {
            try database.transaction(.immediate) { connection in
                try connection.run("INSERT INTO owner (name) VALUES ('ada')")
                throw Abandon()
            }
        }
        #expect(throws: SQLiteError.self) {
            try database.transaction(.deferred) { connection in
                try connection.run("INSERT INTO owner (name) VALUES ('bob')")
                try connection.run("INSERT INTO pet (owner_id) VALUES (42)")  // foreign key fails
            }
        }
        #expect(try database.query("SELECT count(*) FROM owner")[0][0] == .integer(0))
        // The connection is usable afterwards and not left inside a transaction.
        try database.transaction(.exclusive) { connection in
            try connection.run("INSERT INTO owner (name) VALUES ('cy')")
        }
        #expect(try database.query("SELECT name FROM owner")[0][0] == .text("cy"))
    }

    @Test("a small statement cache evicts without changing results")
    func statementCacheEviction() throws {
        let small = try Database(path: folder.file("small.db"), options: .init(statementCacheCapacity: 2))
        try small.execute("CREATE TABLE n (x INTEGER)")
        for round in 0..<3 {
            for x in 0..<5 {
                try small.run("INSERT INTO n (x) VALUES (\(x))")
                #expect(try small.query("SELECT count(*) FROM n WHERE x = \(x)")[0][0] == .integer(Int64(round + 1)))
            }
        }
    }

    @Test("a writer blocked longer than its busy timeout gets .busy, and can write once the lock is free")
    func busyWriter() throws {
        let impatient = try Database(path: folder.file("council.db"), options: .init(busyTimeoutMillis: 0))
        try database.transaction { connection in
            try connection.run("INSERT INTO owner (name) VALUES ('first')")
            let error = try #require(throws: SQLiteError.self) {
                try impatient.run("INSERT INTO owner (name) VALUES ('second')")
            }
            #expect(error.code == .busy)
        }
        try impatient.run("INSERT INTO owner (name) VALUES ('second')")
        #expect(try impatient.query("SELECT count(*) FROM owner")[0][0] == .integer(2))
    }
}
