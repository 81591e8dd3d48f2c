/// Why the database schema cannot be brought up to date, or is not what this Council expects.
public struct MigrationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong; more kinds may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: Hashable, Sendable {
            case newerSchema, failed, duplicateName, notMigrated
        }

        private let kind: Kind

        /// The database records migrations this Council does not know: a newer Council wrote it. Nothing was
        /// changed; upgrade Council (or restore a backup made before the upgrade).
        public static let newerSchema = Code(kind: .newerSchema)
        /// A migration's SQL failed; its transaction was rolled back and it is not recorded as applied.
        public static let failed = Code(kind: .failed)
        /// The migration list names the same migration twice (a programming error).
        public static let duplicateName = Code(kind: .duplicateName)
        /// A table Store needs is missing: run the migrations (``StoreSchema/open(path:options:)``) first.
        public static let notMigrated = Code(kind: .notMigrated)

        /// A short name for the code.
        public var description: String {
            switch kind {
            case .newerSchema: "newer_schema"
            case .failed: "failed"
            case .duplicateName: "duplicate_name"
            case .notMigrated: "not_migrated"
            }
        }
    }

    /// What went wrong.
    public var code: Code
    /// The migrations concerned: the unknown ones, the failed one, the duplicated one, or the missing one.
    public var migrations: [String]
    /// The SQLite error behind a `.failed` migration.
    public var underlying: SQLiteError?
    /// A sentence for the log.
    public var message: String

    /// Makes an error.
    public init(code: Code, migrations: [String], underlying: SQLiteError? = nil, message: String) {
        self.code = code
        self.migrations = migrations
        self.underlying = underlying
        self.message = message
    }

    /// The message, followed by the SQLite error when there is one.
    public var description: String {
        underlying.map { "\(message): \($0)" } ?? message
    }
}
