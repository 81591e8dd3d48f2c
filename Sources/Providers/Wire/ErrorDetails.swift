import JSON

/// What a provider's error body says, in the fields the three API families use.
struct ErrorDetails: Sendable, Equatable {
    /// OpenAI `error.type`, Anthropic `error.type`, Gemini `error.status`.
    var type: String?
    /// OpenAI `error.code` (`insufficient_quota`, `context_length_exceeded`).
    var code: String?
    /// The human message.
    var message: String?
    /// Gemini `RetryInfo.retryDelay`.
    var retryDelay: Duration?
    /// Gemini `QuotaFailure` violation quota ids (`GenerateRequestsPerDayPerProjectPerModel-FreeTier`).
    var quotaIDs: [String] = []
    /// Gemini `ErrorInfo` reasons (`API_KEY_INVALID`).
    var reasons: [String] = []

    /// Reads every known shape: `{"error": {...}}` (OpenAI, Anthropic, Gemini, llama.cpp), `{"error": "text"}`
    /// (some OpenAI-compatible servers), and a top-level `message`/`type`/`code` (vLLM).
    init(parsing body: JSONValue?) {
        guard let body else { return }
        let error = body["error"]?.objectValue.map(JSONValue.object) ?? body
        if let text = body["error"]?.stringValue { message = text }
        type = error["type"]?.stringValue ?? error["status"]?.stringValue
        code = error["code"]?.stringValue
        message = error["message"]?.stringValue ?? message
        for detail in error["details"]?.arrayValue ?? [] {
            if let delay = detail["retryDelay"]?.stringValue { retryDelay = RetryAfter.googleDuration(delay) }
            if let reason = detail["reason"]?.stringValue { reasons.append(reason) }
            for violation in detail["violations"]?.arrayValue ?? [] {
                if let id = violation["quotaId"]?.stringValue { quotaIDs.append(id) }
            }
        }
    }

    /// Details from known fields.
    init(type: String? = nil, code: String? = nil, message: String? = nil) {
        self.type = type
        self.code = code
        self.message = message
    }
}

/// Maps an HTTP error status and body (or an error event inside a stream) to a ``ProviderError``.
enum ErrorClassifier {
    /// The error for `status` (nil for an error event inside a 200 stream) with `details` from the body.
    static func classify(
        status: Int?, headers: HTTPHeaders = HTTPHeaders(), details: ErrorDetails, key: APIKey?, rawBody: [UInt8] = []
    ) -> ProviderError {
        let tags = Set([details.type, details.code].compactMap { $0?.lowercased() })
        let text = details.message?.lowercased() ?? ""
        let code = classifyCode(status: status, tags: tags, text: text, details: details)
        let retryAfter = RetryAfter.delay(in: headers) ?? details.retryDelay
        let providerCode = details.code ?? details.type
        var summary = headline(code, hasKey: key != nil)
        var labels: [String] = []
        if let status { labels.append("HTTP \(status)") }
        if let providerCode { labels.append(Redaction.clean(providerCode, key: key, limit: 60)) }
        if !labels.isEmpty { summary += " (\(labels.joined(separator: " ")))" }
        if code != .authenticationFailed {
            // Auth errors may quote a masked key; the status and code say enough.
            if let message = details.message, !message.isEmpty {
                summary += ": " + Redaction.clean(message, key: key)
            } else if !rawBody.isEmpty, rawBody.count < 300, !rawBody.contains(UInt8(ascii: "<")) {
                summary += ": " + Redaction.clean(String(decoding: rawBody, as: UTF8.self), key: key)
            }
        }
        if let retryAfter { summary += "; retry after \(describe(retryAfter))" }
        return ProviderError(code, summary, status: status, providerCode: providerCode, retryAfter: retryAfter)
    }

    private static func classifyCode(
        status: Int?, tags: Set<String>, text: String, details: ErrorDetails
    ) -> ProviderError.Code {
        if status == 402 || !tags.isDisjoint(with: quotaTags) || quotaPhrases.contains(where: { text.contains($0) })
            || details.quotaIDs.contains(where: { $0.contains("PerDay") })
        {
            return .quotaExhausted
        }
        if status == 401 || status == 403 || !tags.isDisjoint(with: authenticationTags)
            || details.reasons.contains("API_KEY_INVALID") || text.contains("api key not valid")
        {
            return .authenticationFailed
        }
        let clientFault = status.map { (400..<500).contains($0) && $0 != 429 && $0 != 408 } ?? true
        if status == 413
            || (clientFault
                && (!tags.isDisjoint(with: contextTags) || contextPhrases.contains(where: { text.contains($0) })))
        {
            return .contextTooLong
        }
        if status == 529 || status == 503 || tags.contains("overloaded_error") || tags.contains("unavailable") {
            return .overloaded
        }
        if status == 429 || !tags.isDisjoint(with: rateTags) { return .rateLimited }
        if status == 408 || status == 504 || tags.contains("timeout_error") || tags.contains("deadline_exceeded") {
            return .timeout
        }
        guard let status else {
            return tags.isDisjoint(with: requestTags) ? .serverError : .invalidRequest
        }
        return status >= 500 ? .serverError : .invalidRequest
    }

    private static let quotaTags: Set = ["insufficient_quota", "billing_error", "billing_hard_limit_reached"]
    // Gemini says "exceeded your current quota" for per-minute limits too, so only its quota ids tell.
    private static let quotaPhrases = ["credit balance is too low"]
    private static let authenticationTags: Set = [
        "authentication_error", "permission_error", "invalid_api_key", "unauthenticated", "permission_denied",
    ]
    private static let contextTags: Set = ["context_length_exceeded", "exceed_context_size_error"]
    private static let contextPhrases = [
        "context length", "context window", "context size", "prompt is too long", "maximum number of tokens allowed",
        "too many tokens", "exceeds the maximum context",
    ]
    private static let rateTags: Set = ["rate_limit_error", "rate_limit_exceeded", "resource_exhausted"]
    private static let requestTags: Set = [
        "invalid_request_error", "not_found_error", "request_too_large", "invalid_argument", "not_found",
    ]

    private static func headline(_ code: ProviderError.Code, hasKey: Bool) -> String {
        switch code {
        case .quotaExhausted: return "the account's quota or spend limit is used up"
        case .authenticationFailed: return hasKey ? "the API key was rejected" : "the backend wants an API key"
        case .contextTooLong: return "the prompt does not fit the model's context window"
        case .overloaded: return "the backend is overloaded"
        case .rateLimited: return "rate limited"
        case .timeout: return "the backend timed out"
        case .serverError: return "the backend failed"
        default: return "the backend rejected the request"
        }
    }

    /// `1.5 s`, `250 ms`.
    static func describe(_ duration: Duration) -> String {
        let milliseconds = CurlTransfer.milliseconds(duration)
        if milliseconds < 1000 { return "\(milliseconds) ms" }
        let tenths = (milliseconds + 50) / 100
        return tenths % 10 == 0 ? "\(tenths / 10) s" : "\(tenths / 10).\(tenths % 10) s"
    }
}
