import Bus
import Council
import JSON
import XCTest

/// The request path end to end: a real mosquitto, a daemon in this process, a requester over MQTT.
final class RequestPathTests: XCTestCase {
    var broker: TestBroker!
    var daemon: RunningDaemon!
    var requester: Requester!
    var stateDirectory: String!

    override func setUp() async throws {
        broker = try TestBroker()
        stateDirectory = try temporaryFolder("state")
        daemon = try await RunningDaemon(settings: daemonSettings(broker: broker, stateDirectory: stateDirectory))
        requester = try await connectRequester(to: broker)
    }

    override func tearDown() async throws {
        await requester?.close()
        try await daemon?.stop()
        broker?.stop()
        try? FileManager.default.removeItem(atPath: stateDirectory)
    }

    private func ask(_ body: JSONObject, op: String = "ask") async throws -> JSONObject {
        try envelope(try await requester.send(op: op, body: body, timeout: .seconds(10)))
    }

    func testMathQuestionGetsExactAnswerWithFullEnvelope() async throws {
        let reply = try await ask(["prompt": "What is 25% of 80% of 160?", "transaction": "t-42"])
        XCTAssertEqual(reply["status"], "ok")
        XCTAssertEqual(reply["transaction"], "t-42")
        let data = try XCTUnwrap(reply["data"]?.objectValue)
        XCTAssertEqual(data["answer"], "32")
        XCTAssertEqual(data["skill"], "math")
        XCTAssertEqual(data["confidence"]?.doubleValue, 1.0)
        XCTAssertEqual(data["escalated"], false)
        XCTAssertEqual(data["model"], .null)
        XCTAssertEqual(data["cost_usd"]?.doubleValue, 0)
        XCTAssertEqual(data["tokens_in"]?.intValue, 0)
        XCTAssertEqual(data["route"], ["math"])
        XCTAssertNotNil(data["duration_ms"]?.doubleValue)
        let text = try XCTUnwrap(data["text"]?.stringValue)
        XCTAssertTrue(text.contains("32"), text)
    }

    func testTransactionOfAnyJSONTypeIsEchoed() async throws {
        let reply = try await ask(["prompt": "2+2", "transaction": 17])
        XCTAssertEqual(reply["transaction"], 17)
        XCTAssertEqual(reply["data"]?.objectValue?["answer"], "4")
    }

    func testRequestsForThisNodeOnlyAreServed() async throws {
        let direct = try await connectRequester(to: broker, node: "testnode")
        defer { Task { await direct.close() } }
        let reply = try envelope(
            try await direct.send(op: "ask", body: ["prompt": "12 times 13"], timeout: .seconds(10)))
        XCTAssertEqual(reply["data"]?.objectValue?["answer"], "156")
    }

    func testMQTT311RequesterGetsReplyOnReplyTo() async throws {
        let legacy = try await connectRequester(to: broker, protocolVersion: .v311)
        defer { Task { await legacy.close() } }
        let reply = try envelope(
            try await legacy.send(
                op: "ask", body: ["prompt": "1/3 + 1/6", "transaction": "legacy-1"], timeout: .seconds(10)))
        XCTAssertEqual(reply["transaction"], "legacy-1")
        XCTAssertEqual(reply["data"]?.objectValue?["answer"], "1/2")
    }

    func testWithoutResponseTopicTheReplyGoesToTheDefaultTopic() async throws {
        let recorder = try await Recorder(broker: broker, filters: ["council/testnode/response/#"])
        defer { Task { await recorder.close() } }
        try await recorder.publish(
            OutboundMessage(topic: "council/request/ask", text: #"{"prompt":"2^10","transaction":"d"}"#))
        let replies = await recorder.wait { $0.topic == "council/testnode/response/ask" }
        XCTAssertEqual(replies.count, 1)
        let reply = try envelope(try XCTUnwrap(replies.first).payload)
        XCTAssertEqual(reply["data"]?.objectValue?["answer"], "1024")
    }

    func testBadInputGetsErrorCodesAndTheDaemonKeepsServing() async throws {
        let cases: [(op: String, payload: String, code: String)] = [
            ("ask", "this is not json", "bad_request"),
            ("ask", "[1,2,3]", "bad_request"),
            ("ask", "{}", "bad_request"),
            ("ask", #"{"prompt": 42}"#, "bad_request"),
            ("ask", #"{"prompt": "   "}"#, "bad_request"),
            ("ask", #"{"prompt": "2+2", "session": 5}"#, "bad_request"),
            ("ask", #"{"prompt": "2+2", "reply_to": "a/+/b"}"#, "bad_request"),
            ("ask", #"{"prompt": "2+2", "deadline": "tomorrow"}"#, "bad_request"),
            ("ask", #"{"prompt": "2+2", "deadline": 1000000000}"#, "expired"),
            ("ask", #"{"prompt": "2+2", "deadline": "2001-09-09T01:46:40Z"}"#, "expired"),
            ("launch/rockets", #"{"prompt": "2+2"}"#, "unknown_op"),
            ("ask", #"{"prompt": ""# + String(repeating: "9", count: 5000) + #""}"#, "too_large"),
        ]
        for testCase in cases {
            let reply = try envelope(
                try await requester.sendRaw(
                    op: testCase.op, payload: Array(testCase.payload.utf8), timeout: .seconds(10)))
            XCTAssertEqual(reply["status"], "error", testCase.payload)
            XCTAssertEqual(reply["code"]?.stringValue, testCase.code, testCase.payload)
            XCTAssertFalse(reply["error"]?.stringValue?.isEmpty ?? true, "a human message for \(testCase.payload)")
        }
        let reply = try await ask(["prompt": "What is 15% of 240?"])
        XCTAssertEqual(reply["data"]?.objectValue?["answer"], "36")
    }

    func testQuestionNoSkillCanAnswerSaysHowToConfigureABackend() async throws {
        let reply = try await ask(["prompt": "What is the capital of France?"])
        XCTAssertEqual(reply["status"], "error")
        XCTAssertEqual(reply["code"], "no_backend")
        XCTAssertTrue(reply["error"]?.stringValue?.contains("[[models]]") ?? false)
    }

    func testInfoAndHealthOps() async throws {
        let info = try await ask([:], op: "info")
        XCTAssertEqual(info["data"]?.objectValue?["node"], "testnode")
        XCTAssertEqual(info["data"]?.objectValue?["ops"], ["ask", "health", "info", "metrics", "options"])
        let health = try await ask([:], op: "health")
        let data = try XCTUnwrap(health["data"]?.objectValue)
        XCTAssertEqual(data["status"], "ok")
        XCTAssertEqual(data["mqtt"]?.objectValue?["connected"], true)
        // Requests are journaled beside their answers, so this one and the info request before it may not be
        // committed yet, or the info request's entry may still be on its way to `done`.
        let pending = try XCTUnwrap(data["journal"]?.objectValue?["pending"]?.intValue)
        XCTAssertTrue((0...2).contains(pending), "pending = \(pending)")
    }

    func testStatusIsOnlineWhileServingAndOfflineAfterStop() async throws {
        let recorder = try await Recorder(
            broker: broker, filters: ["council/testnode/status", "council/testnode/info"])
        defer { Task { await recorder.close() } }
        let online = await recorder.wait { $0.topic == "council/testnode/status" }
        XCTAssertEqual(online.last.map { String(decoding: $0.payload, as: UTF8.self) }, #"{"state":"online"}"#)
        XCTAssertEqual(online.last?.retain, true)
        let info = await recorder.wait { $0.topic == "council/testnode/info" }
        XCTAssertEqual(try envelope(try XCTUnwrap(info.first).payload)["version"]?.stringValue, CouncilVersion.current)
        try await daemon.stop()
        daemon = nil
        let statuses = await recorder.wait(for: 2) { $0.topic == "council/testnode/status" }
        XCTAssertEqual(statuses.last.map { String(decoding: $0.payload, as: UTF8.self) }, #"{"state":"offline"}"#)
    }

    func testRedeliveredRequestIsAnsweredOnce() async throws {
        let recorder = try await Recorder(broker: broker, filters: ["answers/dup"])
        defer { Task { await recorder.close() } }
        let request = OutboundMessage(
            topic: "council/request/ask", payload: Array(#"{"prompt":"7*6"}"#.utf8), qos: 1,
            responseTopic: "answers/dup", correlationData: [1, 2, 3])
        try await recorder.publish(request)
        try await recorder.publish(request)
        _ = await recorder.wait(for: 2, timeout: .seconds(2))
        XCTAssertEqual(recorder.messages.count, 1)
        XCTAssertEqual(recorder.messages.first?.correlationData, [1, 2, 3])
        // A third copy in a later batch, after the first answer's journal entry is done, is dropped too.
        try await recorder.publish(request)
        _ = await recorder.wait(for: 2, timeout: .seconds(1))
        XCTAssertEqual(recorder.messages.count, 1)
    }

    func testRepliesSentBeforeTheJournalCommitStillMarkTheirEntriesDone() async throws {
        for question in ["1+1", "2+2", "3+3", "what is 10% of 50"] {
            let reply = try await ask(["prompt": .string(question)])
            XCTAssertEqual(reply["status"], "ok")
        }
        var pending: Int?
        for _ in 0..<100 {
            let health = try await ask([:], op: "health")
            pending = health["data"]?.objectValue?["journal"]?.objectValue?["pending"]?.intValue
            if pending == 0 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        XCTAssertEqual(pending, 0, "answered requests must not stay pending in the journal")
    }
}
