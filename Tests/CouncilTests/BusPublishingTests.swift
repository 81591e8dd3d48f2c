import Bus
import Council
import Foundation
import Synchronization
import XCTest

/// The MQTT client's publish path against a real mosquitto: publishers on several threads write their own packets,
/// bursts larger than the socket's buffer are finished by the network thread, and every delivery callback runs once.
final class BusPublishingTests: XCTestCase {
    private var broker: TestBroker!

    override func setUp() async throws {
        broker = try TestBroker()
    }

    override func tearDown() async throws {
        broker?.stop()
    }

    private func connectedClient(_ prefix: String) async throws -> MQTTClient {
        let options = BusOptions(
            host: "127.0.0.1", port: broker.port, clientID: Requester.uniqueClientID(prefix: prefix))
        let client = try MQTTClient(options: options, logger: testLogger(prefix))
        try client.start()
        try await client.waitUntilConnected(timeout: .seconds(5))
        return client
    }

    /// 4 threads publish 60 messages of 96 KiB each at once (~23 MB, far more than a loopback socket buffers): every
    /// message arrives intact and in order per publisher, and each delivery callback reports success exactly once.
    func testBurstsFromSeveralThreadsAreDeliveredWholeWithOneCallbackEach() async throws {
        let recorder = try await Recorder(broker: broker, filters: ["burst/#"])
        let publisher = try await connectedClient("burst")
        let threads = 4
        let perThread = 60
        let size = 96 * 1024
        let callbacks = Mutex<[String: [Bool]]>([:])
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for index in 0..<perThread {
                var payload = [UInt8](repeating: UInt8(truncatingIfNeeded: thread * 31 + index), count: size)
                payload[0] = UInt8(thread)
                payload[1] = UInt8(index)
                let key = "\(thread)/\(index)"
                let message = OutboundMessage(topic: "burst/\(thread)", payload: payload, qos: 1)
                do {
                    try publisher.publish(message) { ok in callbacks.withLock { $0[key, default: []].append(ok) } }
                } catch {
                    callbacks.withLock { $0[key, default: []].append(false) }
                }
            }
        }
        let total = threads * perThread
        let received = await recorder.wait(for: total, timeout: .seconds(60))
        XCTAssertEqual(received.count, total)
        for thread in 0..<threads {
            let mine = received.filter { $0.topic == "burst/\(thread)" }
            XCTAssertEqual(mine.map { Int($0.payload[1]) }, Array(0..<perThread), "publisher \(thread) out of order")
            for message in mine {
                let index = Int(message.payload[1])
                let fill = UInt8(truncatingIfNeeded: thread * 31 + index)
                XCTAssertEqual(message.payload.count, size)
                XCTAssertTrue(message.payload.dropFirst(2).allSatisfy { $0 == fill }, "message \(thread)/\(index)")
            }
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while callbacks.withLock({ $0.count }) < total, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let outcomes = callbacks.withLock { $0 }
        XCTAssertEqual(outcomes.count, total)
        XCTAssertTrue(outcomes.values.allSatisfy { $0 == [true] }, "a callback ran twice or reported failure")
        await publisher.stop()
        await recorder.close()
    }

    /// A QoS 0 message is "delivered" when written, which libmosquitto may report before `publish` returns: the
    /// callback still runs, once.
    func testQoSZeroDeliveryCallbacksRunOnce() async throws {
        let recorder = try await Recorder(broker: broker, filters: ["zero/#"])
        let publisher = try await connectedClient("zero")
        let count = Mutex(0)
        for index in 0..<200 {
            try publisher.publish(OutboundMessage(topic: "zero/\(index)", text: "\(index)", qos: 0)) { ok in
                if ok { count.withLock { $0 += 1 } }
            }
        }
        let received = await recorder.wait(for: 200, timeout: .seconds(10))
        XCTAssertEqual(received.count, 200)
        let deadline = ContinuousClock.now + .seconds(10)
        while count.withLock({ $0 }) < 200, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        XCTAssertEqual(count.withLock { $0 }, 200)
        await publisher.stop()
        await recorder.close()
    }
}
