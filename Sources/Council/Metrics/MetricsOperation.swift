import JSON

/// `metrics`: replies with the flat metrics snapshot (the same object as on `<base>/<node>/metrics`) and has the
/// publisher refresh the retained copy.
public struct MetricsOperation: Operation {
    public let name = "metrics"
    private let registry: MetricsRegistry
    private let publisher: MetricsPublisher?

    /// Creates the op; with a `publisher`, each request also triggers a publish.
    public init(registry: MetricsRegistry, publisher: MetricsPublisher? = nil) {
        self.registry = registry
        self.publisher = publisher
    }

    public func plan(_ body: JSONObject, context: OperationContext) -> OperationPlan {
        publisher?.publishNow()
        return .ok(registry.snapshot().flatJSON)
    }
}
