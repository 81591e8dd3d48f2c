import Bus
import JSON
import Synchronization

/// Publishes the registry's flat JSON snapshot: once when `run` starts, then every `interval`, and whenever
/// `publishNow` asks (requests arriving while a publish is pending are folded into it).
public final class MetricsPublisher: Sendable {
    /// The registry published.
    public let registry: MetricsRegistry
    /// Time between periodic publishes.
    public let interval: Duration
    private let sink: Mutex<(@Sendable ([UInt8]) -> Void)?>
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    /// Creates a publisher; nothing is published until `run`.
    /// - Parameter publish: sends one snapshot (the JSON bytes) — see `retained(on:topic:)`; when nil, set
    ///   it later with `attach(publish:)` (snapshots taken before are dropped).
    public init(
        registry: MetricsRegistry, interval: Duration = .seconds(30),
        publish: (@Sendable ([UInt8]) -> Void)? = nil
    ) {
        self.registry = registry
        self.interval = interval
        sink = Mutex(publish)
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Sets how snapshots are sent (for a client created after the publisher).
    public func attach(publish: @escaping @Sendable ([UInt8]) -> Void) {
        sink.withLock { $0 = publish }
    }

    /// Publishes now and every `interval` until the task is cancelled. Call it once.
    public func run() async {
        wake.yield()
        let interval = self.interval
        let wake = self.wake
        await withDiscardingTaskGroup { group in
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    wake.yield()
                }
            }
            for await _ in wakeups {
                publishSnapshot()
            }
            group.cancelAll()
        }
    }

    /// Asks the running loop to publish as soon as it can (for the `metrics` op).
    public func publishNow() {
        wake.yield()
    }

    /// Stops `run` after any publish in progress.
    public func finish() {
        wake.finish()
    }

    private func publishSnapshot() {
        guard let publish = sink.withLock({ $0 }) else { return }
        publish(JSONValue.object(registry.snapshot().flatJSON).encoded())
    }

    /// A `publish` closure that sends each snapshot retained, QoS 1, to `topic` (`<base>/<node>/metrics`) as one of
    /// the client's announcements: published now when connected, and the latest again on every (re)connection, so a
    /// snapshot made while disconnected is never lost.
    public static func retained(on bus: MQTTClient, topic: String) -> @Sendable ([UInt8]) -> Void {
        { payload in bus.announce(OutboundMessage(topic: topic, payload: payload, qos: 1, retain: true)) }
    }
}
