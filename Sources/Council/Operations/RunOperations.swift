import JSON
import Store

/// The `run` ops over a shared ``RunManager``.
public enum RunOperations {
    /// `run`, `run/get`, `run/list`, `run/cancel` and `run/artifact`. `replyWithinMillis` is the daemon's request
    /// timeout: a `run` that waits for its end replies before it with the run as it stands.
    public static func all(manager: RunManager, replyWithinMillis: Int) -> [any Operation] {
        [
            RunOperation(manager: manager, replyWithinMillis: replyWithinMillis), RunGetOperation(manager: manager),
            RunListOperation(manager: manager), RunCancelOperation(manager: manager),
            RunArtifactOperation(manager: manager),
        ]
    }

    /// The run `id` names as the ops show it, with its steps and files, or `op`'s error when there is none.
    static func snapshot(_ manager: RunManager, _ id: String, op: String) -> Result<JSONObject, RequestError> {
        do {
            guard let record = try manager.records.run(id) else { return .failure(unknown(id, op: op)) }
            return .success(
                RunJSON.run(
                    record, steps: try manager.records.steps(of: id), artifacts: try manager.records.artifacts(of: id),
                    logTopic: manager.logTopic(of: id), now: unixMillis()))
        } catch {
            return .failure(RequestError(.internal, "\(op): cannot read run \(id): \(error)"))
        }
    }

    /// The `id` field, or the error naming the op.
    static func id(_ body: JSONObject, op: String) -> Result<String, RequestError> {
        guard case .string(let id)? = body["id"], !id.isEmpty else {
            let problem = body["id"] == nil ? "is missing" : "must be a run id (a string)"
            return .failure(RequestError(.badRequest, "\(op): 'id' \(problem)"))
        }
        return .success(id)
    }

    /// The reply for an id no run has.
    static func unknown(_ id: String, op: String) -> RequestError {
        RequestError(.badRequest, "\(op): no run has the id '\(id)' (see run/list)")
    }
}

/// `run`: starts an agent run. Request: `task`, `agent?`, `max_attempts?` (1–20, lowers the node's or agent's),
/// `max_cost_usd?` (lowers), `allow_cloud?`, `wait?` (default true: reply when the run ends, or before the request
/// times out with the run as it stands; false: reply at once). Reply: the run (`id`, `state`, `answer`, `steps`,
/// `cost_usd`, `log_topic`, ...).
public struct RunOperation: Operation {
    public let name = "run"
    private let manager: RunManager
    private let replyWithinMillis: Int

    /// Creates the op.
    public init(manager: RunManager, replyWithinMillis: Int) {
        self.manager = manager
        self.replyWithinMillis = replyWithinMillis
    }

    public func plan(_ body: JSONObject, context: OperationContext) -> OperationPlan {
        let request: RunRequest
        switch Self.request(from: body) {
        case .failure(let error): return .ready(.failure(error))
        case .success(let valid): request = valid
        }
        let record: RunRecord
        do throws(RequestError) {
            record = try manager.start(request)
        } catch {
            return .ready(.failure(error))
        }
        let wait = body["wait"]?.boolValue ?? true
        let manager = self.manager
        // Reply a little before the daemon would answer `timeout`, so the requester always learns the run's id.
        let deadline =
            min(
                context.expiresAtMillis ?? .max, context.receivedAtMillis + Int64(replyWithinMillis)) - 500
        return .pending {
            if wait { await manager.waitForEnd(of: record.id, atMost: deadline - unixMillis()) }
            return RunOperations.snapshot(manager, record.id, op: "run")
        }
    }

    /// Validates a `run` body.
    static func request(from body: JSONObject) -> Result<RunRequest, RequestError> {
        guard case .string(let task)? = body["task"] else {
            let problem = body["task"] == nil ? "is missing" : "must be a string"
            return .failure(RequestError(.badRequest, "run: 'task' \(problem)"))
        }
        guard !task.allSatisfy(\.isWhitespace) else {
            return .failure(RequestError(.badRequest, "run: 'task' is empty"))
        }
        for (field, kind) in [
            ("agent", JSONKind.string), ("max_attempts", .number), ("max_cost_usd", .number),
            ("allow_cloud", .bool), ("wait", .bool),
        ] {
            if let value = body[field], !kind.matches(value) {
                return .failure(RequestError(.badRequest, "run: '\(field)' must be a \(kind.rawValue)"))
            }
        }
        var request = RunRequest(task: task, agent: body["agent"]?.stringValue)
        if let value = body["max_attempts"] {
            guard let attempts = value.intValue, (1...20).contains(attempts) else {
                return .failure(RequestError(.badRequest, "run: 'max_attempts' must be an integer from 1 to 20"))
            }
            request.maxAttempts = attempts
        }
        if let cost = body["max_cost_usd"]?.doubleValue {
            guard cost >= 0 else {
                return .failure(RequestError(.badRequest, "run: 'max_cost_usd' must not be negative"))
            }
            request.maxCostUSD = cost
        }
        request.allowCloud = body["allow_cloud"]?.boolValue
        return .success(request)
    }
}

/// `run/get`: one run with its steps and files. Request: `id`.
public struct RunGetOperation: Operation {
    public let name = "run/get"
    private let manager: RunManager

    /// Creates the op.
    public init(manager: RunManager) { self.manager = manager }

    public func plan(_ body: JSONObject, context: OperationContext) -> OperationPlan {
        let id: String
        switch RunOperations.id(body, op: name) {
        case .failure(let error): return .ready(.failure(error))
        case .success(let valid): id = valid
        }
        return .ready(RunOperations.snapshot(manager, id, op: name))
    }
}

/// `run/list`: the newest runs first, without their steps. Request: `state?`, `limit?` (1–1000, default 50).
/// Reply: `runs`.
public struct RunListOperation: Operation {
    public let name = "run/list"
    private let manager: RunManager

    /// Creates the op.
    public init(manager: RunManager) { self.manager = manager }

    public func plan(_ body: JSONObject, context: OperationContext) -> OperationPlan {
        var state: RunState?
        if let value = body["state"] {
            guard case .string(let text) = value, let parsed = RunState(rawValue: text) else {
                let states = RunState.allCases.map(\.rawValue).joined(separator: ", ")
                return .failure(.badRequest, "run/list: 'state' must be one of \(states)")
            }
            state = parsed
        }
        var limit = 50
        if let value = body["limit"] {
            guard let number = value.intValue, (1...1000).contains(number) else {
                return .failure(.badRequest, "run/list: 'limit' must be an integer from 1 to 1000")
            }
            limit = number
        }
        do {
            let now = unixMillis()
            let runs = try manager.records.list(state: state, limit: limit).map {
                JSONValue.object(RunJSON.run($0, now: now))
            }
            return .ok(["runs": .array(runs)])
        } catch {
            return .failure(.internal, "run/list: cannot read the runs: \(error)")
        }
    }
}

/// `run/cancel`: stops a live run (its sandbox is killed, no model is called any more) and replies with the run once
/// it has stopped. Request: `id`. Reply: the run, and `cancelled` (false when it had already ended).
public struct RunCancelOperation: Operation {
    public let name = "run/cancel"
    private let manager: RunManager

    /// Creates the op.
    public init(manager: RunManager) { self.manager = manager }

    public func plan(_ body: JSONObject, context: OperationContext) -> OperationPlan {
        let id: String
        switch RunOperations.id(body, op: name) {
        case .failure(let error): return .ready(.failure(error))
        case .success(let valid): id = valid
        }
        let manager = self.manager
        let name = self.name
        return .pending {
            let cancelled = manager.stop(id)
            if cancelled { await manager.waitForEnd(of: id, atMost: 10_000) }
            return RunOperations.snapshot(manager, id, op: name).map { run in
                var run = run
                run["cancelled"] = .bool(cancelled)
                return run
            }
        }
    }
}

/// `run/artifact`: one file a run's program left in its workspace. Request: `id`, `path`. Reply: `path`, `size`,
/// `attempt`, `encoding` (`utf8` when the bytes are UTF-8 text, else `base64`), `content`.
public struct RunArtifactOperation: Operation {
    public let name = "run/artifact"
    private let manager: RunManager

    /// Creates the op.
    public init(manager: RunManager) { self.manager = manager }

    public func plan(_ body: JSONObject, context: OperationContext) -> OperationPlan {
        let id: String
        switch RunOperations.id(body, op: name) {
        case .failure(let error): return .ready(.failure(error))
        case .success(let valid): id = valid
        }
        guard case .string(let path)? = body["path"], !path.isEmpty else {
            return .failure(.badRequest, "run/artifact: 'path' is missing (a path as run/get lists it)")
        }
        do {
            guard try manager.records.run(id) != nil else {
                return .ready(.failure(RunOperations.unknown(id, op: name)))
            }
            guard let artifact = try manager.records.artifact(of: id, path: path) else {
                return .failure(.badRequest, "run/artifact: run \(id) left no file '\(path)' (see run/get)")
            }
            let now = unixMillis()
            guard let content = artifact.content, artifact.isAvailable(at: now) else {
                return .failure(
                    .badRequest,
                    "run/artifact: '\(path)' of run \(id) has expired (runs.artifact_retention_hours)")
            }
            var data = RunJSON.artifact(artifact, now: now)
            data["available"] = nil
            let readable = Base64.readable(content)
            data["encoding"] = .string(readable.encoding)
            data["content"] = .string(readable.content)
            return .ok(data)
        } catch {
            return .failure(.internal, "run/artifact: cannot read run \(id): \(error)")
        }
    }
}
