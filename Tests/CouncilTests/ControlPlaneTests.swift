import Bus
import Council
import Foundation
import JSON
import XCTest

/// The `options` op, the retained `state` topic, the control token and persistence across restarts.
final class ControlPlaneTests: XCTestCase {
    private let token = "kitchen-dashboard-7f3a"

    private func startDaemon(broker: TestBroker, state: String) async throws -> RunningDaemon {
        var settings = daemonSettings(broker: broker, stateDirectory: state)
        settings.controlToken = token
        return try await RunningDaemon(settings: settings) { database in
            try Capabilities.standard(
                config: CouncilConfig(), database: database, events: EventPublisher(), logger: testLogger("caps"))
        }
    }

    private func send(_ requester: Requester, _ body: JSONObject, op: String = "options") async throws -> JSONObject {
        try envelope(try await requester.send(op: op, body: body, timeout: .seconds(10)))
    }

    private func retainedState(_ broker: TestBroker) async throws -> JSONObject? {
        let recorder = try await Recorder(broker: broker, filters: ["council/testnode/state"])
        defer { Task { await recorder.close() } }
        guard let message = await recorder.wait().last else { return nil }
        return try envelope(message.payload)
    }

    func testOptionsChangeIsAuthorisedAnnouncedAndSurvivesRestart() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let state = try temporaryFolder("control")
        defer { try? FileManager.default.removeItem(atPath: state) }
        var daemon = try await startDaemon(broker: broker, state: state)
        let requester = try await connectRequester(to: broker)
        defer { Task { await requester.close() } }

        let read = try await send(requester, [:])
        XCTAssertEqual(read["status"], "ok")
        XCTAssertEqual(read["data"]?.objectValue?["options"]?.objectValue?["cloud_escalation"], true)
        let retained1958 = try await retainedState(broker)
        XCTAssertEqual(retained1958?["cloud_escalation"], true)

        let events = try await Recorder(broker: broker, filters: ["council/testnode/event"])
        let changed = try await send(requester, ["options": ["cloud_escalation": false], "token": .string(token)])
        XCTAssertEqual(changed["status"], "ok", "\(changed)")
        XCTAssertEqual(changed["data"]?.objectValue?["options"]?.objectValue?["cloud_escalation"], false)
        let announced = await events.wait { (try? envelope($0.payload))?["type"] == "options_changed" }
        XCTAssertEqual(announced.count, 1)
        await events.close()
        let retained2594 = try await retainedState(broker)
        XCTAssertEqual(retained2594?["cloud_escalation"], false)

        try await daemon.stop()
        daemon = try await startDaemon(broker: broker, state: state)
        let afterRestart = try await send(requester, [:])
        XCTAssertEqual(afterRestart["data"]?.objectValue?["options"]?.objectValue?["cloud_escalation"], false)
        let retained2949 = try await retainedState(broker)
        XCTAssertEqual(retained2949?["cloud_escalation"], false)

        let restored = try await send(requester, ["options": ["cloud_escalation": .null], "token": .string(token)])
        XCTAssertEqual(restored["data"]?.objectValue?["options"]?.objectValue?["cloud_escalation"], true)
        try await daemon.stop()
    }

    func testControlOpsWithoutTheRightTokenAreRefusedAndChangeNothing() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let state = try temporaryFolder("control")
        defer { try? FileManager.default.removeItem(atPath: state) }
        let daemon = try await startDaemon(broker: broker, state: state)
        let requester = try await connectRequester(to: broker)
        defer { Task { await requester.close() } }

        let missing = try await send(requester, ["options": ["cloud_escalation": false]])
        XCTAssertEqual(missing["code"], "unauthorized")
        let wrong = try await send(
            requester, ["options": ["cloud_escalation": false], "token": "kitchen-dashboard-7f3b"])
        XCTAssertEqual(wrong["code"], "unauthorized")
        XCTAssertFalse(wrong["error"]?.stringValue?.contains(token) ?? true)
        let current = try await send(requester, [:])
        XCTAssertEqual(current["data"]?.objectValue?["options"]?.objectValue?["cloud_escalation"], true)
        // Asking questions never needs the token.
        let ask = try await send(requester, ["prompt": "6 * 7"], op: "ask")
        XCTAssertEqual(ask["data"]?.objectValue?["answer"], "42")
        try await daemon.stop()
    }

    func testInvalidOptionsAreRefusedAllOrNothing() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let state = try temporaryFolder("control")
        defer { try? FileManager.default.removeItem(atPath: state) }
        let daemon = try await startDaemon(broker: broker, state: state)
        let requester = try await connectRequester(to: broker)
        defer { Task { await requester.close() } }

        let badValue = try await send(requester, ["options": ["cloud_escalation": "no"], "token": .string(token)])
        XCTAssertEqual(badValue["code"], "bad_request")
        XCTAssertTrue(badValue["error"]?.stringValue?.contains("cloud_escalation") ?? false)
        let unknown = try await send(
            requester, ["options": ["cloud_escalation": false, "turbo": true], "token": .string(token)])
        XCTAssertEqual(unknown["code"], "bad_request")
        XCTAssertTrue(unknown["error"]?.stringValue?.contains("turbo") ?? false, "\(unknown)")
        let notAnObject = try await send(requester, ["options": [1, 2], "token": .string(token)])
        XCTAssertEqual(notAnObject["code"], "bad_request")
        let current = try await send(requester, [:])
        XCTAssertEqual(current["data"]?.objectValue?["options"]?.objectValue?["cloud_escalation"], true)
        try await daemon.stop()
    }
}
