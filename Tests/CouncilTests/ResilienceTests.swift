import Bus
import Council
import Foundation
import JSON
import Skills
import XCTest

/// A skill that claims questions starting with "slow" and takes its time answering, as an LLM would.
private struct SlowSkill: Skill {
    let name = "slow"
    let delay: Duration

    func claim(_ question: Question) -> Claim? {
        guard question.prompt.hasPrefix("slow") else { return nil }
        let delay = self.delay
        return Claim(confidence: 1) {
            try await Task.sleep(for: delay)
            return SkillAnswer(text: "done slowly", answer: "slow", skill: "slow", confidence: 1)
        }
    }
}

/// The daemon keeps serving through slow answers, timeouts and a broker restart.
final class ResilienceTests: XCTestCase {
    func testSlowAnswerTimesOutWithoutBlockingOtherRequests() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let state = try temporaryFolder("timeout")
        var settings = daemonSettings(broker: broker, stateDirectory: state)
        settings.requestTimeoutMillis = 500
        let daemon = try await RunningDaemon(settings: settings, skills: [MathSkill(), SlowSkill(delay: .seconds(30))])
        let requester = try await connectRequester(to: broker)

        async let slow = requester.send(op: "ask", body: ["prompt": "slow question"], timeout: .seconds(10))
        let started = ContinuousClock.now
        let fast = try envelope(try await requester.send(op: "ask", body: ["prompt": "9*9"], timeout: .seconds(10)))
        XCTAssertEqual(fast["data"]?.objectValue?["answer"], "81")
        XCTAssertLessThan(ContinuousClock.now - started, .milliseconds(400), "a slow request must not hold up others")

        let timedOut = try envelope(try await slow)
        XCTAssertEqual(timedOut["status"], "error")
        XCTAssertEqual(timedOut["code"], "timeout")

        let deadline = Date().addingTimeInterval(0.3).timeIntervalSince1970
        let expired = try envelope(
            try await requester.send(
                op: "ask", body: ["prompt": "slow again", "deadline": JSONValue(deadline)], timeout: .seconds(10)))
        XCTAssertEqual(expired["code"], "timeout", "the deadline caps the wait")
        await requester.close()
        try await daemon.stop()
    }

    func testDaemonReconnectsAndResubscribesAfterTheBrokerRestarts() async throws {
        let broker = try TestBroker()
        let port = broker.port
        let state = try temporaryFolder("restart")
        let daemon = try await RunningDaemon(settings: daemonSettings(broker: broker, stateDirectory: state))
        let before = try await connectRequester(to: broker)
        let first = try envelope(try await before.send(op: "ask", body: ["prompt": "2+2"], timeout: .seconds(10)))
        XCTAssertEqual(first["data"]?.objectValue?["answer"], "4")
        await before.close()

        broker.stop()  // forgets every session: the daemon must subscribe again on its own
        try await Task.sleep(for: .milliseconds(300))
        let restarted = try TestBroker(port: port)
        defer { restarted.stop() }
        let after = try await connectRequester(to: restarted)
        var answer: JSONValue?
        for _ in 0..<20 where answer == nil {
            // The daemon may still be backing off; a request sent before it resubscribed is never delivered.
            if let reply = try? await after.send(op: "ask", body: ["prompt": "3+3"], timeout: .milliseconds(500)) {
                answer = try envelope(reply)["data"]?.objectValue?["answer"]
            }
        }
        XCTAssertEqual(answer, "6")
        await after.close()
        try await daemon.stop()
    }
}
