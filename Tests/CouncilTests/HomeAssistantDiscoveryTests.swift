import Council
import JSON
import XCTest

/// The discovery payloads checked against Home Assistant's documented MQTT schema
/// (https://www.home-assistant.io/integrations/sensor.mqtt/, binary_sensor.mqtt, switch.mqtt, number.mqtt,
/// button.mqtt, text.mqtt, and the sensor device-class/state-class table in homeassistant/components/sensor/const.py).
final class HomeAssistantDiscoveryTests: XCTestCase {
    let topics = Topics(base: "council", node: "testnode")
    let skills = ["math", "llm"]

    private func discovery(
        prefix: String = "homeassistant", node: String = "testnode", token: String? = nil
    ) -> HomeAssistantDiscovery {
        HomeAssistantDiscovery(
            topics: Topics(base: "council", node: node), prefix: prefix, version: "1.2.3",
            metricsIntervalSeconds: 30, skills: skills, controlToken: token)
    }

    /// Keys every MQTT entity accepts.
    static let commonKeys: Set<String> = [
        "availability", "availability_mode", "availability_template", "availability_topic", "payload_available",
        "payload_not_available", "device", "enabled_by_default", "encoding", "entity_category", "entity_picture",
        "icon", "json_attributes_template", "json_attributes_topic", "name", "object_id", "default_entity_id",
        "origin", "qos", "unique_id", "platform",
    ]

    /// Per platform: the keys it requires and the further keys it accepts.
    static let platforms: [String: (required: Set<String>, allowed: Set<String>)] = [
        "sensor": (
            ["state_topic"],
            [
                "state_topic", "value_template", "device_class", "state_class", "unit_of_measurement", "expire_after",
                "force_update", "last_reset_value_template", "suggested_display_precision", "options",
            ]
        ),
        "binary_sensor": (
            ["state_topic"],
            [
                "state_topic", "value_template", "device_class", "expire_after", "force_update", "off_delay",
                "payload_on", "payload_off",
            ]
        ),
        "switch": (
            ["command_topic"],
            [
                "command_topic", "command_template", "state_topic", "value_template", "payload_on", "payload_off",
                "state_on", "state_off", "optimistic", "retain", "device_class",
            ]
        ),
        "number": (
            ["command_topic"],
            [
                "command_topic", "command_template", "state_topic", "value_template", "min", "max", "step", "mode",
                "unit_of_measurement", "device_class", "optimistic", "retain", "payload_reset",
            ]
        ),
        "button": (
            ["command_topic"], ["command_topic", "command_template", "payload_press", "device_class", "retain"]
        ),
        "text": (
            ["command_topic"],
            [
                "command_topic", "command_template", "state_topic", "value_template", "min", "max", "mode", "pattern",
                "retain",
            ]
        ),
    ]

    /// Sensor device classes used here, with the state classes and units Home Assistant accepts for them.
    static let sensorDeviceClasses: [String: (states: Set<String>, units: Set<String>?)] = [
        "monetary": (["total"], nil),  // any ISO 4217 code
        "duration": (["measurement", "total", "total_increasing"], ["d", "h", "min", "s", "ms", "μs"]),
        "data_size": (
            ["measurement", "total", "total_increasing"],
            [
                "bit", "kbit", "Mbit", "Gbit", "B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB", "KiB", "MiB", "GiB",
                "TiB", "PiB", "EiB", "ZiB", "YiB",
            ]
        ),
    ]

    func testEveryPayloadMatchesItsPlatformSchema() throws {
        let configs = discovery().configs()
        XCTAssertEqual(
            Set(configs.map(\.component)), ["sensor", "binary_sensor", "switch", "number", "button", "text"])
        for config in configs {
            let payload = config.payload
            let schema = try XCTUnwrap(Self.platforms[config.component], config.component)
            let keys = Set(payload.keys)
            XCTAssertTrue(schema.required.isSubset(of: keys), "\(config.objectID) lacks \(schema.required)")
            let unknown = keys.subtracting(schema.allowed).subtracting(Self.commonKeys)
            XCTAssertTrue(unknown.isEmpty, "\(config.objectID): keys Home Assistant does not know: \(unknown)")
            XCTAssertNotNil(payload["name"]?.stringValue, config.objectID)
            XCTAssertNil(payload["object_id"], "object_id is deprecated in favour of default_entity_id")
            if let category = payload["entity_category"]?.stringValue {
                let allowed =
                    ["sensor", "binary_sensor"].contains(config.component) ? ["diagnostic"] : ["config", "diagnostic"]
                XCTAssertTrue(allowed.contains(category), "\(config.objectID): entity_category \(category)")
            }
            for (key, value) in payload where key.hasSuffix("_topic") {
                let topic = try XCTUnwrap(value.stringValue, key)
                XCTAssertFalse(topic.contains("+") || topic.contains("#"), "\(key) is a filter: \(topic)")
            }
            switch config.component {
            case "sensor": try checkSensor(config)
            case "number":
                let min = try XCTUnwrap(payload["min"]?.doubleValue)
                let max = try XCTUnwrap(payload["max"]?.doubleValue)
                XCTAssertLessThan(min, max)
                XCTAssertGreaterThanOrEqual(payload["step"]?.doubleValue ?? 1, 0.001)
                XCTAssertTrue(["auto", "box", "slider"].contains(payload["mode"]?.stringValue ?? "auto"))
            case "text":
                XCTAssertLessThanOrEqual(payload["max"]?.intValue ?? 255, 255, "Home Assistant caps text at 255")
                XCTAssertLessThanOrEqual(payload["min"]?.intValue ?? 0, payload["max"]?.intValue ?? 255)
                XCTAssertTrue(["text", "password"].contains(payload["mode"]?.stringValue ?? "text"))
            case "binary_sensor":
                XCTAssertEqual(payload["device_class"], "connectivity")
            default: break
            }
        }
    }

    private func checkSensor(_ config: DiscoveryConfig) throws {
        let payload = config.payload
        let stateClass = payload["state_class"]?.stringValue
        if let stateClass { XCTAssertTrue(["measurement", "total", "total_increasing"].contains(stateClass)) }
        if let deviceClass = payload["device_class"]?.stringValue {
            let rules = try XCTUnwrap(Self.sensorDeviceClasses[deviceClass], "unexpected device class \(deviceClass)")
            if let stateClass {
                XCTAssertTrue(
                    rules.states.contains(stateClass), "\(config.objectID): \(deviceClass) with \(stateClass)")
            }
            let unit = try XCTUnwrap(payload["unit_of_measurement"]?.stringValue, "\(config.objectID) has no unit")
            if let units = rules.units {
                XCTAssertTrue(units.contains(unit), "\(config.objectID): \(unit) is not a \(deviceClass) unit")
            } else {
                XCTAssertNotNil(unit.wholeMatch(of: /[A-Z]{3}/), "\(config.objectID): currency \(unit)")
            }
        }
        if payload["last_reset_value_template"] != nil {
            XCTAssertEqual(stateClass, "total", "last_reset only goes with state_class total")
        }
        if payload["state_topic"]?.stringValue == "council/testnode/metrics" {
            XCTAssertEqual(payload["expire_after"], 90, "three missed 30 s publishes")
        }
    }

    func testCostSensorsAreMonetaryInUSD() throws {
        let configs = discovery().configs()
        for objectID in ["cost_today", "cost_month", "budget_left_today", "budget_left_month"] {
            let payload = try XCTUnwrap(configs.first { $0.objectID == objectID }?.payload, objectID)
            XCTAssertEqual(payload["device_class"], "monetary")
            XCTAssertEqual(payload["unit_of_measurement"], "USD")
            XCTAssertEqual(payload["state_class"], "total")
        }
        let requests = try XCTUnwrap(configs.first { $0.objectID == "requests" }?.payload)
        XCTAssertEqual(requests["state_class"], "total_increasing")
        XCTAssertEqual(requests["value_template"], "{{ value_json.requests_total }}")
    }

    func testAvailabilityDeviceAndOriginOnEveryEntity() throws {
        let configs = discovery().configs()
        let device = try XCTUnwrap(configs.first?.payload["device"]?.objectValue)
        XCTAssertEqual(device["identifiers"], ["council_testnode"])
        XCTAssertEqual(device["manufacturer"], "Council")
        XCTAssertEqual(device["name"], "Council testnode")
        XCTAssertEqual(device["sw_version"], "1.2.3")
        XCTAssertNotNil(device["model"]?.stringValue)
        XCTAssertNil(device["via_device"], "Council is a device of its own, not behind a hub")
        for config in configs {
            XCTAssertEqual(config.payload["device"]?.objectValue, device, "\(config.objectID): one device")
            XCTAssertEqual(config.payload["origin"]?.objectValue?["name"], "Council")
            if config.objectID == "connection_state" {
                // It shows the status itself, so it must stay available to show "disconnected".
                XCTAssertNil(config.payload["availability"])
                XCTAssertEqual(config.payload["state_topic"]?.stringValue, topics.status)
                XCTAssertEqual(config.payload["payload_on"], "online")
                XCTAssertEqual(config.payload["payload_off"], "offline")
                XCTAssertEqual(config.payload["value_template"], "{{ value_json.state }}")
                continue
            }
            let availability = try XCTUnwrap(config.payload["availability"]?.arrayValue, config.objectID)
            XCTAssertEqual(availability.count, 1)
            let entry = try XCTUnwrap(availability.first?.objectValue)
            XCTAssertEqual(entry["topic"]?.stringValue, topics.status)
            XCTAssertEqual(entry["value_template"], "{{ value_json.state }}")
            XCTAssertEqual(entry["payload_available"], "online")
            XCTAssertEqual(entry["payload_not_available"], "offline")
        }
    }

    func testUniqueIDsAreUniqueStableAndPerNode() throws {
        let first = discovery().configs()
        let ids = first.compactMap { $0.payload["unique_id"]?.stringValue }
        XCTAssertEqual(ids.count, first.count)
        XCTAssertEqual(Set(ids).count, ids.count, "unique ids are unique")
        XCTAssertEqual(Set(first.map(\.topic)).count, first.count, "config topics are unique")
        XCTAssertEqual(discovery().configs(), first, "the same node gets the same configs every time")
        let other = discovery(node: "garage").configs().compactMap { $0.payload["unique_id"]?.stringValue }
        XCTAssertTrue(Set(ids).isDisjoint(with: other), "two nodes never share an id")
        for config in first {
            let id = try XCTUnwrap(config.payload["unique_id"]?.stringValue)
            XCTAssertEqual(id, "council_testnode_\(config.objectID)")
            let entityID = try XCTUnwrap(config.payload["default_entity_id"]?.stringValue)
            XCTAssertNotNil(entityID.wholeMatch(of: /[a-z_]+\.[a-z0-9_]+/), entityID)
            XCTAssertTrue(entityID.hasPrefix(config.component + "."), entityID)
            XCTAssertEqual(config.topic, "homeassistant/\(config.component)/council_testnode/\(config.objectID)/config")
            XCTAssertNotNil(config.objectID.wholeMatch(of: /[a-zA-Z0-9_-]+/))
        }
        let custom = discovery(prefix: "ha/discovery", node: "kitchen pi.1").configs()
        XCTAssertTrue(
            custom.allSatisfy { $0.topic.hasPrefix("ha/discovery/") && $0.topic.contains("/council_kitchen_pi_1/") })
    }

    func testTopicsAndTemplatesMatchWhatTheNodePublishesAndServes() throws {
        let registry = MetricsRegistry(ops: ["ask", "options", "budget/reset"], skills: skills)
        let snapshotKeys = Set(registry.snapshot().flatJSON.keys)
        let stateKeys: Set<String> = ["cloud_escalation", "sandbox", "daily_budget_usd"]
        let lastAnswer = try XCTUnwrap(
            try JSONParser.parse(
                LastAnswer.payload(
                    prompt: "2+2", data: ["text": "4", "answer": "4", "skill": "math"], answeredAtMillis: 0)
            ).objectValue)
        let keysByTopic: [String: Set<String>] = [
            "council/testnode/metrics": snapshotKeys, "council/testnode/state": stateKeys,
            topics.status: ["state"], "council/testnode/last_answer": Set(lastAnswer.keys),
        ]
        var metricKeysRead = Set<String>()
        for config in discovery().configs() {
            let payload = config.payload
            if let stateTopic = payload["state_topic"]?.stringValue {
                let known = try XCTUnwrap(
                    keysByTopic[stateTopic], "\(config.objectID) reads an unknown topic \(stateTopic)")
                for key in ["value_template", "last_reset_value_template"] {
                    guard let template = payload[key]?.stringValue else { continue }
                    let read = template.matches(of: /value_json\.([A-Za-z_][A-Za-z0-9_]*)/).map { String($0.1) }
                    XCTAssertFalse(read.isEmpty, "\(config.objectID).\(key) reads nothing: \(template)")
                    for name in read {
                        XCTAssertTrue(known.contains(name), "\(config.objectID).\(key) reads missing key '\(name)'")
                        if stateTopic.hasSuffix("/metrics") { metricKeysRead.insert(name) }
                    }
                }
            }
            if let command = payload["command_topic"]?.stringValue {
                let op = try XCTUnwrap(topics.op(fromRequestTopic: command), "\(command) is not a request topic")
                XCTAssertTrue(["options", "budget/reset", "ask"].contains(op), op)
                XCTAssertTrue(command.hasPrefix(topics.nodeRequestPrefix), "commands go to this node only")
            }
        }
        for key in [
            "requests_total", "errors_total", "cost_today_usd", "cost_month_usd", "escalations_total",
            "answer_duration_seconds_math_p50", "answer_duration_seconds_llm_p99", "journal_depth", "facts_stored",
            "uptime_seconds", "resident_memory_bytes", "sandbox_runs_total", "budget_remaining_today_usd",
            "input_tokens_today", "output_tokens_today",
        ] {
            XCTAssertTrue(metricKeysRead.contains(key), "no sensor shows \(key)")
        }
    }

    func testCommandTemplatesProduceTheOptionsRequests() throws {
        for token in [nil, "s3cr\"t", "{{ states('x') }}{% if %}"] as [String?] {
            let configs = discovery(token: token).configs()
            func render(_ objectID: String, _ value: String) throws -> JSONObject {
                let template = try XCTUnwrap(
                    configs.first { $0.objectID == objectID }?.payload["command_template"]?.stringValue)
                // Home Assistant renders `{{ value }}` with the switch's payload_on/off or the number's value.
                let rendered = template.replacingOccurrences(of: "{{ value }}", with: value)
                return try XCTUnwrap(try JSONParser.parse(Array(rendered.utf8)).objectValue, rendered)
            }
            let on = try render("cloud_escalation", "true")
            XCTAssertEqual(on["options"], ["cloud_escalation": true])
            XCTAssertEqual(try render("sandbox", "false")["options"], ["sandbox": false])
            XCTAssertEqual(try render("daily_budget", "2.5")["options"], ["daily_budget_usd": 2.5])
            XCTAssertEqual(on["token"]?.stringValue, token)
            let switchPayload = try XCTUnwrap(configs.first { $0.objectID == "sandbox" }?.payload)
            XCTAssertEqual(switchPayload["payload_on"], "true")
            XCTAssertEqual(switchPayload["payload_off"], "false")
            XCTAssertEqual(switchPayload["state_on"], "true", "value_template lower-cases the JSON boolean")
            let press = try XCTUnwrap(
                configs.first { $0.objectID == "budget_reset" }?.payload["payload_press"]?.stringValue)
            XCTAssertEqual(try JSONParser.parse(Array(press.utf8)).objectValue?["token"]?.stringValue, token)
            let template = try XCTUnwrap(
                configs.first { $0.objectID == "sandbox" }?.payload["command_template"]?.stringValue)
            XCTAssertEqual(
                template.components(separatedBy: "{{").count, 2, "the token adds no template syntax: \(template)")
            XCTAssertFalse(template.contains("{%"))
            let ask = try XCTUnwrap(configs.first { $0.objectID == "ask" }?.payload["command_template"]?.stringValue)
            XCTAssertEqual(ask, "{{ {\"prompt\": value} | to_json }}", "the prompt is JSON-escaped by Home Assistant")
        }
    }

    func testLastAnswerStateIsCappedAndTheFullTextIsAnAttribute() throws {
        let long = String(repeating: "é🙂 ", count: 200)  // 600 code points, 1400 UTF-8 bytes
        let payload = try XCTUnwrap(
            try JSONParser.parse(
                LastAnswer.payload(
                    prompt: "Tell me a story",
                    data: [
                        "text": .string(long), "answer": "x", "skill": "llm",
                        "model": "llama3.2", "cost_usd": 0, "duration_ms": 812.5,
                    ],
                    answeredAtMillis: 1_714_996_800_123)
            ).objectValue)
        let state = try XCTUnwrap(payload["state"]?.stringValue)
        XCTAssertEqual(state.unicodeScalars.count, 255, "Home Assistant's limit, counted in code points")
        XCTAssertTrue(state.hasSuffix("…"))
        XCTAssertTrue(long.hasPrefix(String(state.dropLast())))
        XCTAssertEqual(payload["text"]?.stringValue, long, "the full text is an attribute")
        XCTAssertNil(payload["text_truncated"])
        XCTAssertEqual(payload["prompt"], "Tell me a story")
        XCTAssertEqual(payload["model"], "llama3.2")
        XCTAssertEqual(payload["answered_at"], "2024-05-06T12:00:00Z")

        let short = try XCTUnwrap(
            try JSONParser.parse(LastAnswer.payload(prompt: nil, data: ["text": "4"], answeredAtMillis: 0)).objectValue)
        XCTAssertEqual(short["state"], "4")
        XCTAssertEqual(short["answered_at"], "1970-01-01T00:00:00Z")
        let huge = String(repeating: "a", count: 20_000)
        let capped = try XCTUnwrap(
            try JSONParser.parse(LastAnswer.payload(prompt: nil, data: ["text": .string(huge)], answeredAtMillis: 0))
                .objectValue)
        XCTAssertEqual(capped["text_truncated"], true)
        XCTAssertEqual(capped["text"]?.stringValue?.count, LastAnswer.maxTextCharacters)
    }
}
