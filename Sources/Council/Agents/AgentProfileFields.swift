import JSON
import Store

/// Why a profile's fields were refused: the field and what is wrong with it.
public struct AgentFieldError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field at fault (`name`, `skills`, ...).
    public let field: String
    /// What is wrong, starting with the field: "'tier' must be \"local\" or \"cloud\"".
    public let message: String

    /// Creates an error.
    public init(field: String, _ problem: String) {
        self.field = field
        self.message = "'\(field)' \(problem)"
    }

    public var description: String { message }
}

/// Reads an agent profile from its fields: an `agent/create` body or a TOML profile file (converted to JSON), so
/// that both are checked by the same rules.
public enum AgentProfileFields {
    /// The fields a profile may have; anything else is refused, so that a typo does not pass silently.
    public static let known = [
        "name", "system_prompt", "skills", "tier", "sandbox_profile", "daily_usd", "max_attempts", "max_cost_usd",
    ]

    /// Whether `name` can name an agent: 1 to 64 of `[A-Za-z0-9_.-]`, so it is safe in topics and file names.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64
            && name.unicodeScalars.allSatisfy { scalar in
                switch scalar.value {
                case 48...57, 65...90, 97...122, 95, 46, 45: true  // [0-9A-Za-z_.-]
                default: false
                }
            }
    }

    /// The profile the fields describe.
    /// - Parameters:
    ///   - fields: the profile's fields.
    ///   - defaultName: the name when `fields` has none (a file's name); nil makes `name` required.
    ///   - skills: the skill names the node has, to refuse unknown ones; nil accepts any valid name.
    ///   - sandboxProfiles: the sandbox profile names the node has; nil accepts any valid name.
    /// - Throws: ``AgentFieldError`` naming the first field at fault.
    public static func profile(
        from fields: JSONObject, defaultName: String? = nil, skills: [String]? = nil, sandboxProfiles: [String]? = nil
    ) throws(AgentFieldError) -> AgentProfile {
        if let unknown = fields.keys.first(where: { !known.contains($0) }) {
            throw AgentFieldError(field: unknown, "is not a profile field; known: \(known.joined(separator: ", "))")
        }
        let name = try string(fields, "name") ?? defaultName
        guard let name else { throw AgentFieldError(field: "name", "is missing") }
        guard isValidName(name) else {
            throw AgentFieldError(field: "name", "must be 1 to 64 letters, digits, '_', '.' or '-' (got '\(name)')")
        }
        guard let prompt = try string(fields, "system_prompt") else {
            throw AgentFieldError(field: "system_prompt", "is missing")
        }
        guard !prompt.allSatisfy(\.isWhitespace) else { throw AgentFieldError(field: "system_prompt", "is empty") }
        guard prompt.utf8.count <= 16_384 else {
            throw AgentFieldError(field: "system_prompt", "is longer than 16384 bytes")
        }
        var profile = AgentProfile(name: name, systemPrompt: prompt)
        profile.skills = try skillList(fields, known: skills)
        profile.tier = try string(fields, "tier")
        if let tier = profile.tier, !["local", "cloud"].contains(tier) {
            throw AgentFieldError(field: "tier", "must be \"local\" or \"cloud\"")
        }
        profile.sandboxProfile = try string(fields, "sandbox_profile")
        if let sandbox = profile.sandboxProfile {
            guard isValidName(sandbox), sandboxProfiles.map({ $0.contains(sandbox) }) ?? true else {
                let choices = sandboxProfiles.map { "; known: " + $0.joined(separator: ", ") } ?? ""
                throw AgentFieldError(field: "sandbox_profile", "names no sandbox profile ('\(sandbox)')\(choices)")
            }
        }
        profile.dailyUSD = try amount(fields, "daily_usd")
        profile.maxCostUSD = try amount(fields, "max_cost_usd")
        if let value = fields["max_attempts"], value != .null {
            guard let attempts = value.intValue, (1...20).contains(attempts) else {
                throw AgentFieldError(field: "max_attempts", "must be an integer from 1 to 20")
            }
            profile.maxAttempts = attempts
        }
        return profile
    }

    /// The profile as the `agent/*` ops show it; absent settings are left out.
    public static func json(_ profile: AgentProfile) -> JSONObject {
        var object: JSONObject = ["name": .string(profile.name), "system_prompt": .string(profile.systemPrompt)]
        if let skills = profile.skills { object["skills"] = .array(skills.map { .string($0) }) }
        if let tier = profile.tier { object["tier"] = .string(tier) }
        if let sandbox = profile.sandboxProfile { object["sandbox_profile"] = .string(sandbox) }
        if let daily = profile.dailyUSD { object["daily_usd"] = JSONValue(daily) }
        if let attempts = profile.maxAttempts { object["max_attempts"] = JSONValue(attempts) }
        if let cost = profile.maxCostUSD { object["max_cost_usd"] = JSONValue(cost) }
        if !profile.createdAt.isEmpty { object["created_at"] = .string(profile.createdAt) }
        if !profile.updatedAt.isEmpty { object["updated_at"] = .string(profile.updatedAt) }
        return object
    }

    private static func string(_ fields: JSONObject, _ field: String) throws(AgentFieldError) -> String? {
        guard let value = fields[field], value != .null else { return nil }
        guard case .string(let text) = value else { throw AgentFieldError(field: field, "must be a string") }
        return text
    }

    private static func amount(_ fields: JSONObject, _ field: String) throws(AgentFieldError) -> Double? {
        guard let value = fields[field], value != .null else { return nil }
        guard let amount = value.doubleValue, amount.isFinite, amount >= 0, amount <= 1_000_000 else {
            throw AgentFieldError(field: field, "must be a number of US dollars from 0 to 1000000")
        }
        return amount
    }

    private static func skillList(_ fields: JSONObject, known: [String]?) throws(AgentFieldError) -> [String]? {
        guard let value = fields["skills"], value != .null else { return nil }
        guard case .array(let items) = value else {
            throw AgentFieldError(field: "skills", "must be an array of skill names")
        }
        var names: [String] = []
        for item in items {
            guard case .string(let name) = item, isValidName(name) else {
                throw AgentFieldError(field: "skills", "must be an array of skill names (got \(item))")
            }
            if let known, !known.contains(name) {
                throw AgentFieldError(
                    field: "skills", "names an unknown skill '\(name)'; known: \(known.joined(separator: ", "))")
            }
            if !names.contains(name) { names.append(name) }
        }
        return names
    }
}
