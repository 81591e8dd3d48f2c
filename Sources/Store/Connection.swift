/// The connection as seen inside ``Database/transaction(_:_:)``: runs statements within the transaction while the
/// database's lock is held.
///
/// It is non-copyable and only lent to the transaction body, so it cannot outlive the transaction. Inside the body,
/// use this handle, never the ``Database`` itself: the database's lock is not re-entrant.
public struct Connection: ~Copyable {
    let handle: SQLiteHandle

    init(handle: SQLiteHandle) { self.handle = handle }

    /// Runs one or more `;`-separated statements that take no bindings and return no rows.
    public func execute(_ sql: String) throws {
        try handle.execute(sql)
    }

    /// Runs one statement with `?` parameters bound in order and returns how many rows it inserted, updated or
    /// deleted (0 for other statements).
    @discardableResult
    public func run(_ sql: String, _ bindings: [SQLValue] = []) throws -> Int {
        try handle.run(sql, bindings)
    }

    /// Runs one statement with `?` parameters bound in order and returns all of its rows.
    public func query(_ sql: String, _ bindings: [SQLValue] = []) throws -> [Row] {
        try handle.query(sql, bindings)
    }

    /// The rowid of the most recent successful INSERT on this connection.
    public var lastInsertRowID: Int64 {
        get throws { try handle.lastInsertRowID }
    }
}

/// How a transaction takes its locks (https://sqlite.org/lang_transaction.html).
public enum TransactionKind: Sendable {
    /// Takes locks on first read or write; a later write can fail with `SQLITE_BUSY` instead of waiting.
    case deferred
    /// Takes the write lock at BEGIN (waiting up to `busy_timeout`): the right choice for read-then-write.
    case immediate
    /// Like `.immediate`; in WAL mode it also keeps out other connections' writers only.
    case exclusive
}
