import CSQLite
import Glibc

/// The C connection and its prepared-statement cache: the only code in Store that holds SQLite pointers.
///
/// Not thread-safe on its own. ``Database`` keeps it behind a `Mutex` and only touches it with the lock held,
/// which is why the connection is opened with `SQLITE_OPEN_NOMUTEX` (SQLite's own locking would be redundant).
/// `@unchecked Sendable` only so the lock's closure may lend it to a transaction body as a ``Connection``: that
/// wrapper is non-copyable and borrowed, so it cannot leave the closure, and the handle never leaves Store.
final class SQLiteHandle: @unchecked Sendable {
    private var db: OpaquePointer?
    /// Prepared statements keyed by their SQL text; always reset and unbound when not running.
    private var statements: [String: OpaquePointer] = [:]
    private let statementCacheCapacity: Int

    /// Opens or creates the database file and applies the connection settings (WAL, synchronous, busy timeout,
    /// foreign keys).
    init(path: String, options: Database.Options) throws {
        statementCacheCapacity = max(1, options.statementCacheCapacity)
        var opened: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let status = sqlite3_open_v2(path, &opened, flags, nil)
        guard status == SQLITE_OK, let opened else {
            let error = Self.openError(path: path, db: opened, status: status)
            sqlite3_close_v2(opened)
            throw error
        }
        db = opened
        do {
            try configure(path: path, options: options)
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    private func configure(path: String, options: Database.Options) throws {
        guard let db else { return }
        sqlite3_extended_result_codes(db, 1)
        if sqlite3_db_readonly(db, "main") == 1 {
            throw SQLiteError(
                extendedCode: SQLITE_READONLY,
                message: "database file '\(path)' can only be opened read-only; check its permissions and its folder's"
            )
        }
        sqlite3_busy_timeout(db, Int32(clamping: options.busyTimeoutMillis))
        let mode: SQLValue?
        do {
            mode = try query("PRAGMA journal_mode = WAL", []).first?[0]
        } catch var error as SQLiteError {
            // The first statement reads the file: this is where a missing -wal/-shm or a non-database shows up.
            if error.code == .notADatabase {
                error.message = "'\(path)' is not a SQLite database (\(error.message))"
            } else if error.code == .readOnly || error.code == .cannotOpen {
                error.message =
                    "cannot use '\(path)' in WAL mode: \(error.message); SQLite creates '\(path)-wal' "
                    + "and '\(path)-shm' beside it, so folder '\(Self.folder(of: path))' must be writable"
            }
            throw error
        }
        guard case .text(let modeName) = mode, modeName.lowercased() == "wal" else {
            throw SQLiteError(
                extendedCode: SQLITE_ERROR,
                message: "could not switch '\(path)' to WAL journal mode (got \(String(describing: mode))); "
                    + "the file system may not support the shared memory WAL needs",
                sql: "PRAGMA journal_mode = WAL"
            )
        }
        try execute(
            "PRAGMA synchronous = \(options.synchronous.rawValue); PRAGMA foreign_keys = ON; "
                + "PRAGMA wal_autocheckpoint = \(max(0, options.autoCheckpointPages));")
    }

    /// Builds an error for a failed open that names the likely cause: a missing folder, a path whose folder is
    /// a file, or the operating system's reason (permission denied, read-only file system, ...).
    private static func openError(path: String, db: OpaquePointer?, status: Int32) -> SQLiteError {
        let base = SQLiteError.last(of: db, sql: nil, fallbackCode: status)
        let folder = folder(of: path)
        var info = stat()
        let message: String
        if stat(folder, &info) != 0 {
            message = "folder '\(folder)' does not exist or cannot be searched; create it before opening the database"
        } else if (info.st_mode & S_IFMT) != S_IFDIR {
            message = "'\(folder)' is not a folder"
        } else if access(folder, W_OK | X_OK) != 0 {
            message = "folder '\(folder)' is not writable (\(String(cString: strerror(errno))))"
        } else {
            let systemErrno = db.map { sqlite3_system_errno($0) } ?? 0
            let reason = systemErrno != 0 ? String(cString: strerror(systemErrno)) : base.message
            message = "\(reason) (folder '\(folder)' must exist and be writable)"
        }
        return SQLiteError(
            extendedCode: base.extendedCode,
            message: "cannot open database '\(path)': \(message)"
        )
    }

    /// The folder part of a file path ("." when there is none).
    private static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let folder = String(path[..<slash])
        return folder.isEmpty ? "/" : folder
    }

    /// Finalizes every cached statement and closes the connection; later calls throw `.misuse`.
    func close() {
        for statement in statements.values { sqlite3_finalize(statement) }
        statements.removeAll()
        if let db {
            sqlite3_close_v2(db)
            self.db = nil
        }
    }

    private func openConnection(_ sql: String?) throws -> OpaquePointer {
        guard let db else { throw SQLiteError.misuse("the database is closed", sql: sql) }
        return db
    }

    // MARK: Statements

    /// Runs one or more `;`-separated statements without bindings or results.
    func execute(_ sql: String) throws {
        let db = try openConnection(sql)
        var errorMessage: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(db, sql, nil, nil, &errorMessage)
        guard status == SQLITE_OK else {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(db))
            sqlite3_free(errorMessage)
            throw SQLiteError(extendedCode: sqlite3_extended_errcode(db), message: message, sql: sql)
        }
    }

    /// Runs one statement to completion and returns the number of rows it inserted, updated or deleted.
    func run(_ sql: String, _ bindings: [SQLValue]) throws -> Int {
        let db = try openConnection(sql)
        return try withStatement(sql, bindings) { statement in
            let before = sqlite3_total_changes64(db)
            while true {
                let status = sqlite3_step(statement)
                if status == SQLITE_DONE { break }
                if status != SQLITE_ROW { throw SQLiteError.last(of: db, sql: sql, fallbackCode: status) }
            }
            return sqlite3_total_changes64(db) == before ? 0 : Int(sqlite3_changes64(db))
        }
    }

    /// Runs one statement and returns all of its rows.
    func query(_ sql: String, _ bindings: [SQLValue]) throws -> [Row] {
        let db = try openConnection(sql)
        return try withStatement(sql, bindings) { statement in
            let columnCount = sqlite3_column_count(statement)
            let names = (0..<columnCount).map { column in
                sqlite3_column_name(statement, column).map { String(cString: $0) } ?? ""
            }
            var rows: [Row] = []
            while true {
                let status = sqlite3_step(statement)
                if status == SQLITE_DONE { break }
                guard status == SQLITE_ROW else { throw SQLiteError.last(of: db, sql: sql, fallbackCode: status) }
                let values = (0..<columnCount).map { Self.columnValue(statement, $0) }
                rows.append(Row(columnNames: names, values: values))
            }
            return rows
        }
    }

    /// The rowid of the most recent successful INSERT on this connection.
    var lastInsertRowID: Int64 {
        get throws { sqlite3_last_insert_rowid(try openConnection(nil)) }
    }

    /// Whether a transaction is open (SQLite is not in autocommit mode).
    var isInTransaction: Bool { db.map { sqlite3_get_autocommit($0) == 0 } ?? false }

    /// Runs `body` between BEGIN and COMMIT, rolling back if it or the COMMIT throws.
    func transaction<T>(_ kind: TransactionKind, _ body: () throws -> T) throws -> T {
        _ = try run(kind.beginSQL, [])
        do {
            let result = try body()
            _ = try run("COMMIT", [])
            return result
        } catch {
            // SQLite rolls back by itself after some errors (SQLITE_FULL, SQLITE_IOERR, ...).
            if isInTransaction { _ = try? run("ROLLBACK", []) }
            throw error
        }
    }

    /// Binds the values to the cached statement for `sql`, runs `body`, then resets and unbinds the statement.
    private func withStatement<R>(
        _ sql: String,
        _ bindings: [SQLValue],
        _ body: (OpaquePointer) throws -> R
    ) throws -> R {
        let statement = try cachedStatement(sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        let expected = Int(sqlite3_bind_parameter_count(statement))
        guard expected == bindings.count else {
            throw SQLiteError.misuse(
                "the statement has \(expected) parameters but \(bindings.count) values were bound", sql: sql)
        }
        for (offset, value) in bindings.enumerated() {
            let status = Self.bind(value, to: statement, at: Int32(offset + 1))
            guard status == SQLITE_OK else { throw SQLiteError.last(of: db, sql: sql, fallbackCode: status) }
        }
        return try body(statement)
    }

    private func cachedStatement(_ sql: String) throws -> OpaquePointer {
        if let cached = statements[sql] { return cached }
        let statement = try prepareSingle(sql)
        if statements.count >= statementCacheCapacity {
            let evicted = statements.remove(at: statements.startIndex)
            sqlite3_finalize(evicted.value)
        }
        statements[sql] = statement
        return statement
    }

    /// Prepares exactly one statement; SQL with none, or with more than one, is a `.misuse` error.
    private func prepareSingle(_ sql: String) throws -> OpaquePointer {
        let db = try openConnection(sql)
        return try sql.withCString { text -> OpaquePointer in
            var statement: OpaquePointer?
            var tail: UnsafePointer<CChar>?
            let flags = UInt32(SQLITE_PREPARE_PERSISTENT)
            let status = sqlite3_prepare_v3(db, text, -1, flags, &statement, &tail)
            guard status == SQLITE_OK else { throw SQLiteError.last(of: db, sql: sql, fallbackCode: status) }
            guard let statement else { throw SQLiteError.misuse("the SQL contains no statement", sql: sql) }
            if let tail, tail.pointee != 0 {
                var extra: OpaquePointer?
                let extraStatus = sqlite3_prepare_v2(db, tail, -1, &extra, nil)
                sqlite3_finalize(extra)
                if extraStatus != SQLITE_OK || extra != nil {
                    sqlite3_finalize(statement)
                    throw SQLiteError.misuse(
                        "run and query take exactly one statement; use execute for several", sql: sql)
                }
            }
            return statement
        }
    }

    // MARK: Values

    private static func bind(_ value: SQLValue, to statement: OpaquePointer, at index: Int32) -> Int32 {
        switch value {
        case .null:
            return sqlite3_bind_null(statement, index)
        case .integer(let number):
            return sqlite3_bind_int64(statement, index, number)
        case .real(let number):
            return sqlite3_bind_double(statement, index, number)
        case .text(let string):
            var string = string
            return string.withUTF8 { bytes in
                // A nil pointer would bind NULL; an empty string must stay an empty text.
                guard let base = bytes.baseAddress, bytes.count > 0 else {
                    return council_sqlite3_bind_text_transient(statement, index, "", 0)
                }
                return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                    council_sqlite3_bind_text_transient(statement, index, $0, Int32(clamping: bytes.count))
                }
            }
        case .blob(let bytes):
            guard !bytes.isEmpty else { return sqlite3_bind_zeroblob(statement, index, 0) }
            return bytes.withUnsafeBytes { raw in
                council_sqlite3_bind_blob_transient(statement, index, raw.baseAddress, Int32(clamping: raw.count))
            }
        }
    }

    private static func columnValue(_ statement: OpaquePointer, _ column: Int32) -> SQLValue {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(statement, column) else { return .text("") }
            let count = Int(sqlite3_column_bytes(statement, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            guard let bytes = sqlite3_column_blob(statement, column) else { return .blob([]) }
            let count = Int(sqlite3_column_bytes(statement, column))
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default:
            return .null
        }
    }
}

extension TransactionKind {
    var beginSQL: String {
        switch self {
        case .deferred: "BEGIN DEFERRED"
        case .immediate: "BEGIN IMMEDIATE"
        case .exclusive: "BEGIN EXCLUSIVE"
        }
    }
}
