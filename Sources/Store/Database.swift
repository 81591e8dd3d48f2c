import Synchronization

/// One SQLite connection to a database file, safe to share between threads and tasks.
///
/// Every public method takes the connection's lock once, so calls from several threads are serialized; work that
/// must be atomic goes in ``transaction(_:_:)``. The file is opened in WAL mode with `foreign_keys = ON`, the
/// configured `synchronous` level and `busy_timeout`. Prepared statements are cached by their SQL text, so write
/// SQL with `?` parameters rather than building it from values.
public final class Database: Sendable {
    /// How much SQLite waits for the disk on commit (https://sqlite.org/pragma.html#pragma_synchronous).
    public enum Synchronous: String, Sendable {
        /// In WAL mode, a commit is durable once the WAL is synced at checkpoint; a power cut can lose the last
        /// commits but never corrupts the database. Much faster.
        case normal = "NORMAL"
        /// The WAL is synced on every commit: a committed transaction survives a power cut.
        case full = "FULL"
    }

    /// Connection settings.
    public struct Options: Sendable, Equatable {
        /// The `synchronous` level; `.normal` by default.
        public var synchronous: Synchronous
        /// How long a statement waits for another process's lock before failing with `SQLITE_BUSY`.
        public var busyTimeoutMillis: Int
        /// How many distinct SQL texts keep a prepared statement; past this, one is finalized to make room.
        public var statementCacheCapacity: Int
        /// WAL pages after which a commit checkpoints by itself (SQLite's default is 1000). Raise it when a
        /// ``Checkpointer`` does the work in the background, so that commits on the request path do not.
        public var autoCheckpointPages: Int

        /// Makes options; the defaults suit the daemon.
        public init(
            synchronous: Synchronous = .normal, busyTimeoutMillis: Int = 5_000, statementCacheCapacity: Int = 64,
            autoCheckpointPages: Int = 1000
        ) {
            self.synchronous = synchronous
            self.busyTimeoutMillis = busyTimeoutMillis
            self.statementCacheCapacity = statementCacheCapacity
            self.autoCheckpointPages = autoCheckpointPages
        }
    }

    /// The database file's path as given.
    public let path: String
    /// The settings the connection was opened with.
    public let options: Options
    private let handle: Mutex<SQLiteHandle>

    /// Opens the database file at `path`, creating it if missing. Its folder must already exist and be writable.
    /// - Throws: ``SQLiteError`` `.cannotOpen` naming the missing folder or the system's reason, `.readOnly`,
    ///   `.notADatabase`, or an error when WAL mode cannot be enabled.
    public init(path: String, options: Options = Options()) throws {
        let opened = try SQLiteHandle(path: path, options: options)
        self.path = path
        self.options = options
        self.handle = Mutex(opened)
    }

    /// Closes the connection now (it is also closed when the last reference goes); later calls throw `.misuse`.
    public func close() {
        handle.withLock { $0.close() }
    }

    /// Runs one or more `;`-separated statements that take no bindings and return no rows (schema scripts).
    public func execute(_ sql: String) throws {
        try handle.withLock { try $0.execute(sql) }
    }

    /// Runs one statement with `?` parameters bound in order and returns how many rows it inserted, updated or
    /// deleted (0 for other statements).
    @discardableResult
    public func run(_ sql: String, _ bindings: [SQLValue] = []) throws -> Int {
        try handle.withLock { try $0.run(sql, bindings) }
    }

    /// Runs one statement with `?` parameters bound in order and returns all of its rows.
    public func query(_ sql: String, _ bindings: [SQLValue] = []) throws -> [Row] {
        try handle.withLock { try $0.query(sql, bindings) }
    }

    /// The rowid of the most recent successful INSERT on this connection. Racy when other threads insert too:
    /// read it inside ``transaction(_:_:)`` through ``Connection/lastInsertRowID`` instead.
    public var lastInsertRowID: Int64 {
        get throws { try handle.withLock { try $0.lastInsertRowID } }
    }

    /// Runs `body` inside one transaction (BEGIN IMMEDIATE by default) and commits; if `body` or the commit throws,
    /// rolls back and rethrows. The lock is held throughout, so no other thread's statements interleave.
    ///
    /// Inside `body`, run statements through the lent ``Connection``; calling this `Database` from `body`
    /// deadlocks.
    @discardableResult
    public func transaction<T: Sendable>(
        _ kind: TransactionKind = .immediate,
        _ body: (borrowing Connection) throws -> T
    ) throws -> T {
        try handle.withLock { handle in
            try handle.transaction(kind) {
                let connection = Connection(handle: handle)
                return try body(connection)
            }
        }
    }
}
