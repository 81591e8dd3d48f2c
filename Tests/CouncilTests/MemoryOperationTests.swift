import Council
import Foundation
import JSON
import Memory
import Skills
import Store
import XCTest

/// The memory ops and the knowledge skill over real MQTT: a real mosquitto, a daemon in this process, a requester.
final class MemoryOperationTests: XCTestCase {
    var broker: TestBroker!
    var daemon: RunningDaemon!
    var requester: Requester!
    var stateDirectory: String!

    override func setUp() async throws {
        broker = try TestBroker()
        stateDirectory = try temporaryFolder("memory-ops")
        try await startDaemon()
        requester = try await connectRequester(to: broker)
    }

    override func tearDown() async throws {
        await requester?.close()
        try await daemon?.stop()
        broker?.stop()
        try? FileManager.default.removeItem(atPath: stateDirectory)
    }

    /// A daemon whose cascade asks the knowledge skill, then math, and which serves the memory ops.
    private func startDaemon() async throws {
        daemon = try await RunningDaemon(settings: daemonSettings(broker: broker, stateDirectory: stateDirectory)) {
            database in
            let store = try MemoryStore(database: database, embedder: HashingEmbedder())
            let conversations = try ConversationMemory(database: database)
            return Capabilities(
                skills: [KnowledgeSkill(store: store), MathSkill()],
                operations: MemoryOperations.all(store: store, conversations: conversations))
        }
    }

    private func send(_ op: String, _ body: JSONObject) async throws -> JSONObject {
        try envelope(try await requester.send(op: op, body: body, timeout: .seconds(10)))
    }

    private func data(_ op: String, _ body: JSONObject) async throws -> JSONObject {
        let reply = try await send(op, body)
        XCTAssertEqual(reply["status"], "ok", "\(op) \(body) → \(reply)")
        return try XCTUnwrap(reply["data"]?.objectValue)
    }

    private func badRequest(_ op: String, _ body: JSONObject) async throws -> String {
        let reply = try await send(op, body)
        XCTAssertEqual(reply["status"], "error", "\(op) \(body) → \(reply)")
        XCTAssertEqual(reply["code"], "bad_request")
        return reply["error"]?.stringValue ?? ""
    }

    func testAddSearchAndDeduplicate() async throws {
        let added = try await data(
            "memory/add",
            [
                "text": "The Nile is about 6,650 km long.", "source": "rivers.txt",
                "tags": ["geography"],
            ])
        let id = try XCTUnwrap(added["id"]?.intValue)
        XCTAssertEqual(added["deduplicated"], false)
        XCTAssertEqual(added["kind"], "inserted")
        let again = try await data("memory/add", ["text": "the Nile is about 6,650 km long"])
        XCTAssertEqual(again["id"]?.intValue, id)
        XCTAssertEqual(again["deduplicated"], true)
        _ = try await data("memory/add", ["text": "The Amazon carries more water than any other river."])

        let found = try await data("memory/search", ["query": "How long is the Nile?", "k": 1])
        let results = try XCTUnwrap(found["results"]?.arrayValue)
        XCTAssertEqual(results.count, 1)
        let first = try XCTUnwrap(results.first?.objectValue)
        XCTAssertEqual(first["id"]?.intValue, id)
        XCTAssertEqual(first["text"], "The Nile is about 6,650 km long.")
        XCTAssertEqual(first["source"], "rivers.txt")
        XCTAssertEqual(first["tags"], ["geography"])
        XCTAssertGreaterThan(try XCTUnwrap(first["score"]?.doubleValue), 0)
        XCTAssertGreaterThan(try XCTUnwrap(first["bm25"]?.doubleValue), 0)
        let filtered = try await data("memory/search", ["query": "Nile Amazon", "tags": ["geography"], "k": 10])
        XCTAssertEqual(filtered["results"]?.arrayValue?.count, 1)
    }

    func testKnowledgeAddThenAskAnswersWithoutAnLLMAndAbstainsOtherwise() async throws {
        let added = try await data(
            "knowledge/add",
            [
                "facts": [
                    ["text": "The capital of France is Paris.", "source": "countries.jsonl", "tags": ["capitals"]],
                    ["text": "The capital of Japan is Tokyo.", "source": "countries.jsonl"],
                    ["text": "The capital of France is Paris"],
                ]
            ])
        XCTAssertEqual(added["added"], 2)
        XCTAssertEqual(added["deduplicated"], 1)
        XCTAssertEqual(added["ids"]?.arrayValue?.count, 3)

        let answer = try await data("ask", ["prompt": "What is the capital of France?"])
        XCTAssertEqual(answer["answer"], "Paris")
        XCTAssertEqual(answer["skill"], "knowledge")
        XCTAssertEqual(answer["model"], .null)
        XCTAssertEqual(answer["sources"], ["countries.jsonl"])
        XCTAssertEqual(answer["text"], "The capital of France is Paris. (source: countries.jsonl)")
        XCTAssertEqual(answer["route"], ["knowledge"])

        for question in ["What is the capital of Atlantis?", "What is the population of France?"] {
            let reply = try await send("ask", ["prompt": .string(question)])
            XCTAssertEqual(reply["code"], "no_backend", question)
        }
        let math = try await data("ask", ["prompt": "2 + 2"])
        XCTAssertEqual(math["skill"], "math")
    }

    func testSessionsSeeOnlyTheirOwnFactsAndForgetBySession() async throws {
        _ = try await data("memory/add", ["text": "My locker code is 4471.", "session": "alice"])
        let alice = try await data("memory/search", ["query": "locker code", "session": "alice"])
        XCTAssertEqual(alice["results"]?.arrayValue?.count, 1)
        let bob = try await data("memory/search", ["query": "locker code", "session": "bob"])
        XCTAssertEqual(bob["results"]?.arrayValue?.count, 0)
        let global = try await data("memory/search", ["query": "locker code"])
        XCTAssertEqual(global["results"]?.arrayValue?.count, 0)
        let forgotten = try await data("memory/forget", ["session": "alice"])
        XCTAssertEqual(forgotten["forgotten"], 1)
        XCTAssertEqual(forgotten["turns"], 0)
        let after = try await data("memory/search", ["query": "locker code", "session": "alice"])
        XCTAssertEqual(after["results"]?.arrayValue?.count, 0)
    }

    func testForgetByIdTagAndSource() async throws {
        let first = try await data(
            "memory/add", ["text": "Owls can rotate their heads 270 degrees.", "tags": ["birds"]])
        _ = try await data("memory/add", ["text": "Penguins cannot fly.", "tags": ["birds"], "source": "zoo"])
        _ = try await data("memory/add", ["text": "Bats use echolocation.", "source": "zoo"])
        for (selector, expected) in [
            (["id": first["id"]!], 1), (["tag": "birds"], 1), (["source": "zoo"], 1),
            (["source": "zoo"], 0),
        ] as [(JSONObject, Int)] {
            let forgotten = try await data("memory/forget", selector)
            XCTAssertEqual(forgotten["forgotten"]?.intValue, expected, "\(selector)")
        }
        let left = try await data("memory/search", ["query": "animals birds bats owls"])
        XCTAssertEqual(left["results"]?.arrayValue?.count, 0)
    }

    func testFactsSurviveADaemonRestart() async throws {
        _ = try await data(
            "knowledge/add", ["facts": [["text": "The capital of Kenya is Nairobi.", "source": "atlas"]]])
        try await daemon.stop()
        daemon = nil
        try await startDaemon()
        let answer = try await data("ask", ["prompt": "What is the capital of Kenya?"])
        XCTAssertEqual(answer["answer"], "Nairobi")
        let found = try await data("memory/search", ["query": "Kenya"])
        XCTAssertEqual(found["results"]?.arrayValue?.first?.objectValue?["source"], "atlas")
    }

    func testBadRequestsNameTheField() async throws {
        let cases: [(String, JSONObject, String)] = [
            ("memory/add", [:], "memory/add: 'text' is missing"),
            ("memory/add", ["text": "  "], "memory/add: 'text' is empty"),
            ("memory/add", ["text": "x", "tags": "one"], "memory/add: 'tags' must be an array of strings"),
            ("memory/add", ["text": "x", "tags": [1]], "memory/add: 'tags' must be an array of strings"),
            ("memory/add", ["text": "x", "source": ""], "memory/add: 'source' must not be empty"),
            ("memory/search", ["query": "x", "k": 0], "memory/search: 'k' must be an integer from 1 to 100"),
            ("memory/search", ["query": "x", "k": 2.5], "memory/search: 'k' must be an integer from 1 to 100"),
            ("memory/search", ["k": 3], "memory/search: 'query' is missing"),
            ("memory/forget", [:], "memory/forget: give one of 'id', 'tag', 'source' or 'session'"),
            ("memory/forget", ["id": 1, "tag": "x"], "memory/forget: give only one of"),
            ("memory/forget", ["id": "7"], "memory/forget: 'id' must be an integer from 1"),
            ("knowledge/add", ["facts": []], "knowledge/add: 'facts' must hold 1 to 10000 facts"),
            ("knowledge/add", ["facts": ["text"]], "knowledge/add: facts[0] must be an object"),
            (
                "knowledge/add", ["facts": [["text": "ok"], ["source": "s"]]],
                "knowledge/add: facts[1]: 'text' is missing"
            ),
        ]
        for (op, body, message) in cases {
            let error = try await badRequest(op, body)
            XCTAssertTrue(error.hasPrefix(message), "\(op) \(body): \(error)")
        }
    }
}
