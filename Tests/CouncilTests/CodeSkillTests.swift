import Bus
import Council
import Foundation
import JSON
import Logging
import Providers
import Router
import Sandbox
import Skills
import Store
import Synchronization
import TestSupport
import XCTest

/// The code skill in `ask` over real MQTT: a real mosquitto, a daemon in this process, real python3 in the real
/// sandbox, the SQLite budget ledger, and a wire-accurate fake of an OpenAI-compatible server scripted to return
/// programs.
final class CodeSkillTests: XCTestCase {
    /// A daemon serving the math and code skills, the budget op, and the models given.
    private struct Node {
        let broker: TestBroker
        let state: String
        let daemon: RunningDaemon
        let requester: Requester
        let sandbox: Sandbox

        func ask(_ body: JSONObject) async throws -> JSONObject {
            try envelope(try await requester.send(op: "ask", body: body, timeout: .seconds(60)))
        }

        func spentToday() async throws -> Double {
            let budget = try envelope(try await requester.send(op: "budget", body: [:], timeout: .seconds(10)))
            return budget["data"]?.objectValue?["daily"]?.objectValue?["spent_usd"]?.doubleValue ?? -1
        }

        func stop() async throws {
            await requester.close()
            try await daemon.stop()
            broker.stop()
            try? FileManager.default.removeItem(atPath: state)
        }
    }

    /// A model served at `url` (an OpenAI-compatible `/v1`): local and free, or cloud at $10 per million tokens in
    /// and out.
    private struct ModelSpec {
        var url: String
        var cloud = false
    }

    private static let price = ModelPrice(inputUSDPerMillionTokens: 10, outputUSDPerMillionTokens: 10)

    private func startNode(model: ModelSpec? = nil, sandboxEnabled: Bool = true) async throws -> Node {
        let broker = try TestBroker()
        let state = try temporaryFolder("code")
        let sandbox = try Sandbox(configuration: SandboxConfiguration(enabled: sandboxEnabled, maxConcurrent: 2))
        let daemon = try await RunningDaemon(settings: daemonSettings(broker: broker, stateDirectory: state)) {
            database in
            let ledger = try BudgetLedger(database: database, caps: BudgetCaps(dailyUSD: 1, monthlyUSD: 10))
            var models: [any LanguageModel] = []
            var prices: [String: ModelPrice] = [:]
            if let model {
                var endpoint = ModelEndpoint(
                    name: "coder", kind: model.cloud ? .openAI : .openAICompatible, baseURL: model.url,
                    model: "coder-1", apiKey: model.cloud ? APIKey("sk-test-code-key") : nil,
                    tier: model.cloud ? .cloud : .local)
                endpoint.retry.maxAttempts = 1
                endpoint.healthCheckInterval = nil
                models.append(BackendModel(backend: Backend(endpoint: endpoint, logger: testLogger("coder"))))
                prices["coder"] = model.cloud ? Self.price : .free
            }
            let gate = LedgerSpendingGate(ledger: ledger, prices: prices, logger: testLogger("gate"))
            let code = CodeSkill(sandbox: sandbox, models: models, spending: gate)
            return Capabilities(
                skills: [MathSkill(), code],
                operations: [ExecOperation(sandbox: sandbox), BudgetOperation(ledger: ledger)])
        }
        let requester = try await connectRequester(to: broker)
        return Node(broker: broker, state: state, daemon: daemon, requester: requester, sandbox: sandbox)
    }

    /// The messages the server received in its `index`-th chat completion.
    private func messages(_ server: FakeServer, _ index: Int) -> [String] {
        let all = server.requests.filter { $0.path.hasSuffix("/chat/completions") }
        guard index < all.count else { return [] }
        return (all[index].json["messages"] as? [[String: Any]] ?? []).compactMap { $0["content"] as? String }
    }

    private func attempts(_ data: JSONObject?) -> [JSONObject] {
        data?["attempts"]?.arrayValue?.compactMap(\.objectValue) ?? []
    }

    // MARK: Code in the question

    func testFencedAndInlineCodeRunsInTheSandboxWithoutAnyModel() async throws {
        let node = try await startNode()
        let reply = try await node.ask([
            "prompt": "Run this:\n```python\nimport sys\nprint(2**100)\nprint('careful', file=sys.stderr)\n```"
        ])
        XCTAssertEqual(reply["status"], "ok", "\(reply)")
        let data = try XCTUnwrap(reply["data"]?.objectValue)
        XCTAssertEqual(data["skill"], "code")
        XCTAssertEqual(data["answer"], "1267650600228229401496703205376")
        XCTAssertEqual(data["text"], "1267650600228229401496703205376")
        XCTAssertEqual(data["stdout"], "1267650600228229401496703205376\n")
        XCTAssertEqual(data["stderr"], "careful\n")
        XCTAssertEqual(data["exit_code"], 0)
        XCTAssertEqual(data["timed_out"], false)
        XCTAssertEqual(data["language"], "python")
        XCTAssertEqual(data["code"], "import sys\nprint(2**100)\nprint('careful', file=sys.stderr)")
        XCTAssertEqual(data["model"], .null)
        XCTAssertEqual(data["cost_usd"]?.doubleValue, 0)
        XCTAssertEqual(data["route"], ["math", "code", "sandbox:python"])
        XCTAssertEqual(attempts(data).count, 1)
        XCTAssertEqual(attempts(data).first?["exit_code"], 0)

        let inline = try await node.ask(["prompt": "Run this: print(sum(range(1, 101)))"])
        XCTAssertEqual(inline["data"]?.objectValue?["answer"], "5050", "\(inline)")

        let shell = try await node.ask(["prompt": "What does this print?\n```sh\necho $((6 * 7))\n```"])
        XCTAssertEqual(shell["data"]?.objectValue?["answer"], "42", "\(shell)")
        XCTAssertEqual(shell["data"]?.objectValue?["language"], "sh")

        let long = try await node.ask(["prompt": "```python\nprint('x' * 100000)\n```"])
        let longData = try XCTUnwrap(long["data"]?.objectValue)
        XCTAssertEqual(longData["answer"]?.stringValue?.count, 100_000, "the answer is never cut")
        let longText = try XCTUnwrap(longData["text"]?.stringValue)
        XCTAssertLessThan(longText.count, 4200)
        XCTAssertTrue(longText.hasSuffix("(output cut at 4000 of 100000 characters; all of it is in stdout)"))

        let math = try await node.ask(["prompt": "What is 6 times 7?"])
        XCTAssertEqual(math["data"]?.objectValue?["skill"], "math", "exact skills still come first")
        try await node.stop()
    }

    func testFailingCodeFromTheQuestionRepliesWithItsError() async throws {
        let node = try await startNode()
        let reply = try await node.ask(["prompt": "```python\nprint('partial')\nraise ValueError('boom')\n```"])
        XCTAssertEqual(reply["status"], "ok", "the program failed, not the request: \(reply)")
        let data = try XCTUnwrap(reply["data"]?.objectValue)
        XCTAssertEqual(data["exit_code"], 1)
        XCTAssertEqual(data["answer"], "partial")
        let text = try XCTUnwrap(data["text"]?.stringValue)
        XCTAssertTrue(text.contains("ValueError: boom"), text)
        XCTAssertTrue(text.hasPrefix("Error: the program exited with code 1"), text)
        XCTAssertTrue(data["stderr"]?.stringValue?.contains("Traceback") ?? false)

        let slow = try await node.ask(["prompt": "```python\nwhile True:\n    pass\n```"])
        // Stopped by the wall clock, or a moment before it by the CPU time limit (the same 5 s, SIGXCPU).
        let stopped = slow["data"]?.objectValue
        XCTAssertTrue(stopped?["timed_out"] == true || stopped?["signal"] == JSONValue(Int(SIGXCPU)), "\(slow)")
        XCTAssertTrue(slow["data"]?.objectValue?["text"]?.stringValue?.contains("time limit") ?? false)
        try await node.stop()
    }

    func testCodeInTheQuestionRunsInsideTheSandboxNotOnTheHost() async throws {
        let node = try await startNode()
        let secret = node.state + "/host-secret.txt"
        try "top secret".write(toFile: secret, atomically: true, encoding: .utf8)
        let reply = try await node.ask([
            "prompt": .string(
                "```python\nimport os\nprint(os.path.exists('\(secret)'), os.getpid() < 10)\n```")
        ])
        XCTAssertEqual(reply["data"]?.objectValue?["answer"], "False True", "\(reply)")
        try await node.stop()
    }

    func testWithTheSandboxOffCodeIsRefusedAndWritingIsNotOffered() async throws {
        let server = try scriptedChatServer(["```python\nprint(1)\n```"])
        defer { server.stop() }
        let node = try await startNode(model: ModelSpec(url: server.url("/v1")), sandboxEnabled: false)
        let refused = try await node.ask(["prompt": "Run this:\n```python\nprint(1)\n```"])
        XCTAssertEqual(refused["status"], "error")
        XCTAssertEqual(refused["code"], "sandbox_disabled", "\(refused)")
        let written = try await node.ask(["prompt": "Write and run a program that prints the 10th prime."])
        XCTAssertEqual(written["code"], "no_backend", "the code skill passes when it cannot run code: \(written)")
        XCTAssertTrue(server.requests.isEmpty, "no model may be asked to write code that cannot run")
        try await node.stop()
    }

    // MARK: Programs written by a model

    func testLoopFeedsTheErrorBackAndStopsAtSuccessWithCostsRecorded() async throws {
        let state = try temporaryFolder("code-secret")
        defer { try? FileManager.default.removeItem(atPath: state) }
        let secret = state + "/host-secret.txt"
        try "on the host".write(toFile: secret, atomically: true, encoding: .utf8)
        // The first program works on the host and fails in the sandbox (it cannot see the host's files); the second
        // succeeds only where the host file is invisible.
        let server = try scriptedChatServer([
            "Here it is:\n```python\nprint(open('\(secret)').read())\n```",
            "```python\nimport os\nassert not os.path.exists('\(secret)')\nprint(sum(range(101)))\n```",
            "```python\nprint('a third program must never be asked for')\n```",
        ])
        defer { server.stop() }
        let node = try await startNode(model: ModelSpec(url: server.url("/v1"), cloud: true))
        let local = try await node.ask([
            "prompt": "Write and run a program that adds the numbers from 1 to 100.", "allow_cloud": false,
        ])
        XCTAssertEqual(local["code"], "no_backend", "no model may write, so the code skill passes: \(local)")
        XCTAssertTrue(server.requests.isEmpty)

        let reply = try await node.ask(["prompt": "Write and run a program that adds the numbers from 1 to 100."])
        XCTAssertEqual(reply["status"], "ok", "\(reply)")
        let data = try XCTUnwrap(reply["data"]?.objectValue)
        XCTAssertEqual(data["skill"], "code")
        XCTAssertEqual(data["answer"], "5050")
        XCTAssertEqual(data["model"], "coder")
        XCTAssertEqual(data["exit_code"], 0)
        XCTAssertTrue(data["code"]?.stringValue?.contains("sum(range(101))") ?? false)
        let tries = attempts(data)
        XCTAssertEqual(tries.count, 2)
        XCTAssertEqual(tries[0]["exit_code"], 1)
        XCTAssertTrue(tries[0]["stderr"]?.stringValue?.contains("FileNotFoundError") ?? false, "\(tries[0])")
        XCTAssertTrue(tries[0]["code"]?.stringValue?.contains("open(") ?? false)
        XCTAssertEqual(tries[1]["exit_code"], 0)
        XCTAssertEqual(server.requests.count, 2, "the loop stops at the first success")
        XCTAssertEqual(
            data["route"],
            [
                "math", "code", "cloud:coder", "sandbox:python (attempt 1: exit 1)", "cloud:coder",
                "sandbox:python (attempt 2: ok)",
            ])

        let fixRequest = messages(server, 1)
        XCTAssertTrue(fixRequest.contains { $0.contains("print(open(") }, "the failed program is part of the retry")
        XCTAssertTrue(
            fixRequest.last?.contains("FileNotFoundError") ?? false, "the error is fed back: \(fixRequest.last ?? "")")

        XCTAssertEqual(data["tokens_in"], 240)
        XCTAssertEqual(data["tokens_out"], 60)
        let cost = try XCTUnwrap(data["cost_usd"]?.doubleValue)
        XCTAssertEqual(cost, 300 * 10 / 1e6, accuracy: 1e-12)
        XCTAssertEqual(data["escalated"], true)
        let spent = try await node.spentToday()
        XCTAssertEqual(spent, cost, accuracy: 1e-12, "the ledger holds what the reply reports")
        try await node.stop()
    }

    func testLoopStopsAtMaxAttemptsListingEveryAttempt() async throws {
        let server = try scriptedChatServer(["```python\nprint(undefined_total)\n```"])
        defer { server.stop() }
        let node = try await startNode(model: ModelSpec(url: server.url("/v1")))
        let reply = try await node.ask(["prompt": "Use Python to compute the answer to everything."])
        XCTAssertEqual(reply["status"], "error", "\(reply)")
        XCTAssertEqual(reply["code"], "code_failed")
        let error = try XCTUnwrap(reply["error"]?.stringValue)
        XCTAssertTrue(error.contains("after 3 attempts"), error)
        XCTAssertTrue(error.contains("NameError"), error)
        let data = try XCTUnwrap(reply["data"]?.objectValue)
        let tries = attempts(data)
        XCTAssertEqual(tries.count, 3)
        for attempt in tries {
            XCTAssertEqual(attempt["code"], "print(undefined_total)")
            XCTAssertEqual(attempt["exit_code"], 1)
            XCTAssertTrue(attempt["stderr"]?.stringValue?.contains("NameError") ?? false, "\(attempt)")
        }
        XCTAssertEqual(server.requests.count, 3, "no model call beyond the last attempt")
        XCTAssertEqual(data["tokens_in"], 360)
        XCTAssertEqual(data["cost_usd"]?.doubleValue, 0, "a local model costs nothing")
        try await node.stop()
    }

    func testModelRepliesWithoutCodeCountAsFailedAttempts() async throws {
        let server = try scriptedChatServer(["I would rather explain it in words.", "```python\nprint(2 ** 10)\n```"])
        defer { server.stop() }
        let node = try await startNode(model: ModelSpec(url: server.url("/v1")))
        let reply = try await node.ask(["prompt": "Write and run a program that prints 2 to the 10th power."])
        XCTAssertEqual(reply["data"]?.objectValue?["answer"], "1024", "\(reply)")
        let tries = attempts(reply["data"]?.objectValue)
        XCTAssertEqual(tries.count, 2)
        XCTAssertEqual(tries.first?["exit_code"], .null)
        XCTAssertTrue(tries.first?["error"]?.stringValue?.contains("no ```python code block") ?? false)
        try await node.stop()
    }

    func testLoopStopsAtTheRunsMaxCostAndSpendsNothingBeyondIt() async throws {
        let server = try scriptedChatServer(["```python\nprint(undefined_total)\n```"])
        defer { server.stop() }
        let node = try await startNode(model: ModelSpec(url: server.url("/v1"), cloud: true))
        // The first call fits under $0.006 (about $0.005 reserved, $0.0015 spent); the second, with a longer
        // conversation, needs a larger reservation than what is left, so the run stops before calling.
        let cap = 0.006
        let reply = try await node.ask([
            "prompt": "Use Python to compute the answer to everything.", "max_cost_usd": JSONValue(cap),
        ])
        XCTAssertEqual(reply["status"], "error", "\(reply)")
        XCTAssertEqual(reply["code"], "budget_exceeded")
        let error = try XCTUnwrap(reply["error"]?.stringValue)
        XCTAssertTrue(error.contains("stopped after 1 attempt: the run's cost cap of $0.0060 leaves $0.0045"), error)
        let data = try XCTUnwrap(reply["data"]?.objectValue)
        XCTAssertEqual(attempts(data).count, 1)
        XCTAssertEqual(data["cap_usd"]?.doubleValue, cap)
        XCTAssertEqual(server.requests.count, 1, "the call that would pass the cap is never made")
        let cost = try XCTUnwrap(data["cost_usd"]?.doubleValue)
        XCTAssertEqual(cost, 150 * 10 / 1e6, accuracy: 1e-12)
        XCTAssertLessThanOrEqual(cost, cap)
        let spent = try await node.spentToday()
        XCTAssertEqual(spent, cost, accuracy: 1e-12, "nothing spent or left reserved beyond the run's cost")
        try await node.stop()
    }

    func testWithTheRealLlamaCppServerTheLoopStopsAtMaxAttempts() async throws {
        // The tiny model always replies "Hello from tiny llama.": no program, so every attempt fails the same way.
        let llama = try LlamaServer()
        defer { llama.stop() }
        let node = try await startNode(model: ModelSpec(url: llama.baseURL))
        let reply = try await node.ask(["prompt": "Write and run a program that prints the 20th Fibonacci number."])
        XCTAssertEqual(reply["code"], "code_failed", "\(reply)")
        let data = try XCTUnwrap(reply["data"]?.objectValue)
        let tries = attempts(data)
        XCTAssertEqual(tries.count, 3)
        XCTAssertTrue(tries.allSatisfy { $0["model"] == "coder" && $0["exit_code"] == .null })
        XCTAssertGreaterThan(data["tokens_out"]?.intValue ?? 0, 0)
        XCTAssertEqual(data["cost_usd"]?.doubleValue, 0)
        try await node.stop()
    }
}
