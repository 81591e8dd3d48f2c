import CSQLite

/// An error reported by SQLite (or by this module on SQLite's behalf), with the result code, message and SQL.
///
/// `code` is SQLite's primary result code (`SQLITE_CONSTRAINT` = 19, `SQLITE_BUSY` = 5, ...) and
/// `extendedCode` the extended one (`SQLITE_CONSTRAINT_UNIQUE` = 2067, ...), as documented at
/// https://sqlite.org/rescode.html. Compare `code` against the constants on ``SQLiteError/Code``.
public struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A SQLite result code. Constants cover the codes a caller is likely to act on; any other value is kept as is.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The numeric SQLite result code.
        public var rawValue: Int32

        /// Wraps a numeric SQLite result code.
        public init(rawValue: Int32) { self.rawValue = rawValue }

        /// Generic error, including SQL syntax errors and missing tables (`SQLITE_ERROR`).
        public static let error = Code(rawValue: SQLITE_ERROR)
        /// Another connection holds a conflicting lock and `busy_timeout` ran out (`SQLITE_BUSY`).
        public static let busy = Code(rawValue: SQLITE_BUSY)
        /// A conflicting lock inside the same connection (`SQLITE_LOCKED`).
        public static let locked = Code(rawValue: SQLITE_LOCKED)
        /// The database (or its folder) cannot be written (`SQLITE_READONLY`).
        public static let readOnly = Code(rawValue: SQLITE_READONLY)
        /// An operating-system I/O error (`SQLITE_IOERR`).
        public static let ioError = Code(rawValue: SQLITE_IOERR)
        /// The file is not a database or is damaged (`SQLITE_CORRUPT`, `SQLITE_NOTADB` has its own code).
        public static let corrupt = Code(rawValue: SQLITE_CORRUPT)
        /// The disk is full (`SQLITE_FULL`).
        public static let full = Code(rawValue: SQLITE_FULL)
        /// The database file could not be opened or created (`SQLITE_CANTOPEN`).
        public static let cannotOpen = Code(rawValue: SQLITE_CANTOPEN)
        /// A UNIQUE, NOT NULL, CHECK or FOREIGN KEY constraint failed (`SQLITE_CONSTRAINT`).
        public static let constraint = Code(rawValue: SQLITE_CONSTRAINT)
        /// A value had the wrong type for how it was read (`SQLITE_MISMATCH`).
        public static let mismatch = Code(rawValue: SQLITE_MISMATCH)
        /// The API was used wrongly: closed database, wrong number of bindings, several statements (`SQLITE_MISUSE`).
        public static let misuse = Code(rawValue: SQLITE_MISUSE)
        /// A column index or name that the row does not have (`SQLITE_RANGE`).
        public static let range = Code(rawValue: SQLITE_RANGE)
        /// The file is not a SQLite database (`SQLITE_NOTADB`).
        public static let notADatabase = Code(rawValue: SQLITE_NOTADB)

        /// SQLite's English name for the code, e.g. "constraint failed".
        public var description: String { String(cString: sqlite3_errstr(rawValue)) }
    }

    /// The primary result code (the low 8 bits of `extendedCode`).
    public var code: Code
    /// The extended result code, e.g. 2067 for `SQLITE_CONSTRAINT_UNIQUE`; equal to `code` when there is none.
    public var extendedCode: Int32
    /// SQLite's message (`sqlite3_errmsg`) or this module's explanation.
    public var message: String
    /// The SQL being prepared or run when the error happened, if any.
    public var sql: String?

    /// Makes an error from an (extended) result code, a message and the SQL involved.
    public init(extendedCode: Int32, message: String, sql: String? = nil) {
        self.code = Code(rawValue: extendedCode & 0xFF)
        self.extendedCode = extendedCode
        self.message = message
        self.sql = sql
    }

    /// Whether a constraint (UNIQUE, NOT NULL, CHECK, FOREIGN KEY, PRIMARY KEY) rejected the change.
    public var isConstraintViolation: Bool { code == .constraint }

    /// "SQLite error 19/2067 (constraint failed): UNIQUE constraint failed: t.x [in: INSERT ...]".
    public var description: String {
        let codes = extendedCode == code.rawValue ? "\(code.rawValue)" : "\(code.rawValue)/\(extendedCode)"
        var text = "SQLite error \(codes) (\(code)): \(message)"
        if let sql { text += " [in: \(sql)]" }
        return text
    }
}

extension SQLiteError {
    /// The current error of a connection: its extended code and `sqlite3_errmsg`.
    static func last(of db: OpaquePointer?, sql: String?, fallbackCode: Int32) -> SQLiteError {
        guard let db else {
            let message = String(cString: sqlite3_errstr(fallbackCode))
            return SQLiteError(extendedCode: fallbackCode, message: message, sql: sql)
        }
        return SQLiteError(
            extendedCode: sqlite3_extended_errcode(db),
            message: String(cString: sqlite3_errmsg(db)),
            sql: sql
        )
    }

    /// An API misuse detected by this module before SQLite saw it.
    static func misuse(_ message: String, sql: String? = nil) -> SQLiteError {
        SQLiteError(extendedCode: SQLITE_MISUSE, message: message, sql: sql)
    }
}
