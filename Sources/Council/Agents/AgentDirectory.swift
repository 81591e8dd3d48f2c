import FoundationEssentials
import JSON
import Store
import Synchronization

/// Why the directory refused a change.
public enum AgentDirectoryError: Error, Sendable, CustomStringConvertible {
    /// A field is invalid.
    case invalid(AgentFieldError)
    /// The profile comes from a file in the profiles folder: edit or remove the file instead.
    case readOnly(name: String, path: String)
    /// No profile has this name.
    case unknown(name: String, known: [String])
    /// SQLite failed.
    case storage(String)

    public var description: String {
        switch self {
        case .invalid(let error): error.message
        case .readOnly(let name, let path):
            "agent '\(name)' comes from the file '\(path)' and is read-only; edit or remove the file and restart"
        case .unknown(let name, let known):
            "unknown agent '\(name)'; known: " + (known.isEmpty ? "none" : known.joined(separator: ", "))
        case .storage(let message): "the agent store failed: \(message)"
        }
    }
}

/// The node's agent profiles: those created through `agent/create` (kept in SQLite, cached here) and those read from
/// a folder of TOML files at start (read-only). Safe to use from any thread.
public final class AgentDirectory: Sendable {
    /// One profile and where it comes from.
    public struct Entry: Sendable, Equatable {
        /// The profile.
        public var profile: AgentProfile
        /// The TOML file it was read from; nil for a stored profile.
        public var file: String?
    }

    private let store: AgentProfiles
    private let files: [String: Entry]
    private let stored: Mutex<[String: AgentProfile]>
    /// The skill names profiles may list; nil accepts any.
    public let skillNames: [String]?
    /// The sandbox profile names profiles may use; nil accepts any.
    public let sandboxProfiles: [String]?
    /// Why files in the profiles folder were not loaded, one line each (for the log).
    public let problems: [String]

    /// Opens the stored profiles of a migrated database and reads every `*.toml` in `folder` (none when empty).
    /// - Parameters:
    ///   - skillNames: the node's skills, so that a profile naming another is refused; nil accepts any.
    ///   - sandboxProfiles: the node's sandbox profiles (`light`, `heavy`); nil accepts any.
    /// - Throws: ``MigrationError`` when the `agents` table is missing, or SQLite errors.
    public init(
        database: Database, folder: String = "", skillNames: [String]? = nil, sandboxProfiles: [String]? = nil
    ) throws {
        store = try AgentProfiles(database: database)
        self.skillNames = skillNames
        self.sandboxProfiles = sandboxProfiles
        var profiles: [String: AgentProfile] = [:]
        for profile in try store.loadAll() { profiles[profile.name] = profile }
        stored = Mutex(profiles)
        var problems: [String] = []
        files =
            folder.isEmpty
            ? [:] : Self.readFolder(folder, skills: skillNames, sandboxProfiles: sandboxProfiles, problems: &problems)
        for name in files.keys.sorted() where profiles[name] != nil {
            problems.append("agent '\(name)' is both stored and in '\(files[name]!.file!)'; the file's profile is used")
        }
        self.problems = problems
    }

    /// Every profile, by name; a file's profile hides a stored one of the same name.
    public func list() -> [Entry] {
        var entries = stored.withLock { $0 }.mapValues { Entry(profile: $0, file: nil) }
        entries.merge(files) { _, file in file }
        return entries.values.sorted { $0.profile.name < $1.profile.name }
    }

    /// The profile called `name`, or nil.
    public func entry(named name: String) -> Entry? {
        if let file = files[name] { return file }
        return stored.withLock { $0[name] }.map { Entry(profile: $0, file: nil) }
    }

    /// The names of every profile, sorted.
    public var names: [String] { list().map(\.profile.name) }

    /// Validates `fields` (an `agent/create` body) and stores the profile, replacing a stored one of that name.
    /// - Throws: `.invalid` naming the field, `.readOnly` for a file's profile, `.storage`.
    @discardableResult
    public func create(from fields: JSONObject) throws(AgentDirectoryError) -> AgentProfile {
        let profile: AgentProfile
        do {
            profile = try AgentProfileFields.profile(
                from: fields, skills: skillNames, sandboxProfiles: sandboxProfiles)
        } catch {
            throw .invalid(error)
        }
        return try save(profile)
    }

    /// Stores `profile` (already validated), replacing a stored one of that name.
    /// - Throws: `.readOnly` for a file's profile, `.storage`.
    @discardableResult
    public func save(_ profile: AgentProfile) throws(AgentDirectoryError) -> AgentProfile {
        if let file = files[profile.name] { throw .readOnly(name: profile.name, path: file.file ?? "") }
        do {
            return try stored.withLock { profiles in
                let saved = try store.save(profile)
                profiles[saved.name] = saved
                return saved
            }
        } catch {
            throw .storage("\(error)")
        }
    }

    /// Deletes the stored profile called `name`.
    /// - Throws: `.readOnly` for a file's profile, `.unknown` when there is none, `.storage`.
    public func delete(_ name: String) throws(AgentDirectoryError) {
        if let file = files[name] { throw .readOnly(name: name, path: file.file ?? "") }
        let deleted: Bool
        do {
            deleted = try stored.withLock { profiles in
                let deleted = try store.delete(name)
                profiles[name] = nil
                return deleted
            }
        } catch {
            throw .storage("\(error)")
        }
        if !deleted { throw .unknown(name: name, known: names) }
    }

    /// Reads every `*.toml` in `folder`: the file's name (without `.toml`) is the profile's when it has no `name`.
    private static func readFolder(
        _ folder: String, skills: [String]?, sandboxProfiles: [String]?, problems: inout [String]
    ) -> [String: Entry] {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".toml") }
                .sorted()
        } catch {
            problems.append("cannot read the agents folder '\(folder)': \(error)")
            return [:]
        }
        var entries: [String: Entry] = [:]
        for file in files {
            let path = folder.hasSuffix("/") ? folder + file : folder + "/" + file
            do {
                let text = try FileText.read(path)
                let fields = try tomlFields(TOMLDocument.parse(text, origin: path), path: path)
                let profile = try AgentProfileFields.profile(
                    from: fields, defaultName: String(file.dropLast(5)), skills: skills,
                    sandboxProfiles: sandboxProfiles)
                if let other = entries[profile.name] {
                    problems.append("'\(path)': agent '\(profile.name)' is already defined by '\(other.file ?? "")'")
                    continue
                }
                entries[profile.name] = Entry(profile: profile, file: path)
            } catch let error as FileText.Failure {
                problems.append("cannot read '\(path)': \(error.reason)")
            } catch let error as AgentFieldError {
                problems.append("'\(path)': \(error.message)")
            } catch {
                problems.append("\(error)")
            }
        }
        return entries
    }

    /// The TOML document's top-level members as JSON, so files and requests share ``AgentProfileFields``.
    private static func tomlFields(_ members: [(key: String, value: TOMLNode)], path: String) throws -> JSONObject {
        func json(_ node: TOMLNode, key: String) throws(AgentFieldError) -> JSONValue {
            switch node {
            case .string(let text): return .string(text)
            case .integer(let value): return JSONValue(value)
            case .float(let value): return JSONValue(value)
            case .boolean(let value): return .bool(value)
            case .array(let items):
                return .array(try items.map { node throws(AgentFieldError) in try json(node, key: key) })
            case .table, .other: throw AgentFieldError(field: key, "must not be \(node.shown)")
            }
        }
        var object = JSONObject()
        for (key, node) in members { object[key] = try json(node, key: key) }
        return object
    }
}
