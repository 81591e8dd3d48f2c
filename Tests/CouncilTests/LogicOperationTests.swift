import Bus
import Council
import Foundation
import JSON
import Prolog
import Skills
import Store
import XCTest

/// The `logic/*` ops and the logic skill over real MQTT, with programs persisted in the daemon's SQLite file.
final class LogicOperationTests: XCTestCase {
    var broker: TestBroker!
    var daemon: RunningDaemon!
    var requester: Requester!
    var stateDirectory: String!

    override func setUp() async throws {
        broker = try TestBroker()
        stateDirectory = try temporaryFolder("logic")
        try await startDaemon()
        requester = try await connectRequester(to: broker)
    }

    override func tearDown() async throws {
        await requester?.close()
        try await daemon?.stop()
        broker?.stop()
        try? FileManager.default.removeItem(atPath: stateDirectory)
    }

    /// A daemon whose queries stop after half a second, so that a runaway query ends quickly.
    private func startDaemon() async throws {
        var settings = daemonSettings(broker: broker, stateDirectory: stateDirectory)
        settings.maxPayloadBytes = 65_536
        daemon = try await RunningDaemon(settings: settings) { database in
            let library = try LogicLibrary(
                storage: StoredLogicPrograms(programs: LogicPrograms(database: database)),
                limits: PrologLimits(timeout: .milliseconds(500)))
            return Capabilities(
                skills: [LogicSkill(library: library), MathSkill()], operations: LogicOperations.all(library: library))
        }
    }

    private func send(_ op: String, _ body: JSONObject) async throws -> JSONObject {
        try envelope(try await requester.send(op: op, body: body, timeout: .seconds(20)))
    }

    private func data(_ reply: JSONObject, file: StaticString = #filePath, line: UInt = #line) throws -> JSONObject {
        XCTAssertEqual(reply["status"], "ok", "\(reply)", file: file, line: line)
        return try XCTUnwrap(reply["data"]?.objectValue, file: file, line: line)
    }

    private let family = """
        parent(tom, bob). parent(tom, liz). parent(bob, ann). parent(bob, pat).
        grandparent(X, Z) :- parent(X, Y), parent(Y, Z).
        """

    func testConsultQueryListForget() async throws {
        let consulted = try data(try await send("logic/consult", ["name": "family", "program": .string(family)]))
        XCTAssertEqual(consulted["name"], "family")
        XCTAssertEqual(consulted["clauses"]?.intValue, 5)
        _ = try data(try await send("logic/consult", ["name": "extra", "program": "likes(ann, \"tea\")."]))

        let query = try data(try await send("logic/query", ["goal": "grandparent(tom, X)"]))
        XCTAssertEqual(query["solutions"], [["X": "ann"], ["X": "pat"]])
        XCTAssertEqual(query["more"], false)
        let limited = try data(try await send("logic/query", ["goal": "parent(P, C)", "max_solutions": 2]))
        XCTAssertEqual(limited["solutions"]?.arrayValue?.count, 2)
        XCTAssertEqual(limited["more"], true)
        let restricted = try data(try await send("logic/query", ["goal": "likes(ann, D)", "name": "extra"]))
        XCTAssertEqual(restricted["solutions"], [["D": "\"tea\""]])
        let isolated = try await send("logic/query", ["goal": "grandparent(tom, X)", "name": "extra"])
        XCTAssertEqual(isolated["code"], "bad_request", "\(isolated)")
        let printed = try data(try await send("logic/query", ["goal": "format(\"~w-~a~n\", [f(X), b]), X = 1"]))
        let output = try XCTUnwrap(printed["output"]?.stringValue)
        XCTAssertTrue(output.hasPrefix("f(_") && output.hasSuffix(")-b\n"), output)

        let listed = try data(try await send("logic/list", [:]))
        let programs = try XCTUnwrap(listed["programs"]?.arrayValue)
        XCTAssertEqual(programs.compactMap { $0.objectValue?["name"]?.stringValue }, ["extra", "family"])
        XCTAssertEqual(programs.last?.objectValue?["clauses"]?.intValue, 5)
        XCTAssertNotNil(programs.last?.objectValue?["updated_at"]?.stringValue)

        let asked = try data(try await send("ask", ["prompt": "?- grandparent(tom, X)."]))
        XCTAssertEqual(asked["skill"], "logic")
        XCTAssertEqual(asked["answer"], "ann, pat")

        let forgotten = try data(try await send("logic/forget", ["name": "family"]))
        XCTAssertEqual(forgotten["forgotten"], ["family"])
        let gone = try data(try await send("logic/query", ["goal": "catch(grandparent(tom, X), error(E, _), true)"]))
        let solution = try XCTUnwrap(gone["solutions"]?.arrayValue?.first?.objectValue)
        XCTAssertEqual(solution["E"], "existence_error(procedure,grandparent/2)")
        let all = try data(try await send("logic/forget", [:]))
        XCTAssertEqual(all["forgotten"], ["extra"])
        let empty = try data(try await send("logic/list", [:]))
        XCTAssertEqual(empty["programs"], [])
    }

    func testProgramsSurviveARestart() async throws {
        _ = try data(try await send("logic/consult", ["name": "family", "program": .string(family)]))
        await requester.close()
        try await daemon.stop()
        daemon = nil
        try await startDaemon()
        requester = try await connectRequester(to: broker)
        let query = try data(try await send("logic/query", ["goal": "grandparent(G, ann)"]))
        XCTAssertEqual(query["solutions"], [["G": "tom"]])
        let listed = try data(try await send("logic/list", [:]))
        XCTAssertEqual(listed["programs"]?.arrayValue?.count, 1)
    }

    func testRunawayQueryTimesOutWhileTheDaemonKeepsAnswering() async throws {
        _ = try data(try await send("logic/consult", ["name": "loops", "program": "loop :- loop.\n"]))
        let client = try XCTUnwrap(requester)
        let runaway = Task {
            try envelope(try await client.send(op: "logic/query", body: ["goal": "loop"], timeout: .seconds(20)))
        }
        // While the runaway query runs, other requests are answered.
        let math = try data(try await send("ask", ["prompt": "What is 6 times 7?"]))
        XCTAssertEqual(math["answer"], "42")
        let other = try data(try await send("logic/query", ["goal": "X is 2 ** 10"]))
        XCTAssertEqual(other["solutions"], [["X": "1024"]])
        let reply = try await runaway.value
        XCTAssertEqual(reply["status"], "error")
        XCTAssertEqual(reply["code"], "timeout", "\(reply)")
        XCTAssertTrue(reply["error"]?.stringValue?.contains("time limit") ?? false, "\(reply)")
    }

    func testBadRequestsNameTheProblem() async throws {
        let syntax = try await send("logic/consult", ["name": "broken", "program": "ok.\nbad(:- .\n"])
        XCTAssertEqual(syntax["code"], "bad_request")
        XCTAssertEqual(syntax["data"]?.objectValue?["line"]?.intValue, 2)
        XCTAssertNotNil(syntax["data"]?.objectValue?["column"]?.intValue)
        XCTAssertTrue(syntax["error"]?.stringValue?.contains("line 2") ?? false, "\(syntax)")
        let builtin = try await send("logic/consult", ["name": "builtin", "program": "atom_length(x, 1)."])
        XCTAssertEqual(builtin["code"], "bad_request")
        let cases: [(String, JSONObject, String)] = [
            ("logic/consult", ["program": "a."], "'name' is missing"),
            ("logic/consult", ["name": "bad name!", "program": "a."], "'name' is invalid"),
            ("logic/consult", ["name": "x", "program": 5], "'program' must be a string"),
            ("logic/query", [:], "'goal' is missing"),
            ("logic/query", ["goal": "foo("], "'goal' does not read"),
            ("logic/query", ["goal": "true", "max_solutions": 0], "'max_solutions'"),
            ("logic/query", ["goal": "true", "name": "nope"], "no program named 'nope'"),
            ("logic/query", ["goal": "throw(oops)"], "uncaught exception: oops"),
            ("logic/forget", ["name": 3], "'name' must be a string"),
        ]
        for (op, body, message) in cases {
            let reply = try await send(op, body)
            XCTAssertEqual(reply["code"], "bad_request", "\(op) \(body)")
            XCTAssertTrue(reply["error"]?.stringValue?.contains(message) ?? false, "\(op): \(reply)")
        }
        let listed = try data(try await send("logic/list", [:]))
        XCTAssertEqual(listed["programs"], [])
    }
}
