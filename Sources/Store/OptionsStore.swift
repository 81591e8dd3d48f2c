extension StoreSchema {
    /// Run-time options a dashboard changed (the `options` op), kept across restarts.
    static let options = Migration(
        name: "0005-options",
        sql: """
            CREATE TABLE options (
                name TEXT PRIMARY KEY,
                value_json TEXT NOT NULL,
                updated_at_ms INTEGER NOT NULL
            ) STRICT;
            """
    )
}

/// The options changed at run time, as JSON texts by name. They override the configuration file until reset.
public struct OptionsStore: Sendable {
    private let database: Database

    /// Uses the `options` table of a migrated database.
    public init(database: Database) {
        self.database = database
    }

    /// Every stored option: name → JSON text.
    public func load() throws -> [String: String] {
        var values: [String: String] = [:]
        for row in try database.query("SELECT name, value_json FROM options") {
            values[try row.get(0)] = try row.get(1)
        }
        return values
    }

    /// Stores `changes` in one transaction; a nil value removes the option (back to the configuration's value).
    public func save(_ changes: [(name: String, json: String?)], nowMillis: Int64) throws {
        try database.transaction(.immediate) { connection in
            for (name, json) in changes {
                if let json {
                    try connection.run(
                        """
                        INSERT INTO options (name, value_json, updated_at_ms) VALUES (?, ?, ?)
                        ON CONFLICT (name) DO UPDATE SET value_json = excluded.value_json,
                                                         updated_at_ms = excluded.updated_at_ms
                        """, [.text(name), .text(json), .integer(nowMillis)])
                } else {
                    try connection.run("DELETE FROM options WHERE name = ?", [.text(name)])
                }
            }
        }
    }
}
