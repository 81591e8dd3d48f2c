import Bus
import Council
import Foundation
import JSON
import Skills
import Synchronization
import XCTest

/// Opens once; everything waiting on it then continues.
private final class AnswerGate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let open = state.withLock { state in
                if !state.open { state.waiters.append(continuation) }
                return state.open
            }
            if open { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// A skill that claims questions starting with "held" and answers once its gate opens, as a slow model would.
private struct HeldSkill: Skill {
    let name = "held"
    let gate: AnswerGate

    func claim(_ question: Question) -> Claim? {
        guard question.prompt.hasPrefix("held") else { return nil }
        let gate = self.gate
        return Claim(confidence: 1) {
            await gate.wait()
            return SkillAnswer(text: "released", answer: "released", skill: "held", confidence: 1)
        }
    }
}

/// Requests are journaled beside their answers rather than before them: what a user relies on still holds.
final class RequestJournalingTests: XCTestCase {
    private var broker: TestBroker!
    private var state: String!

    override func setUp() async throws {
        broker = try TestBroker()
        state = try temporaryFolder("journaling")
    }

    override func tearDown() async throws {
        broker?.stop()
        try? FileManager.default.removeItem(atPath: state)
    }

    private func pendingInJournal(_ requester: Requester) async throws -> Int? {
        let health = try envelope(try await requester.send(op: "health", body: [:], timeout: .seconds(10)))
        return health["data"]?.objectValue?["journal"]?.objectValue?["pending"]?.intValue
    }

    /// A request still being answered is in the journal (a crash now would answer it after the restart), and its entry
    /// is done once the reply is out.
    func testRequestStillBeingAnsweredIsJournaledAndDoneAfterItsReply() async throws {
        let gate = AnswerGate()
        let daemon = try await RunningDaemon(
            settings: daemonSettings(broker: broker, stateDirectory: state),
            skills: [MathSkill(), HeldSkill(gate: gate)])
        let requester = try await connectRequester(to: broker)
        async let held = requester.send(op: "ask", body: ["prompt": "held question"], timeout: .seconds(20))
        var pending: Int?
        for _ in 0..<200 {
            pending = try await pendingInJournal(requester)
            if pending == 1 { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        XCTAssertEqual(pending, 1, "the request being answered must be in the journal")
        gate.open()
        let reply = try envelope(try await held)
        XCTAssertEqual(reply["data"]?.objectValue?["answer"], "released")
        for _ in 0..<200 {
            pending = try await pendingInJournal(requester)
            if pending == 0 { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        XCTAssertEqual(pending, 0, "an answered request must not stay pending")
        await requester.close()
        try await daemon.stop()
    }

    /// An exact answer leaves before its journal commit; the commit still happens, so the same request sent again after
    /// a restart is recognised and not answered twice.
    func testRequestAnsweredAtOnceIsStillDeduplicatedAfterARestart() async throws {
        let settings = daemonSettings(broker: broker, stateDirectory: state)
        let recorder = try await Recorder(broker: broker, filters: ["answers/restart"])
        defer { Task { await recorder.close() } }
        let request = OutboundMessage(
            topic: "council/request/ask", payload: Array(#"{"prompt":"6*7"}"#.utf8), qos: 1,
            responseTopic: "answers/restart", correlationData: Array("retry-1".utf8))

        let first = try await RunningDaemon(settings: settings)
        try await recorder.publish(request)
        let replies = await recorder.wait(for: 1)
        XCTAssertEqual(try envelope(try XCTUnwrap(replies.first).payload)["data"]?.objectValue?["answer"], "42")
        try await first.stop()

        let second = try await RunningDaemon(settings: settings)
        try await recorder.publish(request)
        _ = await recorder.wait(for: 2, timeout: .seconds(1))
        XCTAssertEqual(recorder.messages.count, 1, "a retry of an answered request is dropped")
        try await second.stop()
    }

    /// Many requests at once: each gets exactly one reply, and every journal entry ends done.
    func testConcurrentRequestsGetOneReplyEachAndLeaveNothingPending() async throws {
        let daemon = try await RunningDaemon(settings: daemonSettings(broker: broker, stateDirectory: state))
        let requester = try await connectRequester(to: broker)
        let answers = try await withThrowingTaskGroup(of: (Int, JSONValue?).self) { group in
            for n in 1...60 {
                group.addTask {
                    let reply = try envelope(
                        try await requester.send(op: "ask", body: ["prompt": .string("\(n)*3")], timeout: .seconds(20)))
                    return (n, reply["data"]?.objectValue?["answer"])
                }
            }
            var answers: [Int: JSONValue?] = [:]
            for try await (n, answer) in group { answers[n] = answer }
            return answers
        }
        XCTAssertEqual(answers.count, 60)
        for (n, answer) in answers { XCTAssertEqual(answer, .string(String(n * 3)), "\(n)*3") }
        var pending: Int?
        for _ in 0..<200 {
            pending = try await pendingInJournal(requester)
            if pending == 0 { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        XCTAssertEqual(pending, 0)
        await requester.close()
        try await daemon.stop()
    }
}
