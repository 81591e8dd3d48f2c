/// An error from an LLM backend or the HTTP layer beneath it, classified so a caller can act on it: retry later,
/// fall back to another backend, shorten the prompt, or tell the user to fix a key or top up an account.
///
/// Messages name the backend and what happened; they never contain an API key.
public struct ProviderError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in broad strokes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String {
            case rateLimited = "rate_limited"
            case overloaded
            case serverError = "server_error"
            case timeout
            case connectionFailed = "connection_failed"
            case malformedResponse = "malformed_response"
            case contextTooLong = "context_too_long"
            case authenticationFailed = "authentication_failed"
            case quotaExhausted = "quota_exhausted"
            case invalidRequest = "invalid_request"
            case coolingDown = "cooling_down"
            case cancelled
        }
        private let kind: Kind

        /// Too many requests right now (HTTP 429); `retryAfter` says when to try again if the backend said so.
        public static let rateLimited = Code(kind: .rateLimited)
        /// The backend is overloaded (Anthropic 529 `overloaded_error`, also inside a stream; Gemini 503).
        public static let overloaded = Code(kind: .overloaded)
        /// The backend failed (HTTP 5xx).
        public static let serverError = Code(kind: .serverError)
        /// The connect timeout, the request timeout or the caller's deadline passed.
        public static let timeout = Code(kind: .timeout)
        /// No connection could be made, or it broke before the answer was complete.
        public static let connectionFailed = Code(kind: .connectionFailed)
        /// The backend answered with something that is not what its API documents.
        public static let malformedResponse = Code(kind: .malformedResponse)
        /// The prompt does not fit the model's context window.
        public static let contextTooLong = Code(kind: .contextTooLong)
        /// The API key is missing, wrong or not allowed to use this model (HTTP 401/403).
        public static let authenticationFailed = Code(kind: .authenticationFailed)
        /// The account's spend limit or quota is used up (OpenAI `insufficient_quota`, Anthropic credit balance,
        /// Gemini daily quota): retrying does not help until someone pays or the quota resets.
        public static let quotaExhausted = Code(kind: .quotaExhausted)
        /// The backend rejected the request itself (HTTP 400/404/413/422 and the like, or an unusable endpoint).
        public static let invalidRequest = Code(kind: .invalidRequest)
        /// The backend failed recently and is cooling down; no request was sent. `retryAfter` is the time left.
        public static let coolingDown = Code(kind: .coolingDown)
        /// The caller cancelled the request (task cancellation), or the client was shut down.
        public static let cancelled = Code(kind: .cancelled)

        /// Whether the same request may succeed if sent again a little later.
        public var isRetryable: Bool {
            switch kind {
            case .rateLimited, .overloaded, .serverError, .timeout, .connectionFailed: return true
            case .malformedResponse, .contextTooLong, .authenticationFailed, .quotaExhausted, .invalidRequest,
                .coolingDown, .cancelled:
                return false
            }
        }

        /// Whether the failure says the backend itself is unwell (it counts towards cooling the backend down),
        /// rather than the request being at fault or the caller giving up.
        public var isBackendFailure: Bool {
            switch kind {
            case .rateLimited, .overloaded, .serverError, .timeout, .connectionFailed, .malformedResponse,
                .authenticationFailed, .quotaExhausted:
                return true
            case .contextTooLong, .invalidRequest, .coolingDown, .cancelled: return false
            }
        }

        /// The code's name, e.g. `rate_limited`.
        public var description: String { kind.rawValue }
    }

    /// The broad class of failure.
    public let code: Code
    /// A human explanation naming the backend; never contains an API key.
    public let message: String
    /// The HTTP status, when the backend answered with one.
    public let status: Int?
    /// The backend's own error type or code (`insufficient_quota`, `overloaded_error`, `RESOURCE_EXHAUSTED`).
    public let providerCode: String?
    /// How long the backend asked us to wait (`Retry-After`, `retry-after-ms`, Gemini `RetryInfo`), or the cooldown
    /// left for ``Code-swift.struct/coolingDown``.
    public let retryAfter: Duration?
    /// libcurl's `CURLcode` for transport failures.
    public let underlying: Int32?
    /// Attempts made before giving up (0 when a cooling-down backend sent nothing; 1 without retries).
    public let attempts: Int

    /// Creates an error.
    public init(
        _ code: Code, _ message: String, status: Int? = nil, providerCode: String? = nil,
        retryAfter: Duration? = nil, underlying: Int32? = nil, attempts: Int = 1
    ) {
        self.code = code
        self.message = message
        self.status = status
        self.providerCode = providerCode
        self.retryAfter = retryAfter
        self.underlying = underlying
        self.attempts = attempts
    }

    /// The message.
    public var description: String { message }

    /// This error with `prefix` put before its message (e.g. the backend's name).
    func prefixed(_ prefix: String) -> ProviderError {
        ProviderError(
            code, "\(prefix): \(message)", status: status, providerCode: providerCode, retryAfter: retryAfter,
            underlying: underlying, attempts: attempts)
    }

    /// This error, recording that `attempts` attempts were made.
    func with(attempts: Int) -> ProviderError {
        ProviderError(
            code, message, status: status, providerCode: providerCode, retryAfter: retryAfter,
            underlying: underlying, attempts: attempts)
    }
}
