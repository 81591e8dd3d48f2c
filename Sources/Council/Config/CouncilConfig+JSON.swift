import JSON

extension CouncilConfig {
    /// The configuration for the retained `<base>/<node>/info` topic: every key as in the TOML file, grouped by
    /// table, with secrets left out (only whether one is set and where it came from).
    public func infoJSON() -> JSONValue {
        var mqttObject: JSONObject = [
            "url": JSONValue(mqtt.url.description),
            "base_topic": JSONValue(mqtt.baseTopic),
            "client_id": JSONValue(mqtt.clientID),
            "protocol": JSONValue(mqtt.protocolVersion.rawValue),
            "username": JSONValue(mqtt.username),
            "password_set": JSONValue(mqtt.password != nil),
            "password_source": JSONValue(mqtt.passwordSource.description),
            "keepalive_s": JSONValue(mqtt.keepaliveSeconds),
            "session_expiry_s": JSONValue(mqtt.sessionExpirySeconds),
            "reconnect_min_s": JSONValue(mqtt.reconnectMinSeconds),
            "reconnect_max_s": JSONValue(mqtt.reconnectMaxSeconds),
            "max_payload_bytes": JSONValue(mqtt.maxPayloadBytes),
        ]
        mqttObject["tls"] = JSONValue(mqtt.url.usesTLS)
        let modelValues: [JSONValue] = models.map { model in
            [
                "name": JSONValue(model.name),
                "provider": JSONValue(model.provider.rawValue),
                "endpoint": JSONValue(model.endpoint),
                "model": JSONValue(model.model),
                "tier": JSONValue(model.tier.rawValue),
                "api_key_set": JSONValue(model.apiKey != nil),
                "api_key_source": JSONValue(model.apiKeySource.description),
                "input_usd_per_mtok": JSONValue(model.inputUSDPerMillionTokens),
                "output_usd_per_mtok": JSONValue(model.outputUSDPerMillionTokens),
            ]
        }
        return [
            "node": ["name": JSONValue(node.name), "state_dir": JSONValue(node.stateDirectory)],
            "mqtt": .object(mqttObject),
            "journal": [
                "synchronous": JSONValue(journal.synchronous.rawValue),
                "dedupe_window_s": JSONValue(journal.dedupeWindowSeconds),
            ],
            "requests": ["default_timeout_s": JSONValue(requests.defaultTimeoutSeconds)],
            "log": ["level": JSONValue(log.level.rawValue)],
            "models": .array(modelValues),
            "budget": [
                "daily_usd": JSONValue(budget.dailyUSD),
                "monthly_usd": JSONValue(budget.monthlyUSD),
                "timezone": JSONValue(budget.timezone),
            ],
            "router": ["cloud_escalation": JSONValue(router.cloudEscalation)],
            "sandbox": ["enabled": JSONValue(sandbox.enabled)],
            "runs": [
                "max_attempts": JSONValue(runs.maxAttempts), "max_cost_usd": JSONValue(runs.maxCostUSD),
                "max_concurrent": JSONValue(runs.maxConcurrent), "max_duration_s": JSONValue(runs.maxDurationSeconds),
                "artifact_retention_hours": JSONValue(runs.artifactRetentionHours),
            ],
        ]
    }
}
