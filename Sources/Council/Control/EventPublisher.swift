import Bus
import JSON
import Synchronization

/// Publishes `{"type":..., "data":{...}, "time_ms":...}` on `<base>/<node>/event` (not retained): route decisions,
/// fallbacks, budget thresholds, option changes. Events raised before the bus is attached are dropped.
public final class EventPublisher: Sendable {
    private let bus = Mutex<(client: MQTTClient, topic: String)?>(nil)

    /// Creates a publisher with no bus yet.
    public init() {}

    /// Connects the publisher to the daemon's client.
    func attach(_ client: MQTTClient, topic: String) {
        bus.withLock { $0 = (client, topic) }
    }

    /// Publishes an event.
    public func emit(_ type: String, _ data: JSONObject) {
        guard let (client, topic) = bus.withLock({ $0 }) else { return }
        let event: JSONObject = ["type": .string(type), "data": .object(data), "time_ms": JSONValue(unixMillis())]
        try? client.publish(OutboundMessage(topic: topic, payload: JSONValue.object(event).encoded(), qos: 0))
    }
}
