/// What is known about a backend's health, for the `health` and `info` operations.
public struct BackendHealth: Sendable, Equatable {
    /// The backend's state.
    public enum Status: String, Sendable {
        /// Nothing has been sent to it yet.
        case unknown
        /// Its last request or health check succeeded.
        case healthy
        /// Recent attempts failed, fewer than the failure threshold in a row.
        case degraded
        /// It failed too often and is left alone until the cooldown ends.
        case coolingDown = "cooling_down"
    }

    /// The backend's name.
    public var name: String
    /// Its state.
    public var status: Status
    /// Failed attempts in a row.
    public var consecutiveFailures: Int
    /// The code of the last failure (`rate_limited`, `connection_failed`, ...), if any.
    public var lastErrorCode: String?
    /// The message of the last failure, if any (never contains a key).
    public var lastErrorMessage: String?
    /// The time left before it may be tried again, while cooling down.
    public var cooldownRemaining: Duration?
    /// How long the last successful health check took.
    public var lastCheckLatency: Duration?
    /// Requests and health checks that succeeded, and attempts that failed, since start.
    public var successes: Int
    /// Failed attempts since start (cancelled ones and the request's own faults excluded).
    public var failures: Int
}
