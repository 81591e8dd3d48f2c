import JSON

/// What the `info` and `health` ops report about the running node.
public protocol NodeStatus: Sendable {
    /// The node's description (also published retained on `<base>/<node>/info`).
    func info() -> JSONObject
    /// Live health: broker connection, journal depth, uptime.
    func health() -> JSONObject
}

/// `info`: version, capabilities and configuration without secrets.
public struct InfoOperation: Operation {
    public let name = "info"
    let status: any NodeStatus

    /// Creates the op.
    public init(status: any NodeStatus) { self.status = status }

    public func plan(_ body: JSONObject, context: OperationContext) -> OperationPlan { .ok(status.info()) }
}

/// `health`: broker connection, journal depth, uptime.
public struct HealthOperation: Operation {
    public let name = "health"
    let status: any NodeStatus

    /// Creates the op.
    public init(status: any NodeStatus) { self.status = status }

    public func plan(_ body: JSONObject, context: OperationContext) -> OperationPlan { .ok(status.health()) }
}
