import JSON

/// The Home Assistant MQTT discovery configs of one Council node, modelled on Zigbee2MQTT's bridge entities.
///
/// One device (`identifiers: ["<base>_<node>"]`, manufacturer `Council`) with: sensors for the main metrics
/// (reading the retained flat JSON on `<base>/<node>/metrics`, expiring after three missed publishes), per-skill
/// latency sensors, a connectivity binary sensor on the status topic, switches for `cloud_escalation` and
/// `sandbox` and a number for the daily budget (commands go to `<base>/<node>/request/options`, state comes from
/// the retained `<base>/<node>/state`), a budget-reset button, a text entity that asks a question, and a "last
/// answer" sensor on the retained `<base>/<node>/last_answer` (see `LastAnswer`). Every entity but the
/// connectivity sensor carries the status topic as its availability (that sensor shows the status itself, so it
/// must stay available to show "disconnected" — as Zigbee2MQTT's bridge does). Unique ids are
/// `<base>_<node>_<object_id>`, stable across restarts.
public struct HomeAssistantDiscovery: Sendable {
    /// The discovery prefix (`homeassistant`).
    public let prefix: String
    /// The `<node_id>` level of the config topics and the device identifier: `<base>_<node>` with characters
    /// outside `[a-zA-Z0-9_-]` replaced by `_`.
    public let nodeID: String
    /// The node's retained availability topic (`{"state":"online"}`).
    public let statusTopic: String
    /// The retained flat metrics snapshot.
    public let metricsTopic: String
    /// The retained options (`{"cloud_escalation":true,"sandbox":true,"daily_budget_usd":1.0,...}`).
    public let stateTopic: String
    /// The retained last answer (`LastAnswer.payload`).
    public let lastAnswerTopic: String
    /// Where `options` requests go.
    public let optionsTopic: String
    /// Where `budget/reset` requests go.
    public let budgetResetTopic: String
    /// Where `ask` requests go.
    public let askTopic: String
    /// Home Assistant's birth and last-will topic (`<prefix>/status`).
    public var birthTopic: String { "\(prefix)/status" }

    private let nodeName: String
    private let version: String
    private let metricsIntervalSeconds: Int
    private let skills: [String]
    private let controlToken: String?

    /// Describes the node's entities.
    /// - Parameters:
    ///   - topics: the node's topics.
    ///   - prefix: Home Assistant's discovery prefix.
    ///   - version: reported as the device's and origin's `sw_version`.
    ///   - metricsIntervalSeconds: how often metrics are published; sensors expire after three intervals.
    ///   - skills: skills with p50/p99 latency sensors (each needs `answer_duration_seconds_<skill>_p50` in the
    ///     snapshot, which `MetricsRegistry(skills:)` guarantees).
    ///   - controlToken: when control ops require a token, it is added as `"token"` to the switch, number and
    ///     button payloads. Discovery configs are retained and readable by anyone allowed to read `<prefix>/#`.
    public init(
        topics: Topics, prefix: String = "homeassistant", version: String = CouncilVersion.current,
        metricsIntervalSeconds: Int = 30, skills: [String] = [], controlToken: String? = nil
    ) {
        self.prefix = prefix
        nodeID = Self.topicLevel("\(topics.base)_\(topics.node)")
        let nodeTopic = "\(topics.base)/\(topics.node)"
        statusTopic = topics.status
        metricsTopic = topics.metrics
        stateTopic = topics.state
        lastAnswerTopic = "\(nodeTopic)/last_answer"
        optionsTopic = "\(topics.nodeRequestPrefix)options"
        budgetResetTopic = "\(topics.nodeRequestPrefix)budget/reset"
        askTopic = "\(topics.nodeRequestPrefix)ask"
        nodeName = topics.node
        self.version = version
        self.metricsIntervalSeconds = max(1, metricsIntervalSeconds)
        var seen = Set<String>()
        self.skills = skills.filter { seen.insert(MetricsSnapshot.flatLabelValue($0)).inserted }
        self.controlToken = controlToken
    }

    /// The filter matching every config topic of this node, whatever the platform or object id.
    public var configFilter: String { "\(prefix)/+/\(nodeID)/+/config" }

    /// Every config, in a stable order.
    public func configs() -> [DiscoveryConfig] {
        var entities = metricSensors().map { $0.entity(metricsTopic: metricsTopic, expireAfter: expireAfter) }
        entities += controlEntities()
        entities.append(lastAnswerSensor())
        entities.append(connectivitySensor())
        return entities.map(config(for:))
    }

    /// Whether `topic` is one of this node's config topics (any platform or object id).
    public func isConfigTopic(_ topic: String) -> Bool {
        let levels = topic.split(separator: "/", omittingEmptySubsequences: false)
        let prefixLevels = prefix.split(separator: "/", omittingEmptySubsequences: false)
        return levels.count == prefixLevels.count + 4 && levels.starts(with: prefixLevels)
            && levels[prefixLevels.count + 1] == nodeID && levels.last == "config"
    }

    // MARK: - Building

    private var expireAfter: Int { 3 * metricsIntervalSeconds }

    private var device: JSONObject {
        [
            "identifiers": [.string(nodeID)],
            "name": .string("Council \(nodeName)"),
            "manufacturer": "Council",
            "model": "Council assistant",
            "sw_version": .string(version),
        ]
    }

    private var origin: JSONObject {
        ["name": "Council", "sw_version": .string(version)]
    }

    private var availability: JSONValue {
        [
            [
                "topic": .string(statusTopic), "value_template": "{{ value_json.state }}",
                "payload_available": "online", "payload_not_available": "offline",
            ]
        ]
    }

    private func config(for entity: DiscoveryEntity) -> DiscoveryConfig {
        var payload: JSONObject = ["name": .string(entity.name)]
        for (key, value) in entity.fields { payload[key] = value }
        if entity.available { payload["availability"] = availability }
        payload["unique_id"] = .string("\(nodeID)_\(entity.objectID)")
        payload["default_entity_id"] = .string(
            "\(entity.component).\(MetricsSnapshot.flatLabelValue(nodeID))_\(entity.objectID)")
        payload["device"] = .object(device)
        payload["origin"] = .object(origin)
        return DiscoveryConfig(
            component: entity.component, objectID: entity.objectID,
            topic: "\(prefix)/\(entity.component)/\(nodeID)/\(entity.objectID)/config", payload: payload)
    }

    private func metricSensors() -> [MetricSensor] {
        var sensors: [MetricSensor] = [
            .init("requests", "Requests", key: "requests_total", state: .totalIncreasing, icon: "mdi:message-question"),
            .init("errors", "Errors", key: "errors_total", state: .totalIncreasing, icon: "mdi:alert-circle-outline"),
            .init(
                "escalations", "Cloud escalations", key: "escalations_total", state: .totalIncreasing,
                icon: "mdi:cloud-upload-outline"),
            .init(
                "tokens_in_today", "Tokens in today", key: "input_tokens_today", unit: "tokens",
                state: .totalIncreasing, icon: "mdi:import"),
            .init(
                "tokens_out_today", "Tokens out today", key: "output_tokens_today", unit: "tokens",
                state: .totalIncreasing, icon: "mdi:export"),
            .money("cost_today", "Cost today", key: "cost_today_usd", resetKey: "today_start_timestamp_seconds"),
            .money("cost_month", "Cost this month", key: "cost_month_usd", resetKey: "month_start_timestamp_seconds"),
            .money("budget_left_today", "Budget left today", key: "budget_remaining_today_usd"),
            .money("budget_left_month", "Budget left this month", key: "budget_remaining_month_usd"),
            .init(
                "sandbox_runs", "Sandbox runs", key: "sandbox_runs_total", state: .totalIncreasing,
                icon: "mdi:code-braces-box"),
            .init(
                "sandbox_timeouts", "Sandbox timeouts", key: "sandbox_timeouts_total", state: .totalIncreasing,
                icon: "mdi:timer-alert-outline", diagnostic: true),
            .init(
                "sandbox_oom_kills", "Sandbox out-of-memory kills", key: "sandbox_oom_kills_total",
                state: .totalIncreasing, icon: "mdi:memory", diagnostic: true),
            .init("facts_stored", "Facts stored", key: "facts_stored", state: .measurement, icon: "mdi:database"),
            .init(
                "journal_depth", "Journal depth", key: "journal_depth", state: .measurement,
                icon: "mdi:tray-full", diagnostic: true),
            .init(
                "uptime", "Uptime", key: "uptime_seconds", unit: "s", deviceClass: "duration",
                state: .totalIncreasing, diagnostic: true, precision: 0),
            .init(
                "memory", "Memory", key: "resident_memory_bytes", unit: "B", deviceClass: "data_size",
                state: .measurement, diagnostic: true, precision: 0),
        ]
        for skill in skills {
            let label = MetricsSnapshot.flatLabelValue(skill)
            for quantile in ["p50", "p99"] {
                sensors.append(
                    .init(
                        "latency_\(label)_\(quantile)", "Latency \(skill) \(quantile)",
                        key: "answer_duration_seconds_\(label)_\(quantile)", unit: "ms", deviceClass: "duration",
                        state: .measurement, icon: "mdi:timer-outline", diagnostic: true, precision: 2,
                        scale: 1000))
            }
        }
        return sensors
    }

    private func controlEntities() -> [DiscoveryEntity] {
        let tokenSuffix = controlToken.map { ",\"token\":\(Self.templateSafeJSONString($0))" } ?? ""
        func optionTemplate(_ option: String) -> String {
            "{\"options\":{\"\(option)\":{{ value }}}\(tokenSuffix)}"
        }
        func toggle(_ objectID: String, _ name: String, option: String, icon: String) -> DiscoveryEntity {
            DiscoveryEntity(
                component: "switch", objectID: objectID, name: name,
                fields: [
                    "command_topic": .string(optionsTopic), "command_template": .string(optionTemplate(option)),
                    "payload_on": "true", "payload_off": "false",
                    "state_topic": .string(stateTopic),
                    "value_template": .string("{{ value_json.\(option) | lower }}"),
                    "state_on": "true", "state_off": "false",
                    "entity_category": "config", "icon": .string(icon),
                ])
        }
        return [
            toggle("cloud_escalation", "Cloud escalation", option: "cloud_escalation", icon: "mdi:cloud-arrow-up"),
            toggle("sandbox", "Sandbox", option: "sandbox", icon: "mdi:code-braces-box"),
            DiscoveryEntity(
                component: "number", objectID: "daily_budget", name: "Daily budget",
                fields: [
                    "command_topic": .string(optionsTopic),
                    "command_template": .string(optionTemplate("daily_budget_usd")),
                    "state_topic": .string(stateTopic), "value_template": "{{ value_json.daily_budget_usd }}",
                    "min": 0, "max": 1000, "step": 0.01, "mode": "box",
                    "unit_of_measurement": "USD", "device_class": "monetary",
                    "entity_category": "config", "icon": "mdi:cash",
                ]),
            DiscoveryEntity(
                component: "button", objectID: "budget_reset", name: "Reset budget",
                fields: [
                    "command_topic": .string(budgetResetTopic),
                    "payload_press": .string(
                        controlToken.map { "{\"token\":\(Self.templateSafeJSONString($0))}" } ?? "{}"),
                    "entity_category": "config", "icon": "mdi:cash-refund",
                ]),
            DiscoveryEntity(
                component: "text", objectID: "ask", name: "Ask",
                fields: [
                    "command_topic": .string(askTopic),
                    "command_template": "{{ {\"prompt\": value} | to_json }}",
                    "min": 1, "max": 255, "mode": "text", "icon": "mdi:chat-question",
                ]),
        ]
    }

    private func lastAnswerSensor() -> DiscoveryEntity {
        DiscoveryEntity(
            component: "sensor", objectID: "last_answer", name: "Last answer",
            fields: [
                "state_topic": .string(lastAnswerTopic), "value_template": "{{ value_json.state }}",
                "json_attributes_topic": .string(lastAnswerTopic), "icon": "mdi:robot",
            ])
    }

    private func connectivitySensor() -> DiscoveryEntity {
        DiscoveryEntity(
            component: "binary_sensor", objectID: "connection_state", name: "Connection state",
            fields: [
                "state_topic": .string(statusTopic), "value_template": "{{ value_json.state }}",
                "payload_on": "online", "payload_off": "offline", "device_class": "connectivity",
                "entity_category": "diagnostic",
            ],
            available: false)
    }

    /// `text` as a JSON string literal with its braces written `\u007b` / `\u007d`, so that Home Assistant's template
    /// engine never reads part of it as `{{ ... }}` or `{% ... %}`.
    static func templateSafeJSONString(_ text: String) -> String {
        JSONValue.string(text).encodedString()
            .replacing("{", with: "\\u007b").replacing("}", with: "\\u007d")
    }

    /// `text` with every character outside `[a-zA-Z0-9_-]` replaced by `_` (a valid discovery topic level).
    static func topicLevel(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    switch scalar {
                    case "a"..."z", "A"..."Z", "0"..."9", "_", "-": scalar
                    default: "_"
                    }
                }))
    }
}

/// One entity before the common blocks (device, origin, availability, ids) are added.
struct DiscoveryEntity {
    var component: String
    var objectID: String
    var name: String
    var fields: JSONObject
    /// Whether it carries the node's availability.
    var available = true
}
