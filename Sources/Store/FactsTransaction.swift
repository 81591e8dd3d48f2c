/// Reads and writes facts inside one ``FactTable/read(_:)`` or ``FactTable/write(_:)`` transaction. Lent to the
/// body only; never keep it. Writing inside `read` fails with SQLite's busy or read-only errors.
public struct FactTransaction: ~Copyable {
    let connection: Connection

    // MARK: Reading

    /// The fact holding this normalised-text hash in the given scope, with its tags and source.
    public func existing(textHash: [UInt8], session: String?) throws -> (id: Int64, tags: [String], source: String?)? {
        guard
            let row = try connection.query(
                "SELECT id, tags, source FROM facts WHERE session = ? AND text_hash = ?",
                [.text(session ?? ""), .blob(textHash)]
            ).first
        else { return nil }
        return (try row.get(0), FactsEncoding.decodeTags(try row.get(1)), try row.get(2))
    }

    /// The fact with this id, or nil.
    public func fact(id: Int64, withVector: Bool = false) throws -> StoredFact? {
        let sql = "SELECT \(FactTable.columns)\(withVector ? ", vector" : "") FROM facts WHERE id = ?"
        return try connection.query(sql, [.integer(id)]).first.map(FactTable.fact(from:))
    }

    /// Up to `limit` facts with ids above `afterID`, in id order: page through every fact with the last id seen.
    public func page(after afterID: Int64, limit: Int, withVectors: Bool) throws -> [StoredFact] {
        let sql =
            "SELECT \(FactTable.columns)\(withVectors ? ", vector" : "") FROM facts WHERE id > ? ORDER BY id LIMIT ?"
        return try connection.query(sql, [.integer(afterID), .integer(Int64(limit))]).map(FactTable.fact(from:))
    }

    /// The newest change's sequence number (0 when none was ever logged).
    public func latestChange() throws -> Int64 {
        try connection.query("SELECT coalesce(max(seq), 0) FROM fact_changes").first?.get(0) ?? 0
    }

    /// Up to `limit` changes after `seq`, oldest first, as (sequence number, fact id). When the first one is not
    /// `seq + 1`, older changes were pruned: reload everything instead.
    public func changes(after seq: Int64, limit: Int) throws -> [(seq: Int64, factID: Int64)] {
        try connection.query(
            "SELECT seq, fact_id FROM fact_changes WHERE seq > ? ORDER BY seq LIMIT ?",
            [.integer(seq), .integer(Int64(limit))]
        ).map { (try $0.get(0), try $0.get(1)) }
    }

    // MARK: Writing

    /// Inserts a new fact and returns its id.
    /// - Throws: ``SQLiteError`` `.constraint` when the scope already holds the same hash (check ``existing``).
    public func insert(_ record: FactRecord, nowMillis: Int64) throws -> Int64 {
        try connection.run(
            """
            INSERT INTO facts (text, text_hash, source, tags, session, created_at_ms, updated_at_ms, embedder,
                               dimension, vector)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(record.text), .blob(record.textHash), record.source.sqlValue,
                .text(FactsEncoding.encodeTags(record.tags)), .text(record.session ?? ""), .integer(nowMillis),
                .integer(nowMillis), .text(record.embedder), .integer(Int64(record.vector.count)),
                .blob(FactsEncoding.encodeVector(record.vector)),
            ])
        let id = try connection.lastInsertRowID
        try connection.run("INSERT INTO facts_fts (rowid, text) VALUES (?, ?)", [.integer(id), .text(record.text)])
        try logChange(id)
        return id
    }

    /// Marks an existing fact as seen again: sets its tags (pass the union) and source, refreshes `updated_at`.
    public func touch(id: Int64, tags: [String], source: String?, nowMillis: Int64) throws {
        try connection.run(
            "UPDATE facts SET tags = ?, source = ?, updated_at_ms = ? WHERE id = ?",
            [.text(FactsEncoding.encodeTags(tags)), source.sqlValue, .integer(nowMillis), .integer(id)])
        try logChange(id)
    }

    /// Overwrites an existing fact's text, hash, source, tags and vector (its scope and `created_at` stay), and
    /// refreshes `updated_at`.
    public func replace(id: Int64, with record: FactRecord, nowMillis: Int64) throws {
        guard let old = try connection.query("SELECT text FROM facts WHERE id = ?", [.integer(id)]).first else {
            return
        }
        try connection.run(
            "INSERT INTO facts_fts (facts_fts, rowid, text) VALUES ('delete', ?, ?)", [.integer(id), old[0]])
        try connection.run("INSERT INTO facts_fts (rowid, text) VALUES (?, ?)", [.integer(id), .text(record.text)])
        try connection.run(
            """
            UPDATE facts SET text = ?, text_hash = ?, source = ?, tags = ?, updated_at_ms = ?, embedder = ?,
                             dimension = ?, vector = ?
            WHERE id = ?
            """,
            [
                .text(record.text), .blob(record.textHash), record.source.sqlValue,
                .text(FactsEncoding.encodeTags(record.tags)), .integer(nowMillis), .text(record.embedder),
                .integer(Int64(record.vector.count)), .blob(FactsEncoding.encodeVector(record.vector)), .integer(id),
            ])
        try logChange(id)
    }

    /// Replaces one fact's vector, made by `embedder`.
    public func replaceVector(id: Int64, vector: [Float], embedder: String) throws {
        try connection.run(
            "UPDATE facts SET embedder = ?, dimension = ?, vector = ? WHERE id = ?",
            [
                .text(embedder), .integer(Int64(vector.count)), .blob(FactsEncoding.encodeVector(vector)),
                .integer(id),
            ])
        try logChange(id)
    }

    /// Deletes the selected facts and returns their ids.
    public func delete(_ selector: FactSelector) throws -> [Int64] {
        let (condition, value): (String, SQLValue) =
            switch selector {
            case .id(let id): ("id = ?", .integer(id))
            case .tag(let tag): ("instr(tags, ?) > 0", .text(FactsEncoding.tagPattern(tag)))
            case .source(let source): ("source = ?", .text(source))
            case .session(let session): ("session = ?", .text(session))
            }
        let doomed = try connection.query("SELECT id, text FROM facts WHERE \(condition)", [value])
        for row in doomed {
            try connection.run("DELETE FROM facts WHERE id = ?", [row[0]])
            try connection.run(
                "INSERT INTO facts_fts (facts_fts, rowid, text) VALUES ('delete', ?, ?)", [row[0], row[1]])
            try logChange(try row.get(0))
        }
        return try doomed.map { try $0.get(0) }
    }

    private func logChange(_ id: Int64) throws {
        try connection.run("INSERT INTO fact_changes (fact_id) VALUES (?)", [.integer(id)])
    }

    /// Deletes all but the newest `keep` change-log entries (a reader further behind reloads everything).
    public func pruneChanges(keeping keep: Int) throws {
        try connection.run(
            "DELETE FROM fact_changes WHERE seq <= (SELECT max(seq) FROM fact_changes) - ?", [.integer(Int64(keep))])
    }
}
