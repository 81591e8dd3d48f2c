import Store
import Testing

@Suite("Binding and reading values")
struct ValueTests {
    let folder: TemporaryFolder
    let database: Database

    init() throws {
        folder = try TemporaryFolder()
        database = try Database(path: folder.file("values.db"))
        try database.execute("CREATE TABLE v (id INTEGER PRIMARY KEY, value ANY) STRICT")
    }

    /// Stores a value, reads it back from a fresh query, and returns what came back.
    private func roundTrip(_ value: SQLValue) throws -> SQLValue {
        try database.run("INSERT INTO v (value) VALUES (?)", [value])
        let id = try database.lastInsertRowID
        return try database.query("SELECT value FROM v WHERE id = ?", [.integer(id)])[0][0]
    }

    @Test(
        "every SQLValue round-trips",
        arguments: [
            SQLValue.null,
            .integer(0), .integer(Int64.min), .integer(Int64.max), .integer(-1),
            .real(0.1), .real(-1.5e300), .real(Double.infinity), .real(Double.leastNonzeroMagnitude),
            .text(""), .text("plain ascii"), .text("Grüße, 東京, Ελληνικά, عربى, emoji 👩‍👩‍👧 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢"),
            .blob([]), .blob([0]), .blob([0, 0, 0]), .blob([0, 255, 0, 1, 0]), .blob(Array(0...255)),
        ]
    )
    func roundTrips(value: SQLValue) throws {
        #expect(try roundTrip(value) == value)
    }

    @Test("large text and a large all-zero blob round-trip")
    func largeValues() throws {
        let text = SQLValue.text(String(repeating: "long text ", count: 10_000))
        let blob = SQLValue.blob([UInt8](repeating: 0, count: 100_000))
        #expect(try roundTrip(text) == text)
        #expect(try roundTrip(blob) == blob)
    }

    @Test("empty text and empty blob stay distinct from NULL")
    func emptyIsNotNull() throws {
        _ = try roundTrip(.text(""))
        _ = try roundTrip(.blob([]))
        let types = try database.query("SELECT typeof(value), length(value) FROM v ORDER BY id")
        #expect(types.map { $0.values } == [[.text("text"), .integer(0)], [.text("blob"), .integer(0)]])
    }

    @Test("a blob with zero bytes keeps its length and bytes in SQL functions")
    func blobWithZeros() throws {
        let bytes: [UInt8] = [0x00, 0x41, 0x00, 0x42, 0x00]
        _ = try roundTrip(.blob(bytes))
        let row = try database.query("SELECT length(value), hex(value) FROM v")[0]
        #expect(try row.get(0) == 5)
        #expect(try row.get(1) == "0041004200")
    }

    @Test("Unicode text is stored as UTF-8")
    func unicodeIsUTF8() throws {
        let text = "é東👍"
        _ = try roundTrip(.text(text))
        let row = try database.query("SELECT length(value), hex(CAST(value AS BLOB)) FROM v")[0]
        #expect(try row.get(0) == 3)  // characters, as SQLite counts them
        #expect(try row.get(1) == "C3A9E69DB1F09F918D")
    }

    @Test("literals and Swift values convert to the expected SQLValue")
    func conversions() {
        let literals: [SQLValue] = ["text", 7, 2.5]
        #expect(literals == [.text("text"), .integer(7), .real(2.5)])
        #expect(Int(42).sqlValue == .integer(42))
        #expect(true.sqlValue == .integer(1))
        #expect(Optional<String>.none.sqlValue == .null)
        #expect(Optional<[UInt8]>.some([1]).sqlValue == .blob([1]))
    }

    @Test("typed accessors read by index and by name, and NULL as an Optional")
    func typedAccessors() throws {
        let row = try database.query(
            "SELECT 7 AS n, 2.5 AS r, 'hi' AS t, x'00ff' AS b, NULL AS z, 1 AS flag, 3 AS small")[0]
        #expect(row.columnNames == ["n", "r", "t", "b", "z", "flag", "small"])
        #expect(try row.get(0, as: Int64.self) == 7)
        #expect(try row.get("n", as: Int.self) == 7)
        #expect(try row.get("n", as: Double.self) == 7.0)
        #expect(try row.get(1, as: Double.self) == 2.5)
        #expect(try row.get("t", as: String.self) == "hi")
        #expect(try row.get("b", as: [UInt8].self) == [0, 255])
        #expect(try row.get("z", as: String?.self) == nil)
        #expect(try row.get("t", as: String?.self) == "hi")
        #expect(try row.get("flag", as: Bool.self))
        #expect(row["small"] == .integer(3))
        #expect(row["absent"] == nil)
    }

    @Test("reading a value as the wrong type, or a missing column, throws a clear error")
    func accessorErrors() throws {
        let row = try database.query("SELECT 'hi' AS t, NULL AS z, 2.5 AS r")[0]
        let mismatch = try #require(throws: SQLiteError.self) { try row.get("t", as: Int64.self) }
        #expect(mismatch.code == .mismatch)
        #expect(mismatch.message.contains("TEXT"))
        let null = try #require(throws: SQLiteError.self) { try row.get(1, as: String.self) }
        #expect(null.code == .mismatch)
        #expect(null.message.contains("NULL"))
        let real = try #require(throws: SQLiteError.self) { try row.get("r", as: Int64.self) }
        #expect(real.code == .mismatch)
        let index = try #require(throws: SQLiteError.self) { try row.get(3, as: Int64.self) }
        #expect(index.code == .range)
        let name = try #require(throws: SQLiteError.self) { try row.get("nope", as: Int64.self) }
        #expect(name.code == .range)
        #expect(name.message.contains("t, z, r"))
    }
}
