import Bus
import JSON
import Store

extension DaemonSettings {
    /// The daemon's settings for a loaded configuration.
    public init(config: CouncilConfig) {
        let mqtt = config.mqtt
        self.init(
            topics: Topics(base: mqtt.baseTopic, node: config.node.name),
            bus: BusOptions(config: config, clientID: mqtt.clientID, persistentSession: true),
            stateDirectory: config.node.stateDirectory,
            maxPayloadBytes: mqtt.maxPayloadBytes,
            synchronous: config.journal.synchronous == .full ? .full : .normal,
            dedupeWindowMillis: Int64(config.journal.dedupeWindowSeconds) * 1000,
            publicConfiguration: config.publicSummary())
        requestTimeoutMillis = config.requests.defaultTimeoutSeconds * 1000
        controlToken = config.control.token?.reveal()
        metrics = config.metrics
        homeAssistant = config.homeAssistant
        timeZone = config.budget.timezone
    }
}

extension BusOptions {
    /// Broker options from the configuration: the daemon's persistent session, or a one-off client's clean one.
    public init(config: CouncilConfig, clientID: String, persistentSession: Bool) {
        let mqtt = config.mqtt
        self.init(
            host: mqtt.url.host, port: mqtt.url.port, clientID: clientID,
            protocolVersion: mqtt.protocolVersion == .v311 ? .v311 : .v5, cleanStart: !persistentSession)
        if mqtt.url.usesTLS {
            tls = TLSOptions(
                caFile: mqtt.caFile, certFile: mqtt.certFile, keyFile: mqtt.keyFile, insecure: mqtt.tlsInsecure)
        }
        username = mqtt.username
        password = mqtt.password?.reveal()
        keepaliveSeconds = mqtt.keepaliveSeconds
        sessionExpirySeconds = persistentSession ? UInt32(clamping: mqtt.sessionExpirySeconds) : 0
        reconnectMinSeconds = Double(mqtt.reconnectMinSeconds)
        reconnectMaxSeconds = Double(mqtt.reconnectMaxSeconds)
    }
}

extension CouncilConfig {
    /// The parts of the configuration safe to publish in `info`: no secrets, no file paths to them.
    func publicSummary() -> JSONObject {
        [
            "base_topic": .string(mqtt.baseTopic),
            "protocol": .string(mqtt.protocolVersion.rawValue),
            "max_payload_bytes": JSONValue(mqtt.maxPayloadBytes),
            "budget": [
                "daily_usd": JSONValue(budget.dailyUSD), "monthly_usd": JSONValue(budget.monthlyUSD),
                "timezone": .string(budget.timezone),
            ],
            "router": ["cloud_escalation": .bool(router.cloudEscalation)],
            "sandbox": ["enabled": .bool(sandbox.enabled)],
            "models": .array(models.map { .string($0.name) }),
        ]
    }
}
