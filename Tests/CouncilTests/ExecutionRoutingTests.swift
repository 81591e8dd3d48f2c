import Council
import Foundation
import JSON
import Router
import Sandbox
import Skills
import Store
import Synchronization
import XCTest

/// Execution routing through the real interface: `ask` over a real mosquitto, code in the question, the planner
/// with its history in the daemon's SQLite file, real python3 in the real sandbox.
final class ExecutionRoutingTests: XCTestCase {
    func testCodeIsRefusedRoutedAndPredictedFromItsHistory() async throws {
        let broker = try TestBroker()
        let state = try temporaryFolder("routing")
        let sandbox = try Sandbox(configuration: SandboxConfiguration(enabled: true, maxConcurrent: 2))
        let kept = Mutex<ExecutionHistory?>(nil)
        let daemon = try await RunningDaemon(settings: daemonSettings(broker: broker, stateDirectory: state)) {
            database in
            // Until the lead lists the history's migration in StoreSchema, the test applies it itself.
            if !StoreSchema.migrations.contains(ExecutionHistory.migration) {
                try Migrator(StoreSchema.migrations + [ExecutionHistory.migration]).migrate(database)
            }
            let history = try ExecutionHistory(database: database)
            kept.withLock { $0 = history }
            let planner = ExecutionPlanner(sandbox: sandbox, history: history)
            return Capabilities(skills: [MathSkill(), CodeSkill(sandbox: sandbox, planner: planner)])
        }
        let requester = try await connectRequester(to: broker)
        func ask(_ code: String) async throws -> JSONObject {
            try envelope(
                try await requester.send(
                    op: "ask", body: ["prompt": .string("Run this:\n```python\n\(code)\n```")], timeout: .seconds(60)))
        }
        let history = try XCTUnwrap(kept.withLock { $0 })

        // (a) A program that opens a socket is refused before it runs, saying what and why.
        let socket = try await ask(
            "import socket\nprint('started')\nconn = socket.create_connection(('example.com', 80))\nprint(conn)")
        XCTAssertEqual(socket["status"], "error", "\(socket)")
        XCTAssertEqual(socket["code"], "bad_request")
        let refusal = try XCTUnwrap(socket["error"]?.stringValue)
        XCTAssertTrue(refusal.contains("network"), refusal)
        XCTAssertTrue(refusal.contains("line 3: socket.create_connection"), refusal)
        XCTAssertNil(socket["data"]?.objectValue?["stdout"], "nothing ran")
        XCTAssertEqual(try history.count(), 0, "a refused program leaves no run behind")

        // The same words inside a string are only text: that program runs.
        let text = try await ask("print('import socket; socket.create_connection')")
        XCTAssertEqual(text["data"]?.objectValue?["answer"], "import socket; socket.create_connection", "\(text)")
        XCTAssertEqual(text["data"]?.objectValue?["execution"]?.objectValue?["profile"], "light")

        // (b) 400 MB does not fit light's 256 MiB: it runs under heavy, and works.
        let big = try await ask("data = bytearray(400 * 1024 * 1024)\nprint(len(data))")
        XCTAssertEqual(big["status"], "ok", "\(big)")
        let bigData = try XCTUnwrap(big["data"]?.objectValue)
        XCTAssertEqual(bigData["answer"], "419430400")
        XCTAssertEqual(bigData["exit_code"], 0)
        let bigExecution = try XCTUnwrap(bigData["execution"]?.objectValue)
        XCTAssertEqual(bigExecution["profile"], "heavy")
        let bigReasons = bigExecution["reasons"]?.arrayValue?.compactMap(\.stringValue) ?? []
        XCTAssertTrue(bigReasons.contains { $0.contains("more than light's 256 MiB") }, "\(bigReasons)")

        // (c) A loop whose bound the source hides: the first prediction is a guess, later ones come from the runs.
        let hidden = """
            n = int("5" + "000000")
            total = 0
            for i in range(n):
                total += i % 7
            print(total)
            """
        var predictions: [Double] = []
        var actuals: [Double] = []
        for run in 0..<4 {
            let reply = try await ask(hidden)
            XCTAssertEqual(reply["status"], "ok", "\(reply)")
            let data = try XCTUnwrap(reply["data"]?.objectValue)
            XCTAssertEqual(data["answer"], "14999995")
            let execution = try XCTUnwrap(data["execution"]?.objectValue)
            XCTAssertEqual(execution["history"]?.objectValue?["runs"], JSONValue(run), "\(execution)")
            let predicted = try XCTUnwrap(execution["predicted_ms"]?.doubleValue)
            let actual = try XCTUnwrap(execution["actual_ms"]?.doubleValue)
            if run > 0 {
                // The prediction is the median of the earlier runs' times.
                XCTAssertGreaterThanOrEqual(predicted + 1, actuals.min()!, "\(execution)")
                XCTAssertLessThanOrEqual(predicted - 1, actuals.max()!, "\(execution)")
            }
            predictions.append(predicted)
            actuals.append(actual)
        }
        XCTAssertGreaterThan(actuals[0] / predictions[0], 5, "the first guess was far off: \(predictions) \(actuals)")
        let ratio = actuals[3] / predictions[3]
        XCTAssertTrue(ratio > 1.0 / 3 && ratio < 3, "the last prediction is close: \(predictions) \(actuals)")
        XCTAssertEqual(try history.count(), 6, "every run that ran is recorded")

        await requester.close()
        try await daemon.stop()
        broker.stop()
        try? FileManager.default.removeItem(atPath: state)
    }
}
