import Bus
import Council
import Foundation
import JSON
import Skills
import XCTest

/// The snapshot on `<base>/<node>/metrics` over a real mosquitto, and the `metrics` op.
final class MetricsPublishingTests: XCTestCase {
    var broker: TestBroker!
    let topic = "council/testnode/metrics"

    override func setUp() async throws {
        broker = try TestBroker()
    }

    override func tearDown() async throws {
        broker?.stop()
    }

    private func connectedClient() async throws -> MQTTClient {
        let options = BusOptions(
            host: "127.0.0.1", port: broker.port, clientID: Requester.uniqueClientID(prefix: "metrics"))
        let bus = try MQTTClient(options: options, logger: testLogger("metrics"))
        try bus.start()
        try await bus.waitUntilConnected(timeout: .seconds(5))
        return bus
    }

    private func object(_ message: InboundMessage) throws -> JSONObject {
        try XCTUnwrap(try JSONParser.parse(message.payload).objectValue)
    }

    func testSnapshotIsPublishedRetainedAtStartAndOnDemand() async throws {
        let bus = try await connectedClient()
        let registry = MetricsRegistry(ops: ["ask", "metrics"], skills: ["math"])
        let publisher = MetricsPublisher(
            registry: registry, interval: .seconds(3600),
            publish: MetricsPublisher.retained(on: bus, topic: topic))
        let recorder = try await Recorder(broker: broker, filters: [topic])
        let loop = Task { await publisher.run() }

        let first = await recorder.wait(timeout: .seconds(10))
        XCTAssertEqual(first.count, 1, "one snapshot when the publisher starts")
        XCTAssertEqual(try object(try XCTUnwrap(first.first))["requests_total"], 0)

        registry.recordRequest(op: "ask")
        registry.recordAnswer(skill: "math", model: nil, latencyMillis: 0.02)
        publisher.publishNow()
        let both = await recorder.wait(for: 2, timeout: .seconds(10))
        XCTAssertEqual(both.count, 2, "an on-demand snapshot follows at once")
        let latest = try object(try XCTUnwrap(both.last))
        XCTAssertEqual(latest["requests_total_ask"], 1)
        XCTAssertEqual(latest["answers_total_math"], 1)

        // A dashboard that subscribes later gets the latest snapshot from the broker, flagged retained.
        let late = try await Recorder(broker: broker, filters: [topic])
        let retained = await late.wait(timeout: .seconds(10)) { $0.retain }
        XCTAssertFalse(retained.isEmpty, "the snapshot is retained")
        XCTAssertEqual(try object(try XCTUnwrap(retained.last))["requests_total_ask"], 1)

        loop.cancel()
        await loop.value
        await late.close()
        await recorder.close()
        await bus.stop()
    }

    func testSnapshotIsRepublishedEveryInterval() async throws {
        let bus = try await connectedClient()
        let registry = MetricsRegistry(ops: ["ask"])
        let publisher = MetricsPublisher(
            registry: registry, interval: .milliseconds(100),
            publish: MetricsPublisher.retained(on: bus, topic: topic))
        let recorder = try await Recorder(broker: broker, filters: [topic])
        let loop = Task { await publisher.run() }
        let published = await recorder.wait(for: 4, timeout: .seconds(15))
        XCTAssertGreaterThanOrEqual(published.count, 4)
        let uptimes = try published.map { try XCTUnwrap(try object($0)["uptime_seconds"]?.doubleValue) }
        XCTAssertEqual(uptimes, uptimes.sorted(), "each snapshot is newer than the last")
        loop.cancel()
        await loop.value
        await recorder.close()
        await bus.stop()
    }

    func testDaemonCountsRequestsAndTheMetricsOpRefreshesTheRetainedCopy() async throws {
        let state = try temporaryFolder("metrics-op")
        defer { try? FileManager.default.removeItem(atPath: state) }
        var settings = daemonSettings(broker: broker, stateDirectory: state)
        settings.metrics.intervalSeconds = 3600
        let daemon = try await RunningDaemon(settings: settings)
        let recorder = try await Recorder(broker: broker, filters: [topic])
        let first = await recorder.wait(timeout: .seconds(10))
        XCTAssertFalse(first.isEmpty, "a snapshot is published (retained) when the daemon starts")
        let requester = try await connectRequester(to: broker)

        _ = try await requester.send(op: "launch", body: [:], timeout: .seconds(10))
        let math = try envelope(try await requester.send(op: "ask", body: ["prompt": "6*7"], timeout: .seconds(10)))
        XCTAssertEqual(math["status"], "ok")
        let reply = try envelope(try await requester.send(op: "metrics", body: [:], timeout: .seconds(10)))
        XCTAssertEqual(reply["status"], "ok")
        let data = try XCTUnwrap(reply["data"]?.objectValue)
        XCTAssertEqual(data["requests_total_metrics"], 1)
        XCTAssertEqual(data["requests_total_ask"], 1)
        XCTAssertEqual(data["requests_total_other"], 1, "an op not served counts as other")
        XCTAssertEqual(data["errors_total_unknown_op"], 1)
        XCTAssertEqual(data["answers_total_math"], 1)
        XCTAssertNotNil(data["answer_duration_seconds_math_p99"])
        let refreshed = await recorder.wait(timeout: .seconds(10)) { message in
            (try? self.object(message))?["errors_total_unknown_op"] == 1
        }
        XCTAssertFalse(refreshed.isEmpty, "the op published a fresh snapshot")

        await requester.close()
        await recorder.close()
        try await daemon.stop()
    }
}
