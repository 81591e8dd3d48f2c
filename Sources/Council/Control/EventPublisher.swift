import Bus
import JSON
import Synchronization

/// Publishes `{"type":..., "data":{...}, "time_ms":...}` on `<base>/<node>/event` (not retained): route decisions,
/// fallbacks, budget thresholds, option changes. Events raised before the bus is attached (while the daemon starts)
/// are kept, up to a few dozen, and published once it is.
public final class EventPublisher: Sendable {
    private struct State {
        var bus: (client: MQTTClient, topics: Topics)?
        var early: [JSONObject] = []
    }

    private static let earlyLimit = 64
    private let state = Mutex(State())

    /// Creates a publisher with no bus yet.
    public init() {}

    /// Connects the publisher to the daemon's client and publishes the events raised before.
    func attach(_ client: MQTTClient, topics: Topics) {
        let early = state.withLock { state in
            state.bus = (client, topics)
            defer { state.early = [] }
            return state.early
        }
        for event in early { Self.publish(event, client: client, topic: topics.event) }
    }

    /// Publishes `payload` (QoS 1, not retained) on the topic `topic` picks from the node's topics, such as a run's
    /// log; dropped while no bus is attached (the caller keeps its own record).
    public func publish(_ payload: JSONObject, on topic: (Topics) -> String) {
        guard let (client, topics) = state.withLock({ $0.bus }) else { return }
        Self.publish(payload, client: client, topic: topic(topics))
    }

    /// The topic `topic` picks from the node's topics, once a bus is attached; else nil.
    public func topic(_ topic: (Topics) -> String) -> String? {
        state.withLock { $0.bus }.map { topic($0.topics) }
    }

    /// Publishes an event.
    public func emit(_ type: String, _ data: JSONObject) {
        let event: JSONObject = ["type": .string(type), "data": .object(data), "time_ms": JSONValue(unixMillis())]
        let bus = state.withLock { state in
            if state.bus == nil && state.early.count < Self.earlyLimit { state.early.append(event) }
            return state.bus
        }
        if let (client, topics) = bus { Self.publish(event, client: client, topic: topics.event) }
    }

    private static func publish(_ payload: JSONObject, client: MQTTClient, topic: String) {
        // QoS 1: queued by the client while disconnected, so events raised at start are not lost.
        try? client.publish(OutboundMessage(topic: topic, payload: JSONValue.object(payload).encoded(), qos: 1))
    }
}
