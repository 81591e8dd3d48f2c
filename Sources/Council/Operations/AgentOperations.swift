import JSON
import Store

/// The `agent/*` ops over a shared ``AgentDirectory``.
public enum AgentOperations {
    /// `agent/create`, `agent/list` and `agent/delete`.
    public static func all(directory: AgentDirectory) -> [any Operation] {
        [
            AgentCreateOperation(directory: directory), AgentListOperation(directory: directory),
            AgentDeleteOperation(directory: directory),
        ]
    }

    /// A directory entry as the ops show it: the profile's fields, `source` (`stored` or `file`), `file`, `read_only`.
    static func json(_ entry: AgentDirectory.Entry) -> JSONValue {
        var object = AgentProfileFields.json(entry.profile)
        object["source"] = entry.file == nil ? "stored" : "file"
        if let file = entry.file { object["file"] = .string(file) }
        object["read_only"] = .bool(entry.file != nil)
        return .object(object)
    }

    static func requestError(_ op: String, _ error: AgentDirectoryError) -> RequestError {
        switch error {
        case .invalid, .readOnly, .unknown: RequestError(.badRequest, "\(op): \(error)")
        case .storage: RequestError(.internal, "\(op): \(error)")
        }
    }

    /// The required `name` field.
    static func name(_ body: JSONObject, op: String) -> Result<String, RequestError> {
        guard let value = body["name"] else { return .failure(RequestError(.badRequest, "\(op): 'name' is missing")) }
        guard case .string(let name) = value else {
            return .failure(RequestError(.badRequest, "\(op): 'name' must be a string"))
        }
        return .success(name)
    }
}

/// `agent/create`: the profile's fields → `agent` (the stored profile). Replaces a stored profile of that name.
public struct AgentCreateOperation: Operation {
    public let name = "agent/create"
    let directory: AgentDirectory

    /// Creates the op.
    public init(directory: AgentDirectory) { self.directory = directory }

    public func plan(_ body: JSONObject, context: OperationContext) -> OperationPlan {
        do throws(AgentDirectoryError) {
            let profile = try directory.create(from: body)
            return .ok(["agent": AgentOperations.json(AgentDirectory.Entry(profile: profile, file: nil))])
        } catch {
            return .ready(.failure(AgentOperations.requestError(name, error)))
        }
    }
}

/// `agent/list`: `name?` → `agents` (every profile, or the one named).
public struct AgentListOperation: Operation {
    public let name = "agent/list"
    let directory: AgentDirectory

    /// Creates the op.
    public init(directory: AgentDirectory) { self.directory = directory }

    public func plan(_ body: JSONObject, context: OperationContext) -> OperationPlan {
        guard let value = body["name"], value != .null else {
            return .ok(["agents": .array(directory.list().map(AgentOperations.json))])
        }
        guard case .string(let wanted) = value else { return .failure(.badRequest, "\(name): 'name' must be a string") }
        guard let entry = directory.entry(named: wanted) else {
            let error = AgentDirectoryError.unknown(name: wanted, known: directory.names)
            return .failure(.badRequest, "\(name): 'name': \(error)")
        }
        return .ok(["agents": [AgentOperations.json(entry)]])
    }
}

/// `agent/delete`: `name` → `deleted` (the name). Profiles read from files are refused.
public struct AgentDeleteOperation: Operation {
    public let name = "agent/delete"
    let directory: AgentDirectory

    /// Creates the op.
    public init(directory: AgentDirectory) { self.directory = directory }

    public func plan(_ body: JSONObject, context: OperationContext) -> OperationPlan {
        let agent: String
        switch AgentOperations.name(body, op: name) {
        case .failure(let error): return .ready(.failure(error))
        case .success(let valid): agent = valid
        }
        do throws(AgentDirectoryError) {
            try directory.delete(agent)
            return .ok(["deleted": .string(agent)])
        } catch {
            return .ready(.failure(AgentOperations.requestError(name, error)))
        }
    }
}
