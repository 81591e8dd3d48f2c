import Bus
import Council
import Foundation
import JSON
import Synchronization
import TestSupport
import XCTest

/// `ask` through the LLM tiers over real MQTT: a real llama.cpp server as the local model, a wire-accurate fake of
/// OpenAI's API as the paid cloud model, the SQLite budget ledger in between.
final class LLMGatewayTests: XCTestCase {
    nonisolated(unsafe) static var llama: LlamaServer?  // started once for the class, stopped in tearDown

    override class func setUp() {
        super.setUp()
        llama = try? LlamaServer()
    }

    override class func tearDown() {
        llama?.stop()
        super.tearDown()
    }

    private func localServer() throws -> LlamaServer {
        guard let llama = Self.llama else { return try LlamaServer() }  // rethrows the reason it could not start
        return llama
    }

    /// A fake OpenAI answering every chat completion (streamed or not) with its documented sample.
    private func fakeOpenAI() throws -> FakeServer {
        try FakeServer { request in
            guard request.path.hasSuffix("/chat/completions") else { return Respond.json("{}", status: 404) }
            if request.json["stream"] as? Bool == true { return Respond.sse(OpenAIWire.stream) }
            return Respond.json(OpenAIWire.completion)
        }
    }

    private func startDaemon(broker: TestBroker, state: String, toml: String) async throws -> RunningDaemon {
        let config = try CouncilConfig.parse(toml: toml, environment: ["FAKE_OPENAI_KEY": "sk-test-gateway-key"])
        return try await RunningDaemon(settings: daemonSettings(broker: broker, stateDirectory: state)) { database in
            try Capabilities.standard(
                config: config, database: database, events: EventPublisher(), logger: testLogger("caps"))
        }
    }

    private func models(local: String, cloud: String?) -> String {
        var toml = """
            [[models]]
            name = "tiny"
            provider = "openai-compatible"
            endpoint = "\(local)"
            model = "tiny"
            tier = "local"
            max_attempts = 1

            """
        if let cloud {
            toml += """
                [[models]]
                name = "gpt"
                provider = "openai"
                endpoint = "\(cloud)"
                model = "gpt-4o-mini"
                api_key_env = "FAKE_OPENAI_KEY"
                input_usd_per_mtok = 0.15
                output_usd_per_mtok = 0.6

                """
        }
        return toml
    }

    func testLocalModelAnswersAndStreamsWithoutSpending() async throws {
        let llama = try localServer()
        let broker = try TestBroker()
        defer { broker.stop() }
        let state = try temporaryFolder("gateway")
        defer { try? FileManager.default.removeItem(atPath: state) }
        let daemon = try await startDaemon(broker: broker, state: state, toml: models(local: llama.baseURL, cloud: nil))
        let requester = try await connectRequester(to: broker)
        defer { Task { await requester.close() } }

        let reply = try envelope(
            try await requester.send(op: "ask", body: ["prompt": "Tell me about the moon."], timeout: .seconds(60)))
        XCTAssertEqual(reply["status"], "ok", "\(reply)")
        let data = try XCTUnwrap(reply["data"]?.objectValue)
        XCTAssertEqual(data["answer"], "Hello from tiny llama.")
        XCTAssertEqual(data["skill"], "llm")
        XCTAssertEqual(data["model"], "tiny")
        XCTAssertEqual(data["escalated"], false)
        XCTAssertEqual(data["cost_usd"]?.doubleValue, 0)
        XCTAssertEqual(data["route"], ["math", "logic", "knowledge", "code", "local:tiny"])
        XCTAssertGreaterThan(data["tokens_out"]?.intValue ?? 0, 0)

        let partials = Mutex<[JSONObject]>([])
        let streamed = try envelope(
            try await requester.send(
                op: "ask", body: ["prompt": "And the sun?", "stream": true], timeout: .seconds(60),
                onPartial: { payload in
                    if let object = try? envelope(payload) { partials.withLock { $0.append(object) } }
                }))
        let pieces = partials.withLock { $0 }
        XCTAssertEqual(streamed["data"]?.objectValue?["answer"], "Hello from tiny llama.")
        XCTAssertGreaterThan(pieces.count, 1, "the answer should arrive in several partial messages")
        XCTAssertEqual(pieces.compactMap { $0["seq"]?.intValue }, Array(1...pieces.count))
        let joined = pieces.compactMap { $0["delta"]?.stringValue }.joined()
        XCTAssertEqual(joined.trimmingCharacters(in: .whitespaces), "Hello from tiny llama.")

        let health = try envelope(try await requester.send(op: "health", body: [:], timeout: .seconds(10)))
        let backends = health["data"]?.objectValue?["backends"]?.arrayValue ?? []
        XCTAssertEqual(backends.first?.objectValue?["name"], "tiny")
        XCTAssertEqual(backends.first?.objectValue?["status"], "healthy")
        try await daemon.stop()
    }

    func testCloudAnswersWhenLocalIsDownOnlyWhenAllowedAndWithinBudget() async throws {
        let openAI = try fakeOpenAI()
        defer { openAI.stop() }
        let broker = try TestBroker()
        defer { broker.stop() }
        let state = try temporaryFolder("gateway")
        defer { try? FileManager.default.removeItem(atPath: state) }
        let deadLocal = "http://127.0.0.1:\(try LoopbackPort.free())/v1"
        let daemon = try await startDaemon(
            broker: broker, state: state, toml: models(local: deadLocal, cloud: openAI.url("/v1")))
        let requester = try await connectRequester(to: broker)
        defer { Task { await requester.close() } }

        let reply = try envelope(
            try await requester.send(
                op: "ask", body: ["prompt": "What is the capital of France?"], timeout: .seconds(30)))
        XCTAssertEqual(reply["status"], "ok", "\(reply)")
        let data = try XCTUnwrap(reply["data"]?.objectValue)
        XCTAssertEqual(data["answer"], "Paris is the capital of France.")
        XCTAssertEqual(data["model"], "gpt")
        XCTAssertEqual(data["escalated"], true)
        XCTAssertGreaterThan(data["cost_usd"]?.doubleValue ?? 0, 0)
        let route = data["route"]?.arrayValue?.compactMap(\.stringValue) ?? []
        XCTAssertEqual(route.last, "cloud:gpt")
        XCTAssertTrue(route.contains { $0.hasPrefix("local:tiny (") }, "\(route)")
        XCTAssertTrue(openAI.requests.allSatisfy { $0.header("Authorization") == "Bearer sk-test-gateway-key" })

        let budget = try envelope(try await requester.send(op: "budget", body: [:], timeout: .seconds(10)))
        let spent = budget["data"]?.objectValue?["daily"]?.objectValue?["spent_usd"]?.doubleValue ?? 0
        XCTAssertEqual(spent, data["cost_usd"]?.doubleValue ?? -1, accuracy: 1e-9)

        let local = try envelope(
            try await requester.send(
                op: "ask", body: ["prompt": "What is the capital of Spain?", "allow_cloud": false],
                timeout: .seconds(30)))
        XCTAssertEqual(local["code"], "backend_unavailable")
        XCTAssertTrue(local["error"]?.stringValue?.contains("tiny") ?? false, "\(local)")
        XCTAssertEqual(openAI.requests.count, 1, "allow_cloud false must keep the paid model out")

        let capped = try envelope(
            try await requester.send(
                op: "options", body: ["options": ["daily_budget_usd": 0.000001]], timeout: .seconds(10)))
        XCTAssertEqual(capped["status"], "ok")
        let refused = try envelope(
            try await requester.send(
                op: "ask", body: ["prompt": "What is the capital of Italy?"], timeout: .seconds(30)))
        XCTAssertEqual(refused["code"], "budget_exceeded", "\(refused)")
        XCTAssertNotNil(refused["data"]?.objectValue?["resets_at"])
        XCTAssertNotNil(refused["data"]?.objectValue?["remaining_usd"])
        XCTAssertEqual(openAI.requests.count, 1, "a refused call must not reach the provider")
        try await daemon.stop()
    }
    func testModelsGetTheSessionsTurnsAndRelevantFactsWithSources() async throws {
        let openAI = try fakeOpenAI()
        defer { openAI.stop() }
        let broker = try TestBroker()
        defer { broker.stop() }
        let state = try temporaryFolder("gateway")
        defer { try? FileManager.default.removeItem(atPath: state) }
        let deadLocal = "http://127.0.0.1:\(try LoopbackPort.free())/v1"
        let daemon = try await startDaemon(
            broker: broker, state: state, toml: models(local: deadLocal, cloud: openAI.url("/v1")))
        let requester = try await connectRequester(to: broker)
        defer { Task { await requester.close() } }

        let added = try envelope(
            try await requester.send(
                op: "memory/add",
                body: ["text": "The garage door code is changed every March.", "source": "house-notes.md"],
                timeout: .seconds(10)))
        XCTAssertEqual(added["status"], "ok", "\(added)")
        let first = try envelope(
            try await requester.send(
                op: "ask", body: ["prompt": "When is the garage door code changed?", "session": "kitchen"],
                timeout: .seconds(30)))
        XCTAssertEqual(first["data"]?.objectValue?["sources"], ["house-notes.md"])
        let system = (openAI.requests.last?.json["messages"] as? [[String: Any]])?.first?["content"] as? String
        XCTAssertTrue(system?.contains("The garage door code is changed every March.") ?? false, "\(system ?? "")")

        _ = try await requester.send(
            op: "ask", body: ["prompt": "And who changes it?", "session": "kitchen"], timeout: .seconds(30))
        let messages = (openAI.requests.last?.json["messages"] as? [[String: Any]]) ?? []
        let texts = messages.compactMap { $0["content"] as? String }
        XCTAssertTrue(texts.contains("When is the garage door code changed?"), "\(texts)")
        XCTAssertTrue(texts.contains("Paris is the capital of France."), "the earlier answer is part of the session")
        XCTAssertEqual(texts.last, "And who changes it?")

        _ = try await requester.send(
            op: "ask", body: ["prompt": "Unrelated question about tea?", "session": "porch"], timeout: .seconds(30))
        let porch = ((openAI.requests.last?.json["messages"] as? [[String: Any]]) ?? []).compactMap {
            $0["content"] as? String
        }
        XCTAssertFalse(porch.contains("When is the garage door code changed?"), "sessions never see each other")
        try await daemon.stop()
    }
}
