import Logging
import Synchronization

/// One LLM backend as the router uses it: its ``Provider`` plus retries (``RetryPolicy``), a cooldown after
/// repeated failures (a circuit breaker), and a health record fed by requests and health checks.
public final class Backend: Sendable {
    /// The backend's configuration.
    public let endpoint: ModelEndpoint
    /// The client that speaks its wire protocol.
    public let provider: any Provider

    private let logger: Logger
    private let breaker: Mutex<CircuitBreaker>

    /// A backend for `endpoint`, sending through `client`.
    public convenience init(endpoint: ModelEndpoint, client: HTTPClient = .shared, logger: Logger) {
        self.init(provider: endpoint.makeProvider(client: client), logger: logger)
    }

    /// A backend around an existing provider (its endpoint supplies the retry and cooldown settings).
    public init(provider: any Provider, logger: Logger) {
        self.provider = provider
        endpoint = provider.endpoint
        var logger = logger
        logger[metadataKey: "model"] = .string(provider.endpoint.name)
        self.logger = logger
        breaker = Mutex(
            CircuitBreaker(failureThreshold: provider.endpoint.failureThreshold, cooldown: provider.endpoint.cooldown))
    }

    /// The backend's name.
    public var name: String { endpoint.name }

    /// The current health record.
    public var health: BackendHealth {
        let now = ContinuousClock.now
        return breaker.withLock { $0.snapshot(name: endpoint.name, now: now) }
    }

    /// Whether a request would be sent now (false while cooling down).
    public var isAvailable: Bool {
        let now = ContinuousClock.now
        return breaker.withLock { $0.snapshot(name: endpoint.name, now: now).status != .coolingDown }
    }

    /// Sends `request`, retrying retryable failures within `deadline`; the result says how many attempts it took.
    ///
    /// Throws ``ProviderError``; `coolingDown` without sending anything while the backend cools down.
    public func complete(
        _ request: ChatRequest, deadline: ContinuousClock.Instant? = nil
    ) async throws(ProviderError) -> ChatResult {
        var attempt = 0
        while true {
            attempt += 1
            try admit(attempt: attempt)
            do {
                var result = try await provider.complete(request, deadline: deadline)
                recordSuccess()
                result.attempts = attempt
                return result
            } catch {
                try await handleFailure(error, attempt: attempt, deadline: deadline)
            }
        }
    }

    /// Streams the answer to `request`. Failures before the first piece of text are retried like
    /// ``complete(_:deadline:)``; once text has been delivered a failure ends the stream.
    public func stream(_ request: ChatRequest, deadline: ContinuousClock.Instant? = nil) -> ChatStream {
        ChatStream { [self] sink throws(ProviderError) in
            var attempt = 0
            while true {
                attempt += 1
                try admit(attempt: attempt)
                var delivered = false
                do throws(ProviderError) {
                    for try await event in provider.stream(request, deadline: deadline) {
                        switch event {
                        case .delta(let text):
                            delivered = true
                            sink.delta(text)
                        case .finished(var result):
                            recordSuccess()
                            result.attempts = attempt
                            sink.finish(result)
                            return
                        }
                    }
                    throw ProviderError(.malformedResponse, "model \"\(name)\": the stream ended without a result")
                } catch {
                    if delivered {
                        record(error, deadline: deadline)
                        throw error.with(attempts: attempt)
                    }
                    try await handleFailure(error, attempt: attempt, deadline: deadline)
                }
            }
        }
    }

    /// Runs the provider's cheap health check now and records the outcome; returns the health afterwards.
    @discardableResult
    public func checkHealth(timeout: Duration = .seconds(10)) async -> BackendHealth {
        let start = ContinuousClock.now
        do {
            try await provider.checkHealth(deadline: start + timeout)
            let latency = ContinuousClock.now - start
            let recovered = breaker.withLock { $0.recordHealthy(latency: latency) }
            if recovered { logger.info("backend is healthy again") }
        } catch {
            record(error, deadline: nil)
        }
        return health
    }

    private func admit(attempt: Int) throws(ProviderError) {
        let now = ContinuousClock.now
        guard let remaining = breaker.withLock({ $0.admission(now: now) }) else { return }
        let last = breaker.withLock { $0.lastError.map { " after \($0.code)" } ?? "" }
        throw ProviderError(
            .coolingDown,
            "model \"\(name)\" is cooling down\(last); next try in \(ErrorClassifier.describe(remaining))",
            retryAfter: remaining, attempts: attempt - 1)
    }

    private func recordSuccess() {
        let recovered = breaker.withLock { $0.recordSuccess() }
        if recovered { logger.info("backend answered again") }
    }

    /// Records a failed attempt if it says something about the backend.
    private func record(_ error: ProviderError, deadline: ContinuousClock.Instant?) {
        guard error.code.isBackendFailure else { return }
        let now = ContinuousClock.now
        // A timeout at the caller's own deadline says more about the deadline than about the backend.
        if error.code == .timeout, let deadline, now >= deadline { return }
        let opened = breaker.withLock { $0.recordFailure(error, now: now) }
        if opened {
            logger.warning(
                "backend cooling down", metadata: ["error": "\(error.message)", "code": "\(error.code)"])
        } else {
            logger.debug("attempt failed", metadata: ["error": "\(error.message)", "code": "\(error.code)"])
        }
    }

    /// Records `error` and returns after the backoff when the attempt should be retried; throws otherwise.
    private func handleFailure(
        _ error: ProviderError, attempt: Int, deadline: ContinuousClock.Instant?
    ) async throws(ProviderError) {
        record(error, deadline: deadline)
        let open = breaker.withLock { $0.openUntil != nil }
        guard !open, let delay = endpoint.retry.delay(after: error, attempt: attempt, deadline: deadline) else {
            throw error.with(attempts: attempt)
        }
        logger.debug("retrying", metadata: ["attempt": "\(attempt + 1)", "after_ms": "\(delay)"])
        do {
            try await Task.sleep(for: delay)
        } catch {
            throw ProviderError(.cancelled, "model \"\(name)\": cancelled while waiting to retry", attempts: attempt)
        }
    }
}
