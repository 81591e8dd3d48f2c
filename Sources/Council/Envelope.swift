import JSON

/// The machine-readable error codes of the MQTT contract.
public enum ErrorCode: String, Sendable, CaseIterable {
    case badRequest = "bad_request"
    case unknownOp = "unknown_op"
    case tooLarge = "too_large"
    case expired
    case budgetExceeded = "budget_exceeded"
    case sandboxDisabled = "sandbox_disabled"
    case backendUnavailable = "backend_unavailable"
    case noBackend = "no_backend"
    case timeout
    case unauthorized
    /// The code skill ran every attempt it was allowed and each program failed (the attempts are in `data`).
    case codeFailed = "code_failed"
    case `internal`
}

/// A failed request: a human message and a code.
public struct RequestError: Error, Sendable, Equatable {
    /// What a program can switch on.
    public let code: ErrorCode
    /// What a person reads.
    public let message: String
    /// Extra data for the reply (for example the route tried).
    public var data: JSONObject

    /// Creates an error.
    public init(_ code: ErrorCode, _ message: String, data: JSONObject = JSONObject()) {
        self.code = code
        self.message = message
        self.data = data
    }
}

/// Reply envelopes: `{"status":"ok","data":{...},"transaction":...}` and the error twin.
public enum Envelope {
    /// A successful final reply.
    public static func ok(_ data: JSONObject, transaction: JSONValue?) -> [UInt8] {
        var reply: JSONObject = ["status": "ok", "data": .object(data)]
        if let transaction { reply["transaction"] = transaction }
        return JSONValue.object(reply).encoded()
    }

    /// A failed final reply.
    public static func error(_ error: RequestError, transaction: JSONValue?) -> [UInt8] {
        var reply: JSONObject = [
            "status": "error", "error": .string(error.message), "code": .string(error.code.rawValue),
            "data": .object(error.data),
        ]
        if let transaction { reply["transaction"] = transaction }
        return JSONValue.object(reply).encoded()
    }

    /// A streamed piece of an answer, ahead of the final reply: `{"status":"partial","seq":n,"delta":...}`.
    public static func partial(seq: Int, delta: String, extra: JSONObject, transaction: JSONValue?) -> [UInt8] {
        var reply: JSONObject = ["status": "partial", "seq": JSONValue(seq), "delta": .string(delta)]
        for (key, value) in extra { reply[key] = value }
        if let transaction { reply["transaction"] = transaction }
        return JSONValue.object(reply).encoded()
    }
}
