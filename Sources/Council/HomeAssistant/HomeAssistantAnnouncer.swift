import Bus
import Logging
import Synchronization

/// Keeps Home Assistant's view of the node current: publishes the discovery configs (retained) on every connect,
/// again after a random delay when Home Assistant announces itself online on `<prefix>/status`, and removes (empty
/// retained payload) configs of entities that no longer exist — both those listed as published by an earlier run
/// and any retained config under this node's id that the broker hands back on subscribe.
///
/// Wiring: add `subscriptions` to the client's subscriptions and `announcements()` to its announcements, `attach`
/// a publish closure once the client exists, pass every received message to `receive` first, and persist
/// `publishedTopics` if the list of earlier configs should survive a lost broker.
public final class HomeAssistantAnnouncer: Sendable {
    /// The configs announced.
    public let discovery: HomeAssistantDiscovery
    private let configs: [DiscoveryConfig]
    private let current: Set<String>
    private let stale: [String]
    private let delay: @Sendable () -> Duration
    private let logger: Logger
    private let state = Mutex<State>(State())

    private struct State {
        var publish: (@Sendable (OutboundMessage) -> Void)?
        var pendingRepublish: Task<Void, Never>?
        var removed: Set<String> = []
    }

    /// Prepares the configs.
    /// - Parameters:
    ///   - previouslyPublished: config topics an earlier run published (its `publishedTopics`); those no longer
    ///     published are removed on connect.
    ///   - delay: how long to wait after Home Assistant comes online before republishing; random between 0 and 5 s
    ///     by default, so that many devices do not answer a restart at once.
    public init(
        discovery: HomeAssistantDiscovery, previouslyPublished: [String] = [],
        delay: @escaping @Sendable () -> Duration = { .milliseconds(Int.random(in: 0...5000)) }, logger: Logger
    ) {
        self.discovery = discovery
        let configs = discovery.configs()
        let current = Set(configs.map(\.topic))
        var seen = Set<String>()
        stale = previouslyPublished.filter { !current.contains($0) && seen.insert($0).inserted }
        self.configs = configs
        self.current = current
        self.delay = delay
        self.logger = logger
    }

    /// The topics to subscribe to: Home Assistant's status, and this node's config topics (to find stale ones).
    public var subscriptions: [Subscription] {
        [Subscription(discovery.birthTopic, qos: 1), Subscription(discovery.configFilter, qos: 1)]
    }

    /// The config topics published now, to persist for the next run.
    public var publishedTopics: [String] { configs.map(\.topic) }

    /// Removals of the earlier run's configs that are gone, then every config: for the client's announcements,
    /// which it republishes on every connect.
    public func announcements() -> [OutboundMessage] {
        stale.map(DiscoveryConfig.removal(of:)) + configs.map(\.message)
    }

    /// Sets how messages are published (the MQTT client's `publish`, errors logged).
    public func attach(publish: @escaping @Sendable (OutboundMessage) -> Void) {
        state.withLock { $0.publish = publish }
    }

    /// Publishes through `bus`, logging what cannot be queued.
    public func attach(bus: MQTTClient) {
        let logger = self.logger
        attach { message in
            do {
                try bus.publish(message)
            } catch {
                logger.debug("could not publish \(message.topic): \(error)")
            }
        }
    }

    /// Handles a message if it is for the announcer (Home Assistant's status, or a config under this node's id)
    /// and says whether it was.
    public func receive(_ message: InboundMessage) -> Bool {
        if message.topic == discovery.birthTopic {
            if String(decoding: message.payload, as: UTF8.self).lowercased() == "online" { scheduleRepublish() }
            return true
        }
        guard discovery.isConfigTopic(message.topic) else { return false }
        if !message.payload.isEmpty && !current.contains(message.topic) { remove(message.topic) }
        return true
    }

    /// Cancels a pending republish.
    public func stop() {
        state.withLock { $0.pendingRepublish?.cancel() }
    }

    /// Messages that remove every config in `topics` (when discovery is turned off).
    public static func removals(of topics: [String]) -> [OutboundMessage] {
        topics.map(DiscoveryConfig.removal(of:))
    }

    private func scheduleRepublish() {
        let wait = delay()
        state.withLock { state in
            guard state.pendingRepublish == nil else { return }
            state.pendingRepublish = Task { [self] in
                try? await Task.sleep(for: wait)
                let publish = self.state.withLock { state in
                    state.pendingRepublish = nil
                    return state.publish
                }
                guard !Task.isCancelled, let publish else { return }
                logger.debug("Home Assistant is online: republishing \(configs.count) discovery configs")
                for config in configs { publish(config.message) }
            }
        }
    }

    private func remove(_ topic: String) {
        let publish = state.withLock { state -> (@Sendable (OutboundMessage) -> Void)? in
            state.removed.insert(topic).inserted ? state.publish : nil
        }
        guard let publish else { return }
        logger.info("removing the Home Assistant entity of \(topic), which this node no longer has")
        publish(DiscoveryConfig.removal(of: topic))
    }
}
