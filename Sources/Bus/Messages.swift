/// A message received from the broker, copied out of libmosquitto's buffers inside the callback.
public struct InboundMessage: Sendable, Equatable {
    /// The topic it was published on.
    public var topic: String
    /// The payload bytes, unchanged.
    public var payload: [UInt8]
    /// Quality of service it was delivered with (0, 1 or 2).
    public var qos: Int
    /// Whether the broker delivered it as a retained message.
    public var retain: Bool
    /// MQTT 5 Response Topic property, when present.
    public var responseTopic: String?
    /// MQTT 5 Correlation Data property, when present.
    public var correlationData: [UInt8]?
    /// MQTT 5 Message Expiry Interval in seconds, when present (the broker has already subtracted the time it waited).
    public var messageExpirySeconds: UInt32?

    /// Creates a message; mostly for tests and replay.
    public init(
        topic: String, payload: [UInt8], qos: Int = 1, retain: Bool = false, responseTopic: String? = nil,
        correlationData: [UInt8]? = nil, messageExpirySeconds: UInt32? = nil
    ) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.responseTopic = responseTopic
        self.correlationData = correlationData
        self.messageExpirySeconds = messageExpirySeconds
    }
}

/// A message to publish. MQTT 5 properties are dropped on an MQTT 3.1.1 connection.
public struct OutboundMessage: Sendable, Equatable {
    /// Topic to publish on.
    public var topic: String
    /// Payload bytes.
    public var payload: [UInt8]
    /// Quality of service (0, 1 or 2).
    public var qos: Int
    /// Whether the broker keeps it as the topic's retained message.
    public var retain: Bool
    /// MQTT 5 Response Topic property.
    public var responseTopic: String?
    /// MQTT 5 Correlation Data property.
    public var correlationData: [UInt8]?
    /// MQTT 5 Message Expiry Interval in seconds.
    public var messageExpirySeconds: UInt32?

    /// Creates a message to publish.
    public init(
        topic: String, payload: [UInt8], qos: Int = 1, retain: Bool = false, responseTopic: String? = nil,
        correlationData: [UInt8]? = nil, messageExpirySeconds: UInt32? = nil
    ) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.responseTopic = responseTopic
        self.correlationData = correlationData
        self.messageExpirySeconds = messageExpirySeconds
    }

    /// A message with a UTF-8 string payload.
    public init(topic: String, text: String, qos: Int = 1, retain: Bool = false) {
        self.init(topic: topic, payload: Array(text.utf8), qos: qos, retain: retain)
    }
}

/// A topic filter the client keeps subscribed, across reconnects.
public struct Subscription: Sendable, Hashable {
    /// The topic filter, wildcards allowed.
    public var filter: String
    /// Maximum QoS requested.
    public var qos: Int

    /// Creates a subscription.
    public init(_ filter: String, qos: Int = 1) {
        self.filter = filter
        self.qos = qos
    }
}
