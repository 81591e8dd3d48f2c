import Bus
import Council
import Foundation
import JSON
import Providers
import Router
import Sandbox
import Skills
import Store
import Synchronization
import TestSupport
import XCTest

/// Agent runs over real MQTT: a real mosquitto, a daemon in this process, real python3 in the real sandbox, the
/// SQLite file, and a wire-accurate fake of an OpenAI-compatible server scripted to plan and write programs.
final class RunOperationTests: XCTestCase {
    /// A daemon serving the code skill, the run ops, the budget op, and the model given.
    private struct Node {
        let broker: TestBroker
        let state: String
        let daemon: RunningDaemon
        let requester: Requester
        let log: Recorder

        func send(_ op: String, _ body: JSONObject, timeout: Duration = .seconds(60)) async throws -> JSONObject {
            try envelope(try await requester.send(op: op, body: body, timeout: timeout))
        }

        func data(_ op: String, _ body: JSONObject, file: StaticString = #filePath, line: UInt = #line) async throws
            -> JSONObject
        {
            let reply = try await send(op, body)
            XCTAssertEqual(reply["status"], "ok", "\(op) \(body): \(reply)", file: file, line: line)
            return try XCTUnwrap(reply["data"]?.objectValue, file: file, line: line)
        }

        /// The log lines of run `id` that arrived, in arrival order.
        func logLines(of id: String) -> [JSONObject] {
            log.messages.filter { $0.topic == "council/testnode/runs/\(id)/log" }.compactMap {
                try? envelope($0.payload)
            }
        }

        func stop() async throws {
            await log.close()
            await requester.close()
            try await daemon.stop()
            broker.stop()
            try? FileManager.default.removeItem(atPath: state)
        }
    }

    private static let price = ModelPrice(inputUSDPerMillionTokens: 10, outputUSDPerMillionTokens: 10)

    /// Starts a node whose one model is the fake at `url` (local and free, or cloud at $10 per million tokens).
    private func startNode(
        url: String?, cloud: Bool = false, settings: RunManager.Settings? = nil, state: String? = nil,
        broker: TestBroker? = nil
    ) async throws -> Node {
        let broker = try broker ?? TestBroker()
        let state = try state ?? temporaryFolder("runs")
        let sandbox = try Sandbox(configuration: SandboxConfiguration(enabled: true, maxConcurrent: 2))
        let events = EventPublisher()
        let runSettings =
            settings
            ?? RunManager.Settings(
                maxConcurrent: 2, maxDurationMillis: 60_000, artifactRetentionMillis: 3_600_000,
                maxArtifactBytes: 1 << 20)
        let daemon = try await RunningDaemon(
            settings: daemonSettings(broker: broker, stateDirectory: state), events: events
        ) { database in
            let ledger = try BudgetLedger(database: database, caps: BudgetCaps(dailyUSD: 1, monthlyUSD: 10))
            var models: [any LanguageModel] = []
            if let url {
                var endpoint = ModelEndpoint(
                    name: "coder", kind: cloud ? .openAI : .openAICompatible, baseURL: url, model: "coder-1",
                    apiKey: cloud ? APIKey("sk-test-run-key") : nil, tier: cloud ? .cloud : .local)
                endpoint.retry.maxAttempts = 1
                endpoint.healthCheckInterval = nil
                models.append(BackendModel(backend: Backend(endpoint: endpoint, logger: testLogger("coder"))))
            }
            let gate = LedgerSpendingGate(
                ledger: ledger, prices: ["coder": cloud ? Self.price : .free], logger: testLogger("gate"))
            let planner = ExecutionPlanner(sandbox: sandbox, history: try ExecutionHistory(database: database))
            let code = CodeSkill(sandbox: sandbox, models: models, spending: gate, planner: planner)
            let agents = try AgentDirectory(database: database)
            let runs = try RunManager(
                database: database, skill: code, agents: agents, events: events, settings: runSettings)
            return Capabilities(
                skills: [code],
                operations: RunOperations.all(manager: runs, replyWithinMillis: 30_000)
                    + AgentOperations.all(directory: agents) + [BudgetOperation(ledger: ledger)])
        }
        let requester = try await connectRequester(to: broker)
        let log = try await Recorder(broker: broker, filters: ["council/testnode/runs/+/log"])
        return Node(broker: broker, state: state, daemon: daemon, requester: requester, log: log)
    }

    private func kinds(_ steps: [JSONObject]) -> [String] {
        steps.map { "\($0["kind"]?.stringValue ?? "?"):\($0["status"]?.stringValue ?? "?")" }
    }

    private static let plan = "1. Compute the sum.\n2. Print it."
    private static let failing = "```python\nprint(undefined_name)\n```"
    private static let working = "```python\nprint(sum(range(1, 101)))\n```"

    func testARunPlansWritesRunsChecksFixesAndItsLogArrivesInOrder() async throws {
        let model = try scriptedChatServer([Self.plan, Self.failing, Self.working])
        let node = try await startNode(url: model.url("/v1"))
        defer { model.stop() }

        let run = try await node.data("run", ["task": "Add the numbers from 1 to 100.", "max_attempts": 3])
        XCTAssertEqual(run["state"], "succeeded", "\(run)")
        XCTAssertEqual(run["answer"], "5050")
        XCTAssertEqual(run["attempts"], 2)
        XCTAssertEqual(run["code"], "print(sum(range(1, 101)))")
        XCTAssertEqual(run["cost_usd"], 0)
        XCTAssertEqual(run["tokens_in"], 360)
        let id = try XCTUnwrap(run["id"]?.stringValue)
        XCTAssertEqual(run["log_topic"]?.stringValue, "council/testnode/runs/\(id)/log")
        let steps = run["steps"]?.arrayValue?.compactMap(\.objectValue) ?? []
        XCTAssertEqual(
            kinds(steps),
            [
                "state:running", "plan:ok", "write:ok", "run:ok", "check:failed", "fix:ok", "write:ok", "run:ok",
                "check:ok", "end:succeeded",
            ])
        XCTAssertEqual(steps.map { $0["seq"]?.intValue ?? 0 }, Array(1...10))
        guard steps.count == 10 else { return XCTFail("\(steps)") }
        XCTAssertEqual(steps[1]["data"]?.objectValue?["plan"]?.stringValue, Self.plan)
        XCTAssertTrue(steps[4]["message"]?.stringValue?.contains("NameError") ?? false, "\(steps[4])")

        // The programs were written to the plan, and the second one was told why the first failed.
        let calls = chatRequests(model)
        XCTAssertEqual(calls.count, 3)
        let second = (calls[1].json["messages"] as? [[String: Any]] ?? []).compactMap { $0["content"] as? String }
        XCTAssertTrue(second.contains { $0.contains(Self.plan) }, "\(second)")
        let third = (calls[2].json["messages"] as? [[String: Any]] ?? []).compactMap { $0["content"] as? String }
        XCTAssertTrue(third.last?.contains("NameError") ?? false, "\(third)")

        // The live log carried the same steps, in order, on the run's own topic.
        let lines = await node.log.wait(for: 10, timeout: .seconds(10)) {
            $0.topic == "council/testnode/runs/\(id)/log"
        }
        XCTAssertEqual(lines.count, 10)
        let logged = node.logLines(of: id)
        XCTAssertEqual(logged.map { $0["seq"]?.intValue ?? 0 }, Array(1...10))
        XCTAssertEqual(kinds(logged), kinds(steps))
        guard logged.count == 10 else { return XCTFail("\(logged)") }
        XCTAssertEqual(logged[3]["data"]?.objectValue?["exit_code"], 1)

        // Persisted: run/get and run/list show it.
        let fetched = try await node.data("run/get", ["id": .string(id)])
        XCTAssertEqual(fetched["state"], "succeeded")
        XCTAssertEqual(fetched["steps"]?.arrayValue?.count, 10)
        let listed = try await node.data("run/list", ["state": "succeeded"])
        XCTAssertEqual(listed["runs"]?.arrayValue?.first?.objectValue?["id"]?.stringValue, id)
        XCTAssertNil(listed["runs"]?.arrayValue?.first?.objectValue?["steps"], "run/list leaves the steps out")
        let none = try await node.data("run/list", ["state": "failed"])
        XCTAssertEqual(none["runs"], [])
        try await node.stop()
    }

    func testAProgramThatNeedsTheNetworkIsRefusedBeforeItRunsAndRewritten() async throws {
        let fetcher =
            "```python\nimport urllib.request\nprint(urllib.request.urlopen('http://example.com').read())\n```"
        let model = try scriptedChatServer([Self.plan, fetcher, Self.working])
        defer { model.stop() }
        let node = try await startNode(url: model.url("/v1"))
        let run = try await node.data("run", ["task": "Add the numbers from 1 to 100."])
        XCTAssertEqual(run["state"], "succeeded", "\(run)")
        XCTAssertEqual(run["answer"], "5050")
        let steps = run["steps"]?.arrayValue?.compactMap(\.objectValue) ?? []
        XCTAssertEqual(
            kinds(steps),
            [
                "state:running", "plan:ok", "write:ok", "run:failed", "fix:ok", "write:ok", "run:ok", "check:ok",
                "end:succeeded",
            ])
        let refusal = steps.first { $0["kind"] == "run" }
        XCTAssertTrue(refusal?["message"]?.stringValue?.contains("network") ?? false, "\(refusal ?? [:])")
        let retry = (chatRequests(model).last?.json["messages"] as? [[String: Any]] ?? []).compactMap {
            $0["content"] as? String
        }
        XCTAssertTrue(retry.last?.contains("refused") ?? false, "the model is told why: \(retry)")
        try await node.stop()
    }

    func testRunsPastMaxConcurrentWaitQueuedThenWork() async throws {
        let napper = "```python\nimport time\ntime.sleep(1)\nprint('rested')\n```"
        let model = try scriptedChatServer([Self.plan, napper])
        defer { model.stop() }
        let settings = RunManager.Settings(
            maxConcurrent: 1, maxDurationMillis: 60_000, artifactRetentionMillis: 3_600_000, maxArtifactBytes: 0)
        let node = try await startNode(url: model.url("/v1"), settings: settings)
        let first = try await node.data("run", ["task": "Rest a second.", "wait": false])
        let second = try await node.data("run", ["task": "Rest a second too.", "wait": false])
        // Once one of them writes its program, it holds the only slot for a second while it sleeps in the sandbox.
        let writing = await node.log.wait(timeout: .seconds(20)) { (try? envelope($0.payload))?["kind"] == "write" }
        XCTAssertFalse(writing.isEmpty)
        let running = try await node.data("run/list", ["state": "running"])
        let queued = try await node.data("run/list", ["state": "queued"])
        XCTAssertEqual(running["runs"]?.arrayValue?.count, 1, "\(running)")
        XCTAssertEqual(queued["runs"]?.arrayValue?.count, 1, "\(queued)")
        for run in [first, second] {
            let id = try XCTUnwrap(run["id"]?.stringValue)
            let ended = await node.log.wait(timeout: .seconds(30)) {
                $0.topic.hasSuffix("\(id)/log") && (try? envelope($0.payload))?["kind"] == "end"
            }
            XCTAssertFalse(ended.isEmpty, "run \(id) never ended")
            let final = try await node.data("run/get", ["id": .string(id)])
            XCTAssertEqual(final["state"], "succeeded", "\(final)")
            XCTAssertEqual(final["answer"], "rested")
        }
        try await node.stop()
    }

    func testARunStopsAtItsMaxAttempts() async throws {
        let model = try scriptedChatServer([Self.plan, Self.failing])
        let node = try await startNode(url: model.url("/v1"))
        defer { model.stop() }
        let run = try await node.data("run", ["task": "Print a name.", "max_attempts": 2])
        XCTAssertEqual(run["state"], "failed")
        XCTAssertEqual(run["error_code"], "code_failed")
        XCTAssertEqual(run["attempts"], 2)
        XCTAssertEqual(run["max_attempts"], 2)
        XCTAssertTrue(run["error"]?.stringValue?.contains("after 2 attempts") ?? false, "\(run)")
        XCTAssertEqual(chatRequests(model).count, 3, "one plan and two programs")
        let steps = run["steps"]?.arrayValue?.compactMap(\.objectValue) ?? []
        XCTAssertEqual(steps.filter { $0["kind"] == "run" }.count, 2)
        XCTAssertEqual(steps.last?["kind"], "end")
        XCTAssertEqual(steps.last?["status"], "failed")
        try await node.stop()
    }

    func testARunStopsAtItsMaxCostAndItsSpendIsInTheBudget() async throws {
        // Each call is billed 120 + 30 tokens at $10 per million = $0.0015, but reserved at its worst case (one
        // token per prompt byte): a cap of $0.012 affords the plan and a program or two, then refuses.
        let model = try scriptedChatServer([Self.plan, Self.failing])
        let node = try await startNode(url: model.url("/v1"), cloud: true)
        defer { model.stop() }
        let run = try await node.data("run", ["task": "Print a name.", "max_cost_usd": 0.012])
        XCTAssertEqual(run["state"], "failed", "\(run)")
        XCTAssertEqual(run["error_code"], "budget_exceeded")
        let cost = try XCTUnwrap(run["cost_usd"]?.doubleValue)
        XCTAssertLessThanOrEqual(cost, 0.012)
        XCTAssertEqual(cost, Double(chatRequests(model).count) * 0.0015, accuracy: 1e-9)
        XCTAssertGreaterThanOrEqual(chatRequests(model).count, 2)
        let budget = try await node.data("budget", [:])
        let spent = budget["daily"]?.objectValue?["spent_usd"]?.doubleValue ?? -1
        XCTAssertEqual(spent, cost, accuracy: 1e-9, "the run's spend is the ledger's")
        try await node.stop()
    }

    func testCancellingARunKillsItsSandboxAndSpendsNothingMore() async throws {
        let sleeper = "```python\nimport time\ntime.sleep(4.5)\nprint('woke')\n```"
        let model = try scriptedChatServer([Self.plan, sleeper, Self.working])
        let node = try await startNode(url: model.url("/v1"))
        defer { model.stop() }
        let started = try await node.data("run", ["task": "Wait, then say so.", "wait": false])
        let id = try XCTUnwrap(started["id"]?.stringValue)
        XCTAssertTrue(["queued", "running"].contains(started["state"]?.stringValue ?? ""), "\(started)")
        // Once the program is written, it is running in the sandbox: cancel it there.
        let written = await node.log.wait(timeout: .seconds(20)) {
            $0.topic.hasSuffix("\(id)/log") && (try? envelope($0.payload))?["kind"] == "write"
        }
        XCTAssertFalse(written.isEmpty, "the program was never written")
        let cancelled = try await node.data("run/cancel", ["id": .string(id)])
        XCTAssertEqual(cancelled["cancelled"], true)
        XCTAssertEqual(cancelled["state"], "cancelled")
        XCTAssertEqual(cancelled["error_code"], "cancelled")
        XCTAssertLessThan(
            cancelled["duration_ms"]?.doubleValue ?? .infinity, 4_500,
            "the sandbox was killed, not waited for: \(cancelled)")
        let callsAtCancel = chatRequests(model).count
        try await Task.sleep(for: .seconds(1))
        XCTAssertEqual(chatRequests(model).count, callsAtCancel, "no model call after the cancel")
        let again = try await node.data("run/cancel", ["id": .string(id)])
        XCTAssertEqual(again["cancelled"], false)
        XCTAssertEqual(again["state"], "cancelled")
        XCTAssertEqual(node.logLines(of: id).last?["kind"], "end")
        try await node.stop()
    }

    func testARunPastItsTimeLimitIsStopped() async throws {
        let sleeper = "```python\nimport time\ntime.sleep(4)\nprint('late')\n```"
        let model = try scriptedChatServer([Self.plan, sleeper])
        let settings = RunManager.Settings(
            maxConcurrent: 1, maxDurationMillis: 1_000, artifactRetentionMillis: 3_600_000, maxArtifactBytes: 0)
        let node = try await startNode(url: model.url("/v1"), settings: settings)
        defer { model.stop() }
        let run = try await node.data("run", ["task": "Take your time."])
        XCTAssertEqual(run["state"], "timed_out", "\(run)")
        XCTAssertEqual(run["error_code"], "timeout")
        XCTAssertTrue(run["error"]?.stringValue?.contains("max_duration_s") ?? false, "\(run)")
        try await node.stop()
    }

    func testCodeInTheTaskRunsWithoutAModel() async throws {
        let node = try await startNode(url: nil)
        let run = try await node.data("run", ["task": "Run this:\n```python\nprint(6 * 7)\n```"])
        XCTAssertEqual(run["state"], "succeeded", "\(run)")
        XCTAssertEqual(run["answer"], "42")
        XCTAssertEqual(run["attempts"], 1)
        let steps = run["steps"]?.arrayValue?.compactMap(\.objectValue) ?? []
        XCTAssertEqual(kinds(steps), ["state:running", "run:ok", "check:ok", "end:succeeded"])

        let refused = try await node.data("run", ["task": "Compute something clever."])
        XCTAssertEqual(refused["state"], "failed")
        XCTAssertEqual(refused["error_code"], "no_backend")
        try await node.stop()
    }

    func testALiveRunIsMarkedInterruptedAfterARestart() async throws {
        let hung = try FakeServer { request in
            guard request.path.hasSuffix("/chat/completions") else { return Respond.json("{}", status: 404) }
            return [.hang]
        }
        defer { hung.stop() }
        let broker = try TestBroker()
        let state = try temporaryFolder("runs-restart")
        var node = try await startNode(url: hung.url("/v1"), state: state, broker: broker)
        let started = try await node.data("run", ["task": "Think hard.", "wait": false])
        let id = try XCTUnwrap(started["id"]?.stringValue)
        await node.log.close()
        await node.requester.close()
        try await node.daemon.stop()

        node = try await startNode(url: hung.url("/v1"), state: state, broker: broker)
        let run = try await node.data("run/get", ["id": .string(id)])
        XCTAssertEqual(run["state"], "interrupted")
        XCTAssertEqual(run["error_code"], "interrupted")
        try await node.stop()
    }

    func testWithTheRealLlamaCppServerARunPlansThenStopsAtMaxAttempts() async throws {
        // The tiny model always replies "Hello from tiny llama.": a plan, then no program, every attempt the same.
        let llama = try LlamaServer()
        defer { llama.stop() }
        let node = try await startNode(url: llama.baseURL)
        let run = try await node.data("run", ["task": "Compute the 20th Fibonacci number.", "max_attempts": 2])
        XCTAssertEqual(run["state"], "failed", "\(run)")
        XCTAssertEqual(run["error_code"], "code_failed")
        XCTAssertEqual(run["cost_usd"], 0)
        XCTAssertGreaterThan(run["tokens_out"]?.intValue ?? 0, 0)
        let steps = run["steps"]?.arrayValue?.compactMap(\.objectValue) ?? []
        XCTAssertEqual(
            kinds(steps), ["state:running", "plan:ok", "write:failed", "fix:ok", "write:failed", "end:failed"])
        XCTAssertFalse(steps.contains { $0["kind"] == "run" }, "no reply held code, so nothing ran")
        let id = try XCTUnwrap(run["id"]?.stringValue)
        let lines = await node.log.wait(for: steps.count, timeout: .seconds(10)) { $0.topic.hasSuffix("\(id)/log") }
        XCTAssertEqual(lines.count, steps.count)
        XCTAssertEqual(kinds(node.logLines(of: id)), kinds(steps))
        try await node.stop()
    }

    func testCouncilRunPrintsTheStepsAndTheAnswer() async throws {
        // The first run plans, fails once and works; the second plans and fails its only attempt.
        let model = try scriptedChatServer([Self.plan, Self.failing, Self.working, Self.plan, Self.failing])
        defer { model.stop() }
        let node = try await startNode(url: model.url("/v1"))
        let noConfig = ["--config", "/dev/null", "--broker", "mqtt://127.0.0.1:\(node.broker.port)"]
        let result = try runCouncil(
            ["run", "Add", "the", "numbers", "from", "1", "to", "100."] + noConfig, timeout: 60)
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.first?.hasPrefix("run ") ?? false, result.stdout)
        XCTAssertEqual(lines.last, "Answer: 5050")
        let steps = lines.dropFirst().dropLast().map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertEqual(steps.count, 9, result.stdout)
        XCTAssertTrue(steps.first?.hasPrefix("1. state [running]") ?? false, result.stdout)
        XCTAssertTrue(steps.contains { $0.hasPrefix("5. check [failed]") && $0.contains("NameError") }, result.stdout)

        let failed = try runCouncil(["run", "--max-attempts", "1", "Print", "a", "name."] + noConfig, timeout: 60)
        XCTAssertEqual(failed.status, 1)
        XCTAssertTrue(failed.stderr.contains("failed"), failed.stderr)
        try await node.stop()
    }

    func testFilesTheProgramLeavesAreKeptSafelyUntilTheirRetentionEnds() async throws {
        let program = """
            ```python
            import os
            with open("report.txt", "w") as f:
                f.write("total=5050\\n")
            os.makedirs("out", exist_ok=True)
            with open("out/data.bin", "wb") as f:
                f.write(bytes(range(256)))
            os.symlink("/etc/passwd", "passwd-link")
            print(5050)
            ```
            """
        let model = try scriptedChatServer([Self.plan, program])
        defer { model.stop() }
        let settings = RunManager.Settings(
            maxConcurrent: 2, maxDurationMillis: 60_000, artifactRetentionMillis: 3_000, maxArtifactBytes: 1 << 20)
        let node = try await startNode(url: model.url("/v1"), settings: settings)
        let run = try await node.data("run", ["task": "Write a report of the sum of 1 to 100."])
        XCTAssertEqual(run["state"], "succeeded", "\(run)")
        let id = try XCTUnwrap(run["id"]?.stringValue)
        let files = run["artifacts"]?.arrayValue?.compactMap(\.objectValue) ?? []
        XCTAssertEqual(files.map { $0["path"]?.stringValue ?? "" }, ["out/data.bin", "report.txt"])
        XCTAssertEqual(files.map { $0["size"]?.intValue ?? 0 }, [256, 11])
        XCTAssertTrue(files.allSatisfy { $0["available"] == true && $0["attempt"] == 1 })
        let runStep = run["steps"]?.arrayValue?.compactMap(\.objectValue).first { $0["kind"] == "run" }
        let skipped = runStep?["data"]?.objectValue?["skipped_artifacts"]?.arrayValue ?? []
        XCTAssertEqual(skipped.first?.objectValue?["path"], "passwd-link", "the symlink is listed as skipped")

        let report = try await node.data("run/artifact", ["id": .string(id), "path": "report.txt"])
        XCTAssertEqual(report["encoding"], "utf8")
        XCTAssertEqual(report["content"], "total=5050\n")
        let binary = try await node.data("run/artifact", ["id": .string(id), "path": "out/data.bin"])
        XCTAssertEqual(binary["encoding"], "base64")
        XCTAssertEqual(binary["content"]?.stringValue, Data((0...255).map { UInt8($0) }).base64EncodedString())
        let link = try await node.send("run/artifact", ["id": .string(id), "path": "passwd-link"])
        XCTAssertEqual(link["code"], "bad_request", "a symlink is never kept: \(link)")
        XCTAssertFalse(String(decoding: JSONValue.object(link).encoded(), as: UTF8.self).contains("root:"))

        try await Task.sleep(for: .milliseconds(3_200))
        let expired = try await node.send("run/artifact", ["id": .string(id), "path": "report.txt"])
        XCTAssertEqual(expired["code"], "bad_request")
        XCTAssertTrue(expired["error"]?.stringValue?.contains("expired") ?? false, "\(expired)")
        let later = try await node.data("run/get", ["id": .string(id)])
        XCTAssertEqual(later["artifacts"]?.arrayValue?.first?.objectValue?["available"], false)
        try await node.stop()
    }

    func testBadRunRequestsAreRefusedNamingTheField() async throws {
        let node = try await startNode(url: nil)
        for (op, body, words) in [
            ("run", [:], ["'task'", "missing"]),
            ("run", ["task": 3], ["'task'", "string"]),
            ("run", ["task": "  "], ["'task'", "empty"]),
            ("run", ["task": "x", "max_attempts": 0], ["'max_attempts'", "1 to 20"]),
            ("run", ["task": "x", "max_cost_usd": -1], ["'max_cost_usd'"]),
            ("run", ["task": "x", "agent": "ghost"], ["unknown agent 'ghost'"]),
            ("run/get", [:], ["'id'", "missing"]),
            ("run/get", ["id": "nope"], ["no run has the id 'nope'"]),
            ("run/cancel", ["id": "nope"], ["no run has the id 'nope'"]),
            ("run/artifact", ["id": "nope", "path": "a.txt"], ["no run has the id 'nope'"]),
            ("run/list", ["state": "sleeping"], ["'state'", "succeeded"]),
            ("run/list", ["limit": 0], ["'limit'"]),
        ] as [(String, JSONObject, [String])] {
            let reply = try await node.send(op, body)
            XCTAssertEqual(reply["code"], "bad_request", "\(op) \(body): \(reply)")
            let message = reply["error"]?.stringValue ?? ""
            for word in words { XCTAssertTrue(message.contains(word), "\(op) \(body): '\(message)' lacks \(word)") }
        }
        try await node.stop()
    }
}
