/// The SQL side of memory: the `facts` table, its FTS5 index and its change log (schema in
/// ``StoreSchema/memory``).
///
/// Single reads run on the shared ``Database``; ``read(_:)`` gives a consistent snapshot for several, and
/// ``write(_:)`` one `BEGIN IMMEDIATE` transaction, so a bulk import commits once per batch.
public struct FactTable: Sendable {
    /// The database holding the tables.
    public let database: Database

    /// Opens the facts of a migrated database.
    /// - Throws: ``MigrationError`` `.notMigrated` when the `facts` table is missing.
    public init(database: Database) throws {
        let tables = try database.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'facts'")
        guard !tables.isEmpty else {
            throw MigrationError(
                code: .notMigrated, migrations: [StoreSchema.memory.name],
                message: "database '\(database.path)' has no facts table; open it with StoreSchema.open first")
        }
        self.database = database
    }

    /// Runs `body` in one immediate (write) transaction and commits; rolls back everything if it throws.
    @discardableResult
    public func write<T: Sendable>(_ body: (borrowing FactTransaction) throws -> T) throws -> T {
        try database.transaction(.immediate) { connection in
            try body(FactTransaction(connection: Connection(handle: connection.handle)))
        }
    }

    /// Runs `body` in one read transaction: every statement sees the same snapshot.
    @discardableResult
    public func read<T: Sendable>(_ body: (borrowing FactTransaction) throws -> T) throws -> T {
        try database.transaction(.deferred) { connection in
            try body(FactTransaction(connection: Connection(handle: connection.handle)))
        }
    }

    /// The fact with this id, or nil.
    public func fact(id: Int64, withVector: Bool = false) throws -> StoredFact? {
        let sql = "SELECT \(Self.columns)\(withVector ? ", vector" : "") FROM facts WHERE id = ?"
        return try database.query(sql, [.integer(id)]).first.map(Self.fact(from:))
    }

    /// The facts with these ids (without vectors), in the order of `ids`; unknown ids are skipped.
    public func facts(ids: [Int64]) throws -> [StoredFact] {
        try ids.compactMap { try fact(id: $0) }
    }

    /// How many facts are stored.
    public func count() throws -> Int {
        try database.query("SELECT count(*) FROM facts").first?.get(0) ?? 0
    }

    /// How many facts have a vector made by another embedder or dimension than these.
    public func countOtherVectors(embedder: String, dimension: Int) throws -> Int {
        try database.query(
            "SELECT count(*) FROM facts WHERE embedder <> ? OR dimension <> ?",
            [.text(embedder), .integer(Int64(dimension))]
        ).first?.get(0) ?? 0
    }

    /// Full-text search over every fact: those matching any of `terms` (each a word, matched after Porter
    /// stemming), best BM25 first, at most `limit`. The score is SQLite's `bm25()` negated, so higher is better.
    public func textMatches(terms: [String], limit: Int) throws -> [(id: Int64, score: Double)] {
        guard let match = Self.matchExpression(terms), limit > 0 else { return [] }
        return try database.query(
            "SELECT rowid, bm25(facts_fts) AS rank FROM facts_fts WHERE facts_fts MATCH ? ORDER BY rank LIMIT ?",
            [match, .integer(Int64(limit))]
        ).map { row in (try row.get(0), -(try row.get(1) as Double)) }
    }

    /// Full-text search among the facts `filter` admits (a join on every match: slower than ``textMatches``).
    public func textSearch(terms: [String], filter: FactFilter, limit: Int) throws -> [(id: Int64, score: Double)] {
        guard let match = Self.matchExpression(terms), limit > 0 else { return [] }
        var sql = """
            SELECT facts_fts.rowid, bm25(facts_fts) AS rank FROM facts_fts JOIN facts ON facts.id = facts_fts.rowid
            WHERE facts_fts MATCH ? AND (facts.session = '' OR facts.session = ?)
            """
        var bindings: [SQLValue] = [match, .text(filter.session ?? "")]
        if let source = filter.source {
            sql += " AND facts.source = ?"
            bindings.append(.text(source))
        }
        for tag in filter.tags {
            sql += " AND instr(facts.tags, ?) > 0"
            bindings.append(.text(FactsEncoding.tagPattern(tag)))
        }
        sql += " ORDER BY rank LIMIT ?"
        bindings.append(.integer(Int64(limit)))
        return try database.query(sql, bindings).map { row in (try row.get(0), -(try row.get(1) as Double)) }
    }

    /// `"a" OR "b"`, each term quoted (so FTS5 syntax in it is literal); nil when there are no terms.
    static func matchExpression(_ terms: [String]) -> SQLValue? {
        let quoted = terms.filter { !$0.isEmpty }.map { "\"" + $0.replacing("\"", with: "\"\"") + "\"" }
        return quoted.isEmpty ? nil : .text(quoted.joined(separator: " OR "))
    }

    static let columns = "id, text, source, tags, session, created_at_ms, updated_at_ms, embedder, dimension"

    static func fact(from row: Row) throws -> StoredFact {
        let session: String = try row.get(4)
        let vector: [UInt8]? = row.count > 9 ? try row.get(9) : nil
        return StoredFact(
            id: try row.get(0), text: try row.get(1), source: try row.get(2),
            tags: FactsEncoding.decodeTags(try row.get(3)), session: session.isEmpty ? nil : session,
            createdAtMillis: try row.get(5), updatedAtMillis: try row.get(6), embedder: try row.get(7),
            dimension: try row.get(8), vector: vector.map(FactsEncoding.decodeVector))
    }
}
