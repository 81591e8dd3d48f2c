extension StoreSchema {
    /// Agent profiles created through `agent/create`: one row per name. `skills` is the allow-list joined by commas
    /// (skill names never contain one); NULL means every skill.
    static let agents = Migration(
        name: "0006-agents",
        sql: """
            CREATE TABLE agents (
                name TEXT PRIMARY KEY NOT NULL,
                system_prompt TEXT NOT NULL,
                skills TEXT,
                tier TEXT CHECK (tier IN ('local', 'cloud')),
                sandbox_profile TEXT,
                daily_usd REAL CHECK (daily_usd >= 0),
                max_attempts INTEGER CHECK (max_attempts >= 1),
                max_cost_usd REAL CHECK (max_cost_usd >= 0),
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            ) STRICT;
            """
    )
}

/// An agent profile: a named system prompt with the skills, model tier and caps its questions are answered under.
public struct AgentProfile: Sendable, Equatable {
    /// The profile's name, as requests give it in `agent`.
    public var name: String
    /// The system prompt put before every conversation with a model.
    public var systemPrompt: String
    /// The skills it may use, by name; nil for every skill.
    public var skills: [String]?
    /// The model tier it prefers, `"local"` or `"cloud"`; nil for the node's routing.
    public var tier: String?
    /// The sandbox profile its programs run under; nil for the node's default.
    public var sandboxProfile: String?
    /// US dollars it may spend a day; nil for no cap of its own.
    public var dailyUSD: Double?
    /// Programs the code skill writes and runs at most per question; nil for the node's default.
    public var maxAttempts: Int?
    /// US dollars one question may spend; nil for the node's default.
    public var maxCostUSD: Double?
    /// When it was first saved, UTC ISO 8601 (empty until saved).
    public var createdAt: String
    /// When it was last saved, UTC ISO 8601 (empty until saved).
    public var updatedAt: String

    /// Creates a profile.
    public init(
        name: String, systemPrompt: String, skills: [String]? = nil, tier: String? = nil,
        sandboxProfile: String? = nil, dailyUSD: Double? = nil, maxAttempts: Int? = nil, maxCostUSD: Double? = nil,
        createdAt: String = "", updatedAt: String = ""
    ) {
        self.name = name
        self.systemPrompt = systemPrompt
        self.skills = skills
        self.tier = tier
        self.sandboxProfile = sandboxProfile
        self.dailyUSD = dailyUSD
        self.maxAttempts = maxAttempts
        self.maxCostUSD = maxCostUSD
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The agent profiles kept in SQLite, so that they survive a restart. The caller validates profiles before saving;
/// this type only stores them.
///
/// Needs the schema of ``StoreSchema/migrations``. Every method is one short statement on the shared ``Database``.
public final class AgentProfiles: Sendable {
    /// The database holding the `agents` table.
    public let database: Database

    /// Opens the profiles of a migrated database.
    /// - Throws: ``MigrationError`` `.notMigrated` when the `agents` table is missing.
    public init(database: Database) throws {
        let tables = try database.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'agents'")
        guard !tables.isEmpty else {
            throw MigrationError(
                code: .notMigrated, migrations: [StoreSchema.agents.name],
                message: "database '\(database.path)' has no agents table; open it with StoreSchema.open first")
        }
        self.database = database
    }

    private static let columns =
        "name, system_prompt, skills, tier, sandbox_profile, daily_usd, max_attempts, max_cost_usd, created_at, "
        + "updated_at"

    /// Saves `profile`, replacing one of the same name (whose creation time is kept); returns the stored profile.
    @discardableResult
    public func save(_ profile: AgentProfile) throws -> AgentProfile {
        let rows = try database.query(
            """
            INSERT INTO agents (\(Self.columns))
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
            ON CONFLICT (name) DO UPDATE SET system_prompt = excluded.system_prompt, skills = excluded.skills,
                tier = excluded.tier, sandbox_profile = excluded.sandbox_profile, daily_usd = excluded.daily_usd,
                max_attempts = excluded.max_attempts, max_cost_usd = excluded.max_cost_usd,
                updated_at = excluded.updated_at
            RETURNING \(Self.columns)
            """,
            [
                .text(profile.name), .text(profile.systemPrompt),
                profile.skills.map { .text($0.joined(separator: ",")) } ?? .null, profile.tier.sqlValue,
                profile.sandboxProfile.sqlValue, profile.dailyUSD.sqlValue, profile.maxAttempts.sqlValue,
                profile.maxCostUSD.sqlValue,
            ])
        guard let row = rows.first else { return profile }
        return try Self.profile(row)
    }

    /// Every stored profile, by name.
    public func loadAll() throws -> [AgentProfile] {
        try database.query("SELECT \(Self.columns) FROM agents ORDER BY name").map(Self.profile)
    }

    /// The stored profile called `name`, or nil.
    public func get(_ name: String) throws -> AgentProfile? {
        try database.query("SELECT \(Self.columns) FROM agents WHERE name = ?", [.text(name)]).first.map(Self.profile)
    }

    /// Removes the profile called `name`; returns whether there was one.
    @discardableResult
    public func delete(_ name: String) throws -> Bool {
        !(try database.query("DELETE FROM agents WHERE name = ? RETURNING name", [.text(name)])).isEmpty
    }

    private static func profile(_ row: Row) throws -> AgentProfile {
        let skills: String? = try row.get(2)
        return AgentProfile(
            name: try row.get(0), systemPrompt: try row.get(1),
            skills: skills.map { $0.isEmpty ? [] : $0.split(separator: ",").map(String.init) },
            tier: try row.get(3), sandboxProfile: try row.get(4), dailyUSD: try row.get(5),
            maxAttempts: try row.get(6), maxCostUSD: try row.get(7), createdAt: try row.get(8),
            updatedAt: try row.get(9))
    }
}
