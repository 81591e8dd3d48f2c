/// The cooldown state machine of one backend. After `failureThreshold` failed attempts in a row (or one that says
/// the account cannot be used: quota exhausted, key rejected) it opens for the cooldown; then requests may probe
/// it again, and the first failure reopens it while a success closes it.
struct CircuitBreaker {
    private(set) var consecutiveFailures = 0
    private(set) var openUntil: ContinuousClock.Instant?
    private var probing = false
    private(set) var lastError: ProviderError?
    private(set) var everSucceeded = false
    private(set) var successes = 0
    private(set) var failures = 0
    var lastCheckLatency: Duration?

    let failureThreshold: Int
    let cooldown: Duration

    init(failureThreshold: Int, cooldown: Duration) {
        self.failureThreshold = max(1, failureThreshold)
        self.cooldown = cooldown
    }

    /// Nil when a request may go now, else the time left in the cooldown.
    mutating func admission(now: ContinuousClock.Instant) -> Duration? {
        guard let openUntil else { return nil }
        if now < openUntil { return openUntil - now }
        self.openUntil = nil
        probing = true
        return nil
    }

    /// A request or health check succeeded. Returns true when this ended a cooldown or probe.
    mutating func recordSuccess() -> Bool {
        let recovered = probing || openUntil != nil || consecutiveFailures > 0
        consecutiveFailures = 0
        openUntil = nil
        probing = false
        everSucceeded = true
        successes += 1
        return recovered
    }

    /// An attempt failed with `error`. Returns true when this opened the circuit.
    mutating func recordFailure(_ error: ProviderError, now: ContinuousClock.Instant) -> Bool {
        failures += 1
        consecutiveFailures += 1
        lastError = error
        let hopeless = error.code == .quotaExhausted || error.code == .authenticationFailed
        guard openUntil == nil, probing || hopeless || consecutiveFailures >= failureThreshold else { return false }
        probing = false
        openUntil = now + max(cooldown, error.retryAfter ?? .zero)
        return true
    }

    /// A health check succeeded: it ends a cooldown unless the backend was refusing on account grounds that a
    /// listing request cannot show (rate limits, exhausted quota).
    mutating func recordHealthy(latency: Duration) -> Bool {
        lastCheckLatency = latency
        if let code = lastError?.code, openUntil != nil, code == .rateLimited || code == .quotaExhausted {
            return false
        }
        return recordSuccess()
    }

    func snapshot(name: String, now: ContinuousClock.Instant) -> BackendHealth {
        let status: BackendHealth.Status
        if let openUntil, now < openUntil {
            status = .coolingDown
        } else if consecutiveFailures > 0 {
            status = .degraded
        } else {
            status = everSucceeded ? .healthy : .unknown
        }
        return BackendHealth(
            name: name, status: status, consecutiveFailures: consecutiveFailures,
            lastErrorCode: lastError.map { "\($0.code)" }, lastErrorMessage: lastError?.message,
            cooldownRemaining: openUntil.flatMap { now < $0 ? $0 - now : nil }, lastCheckLatency: lastCheckLatency,
            successes: successes, failures: failures)
    }
}
