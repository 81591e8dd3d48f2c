import Bus
import JSON

/// One Home Assistant discovery message: the entity's platform, its object id, the retained config topic
/// `<prefix>/<component>/<node_id>/<object_id>/config`, and the config payload.
public struct DiscoveryConfig: Sendable, Equatable {
    /// The platform: `sensor`, `binary_sensor`, `switch`, `number`, `button`, `text`.
    public var component: String
    /// The entity's id within the device (`requests`, `cost_today`, ...).
    public var objectID: String
    /// Where the config is published.
    public var topic: String
    /// The config Home Assistant reads.
    public var payload: JSONObject

    /// The retained QoS 1 message that publishes this config.
    public var message: OutboundMessage {
        OutboundMessage(topic: topic, payload: JSONValue.object(payload).encoded(), qos: 1, retain: true)
    }

    /// The retained empty message that removes the entity published at `topic`.
    public static func removal(of topic: String) -> OutboundMessage {
        OutboundMessage(topic: topic, payload: [], qos: 1, retain: true)
    }
}
