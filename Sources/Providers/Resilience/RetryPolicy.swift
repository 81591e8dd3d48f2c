/// How a ``Backend`` retries failed attempts: only retryable errors (rate limited, overloaded, 5xx, timeout,
/// connection failure), with exponential backoff and jitter, waiting at least what `Retry-After` asks, and never
/// past the caller's deadline.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included; 1 disables retries. Default 3.
    public var maxAttempts: Int
    /// The backoff before the second attempt; it doubles for each later one. Default 500 ms.
    public var initialBackoff: Duration
    /// The longest backoff. Default 8 s.
    public var maxBackoff: Duration
    /// The longest `Retry-After` worth waiting for; a backend that asks for more is given up on. Default 30 s.
    public var maxRetryAfter: Duration

    /// A policy; the defaults suit interactive questions.
    public init(
        maxAttempts: Int = 3, initialBackoff: Duration = .milliseconds(500), maxBackoff: Duration = .seconds(8),
        maxRetryAfter: Duration = .seconds(30)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.maxRetryAfter = maxRetryAfter
    }

    /// The wait before attempt `attempt + 1` after `error` ended attempt `attempt`, or nil when it should not be
    /// retried: not retryable, out of attempts, asked to wait too long, or the wait would pass `deadline`.
    public func delay(
        after error: ProviderError, attempt: Int, deadline: ContinuousClock.Instant?,
        now: ContinuousClock.Instant = .now
    ) -> Duration? {
        guard error.code.isRetryable, attempt < maxAttempts else { return nil }
        if let asked = error.retryAfter, asked > maxRetryAfter { return nil }
        var backoff = initialBackoff
        for _ in 1..<attempt where backoff < maxBackoff { backoff *= 2 }
        backoff = min(backoff, maxBackoff)
        // "Equal jitter": half fixed, half random, so concurrent callers spread out but still back off.
        let jittered = backoff / 2 + (backoff / 2) * Double.random(in: 0...1)
        let wait = max(jittered, error.retryAfter ?? .zero)
        if let deadline, now + wait >= deadline { return nil }
        return wait
    }
}
