import Bus
import JSON
import Synchronization

/// Publishes `{"type":..., "data":{...}, "time_ms":...}` on `<base>/<node>/event` (not retained): route decisions,
/// fallbacks, budget thresholds, option changes. Events raised before the bus is attached (while the daemon starts)
/// are kept, up to a few dozen, and published once it is.
public final class EventPublisher: Sendable {
    private struct State {
        var bus: (client: MQTTClient, topic: String)?
        var early: [JSONObject] = []
    }

    private static let earlyLimit = 64
    private let state = Mutex(State())

    /// Creates a publisher with no bus yet.
    public init() {}

    /// Connects the publisher to the daemon's client and queues the events raised before.
    func attach(_ client: MQTTClient, topic: String) {
        let early = state.withLock { state in
            state.bus = (client, topic)
            defer { state.early = [] }
            return state.early
        }
        for event in early { Self.publish(event, client: client, topic: topic) }
    }

    /// Publishes `payload` (QoS 1, not retained) on `<base>/<node>/<subtopic>`, such as a run's log on
    /// `runs/<id>/log`; returns the full topic. Dropped while no bus is attached (the caller keeps its own record).
    @discardableResult
    public func publish(_ payload: JSONObject, on subtopic: String) -> String? {
        guard let (client, eventTopic) = state.withLock({ $0.bus }) else { return nil }
        let topic = Self.nodeTopic(subtopic, besides: eventTopic)
        try? client.publish(OutboundMessage(topic: topic, payload: JSONValue.object(payload).encoded(), qos: 1))
        return topic
    }

    /// `<base>/<node>/<subtopic>` once a bus is attached, else nil.
    public func topic(_ subtopic: String) -> String? {
        state.withLock { $0.bus }.map { Self.nodeTopic(subtopic, besides: $0.topic) }
    }

    /// `<base>/<node>/<subtopic>`, from the event topic `<base>/<node>/event` the publisher was attached with.
    static func nodeTopic(_ subtopic: String, besides eventTopic: String) -> String {
        let node = eventTopic.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return node + "/" + subtopic
    }

    /// Publishes an event.
    public func emit(_ type: String, _ data: JSONObject) {
        let event: JSONObject = ["type": .string(type), "data": .object(data), "time_ms": JSONValue(unixMillis())]
        let bus = state.withLock { state in
            if state.bus == nil && state.early.count < Self.earlyLimit { state.early.append(event) }
            return state.bus
        }
        if let (client, topic) = bus { Self.publish(event, client: client, topic: topic) }
    }

    private static func publish(_ event: JSONObject, client: MQTTClient, topic: String) {
        // QoS 1: queued by the client while disconnected, so events raised at start are not lost.
        try? client.publish(OutboundMessage(topic: topic, payload: JSONValue.object(event).encoded(), qos: 1))
    }
}
