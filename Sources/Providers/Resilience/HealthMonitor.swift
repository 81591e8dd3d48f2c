import Logging

/// Checks backends periodically with their cheap health request (listing models), each at its endpoint's
/// ``ModelEndpoint/healthCheckInterval`` (backends without one are never checked), so a local server that went
/// away is known before a question needs it, and one that came back ends its cooldown.
public struct HealthMonitor: Sendable {
    /// The backends watched.
    public let backends: [Backend]

    /// A monitor of `backends`.
    public init(backends: [Backend]) {
        self.backends = backends
    }

    /// Checks every backend with an interval, then again after each interval, until the task is cancelled.
    public func run() async {
        await withDiscardingTaskGroup { group in
            for backend in backends {
                guard let interval = backend.endpoint.healthCheckInterval, interval > .zero else { continue }
                group.addTask {
                    while !Task.isCancelled {
                        await backend.checkHealth(timeout: min(interval, .seconds(10)))
                        try? await Task.sleep(for: interval)
                    }
                }
            }
        }
    }

    /// The health of every backend, in order.
    public var snapshot: [BackendHealth] { backends.map(\.health) }
}
