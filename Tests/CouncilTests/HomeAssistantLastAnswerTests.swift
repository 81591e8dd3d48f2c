import Bus
import Council
import JSON
import Synchronization
import XCTest

/// The "last answer" topic: throttled publishing, retained on a real broker.
final class HomeAssistantLastAnswerTests: XCTestCase {
    private func states(_ payloads: [[UInt8]]) throws -> [String] {
        try payloads.map { try XCTUnwrap(try JSONParser.parse($0).objectValue?["state"]?.stringValue) }
    }

    func testFirstAnswerGoesOutAtOnceAndABurstIsFoldedIntoItsLatest() throws {
        let published = Mutex<[[UInt8]]>([])
        let publisher = LastAnswerPublisher(interval: .seconds(3600)) { payload in
            published.withLock { $0.append(payload) }
        }
        publisher.offer(prompt: "1+1", data: ["text": "2"], answeredAtMillis: 0)
        XCTAssertEqual(try states(published.withLock { $0 }), ["2"], "a question after a quiet spell is shown at once")
        for answer in ["3", "4", "5"] {
            publisher.offer(prompt: "q", data: ["text": .string(answer)], answeredAtMillis: 1)
        }
        XCTAssertEqual(published.withLock { $0.count }, 1, "answers within the interval wait")
        publisher.flush()
        XCTAssertEqual(try states(published.withLock { $0 }), ["2", "5"], "only the latest of a burst is published")
        publisher.flush()
        XCTAssertEqual(published.withLock { $0.count }, 2, "nothing new, nothing published")
    }

    func testLatestAnswerIsRetainedOnTheBroker() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let topic = "council/testnode/last_answer"
        let options = BusOptions(host: "127.0.0.1", port: broker.port, clientID: Requester.uniqueClientID())
        let bus = try MQTTClient(options: options, logger: testLogger("node"))
        try bus.start()
        try await bus.waitUntilConnected(timeout: .seconds(5))
        let publisher = LastAnswerPublisher(interval: .milliseconds(50)) { payload in
            try? bus.publish(OutboundMessage(topic: topic, payload: payload, qos: 1, retain: true))
        }
        let loop = Task { await publisher.run() }
        for answer in ["first", "second", "third"] {
            publisher.offer(prompt: "q", data: ["text": .string(answer)], answeredAtMillis: 0)
        }
        let watcher = try await Recorder(broker: broker, filters: [topic])
        let third = await watcher.wait(timeout: .seconds(10)) {
            (try? JSONParser.parse($0.payload).objectValue?["state"]) == "third"
        }
        XCTAssertFalse(third.isEmpty, "the held-back answer is published at the end of the interval")
        let late = try await Recorder(broker: broker, filters: [topic])
        let retained = await late.wait(timeout: .seconds(10)) { $0.retain }
        XCTAssertEqual(try states(retained.map(\.payload)).last, "third", "Home Assistant reads it after a restart")
        loop.cancel()
        await loop.value
        await late.close()
        await watcher.close()
        await bus.stop()
    }
}
