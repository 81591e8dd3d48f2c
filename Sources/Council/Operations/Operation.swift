import JSON

/// One op of the MQTT contract (`ask`, `logic/query`, `memory/add`, ...).
///
/// `plan` runs on the daemon's request loop, so it must not block: validate the body and either reply at once
/// (`.ready`) or hand back the work to await on a task of its own (`.pending`). Errors a requester can act on are
/// `RequestError`s with a contract code; an op never throws and never crashes the daemon.
public protocol Operation: Sendable {
    /// The op's name, as it appears at the end of the request topic.
    var name: String { get }
    /// Validates `body` and answers it, or says what remains to be awaited.
    func plan(_ body: JSONObject, context: OperationContext) -> OperationPlan
}

/// A request turned into its reply, or into the work still to await.
public enum OperationPlan: Sendable {
    /// The reply is known now.
    case ready(Result<JSONObject, RequestError>)
    /// The reply needs I/O or time: the daemon awaits it within the request's timeout and deadline, and cancels the
    /// task when either passes.
    case pending(@Sendable () async -> Result<JSONObject, RequestError>)

    /// A ready success.
    public static func ok(_ data: JSONObject) -> OperationPlan { .ready(.success(data)) }
    /// A ready failure.
    public static func failure(_ code: ErrorCode, _ message: String) -> OperationPlan {
        .ready(.failure(RequestError(code, message)))
    }
}

/// What an op may know about the request beyond its body.
public struct OperationContext: Sendable {
    /// When the request arrived, Unix milliseconds.
    public var receivedAtMillis: Int64
    /// When its answer stops being wanted (payload `deadline` or MQTT message expiry), Unix milliseconds.
    public var expiresAtMillis: Int64?
    /// Publishes `{"status":"partial","seq":n,"delta":...}` to the request's reply address (streaming answers).
    public var partials: PartialSink

    /// Creates a context.
    public init(receivedAtMillis: Int64, expiresAtMillis: Int64? = nil, partials: PartialSink = .discarding) {
        self.receivedAtMillis = receivedAtMillis
        self.expiresAtMillis = expiresAtMillis
        self.partials = partials
    }
}
