import JSON

/// `options`: `{"options":{"cloud_escalation":false,"daily_budget_usd":2}}` changes run-time options (all or none)
/// and returns all of them; without `options` it only returns them.
public struct OptionsOperation: Operation {
    public let name = "options"
    private let options: NodeOptions

    /// Creates the op.
    public init(options: NodeOptions) {
        self.options = options
    }

    public func plan(_ body: JSONObject, context: OperationContext) -> OperationPlan {
        guard let requested = body["options"] else { return .ok(["options": .object(options.snapshot())]) }
        guard case .object(let changes) = requested else {
            return .failure(.badRequest, "options: 'options' must be an object of option names to values")
        }
        return .ready(
            options.change(changes, nowMillis: context.receivedAtMillis).map { ["options": .object($0)] })
    }
}
