import JSON

/// A Home Assistant sensor that reads one key of the flat metrics snapshot.
struct MetricSensor {
    /// Home Assistant's `state_class`.
    enum StateClass: String {
        case measurement
        case total
        case totalIncreasing = "total_increasing"
    }

    var objectID: String
    var name: String
    /// The flat snapshot key read by the value template.
    var key: String
    var unit: String?
    var deviceClass: String?
    var stateClass: StateClass
    var icon: String?
    var diagnostic: Bool
    var precision: Int?
    /// Multiplies the value (1000 turns seconds into milliseconds).
    var scale: Double?
    /// The snapshot key holding when the current period began (Unix seconds), for `last_reset`.
    var resetKey: String?

    init(
        _ objectID: String, _ name: String, key: String, unit: String? = nil, deviceClass: String? = nil,
        state: StateClass, icon: String? = nil, diagnostic: Bool = false, precision: Int? = nil,
        scale: Double? = nil, resetKey: String? = nil
    ) {
        self.objectID = objectID
        self.name = name
        self.key = key
        self.unit = unit
        self.deviceClass = deviceClass
        stateClass = state
        self.icon = icon
        self.diagnostic = diagnostic
        self.precision = precision
        self.scale = scale
        self.resetKey = resetKey
    }

    /// A US-dollar amount: `device_class: monetary` (whose only valid state class is `total`), 4 decimals shown,
    /// and — for amounts that restart each period — `last_reset` read from `resetKey`.
    static func money(_ objectID: String, _ name: String, key: String, resetKey: String? = nil) -> MetricSensor {
        MetricSensor(
            objectID, name, key: key, unit: "USD", deviceClass: "monetary", state: .total, icon: "mdi:cash",
            precision: 4, resetKey: resetKey)
    }

    func entity(metricsTopic: String, expireAfter: Int) -> DiscoveryEntity {
        var fields: JSONObject = [
            "state_topic": .string(metricsTopic),
            "value_template": .string(
                scale.map { "{{ (value_json.\(key) * \(Int($0))) | round(3) }}" } ?? "{{ value_json.\(key) }}"),
            "state_class": .string(stateClass.rawValue),
            "expire_after": JSONValue(expireAfter),
        ]
        if let unit { fields["unit_of_measurement"] = .string(unit) }
        if let deviceClass { fields["device_class"] = .string(deviceClass) }
        if let resetKey {
            fields["last_reset_value_template"] = .string("{{ value_json.\(resetKey) | timestamp_utc }}")
        }
        if let precision { fields["suggested_display_precision"] = JSONValue(precision) }
        if let icon { fields["icon"] = .string(icon) }
        if diagnostic { fields["entity_category"] = "diagnostic" }
        return DiscoveryEntity(component: "sensor", objectID: objectID, name: name, fields: fields)
    }
}
