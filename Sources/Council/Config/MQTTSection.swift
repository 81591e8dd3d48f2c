extension CouncilConfig {
    /// `[mqtt]`: the broker connection.
    public struct MQTTSection: Sendable, Equatable {
        /// The MQTT protocol version spoken to the broker.
        public enum ProtocolVersion: String, Sendable, CaseIterable {
            /// MQTT 5 (default): response topics, correlation data, message expiry.
            case v5 = "5"
            /// MQTT 3.1.1, for old brokers; request/response falls back to `reply_to` in the payload.
            case v311 = "3.1.1"
        }

        /// `url`: `mqtt://host[:port]` or `mqtts://host[:port]`. Default `mqtt://127.0.0.1:1883`.
        public var url = BrokerURL(host: "127.0.0.1")
        /// `base_topic`: first topic level of every topic. Default `council`.
        public var baseTopic = "council"
        /// `client_id`: the fixed MQTT client id (persistent session). Default `council-<node name>`.
        public var clientID = "council-" + NodeName.defaultName()
        /// `protocol`: `"5"` (default) or `"3.1.1"`.
        public var protocolVersion = ProtocolVersion.v5
        /// `username`: broker user name; empty for none.
        public var username = ""
        /// `password_file`: file holding the broker password; empty for none.
        public var passwordFile = ""
        /// `password_env`: environment variable holding the password. Default `COUNCIL_MQTT_PASSWORD`.
        public var passwordEnvironmentVariable = "COUNCIL_MQTT_PASSWORD"
        /// The resolved broker password (systemd credential, then `password_file`, then `password_env`).
        public var password: Secret?
        /// Where ``password`` came from.
        public var passwordSource = SecretSource.none
        /// `keepalive_s`: MQTT keep-alive in seconds, 0 (off) or 5-65535. Default 30.
        public var keepaliveSeconds = 30
        /// `session_expiry_s`: how long the broker keeps the session while offline (MQTT 5). Default 86400.
        public var sessionExpirySeconds = 86_400
        /// `reconnect_min_s`: first reconnect delay in seconds; doubles up to ``reconnectMaxSeconds``. Default 1.
        public var reconnectMinSeconds = 1
        /// `reconnect_max_s`: longest reconnect delay in seconds. Default 30.
        public var reconnectMaxSeconds = 30
        /// `max_payload_bytes`: larger requests are answered with `too_large`. Default 262144.
        public var maxPayloadBytes = 262_144
        /// `ca_file`: CA certificates (PEM) to verify the broker; empty for the system store. Needs `mqtts://`.
        public var caFile = ""
        /// `cert_file`: client certificate (PEM) for mutual TLS; empty for none. Needs `key_file`.
        public var certFile = ""
        /// `key_file`: private key (PEM) of `cert_file`; empty for none.
        public var keyFile = ""
        /// `tls_insecure`: skip verifying the broker's host name (testing only). Default false.
        public var tlsInsecure = false

        /// The defaults.
        public init() {}

        /// Reads the table; `clientID` is left empty when the file does not set it (filled in from the node name).
        init(reading table: inout TableReader) {
            let problems = table.problems
            let urlText = table.string("url", default: url.description, expected: "a string like mqtt://host:1883")
            do {
                url = try BrokerURL(parsing: urlText)
            } catch {
                problems.invalid(table.name("url"), "\(error.reason), got \(tomlQuoted(urlText))")
            }
            baseTopic = table.string("base_topic", default: baseTopic)
            if let reason = Self.problem(withBaseTopic: baseTopic) {
                problems.invalid(table.name("base_topic"), reason)
            }
            clientID = table.string("client_id", default: "")
            if clientID.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 } == true }) {
                problems.invalid(table.name("client_id"), "must not contain spaces or control characters")
            }
            protocolVersion = table.choice("protocol", default: protocolVersion)
            username = table.string("username", default: username)
            passwordFile = table.string("password_file", default: passwordFile)
            passwordEnvironmentVariable = table.string("password_env", default: passwordEnvironmentVariable)
            keepaliveSeconds = table.integer("keepalive_s", default: keepaliveSeconds, in: 0...65_535)
            if (1...4).contains(keepaliveSeconds) {
                problems.invalid(table.name("keepalive_s"), "must be 0 (off) or at least 5, got \(keepaliveSeconds)")
            }
            sessionExpirySeconds = table.integer(
                "session_expiry_s", default: sessionExpirySeconds, in: 0...Int(UInt32.max))
            reconnectMinSeconds = table.integer("reconnect_min_s", default: reconnectMinSeconds, in: 1...86_400)
            reconnectMaxSeconds = table.integer("reconnect_max_s", default: reconnectMaxSeconds, in: 1...86_400)
            if reconnectMaxSeconds < reconnectMinSeconds {
                problems.invalid(
                    table.name("reconnect_max_s"),
                    "must be at least reconnect_min_s (\(reconnectMinSeconds)), got \(reconnectMaxSeconds)")
            }
            maxPayloadBytes = table.integer("max_payload_bytes", default: maxPayloadBytes, in: 1...268_435_455)
            caFile = table.string("ca_file", default: caFile)
            certFile = table.string("cert_file", default: certFile)
            keyFile = table.string("key_file", default: keyFile)
            tlsInsecure = table.bool("tls_insecure", default: tlsInsecure)
            checkTLS(table)
        }

        /// TLS settings need an `mqtts://` URL. Checked once `--broker` has been applied, since it may change the URL.
        func checkTLSScheme(problems: ProblemList) {
            guard !url.usesTLS else { return }
            let tlsKeys = [
                ("ca_file", !caFile.isEmpty), ("cert_file", !certFile.isEmpty),
                ("key_file", !keyFile.isEmpty), ("tls_insecure", tlsInsecure),
            ]
            for (key, isSet) in tlsKeys where isSet {
                problems.invalid("mqtt." + key, "is set but mqtt.url uses mqtt:// (use mqtts:// for TLS)")
            }
        }

        private func checkTLS(_ table: TableReader) {
            let problems = table.problems
            if certFile.isEmpty != keyFile.isEmpty {
                let (missing, present) = certFile.isEmpty ? ("cert_file", "key_file") : ("key_file", "cert_file")
                problems.invalid(table.name(missing), "must be set together with \(present)")
            }
            let files = [("ca_file", caFile), ("cert_file", certFile), ("key_file", keyFile)]
            for (key, path) in files where !path.isEmpty && !FileText.isReadable(path) {
                problems.invalid(table.name(key), "cannot read \(path)")
            }
        }

        /// Why `topic` cannot be the base topic, or `nil` if it can.
        static func problem(withBaseTopic topic: String) -> String? {
            let reason: String
            if topic.isEmpty {
                return "must not be empty"
            } else if topic.contains("+") || topic.contains("#") {
                reason = "must not contain wildcards"
            } else if topic.hasPrefix("/") || topic.hasSuffix("/") {
                reason = "must not start or end with '/'"
            } else if topic.contains("//") {
                reason = "must not contain empty levels"
            } else if topic.hasPrefix("$") {
                reason = "must not start with '$' (reserved for the broker)"
            } else if topic.unicodeScalars.contains(where: { $0.value < 0x20 }) {
                reason = "must not contain control characters"
            } else {
                return nil
            }
            return "\(reason), got \(tomlQuoted(topic))"
        }
    }
}
