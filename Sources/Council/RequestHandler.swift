import JSON

/// Dispatches well-formed requests to their ops. It never throws: every failure becomes a `RequestError`.
public struct RequestHandler: Sendable {
    private let operations: [String: any Operation]
    private let gate: ControlGate

    /// Creates a handler serving `operations` (one per name; a later duplicate replaces an earlier one), with the
    /// control ops guarded by `gate`.
    public init(operations: [any Operation], gate: ControlGate = ControlGate(token: nil)) {
        var byName: [String: any Operation] = [:]
        for operation in operations { byName[operation.name] = operation }
        self.operations = byName
        self.gate = gate
    }

    /// The ops this handler serves, sorted.
    public var names: [String] { operations.keys.sorted() }

    /// Validates and routes a request without waiting for anything: the daemon replies at once when the plan is
    /// ready, and awaits the pending work on a task of its own otherwise.
    public func plan(_ request: Request, partials: PartialSink = .discarding) -> OperationPlan {
        guard let operation = operations[request.op] else {
            return .failure(
                .unknownOp, "unknown op '\(request.op)'; this node serves: \(names.joined(separator: ", "))")
        }
        if let refusal = gate.check(op: request.op, body: request.body) { return .ready(.failure(refusal)) }
        let context = OperationContext(
            receivedAtMillis: request.receivedAtMillis, expiresAtMillis: request.expiresAtMillis, partials: partials)
        return operation.plan(request.body, context: context)
    }

    /// Handles one request from start to end.
    public func handle(_ request: Request, partials: PartialSink = .discarding) async -> Result<
        JSONObject, RequestError
    > {
        switch plan(request, partials: partials) {
        case .ready(let result): return result
        case .pending(let work): return await work()
        }
    }
}
