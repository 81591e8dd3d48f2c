import Sandbox

extension CouncilConfig {
    /// The effective configuration as TOML: every key, defaults included, in the order of the shipped file.
    ///
    /// Secrets are never printed: comment lines show `********` and where each secret came from. The output
    /// loads back to an equal configuration. This is what `council config check` prints.
    public func renderEffective() -> String {
        var out = TOMLRenderer()
        out.comment("Effective Council configuration (\(sourcePath.map { "file \($0)" } ?? "defaults only")).")
        out.table("node")
        out.key("name", string: node.name)
        out.key("state_dir", string: node.stateDirectory)

        out.table("mqtt")
        out.key("url", string: mqtt.url.description)
        out.key("base_topic", string: mqtt.baseTopic)
        out.key("client_id", string: mqtt.clientID)
        out.key("protocol", string: mqtt.protocolVersion.rawValue)
        out.key("username", string: mqtt.username)
        out.key("password_file", string: mqtt.passwordFile)
        out.key("password_env", string: mqtt.passwordEnvironmentVariable)
        out.comment("password: \(Self.describeSecret(mqtt.password, mqtt.passwordSource))")
        out.key("keepalive_s", integer: mqtt.keepaliveSeconds)
        out.key("session_expiry_s", integer: mqtt.sessionExpirySeconds)
        out.key("reconnect_min_s", integer: mqtt.reconnectMinSeconds)
        out.key("reconnect_max_s", integer: mqtt.reconnectMaxSeconds)
        out.key("max_payload_bytes", integer: mqtt.maxPayloadBytes)
        out.key("ca_file", string: mqtt.caFile)
        out.key("cert_file", string: mqtt.certFile)
        out.key("key_file", string: mqtt.keyFile)
        out.key("tls_insecure", bool: mqtt.tlsInsecure)

        out.table("journal")
        out.key("synchronous", string: journal.synchronous.rawValue)
        out.key("dedupe_window_s", integer: journal.dedupeWindowSeconds)

        out.table("requests")
        out.key("default_timeout_s", integer: requests.defaultTimeoutSeconds)

        out.table("log")
        out.key("level", string: log.level.rawValue)

        for model in models {
            out.arrayTable("models")
            out.key("name", string: model.name)
            out.key("provider", string: model.provider.rawValue)
            out.key("endpoint", string: model.endpoint)
            out.key("model", string: model.model)
            out.key("tier", string: model.tier.rawValue)
            out.key("api_key_env", string: model.apiKeyEnvironmentVariable)
            out.key("api_key_file", string: model.apiKeyFile)
            out.comment("api key: \(Self.describeSecret(model.apiKey, model.apiKeySource))")
            out.key("input_usd_per_mtok", double: model.inputUSDPerMillionTokens)
            out.key("output_usd_per_mtok", double: model.outputUSDPerMillionTokens)
            if let cached = model.cachedInputUSDPerMillionTokens {
                out.key("cached_input_usd_per_mtok", double: cached)
            }
            out.key("max_tokens", integer: model.maxTokens)
            out.key("connect_timeout_s", integer: model.connectTimeoutSeconds)
            out.key("request_timeout_s", integer: model.requestTimeoutSeconds)
            out.key("max_attempts", integer: model.maxAttempts)
            out.key("failure_threshold", integer: model.failureThreshold)
            out.key("cooldown_s", integer: model.cooldownSeconds)
            out.key("health_check_interval_s", integer: model.healthCheckIntervalSeconds)
        }
        if models.isEmpty { out.comment("\nNo [[models]] configured: only the exact local skills answer.") }

        out.table("budget")
        out.key("daily_usd", double: budget.dailyUSD)
        out.key("monthly_usd", double: budget.monthlyUSD)
        out.key("timezone", string: budget.timezone)
        out.key("min_answer_tokens", integer: budget.minimumAnswerTokens)

        out.table("router")
        out.key("cloud_escalation", bool: router.cloudEscalation)

        out.table("sandbox")
        out.key("enabled", bool: sandbox.enabled)
        out.key("max_concurrent", integer: sandbox.maxConcurrent)
        out.key("default_profile", string: sandbox.defaultProfile)
        out.key("cgroups", bool: sandbox.cgroups)
        out.key("spares", integer: sandbox.spares)
        for name in sandbox.profiles.keys.sorted() {
            out.table("sandbox.\(name)")
            let profile = sandbox.profiles[name]!
            for limit in SandboxLimit.allCases { out.key(limit.rawValue, integer: profile[limit]) }
        }

        out.table("control")
        out.key("token_file", string: control.tokenFile)
        out.key("token_env", string: control.tokenEnvironmentVariable)
        out.comment("token: \(Self.describeSecret(control.token, control.tokenSource))")

        out.table("memory")
        out.key("embedder", string: memory.settings.embedder)
        out.key("dimension", integer: memory.settings.dimension)
        out.key("dedupe_threshold", double: memory.settings.dedupeThreshold)
        out.key("session_token_budget", integer: memory.settings.sessionTokenBudget)
        out.key("session_expiry_days", double: memory.settings.sessionExpiryDays)

        out.table("agents")
        out.key("dir", string: agents.directory)

        out.table("logic")
        out.key("programs_dir", string: logic.programsDirectory)

        out.table("runs")
        out.key("max_attempts", integer: runs.maxAttempts)
        out.key("max_cost_usd", double: runs.maxCostUSD)
        out.key("max_concurrent", integer: runs.maxConcurrent)
        out.key("max_duration_s", integer: runs.maxDurationSeconds)
        out.key("artifact_retention_hours", integer: runs.artifactRetentionHours)
        out.key("max_artifact_bytes", integer: runs.maxArtifactBytes)

        out.table("metrics")
        out.key("interval_s", integer: metrics.intervalSeconds)
        out.key("prometheus_port", integer: metrics.prometheusPort)

        out.table("homeassistant")
        out.key("discovery", bool: homeAssistant.discovery)
        out.key("prefix", string: homeAssistant.prefix)
        return out.text
    }

    private static func describeSecret(_ secret: Secret?, _ source: SecretSource) -> String {
        guard let secret else { return "none" }
        return "\(secret) (from \(source))"
    }
}

/// Writes TOML text: tables, keys with correctly quoted values, comments.
struct TOMLRenderer {
    private(set) var text = ""

    mutating func table(_ name: String) { text += "\n[\(name)]\n" }

    mutating func arrayTable(_ name: String) { text += "\n[[\(name)]]\n" }

    mutating func comment(_ line: String) {
        for part in line.split(separator: "\n", omittingEmptySubsequences: false) {
            text += part.isEmpty ? "\n" : "# \(part)\n"
        }
    }

    mutating func key(_ key: String, string value: String) { text += "\(key) = \(Self.quoted(value))\n" }

    mutating func key(_ key: String, integer value: Int) { text += "\(key) = \(value)\n" }

    mutating func key(_ key: String, double value: Double) { text += "\(key) = \(value.description)\n" }

    mutating func key(_ key: String, bool value: Bool) { text += "\(key) = \(value)\n" }

    /// `value` as a TOML basic string.
    static func quoted(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

/// `text` in double quotes with TOML escapes, as error messages and the rendered configuration show strings.
func tomlQuoted(_ text: String) -> String { TOMLRenderer.quoted(text) }
