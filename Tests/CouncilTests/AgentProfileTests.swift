import Bus
import Council
import Foundation
import JSON
import Router
import Skills
import Store
import XCTest

/// Agent profiles over real MQTT: `agent/create|list|delete` kept in the daemon's SQLite file, the shipped TOML
/// templates read from `etc/agents`, and `ask` with `agent` answered under the profile's prompt and skills by a
/// wire-accurate fake of an OpenAI-compatible local server.
final class AgentProfileTests: XCTestCase {
    var broker: TestBroker!
    var openAI: FakeServer!
    var daemon: RunningDaemon!
    var requester: Requester!
    var stateDirectory: String!

    /// The shipped templates, next to the tests in the repository.
    static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("etc/agents").path

    override func setUp() async throws {
        openAI = try FakeServer { request in
            guard request.path.hasSuffix("/chat/completions") else { return Respond.json("{}", status: 404) }
            if request.json["stream"] as? Bool == true { return Respond.sse(OpenAIWire.stream) }
            return Respond.json(OpenAIWire.completion)
        }
        broker = try TestBroker()
        stateDirectory = try temporaryFolder("agents")
        try await startDaemon()
        requester = try await connectRequester(to: broker)
    }

    override func tearDown() async throws {
        await requester?.close()
        try await daemon?.stop()
        broker?.stop()
        openAI?.stop()
        try? FileManager.default.removeItem(atPath: stateDirectory)
    }

    /// The standard node (math, logic, knowledge, code, one local model: the fake) plus the agent directory, wired as
    /// `Capabilities.standard` does with `[agents] dir` set to the shipped templates.
    private func startDaemon(extraTOML: String = "") async throws {
        let toml = """
            [[models]]
            name = "fake"
            provider = "openai-compatible"
            endpoint = "\(openAI.url("/v1"))"
            model = "fake-model"
            tier = "local"
            max_attempts = 1

            """ + extraTOML
        let config = try CouncilConfig.parse(toml: toml, environment: ["FAKE_OPENAI_KEY": "sk-test-agents-key"])
        daemon = try await RunningDaemon(settings: daemonSettings(broker: broker, stateDirectory: stateDirectory)) {
            database in
            var capabilities = try Capabilities.standard(
                config: config, database: database, events: EventPublisher(), logger: testLogger("agents"))
            let agents = try AgentDirectory(
                database: database, folder: Self.templates, skillNames: capabilities.skills.map(\.name),
                sandboxProfiles: ["light", "heavy"])
            XCTAssertEqual(agents.problems, [], "the shipped templates must load")
            capabilities.agents = agents
            capabilities.operations += AgentOperations.all(directory: agents)
            return capabilities
        }
    }

    private func send(_ op: String, _ body: JSONObject) async throws -> JSONObject {
        try envelope(try await requester.send(op: op, body: body, timeout: .seconds(30)))
    }

    private func data(_ reply: JSONObject, file: StaticString = #filePath, line: UInt = #line) throws -> JSONObject {
        XCTAssertEqual(reply["status"], "ok", "\(reply)", file: file, line: line)
        return try XCTUnwrap(reply["data"]?.objectValue, file: file, line: line)
    }

    private func refusal(
        _ op: String, _ body: JSONObject, mentions words: [String], file: StaticString = #filePath, line: UInt = #line
    ) async throws {
        let reply = try await send(op, body)
        XCTAssertEqual(reply["code"], "bad_request", "\(body): \(reply)", file: file, line: line)
        let message = reply["error"]?.stringValue ?? ""
        for word in words {
            XCTAssertTrue(
                message.contains(word), "\(body): '\(message)' should mention \(word)", file: file, line: line)
        }
    }

    private func names(_ list: JSONObject) -> [String] {
        (list["agents"]?.arrayValue ?? []).compactMap { $0.objectValue?["name"]?.stringValue }
    }

    /// The chat completions the model received (the health checks are left out).
    private var chats: [FakeServer.Request] { openAI.requests.filter { $0.path.hasSuffix("/chat/completions") } }

    private let pirate = "You are Captain Sum. Answer every question like a pirate."

    func testCreateListAskWithAgentAndDelete() async throws {
        let created = try data(
            try await send(
                "agent/create",
                ["name": "pirate", "system_prompt": .string(pirate), "skills": ["logic"], "max_cost_usd": 0.01]))
        let agent = try XCTUnwrap(created["agent"]?.objectValue)
        XCTAssertEqual(agent["name"], "pirate")
        XCTAssertEqual(agent["skills"], ["logic"])
        XCTAssertEqual(agent["source"], "stored")
        XCTAssertEqual(agent["read_only"], false)
        XCTAssertFalse((agent["created_at"]?.stringValue ?? "").isEmpty)

        let listed = try data(try await send("agent/list", [:]))
        XCTAssertEqual(names(listed), ["code-reviewer", "data-analyst", "home-helper", "pirate"])
        let one = try data(try await send("agent/list", ["name": "data-analyst"]))
        let analyst = try XCTUnwrap(one["agents"]?.arrayValue?.first?.objectValue)
        XCTAssertEqual(analyst["skills"], ["code", "math"])
        XCTAssertEqual(analyst["source"], "file")
        XCTAssertEqual(analyst["read_only"], true)
        XCTAssertTrue(analyst["file"]?.stringValue?.hasSuffix("etc/agents/data-analyst.toml") ?? false, "\(analyst)")

        // Without an agent, math answers exactly and the model is not called.
        let exact = try data(try await send("ask", ["prompt": "2+2"]))
        XCTAssertEqual(exact["skill"], "math")
        XCTAssertEqual(exact["answer"], "4")
        XCTAssertEqual(chats.count, 0)

        // With the agent, math is not in its allow-list: the model answers, under the agent's system prompt.
        let profiled = try data(try await send("ask", ["prompt": "2+2", "agent": "pirate"]))
        XCTAssertEqual(profiled["skill"], "llm")
        XCTAssertEqual(profiled["model"], "fake")
        XCTAssertEqual(profiled["route"], ["logic", "local:fake"])
        XCTAssertEqual(chats.count, 1)
        let messages = (chats.last?.json["messages"] as? [[String: Any]]) ?? []
        XCTAssertEqual(messages.first?["role"] as? String, "system")
        XCTAssertTrue((messages.first?["content"] as? String)?.hasPrefix(pirate) ?? false, "\(messages)")
        XCTAssertEqual(messages.last?["content"] as? String, "2+2")

        // A later plain question gets the node's own prompt again.
        _ = try data(try await send("ask", ["prompt": "Tell me about the moon."]))
        let plain = (chats.last?.json["messages"] as? [[String: Any]])?.first?["content"] as? String
        XCTAssertFalse(plain?.contains("Captain Sum") ?? true, plain ?? "")

        try await refusal("ask", ["prompt": "2+2", "agent": "nobody"], mentions: ["unknown agent 'nobody'", "pirate"])
        try await refusal("agent/delete", ["name": "data-analyst"], mentions: ["data-analyst.toml", "read-only"])
        try await refusal(
            "agent/create", ["name": "home-helper", "system_prompt": "Hijack."], mentions: ["read-only"])

        let deleted = try data(try await send("agent/delete", ["name": "pirate"]))
        XCTAssertEqual(deleted["deleted"], "pirate")
        let remaining = try data(try await send("agent/list", [:]))
        XCTAssertEqual(names(remaining), ["code-reviewer", "data-analyst", "home-helper"])
        try await refusal("ask", ["prompt": "2+2", "agent": "pirate"], mentions: ["unknown agent 'pirate'"])
        try await refusal("agent/delete", ["name": "pirate"], mentions: ["unknown agent 'pirate'"])
        XCTAssertEqual(chats.count, 2, "refused asks must not reach the model")
    }

    /// An agent's `daily_usd` holds its paid calls, counted in the node's budget ledger, while the node's own caps
    /// and other agents go on; `budget` shows what each agent spent today.
    func testAnAgentsDailyBudgetStopsItsPaidCallsOnly() async throws {
        try await daemon.stop()
        // The fake's usage: 19 prompt + 8 completion tokens at $10 / $100 per million = $0.00099 a call.
        try await startDaemon(
            extraTOML: """
                [[models]]
                name = "gpt"
                provider = "openai"
                endpoint = "\(openAI.url("/v1"))"
                model = "gpt-4o-mini"
                tier = "cloud"
                api_key_env = "FAKE_OPENAI_KEY"
                input_usd_per_mtok = 10.0
                output_usd_per_mtok = 100.0
                max_attempts = 1

                [budget]
                daily_usd = 5.0
                min_answer_tokens = 8
                """)
        _ = try data(
            try await send(
                "agent/create",
                [
                    "name": "spender", "system_prompt": "Answer briefly.", "tier": "cloud", "daily_usd": 0.03,
                    "skills": [],
                ]))
        var answered = 0
        var refused: JSONObject?
        for _ in 0..<40 {
            let reply = try await send("ask", ["prompt": "Tell me about the sea.", "agent": "spender"])
            if reply["status"] == "ok" {
                XCTAssertEqual(try data(reply)["model"], "gpt")
                answered += 1
            } else {
                refused = reply
                break
            }
        }
        let refusal = try XCTUnwrap(refused, "the agent's cap must stop it within 40 calls")
        XCTAssertEqual(refusal["code"], "budget_exceeded", "\(refusal)")
        XCTAssertTrue(refusal["error"]?.stringValue?.contains("agent's daily budget") ?? false, "\(refusal)")
        XCTAssertEqual(refusal["data"]?.objectValue?["cap"], "agent")
        XCTAssertGreaterThan(answered, 2)

        let budget = try data(try await send("budget", [:]))
        let spent = try XCTUnwrap(budget["by_agent"]?.objectValue?["spender"]?.doubleValue)
        XCTAssertLessThanOrEqual(spent, 0.03 + 1e-12, "an agent never spends past its daily_usd")
        XCTAssertEqual(spent, Double(answered) * 0.00099, accuracy: 1e-9)

        // Calls for no agent still reach the cloud model within the node's $5.
        let plain = try data(try await send("ask", ["prompt": "Tell me about the sea.", "tier": "cloud"]))
        XCTAssertEqual(plain["model"], "gpt")
    }

    func testProfilesSurviveARestartAndUpdatesKeepTheirCreationTime() async throws {
        let first = try data(
            try await send(
                "agent/create",
                [
                    "name": "night-owl", "system_prompt": "Whisper.", "tier": "local", "sandbox_profile": "light",
                    "daily_usd": 0.25, "max_attempts": 2,
                ]))
        let createdAt = try XCTUnwrap(first["agent"]?.objectValue?["created_at"]?.stringValue)

        await requester.close()
        try await daemon.stop()
        try await startDaemon()
        requester = try await connectRequester(to: broker)

        let listed = try data(try await send("agent/list", ["name": "night-owl"]))
        let agent = try XCTUnwrap(listed["agents"]?.arrayValue?.first?.objectValue)
        XCTAssertEqual(agent["system_prompt"], "Whisper.")
        XCTAssertEqual(agent["tier"], "local")
        XCTAssertEqual(agent["sandbox_profile"], "light")
        XCTAssertEqual(agent["daily_usd"]?.doubleValue, 0.25)
        XCTAssertEqual(agent["max_attempts"]?.intValue, 2)
        XCTAssertNil(agent["skills"], "no allow-list means every skill")
        XCTAssertEqual(agent["created_at"]?.stringValue, createdAt)

        let replaced = try data(try await send("agent/create", ["name": "night-owl", "system_prompt": "Shout."]))
        let updated = try XCTUnwrap(replaced["agent"]?.objectValue)
        XCTAssertEqual(updated["system_prompt"], "Shout.")
        XCTAssertNil(updated["tier"], "create replaces the whole profile")
        XCTAssertEqual(updated["created_at"]?.stringValue, createdAt)
        XCTAssertGreaterThanOrEqual(updated["updated_at"]?.stringValue ?? "", createdAt)
    }

    func testBadInputIsRefusedNamingTheField() async throws {
        let valid: JSONObject = ["name": "ok", "system_prompt": "Hi."]
        func with(_ field: String, _ value: JSONValue) -> JSONObject {
            var body = valid
            body[field] = value
            return body
        }
        try await refusal("agent/create", ["system_prompt": "Hi."], mentions: ["'name' is missing"])
        try await refusal("agent/create", with("name", "bad name!"), mentions: ["'name'"])
        try await refusal("agent/create", with("name", "a/b"), mentions: ["'name'"])
        try await refusal("agent/create", with("name", 7), mentions: ["'name' must be a string"])
        try await refusal("agent/create", ["name": "ok"], mentions: ["'system_prompt' is missing"])
        try await refusal("agent/create", with("system_prompt", "  "), mentions: ["'system_prompt' is empty"])
        try await refusal("agent/create", with("skills", "math"), mentions: ["'skills'"])
        try await refusal("agent/create", with("skills", ["teleport"]), mentions: ["'skills'", "teleport", "math"])
        try await refusal("agent/create", with("tier", "gpu"), mentions: ["'tier'"])
        try await refusal("agent/create", with("sandbox_profile", "huge"), mentions: ["'sandbox_profile'", "heavy"])
        try await refusal("agent/create", with("daily_usd", -1), mentions: ["'daily_usd'"])
        try await refusal("agent/create", with("max_cost_usd", "cheap"), mentions: ["'max_cost_usd'"])
        try await refusal("agent/create", with("max_attempts", 0), mentions: ["'max_attempts'"])
        try await refusal("agent/create", with("max_attempts", 1.5), mentions: ["'max_attempts'"])
        try await refusal("agent/create", with("colour", "blue"), mentions: ["'colour'", "system_prompt"])
        try await refusal("agent/delete", [:], mentions: ["'name' is missing"])
        try await refusal("agent/list", ["name": 3], mentions: ["'name' must be a string"])
        try await refusal("agent/list", ["name": "ghost"], mentions: ["unknown agent 'ghost'"])
        try await refusal("ask", ["prompt": "2+2", "agent": 5], mentions: ["'agent' must be a string"])

        let listed = try data(try await send("agent/list", [:]))
        XCTAssertEqual(names(listed), ["code-reviewer", "data-analyst", "home-helper"], "nothing invalid was stored")
        let answered = try data(try await send("ask", ["prompt": "2+2"]))
        XCTAssertEqual(answered["answer"], "4", "the daemon still answers")
    }

    func testFolderProblemsAreReportedAndTheProfileShapesTheQuestion() throws {
        let folder = try temporaryFolder("agent-files")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func write(_ file: String, _ text: String) throws {
            try text.write(toFile: folder + "/" + file, atomically: true, encoding: .utf8)
        }
        try write("good.toml", "system_prompt = \"Be good.\"\ntier = \"cloud\"\nmax_cost_usd = 0.02\n")
        try write("broken.toml", "system_prompt = \n")
        try write("typo.toml", "system_prompt = \"x\"\nsklls = [\"math\"]\n")
        try write("named.toml", "name = \"good\"\nsystem_prompt = \"Twin.\"\n")
        try write("notes.txt", "not a profile")
        let database = try StoreSchema.open(path: folder + "/council.db")
        let agents = try AgentDirectory(database: database, folder: folder, skillNames: ["math"])

        XCTAssertEqual(agents.names, ["good"])
        XCTAssertEqual(agents.problems.count, 3, "\(agents.problems)")
        XCTAssertTrue(agents.problems.contains { $0.contains("broken.toml:1:") && $0.contains("invalid TOML") })
        XCTAssertTrue(agents.problems.contains { $0.contains("typo.toml") && $0.contains("'sklls'") })
        XCTAssertTrue(agents.problems.contains { $0.contains("named.toml") && $0.contains("already defined") })

        var question = Question(prompt: "hello")
        question.agent = "good"
        question.maxCostUSD = 0.5
        let (shaped, _) = try agents.applying(question, to: Cascade(skills: [MathSkill()]))
        XCTAssertEqual(shaped.preferredTier, "cloud")
        XCTAssertEqual(shaped.maxCostUSD, 0.02, "the profile lowers the request's cap")
        question.maxCostUSD = 0.01
        question.preferredTier = "local"
        let (kept, _) = try agents.applying(question, to: Cascade(skills: [MathSkill()]))
        XCTAssertEqual(kept.maxCostUSD, 0.01, "never raises it")
        XCTAssertEqual(kept.preferredTier, "local", "the request's own tier wins")

        let local = AgentProfile(name: "home", systemPrompt: "x", tier: "local")
        XCTAssertEqual(AgentDirectory.apply(local, to: Question(prompt: "hi")).allowCloud, false)
        var allowed = Question(prompt: "hi")
        allowed.allowCloud = true
        XCTAssertEqual(AgentDirectory.apply(local, to: allowed).allowCloud, true, "the request's allow_cloud wins")
    }
}
