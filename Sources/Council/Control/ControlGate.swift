import JSON

/// Guards the control ops (those that change what the node does or spends) with a shared token, so that a device
/// allowed to ask questions cannot change budgets. Broker ACLs are the first line of defence; this is the second.
public struct ControlGate: Sendable {
    /// Ops that need the token when one is configured.
    public static let defaultControlOps: Set<String> = [
        "options", "budget/reset", "logic/consult", "logic/forget", "agent/create", "agent/delete",
    ]

    private let token: [UInt8]?
    /// The ops guarded.
    public let controlOps: Set<String>

    /// A gate requiring `token` (nil: no token configured, every op open) for `controlOps`.
    public init(token: String?, controlOps: Set<String> = ControlGate.defaultControlOps) {
        self.token = token.flatMap { $0.isEmpty ? nil : Array($0.utf8) }
        self.controlOps = controlOps
    }

    /// Whether a token is configured.
    public var isEnabled: Bool { token != nil }

    /// Nil when `op` may run with this request body; else the `unauthorized` error. `options` without changes only
    /// reads, so it needs no token.
    public func check(op: String, body: JSONObject) -> RequestError? {
        guard let token, controlOps.contains(op) else { return nil }
        if op == "options" && body["options"] == nil { return nil }
        guard case .string(let given)? = body["token"] else {
            return RequestError(.unauthorized, "\(op) is a control op: this node requires its control token ('token')")
        }
        guard Self.constantTimeEqual(Array(given.utf8), token) else {
            return RequestError(.unauthorized, "\(op): the control token is wrong")
        }
        return nil
    }

    /// Compares without returning early, so that timing does not reveal how much of a guess was right.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            let left = index < a.count ? a[index] : 0
            let right = index < b.count ? b[index] : 0
            difference |= left ^ right
        }
        return difference == 0
    }
}
