/// MQTT protocol versions Council speaks.
public enum MQTTProtocol: String, Sendable {
    /// MQTT 5.0 (the default): response topic, correlation data, message expiry, session expiry.
    case v5 = "5"
    /// MQTT 3.1.1, for older brokers and clients; replies go to the payload's `reply_to`.
    case v311 = "3.1.1"
}

/// TLS settings for an `mqtts://` connection.
public struct TLSOptions: Sendable, Equatable {
    /// CA certificate file; empty means the operating system's trust store.
    public var caFile: String
    /// Client certificate (PEM), optional.
    public var certFile: String
    /// Client private key (PEM), optional; required with `certFile`.
    public var keyFile: String
    /// Skip verifying the broker's host name. Only for testing.
    public var insecure: Bool

    /// Creates TLS settings.
    public init(caFile: String = "", certFile: String = "", keyFile: String = "", insecure: Bool = false) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
        self.insecure = insecure
    }
}

/// How to reach and talk to the broker.
public struct BusOptions: Sendable {
    /// Broker host name or address.
    public var host: String
    /// Broker port.
    public var port: Int
    /// TLS settings; nil for plain TCP.
    public var tls: TLSOptions?
    /// Username, or empty for none.
    public var username: String
    /// Password, or nil for none. Never logged.
    public var password: String?
    /// Client identifier; fixed for the daemon so its persistent session survives restarts.
    public var clientID: String
    /// Protocol version.
    public var protocolVersion: MQTTProtocol
    /// Start a clean session (false keeps the broker-side session and queued QoS 1 messages).
    public var cleanStart: Bool
    /// MQTT 5 Session Expiry Interval in seconds (how long the broker keeps the session while offline).
    public var sessionExpirySeconds: UInt32
    /// Keepalive interval in seconds.
    public var keepaliveSeconds: Int
    /// First reconnect delay, doubled after each failure up to `reconnectMaxSeconds`.
    public var reconnectMinSeconds: Double
    /// Longest reconnect delay.
    public var reconnectMaxSeconds: Double
    /// Last will, published by the broker if the connection drops without a clean disconnect.
    public var will: OutboundMessage?
    /// Subscriptions made on every successful connection.
    public var subscriptions: [Subscription]
    /// Messages (typically retained status and info) published on every successful connection.
    public var announcements: [OutboundMessage]

    /// Options with sensible defaults for a one-off client.
    public init(
        host: String = "127.0.0.1", port: Int = 1883, clientID: String, protocolVersion: MQTTProtocol = .v5,
        cleanStart: Bool = true
    ) {
        self.host = host
        self.port = port
        self.tls = nil
        self.username = ""
        self.password = nil
        self.clientID = clientID
        self.protocolVersion = protocolVersion
        self.cleanStart = cleanStart
        self.sessionExpirySeconds = 0
        self.keepaliveSeconds = 30
        self.reconnectMinSeconds = 0.5
        self.reconnectMaxSeconds = 30
        self.will = nil
        self.subscriptions = []
        self.announcements = []
    }
}
