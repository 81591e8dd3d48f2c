import Bus
import Council
import Foundation
import JSON
import Store
import XCTest

/// Requests survive the daemon being down, stopped or killed: they are answered after it returns, exactly once.
final class DurabilityTests: XCTestCase {
    func testRequestPublishedWhileDaemonIsDownIsAnsweredWhenItReturns() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let state = try temporaryFolder("down")
        let settings = daemonSettings(broker: broker, stateDirectory: state)
        let first = try await RunningDaemon(settings: settings)
        let recorder = try await Recorder(broker: broker, filters: ["answers/#", "council/testnode/status"])
        defer { Task { await recorder.close() } }
        _ = await recorder.wait { String(decoding: $0.payload, as: UTF8.self).contains("online") }
        try await first.stop()

        try await recorder.publish(
            OutboundMessage(
                topic: "council/request/ask", payload: Array(#"{"prompt":"30!","transaction":"while-down"}"#.utf8),
                qos: 1, responseTopic: "answers/down"))
        let second = try await RunningDaemon(settings: settings)
        let replies = await recorder.wait(timeout: .seconds(10)) { $0.topic == "answers/down" }
        try await second.stop()
        XCTAssertEqual(replies.count, 1)
        let reply = try envelope(try XCTUnwrap(replies.first).payload)
        XCTAssertEqual(reply["transaction"], "while-down")
        XCTAssertEqual(reply["data"]?.objectValue?["answer"], "265252859812191058636308480000000")
    }

    func testJournaledButUnansweredRequestIsAnsweredAfterStart() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let state = try temporaryFolder("replay")
        let settings = daemonSettings(broker: broker, stateDirectory: state)
        // What a crashed run leaves behind: a journaled request with no reply.
        let database = try StoreSchema.open(path: settings.databasePath)
        let journal = try Journal(database: database)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let pending = JournalEntry(
            id: 0, op: "ask", topic: "council/request/ask",
            payload: Array(#"{"prompt":"2^64","transaction":"r"}"#.utf8),
            replyTopic: "answers/replay", correlationData: [9, 9], receivedAtMillis: now, expiresAtMillis: nil)
        let stale = JournalEntry(
            id: 0, op: "ask", topic: "council/request/ask", payload: Array(#"{"prompt":"1+1"}"#.utf8),
            replyTopic: "answers/replay", correlationData: nil, receivedAtMillis: now - 10_000,
            expiresAtMillis: now - 5_000)
        _ = try journal.admit(pending, transaction: "r", nowMillis: now)
        _ = try journal.admit(stale, transaction: nil, nowMillis: now - 10_000)
        database.close()

        let recorder = try await Recorder(broker: broker, filters: ["answers/#"])
        defer { Task { await recorder.close() } }
        let daemon = try await RunningDaemon(settings: settings)
        _ = await recorder.wait(for: 2, timeout: .seconds(3))
        try await daemon.stop()
        XCTAssertEqual(recorder.messages.count, 1, "the expired entry is not answered")
        XCTAssertEqual(recorder.messages.first?.correlationData, [9, 9])
        let reply = try envelope(try XCTUnwrap(recorder.messages.first).payload)
        XCTAssertEqual(reply["data"]?.objectValue?["answer"], "18446744073709551616")
    }

    /// The issue's crash test: SIGKILL the real `council serve` process after it journaled a request but before it
    /// replied; the restarted daemon answers it, and only once.
    func testSIGKILLBetweenJournalAndReplyIsAnsweredOnceAfterRestart() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let state = try temporaryFolder("sigkill")
        let configFile = state + "/council.toml"
        try "[node]\nname = \"killnode\"\n".write(toFile: configFile, atomically: true, encoding: .utf8)
        let recorder = try await Recorder(broker: broker, filters: ["answers/#", "council/killnode/status"])
        defer { Task { await recorder.close() } }

        let slow = try startServe(config: configFile, broker: broker, state: state, delayMillis: 30_000)
        _ = await recorder.wait { String(decoding: $0.payload, as: UTF8.self).contains("online") }
        try await recorder.publish(
            OutboundMessage(
                topic: "council/killnode/request/ask", payload: Array(#"{"prompt":"What is 15% of 240?"}"#.utf8),
                qos: 1, responseTopic: "answers/kill", correlationData: Array("kill-1".utf8)))
        try await waitUntilJournaled(databasePath: state + "/council.db", count: 1)
        kill(slow.processIdentifier, SIGKILL)
        waitForExit(slow)
        XCTAssertTrue(recorder.messages.filter { $0.topic == "answers/kill" }.isEmpty, "no reply before the kill")
        // The broker publishes the will once it notices the dead connection (at once here: the socket closed).
        let will = await recorder.wait(timeout: .seconds(10)) {
            $0.topic == "council/killnode/status" && String(decoding: $0.payload, as: UTF8.self).contains("offline")
        }
        XCTAssertFalse(will.isEmpty, "the last will marks the killed node offline")

        let restarted = try startServe(config: configFile, broker: broker, state: state, delayMillis: 0)
        defer {
            kill(restarted.processIdentifier, SIGTERM)
            waitForExit(restarted)
        }
        _ = await recorder.wait(timeout: .seconds(10)) { $0.topic == "answers/kill" }
        try await Task.sleep(for: .milliseconds(1500))
        let replies = recorder.messages.filter { $0.topic == "answers/kill" }
        XCTAssertEqual(replies.count, 1)
        XCTAssertEqual(replies.first?.correlationData, Array("kill-1".utf8))
        XCTAssertEqual(try envelope(try XCTUnwrap(replies.first).payload)["data"]?.objectValue?["answer"], "36")
    }

    private func startServe(config: String, broker: TestBroker, state: String, delayMillis: Int) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: councilExecutablePath())
        process.arguments = ["serve", "--config", config, "--broker", broker.url, "--state-dir", state]
        var environment = ProcessInfo.processInfo.environment
        environment["COUNCIL_TEST_DELAY_BEFORE_ANSWER_MS"] = String(delayMillis)
        process.environment = environment
        try process.run()
        return process
    }

    private func waitUntilJournaled(databasePath: String, count: Int) async throws {
        for _ in 0..<200 {
            if let database = try? Database(path: databasePath), let journal = try? Journal(database: database),
                let pending = try? journal.pendingCount()
            {
                database.close()
                if pending >= count { return }
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        XCTFail("the request was never journaled")
    }
}

/// The `council` executable built next to the test bundle.
func councilExecutablePath() -> String {
    let bundle =
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    return URL(fileURLWithPath: bundle).deletingLastPathComponent().appendingPathComponent("council").path
}
