/// One MQTT request as recorded in the ``Journal``.
public struct JournalEntry: Sendable, Equatable {
    /// The journal's id, assigned on admit (ignored when admitting); increases with every admit, never reused.
    public var id: Int64
    /// The operation, e.g. "ask" or "info".
    public var op: String
    /// The topic the request arrived on.
    public var topic: String
    /// The request payload, byte for byte.
    public var payload: [UInt8]
    /// Where the reply goes.
    public var replyTopic: String
    /// The MQTT 5 Correlation Data property, copied back on the reply.
    public var correlationData: [UInt8]?
    /// When the request arrived, in Unix milliseconds.
    public var receivedAtMillis: Int64
    /// When the request stops being worth answering (its `deadline` or MQTT message expiry), in Unix milliseconds.
    public var expiresAtMillis: Int64?

    /// Makes an entry; `id` is 0 until the journal assigns one.
    public init(
        id: Int64 = 0,
        op: String,
        topic: String,
        payload: [UInt8],
        replyTopic: String,
        correlationData: [UInt8]? = nil,
        receivedAtMillis: Int64,
        expiresAtMillis: Int64? = nil
    ) {
        self.id = id
        self.op = op
        self.topic = topic
        self.payload = payload
        self.replyTopic = replyTopic
        self.correlationData = correlationData
        self.receivedAtMillis = receivedAtMillis
        self.expiresAtMillis = expiresAtMillis
    }
}

/// The outcome of ``Journal/admit(_:transaction:nowMillis:)``.
public enum Admission: Sendable, Equatable {
    /// A new request, recorded under this id: answer it, then call ``Journal/markDone(id:nowMillis:)``.
    case admitted(id: Int64)
    /// The same request was already admitted and is pending or was answered within the dedupe window: drop it.
    case duplicate
}
