import Bus
import Council
import Foundation
import JSON
import Synchronization
import XCTest

/// Discovery over a real mosquitto: retained configs on connect, republished when Home Assistant comes online,
/// stale entities removed.
final class HomeAssistantAnnouncerTests: XCTestCase {
    var broker: TestBroker!
    let discovery = HomeAssistantDiscovery(
        topics: Topics(base: "council", node: "testnode"), version: "1.2.3", metricsIntervalSeconds: 30,
        skills: ["math"])

    override func setUp() async throws {
        broker = try TestBroker()
    }

    override func tearDown() async throws {
        broker?.stop()
    }

    /// Connects a client wired the way the daemon wires the announcer, and returns it with its message pump.
    private func startNode(_ announcer: HomeAssistantAnnouncer) async throws -> (MQTTClient, Task<Void, Never>) {
        var options = BusOptions(
            host: "127.0.0.1", port: broker.port, clientID: Requester.uniqueClientID(prefix: "node"))
        options.subscriptions = announcer.subscriptions
        options.announcements = announcer.announcements()
        let bus = try MQTTClient(options: options, logger: testLogger("node"))
        announcer.attach(bus: bus)
        let pump = Task {
            for await message in bus.messages() { _ = announcer.receive(message) }
        }
        try bus.start()
        try await bus.waitUntilConnected(timeout: .seconds(5))
        return (bus, pump)
    }

    private func isConfig(_ message: InboundMessage) -> Bool { message.topic.hasSuffix("/config") }

    /// Waits until messages matching `predicate` arrived on every topic of `topics` (or the timeout passes) and
    /// returns the matching messages. (A recorder may see a retained message twice: it subscribes twice.)
    private func waitForTopics(
        _ topics: Set<String>, on recorder: Recorder, after skipped: Int = 0, timeout: Duration = .seconds(10),
        where predicate: @escaping (InboundMessage) -> Bool
    ) async -> [InboundMessage] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let matching = recorder.messages.dropFirst(skipped).filter(predicate)
            if topics.isSubset(of: Set(matching.map(\.topic))) { return matching }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return recorder.messages.dropFirst(skipped).filter(predicate)
    }

    func testConfigsArePublishedRetainedAndRepublishedWhenHomeAssistantComesOnline() async throws {
        let scheduled = Mutex(0)
        let announcer = HomeAssistantAnnouncer(
            discovery: discovery,
            delay: {
                scheduled.withLock { $0 += 1 }
                return .milliseconds(20)
            }, logger: testLogger("announcer"))
        let expected = Set(discovery.configs().map(\.topic))
        XCTAssertEqual(Set(announcer.publishedTopics), expected)
        let (bus, pump) = try await startNode(announcer)

        // Home Assistant watches while the node announces itself...
        let homeAssistant = try await Recorder(broker: broker, filters: ["homeassistant/#"])
        let announced = await waitForTopics(expected, on: homeAssistant) { self.isConfig($0) }
        XCTAssertEqual(Set(announced.map(\.topic)), expected)
        for message in announced {
            let config = try XCTUnwrap(try JSONParser.parse(message.payload).objectValue)
            XCTAssertNotNil(config["unique_id"], message.topic)
        }
        // ...and one that starts later gets every config from the broker, retained.
        let late = try await Recorder(broker: broker, filters: ["homeassistant/#"])
        let retained = await waitForTopics(expected, on: late) { self.isConfig($0) && $0.retain }
        XCTAssertEqual(Set(retained.map(\.topic)), expected)
        await late.close()

        // Home Assistant restarts: offline (its last will), then its birth message.
        let seen = homeAssistant.messages.count
        try await homeAssistant.publish(OutboundMessage(topic: "homeassistant/status", text: "offline"))
        try await homeAssistant.publish(OutboundMessage(topic: "homeassistant/status", text: "online"))
        let live = await waitForTopics(expected, on: homeAssistant, after: seen) { self.isConfig($0) && !$0.retain }
        XCTAssertEqual(Set(live.map(\.topic)), expected, "every config is published again")
        XCTAssertEqual(scheduled.withLock { $0 }, 1, "only 'online' schedules a republish")

        pump.cancel()
        announcer.stop()
        await homeAssistant.close()
        await bus.stop()
    }

    func testEntitiesThatNoLongerExistAreRemoved() async throws {
        // What an earlier version of the node left retained on the broker, and another node's config.
        let seeder = try await Recorder(broker: broker, filters: [])
        let retired = "homeassistant/sensor/council_testnode/retired_metric/config"
        let persisted = "homeassistant/switch/council_testnode/old_switch/config"
        let otherNode = "homeassistant/sensor/council_othernode/requests/config"
        for topic in [retired, persisted, otherNode] {
            try await seeder.publish(OutboundMessage(topic: topic, text: #"{"name":"old"}"#, retain: true))
        }
        await seeder.close()

        let watcher = try await Recorder(broker: broker, filters: ["homeassistant/#"])
        let announcer = HomeAssistantAnnouncer(
            discovery: discovery, previouslyPublished: [persisted] + discovery.configs().map(\.topic),
            delay: { .zero }, logger: testLogger("announcer"))
        let (bus, pump) = try await startNode(announcer)

        let removals = await watcher.wait(for: 2, timeout: .seconds(10)) { $0.payload.isEmpty }
        XCTAssertEqual(
            Set(removals.map(\.topic)), [retired, persisted],
            "the persisted list and the broker's retained configs both find stale entities")

        let later = try await Recorder(broker: broker, filters: ["homeassistant/#"])
        let expected = Set(discovery.configs().map(\.topic)).union([otherNode])
        // Wait for the current set; stale configs, were they still retained, would arrive in the same burst.
        var remaining = await waitForTopics(expected, on: later) { $0.retain }
        try await Task.sleep(for: .milliseconds(200))
        remaining = later.messages.filter { $0.retain }
        XCTAssertEqual(Set(remaining.map(\.topic)), expected, "only current configs (and other nodes') remain")

        pump.cancel()
        await later.close()
        await watcher.close()
        await bus.stop()
    }

    func testTurningDiscoveryOffRemovesEverything() {
        let topics = discovery.configs().map(\.topic)
        let removals = HomeAssistantAnnouncer.removals(of: topics)
        XCTAssertEqual(removals.map(\.topic), topics)
        XCTAssertTrue(removals.allSatisfy { $0.payload.isEmpty && $0.retain && $0.qos == 1 })
    }
}
