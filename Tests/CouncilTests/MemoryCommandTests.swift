import Council
import Foundation
import JSON
import Memory
import Skills
import Store
import XCTest

/// `council knowledge import` and `council memory ...` end to end: the built binary on a real state folder, and a
/// running daemon that sees what the command imported.
final class MemoryCommandTests: XCTestCase {
    var folder: String!
    var stateDirectory: String { folder + "/state" }

    override func setUpWithError() throws { folder = try temporaryFolder("memory-cli") }
    override func tearDown() { try? FileManager.default.removeItem(atPath: folder) }

    private func council(_ arguments: [String]) throws -> CommandResult {
        try runCouncil(arguments + ["--state-dir", stateDirectory], timeout: 60)
    }

    private func write(_ name: String, _ text: String) throws -> String {
        let path = folder + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private let countries = [("France", "Paris"), ("Japan", "Tokyo"), ("Kenya", "Nairobi"), ("Peru", "Lima")]

    func testImportWhileTheDaemonRunsThenAskOverMQTT() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        let daemon = try await RunningDaemon(settings: daemonSettings(broker: broker, stateDirectory: stateDirectory)) {
            database in
            let store = try MemoryStore(database: database, embedder: HashingEmbedder())
            var capabilities = Capabilities(
                skills: [KnowledgeSkill(store: store), MathSkill()], operations: MemoryOperations.all(store: store))
            capabilities.services.append { await store.keepSynchronized(every: .milliseconds(100)) }
            return capabilities
        }
        let requester = try await connectRequester(to: broker)
        let lines = countries.map { #"{"text": "The capital of \#($0.0) is \#($0.1).", "tags": ["capitals"]}"# }
        let file = try write("countries.jsonl", lines.joined(separator: "\n") + "\n")

        let imported = try council(["knowledge", "import", file])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertTrue(imported.stdout.hasPrefix("imported 4 facts from countries.jsonl: 4 added, 0 deduplicated"))

        var reply: JSONObject = [:]
        let deadline = Date().addingTimeInterval(10)
        repeat {
            reply = try envelope(
                try await requester.send(
                    op: "ask", body: ["prompt": "What is the capital of France?"], timeout: .seconds(10)))
            if reply["status"] == "ok" { break }
            try await Task.sleep(for: .milliseconds(100))
        } while Date() < deadline
        let data = try XCTUnwrap(reply["data"]?.objectValue, "\(reply)")
        XCTAssertEqual(data["answer"], "Paris")
        XCTAssertEqual(data["skill"], "knowledge")
        XCTAssertEqual(data["sources"], ["countries.jsonl"])
        let unknown = try envelope(
            try await requester.send(
                op: "ask", body: ["prompt": "What is the capital of Chile?"], timeout: .seconds(10)))
        XCTAssertEqual(unknown["code"], "no_backend")

        // The same file again: every fact is already known.
        let again = try council(["knowledge", "import", file])
        XCTAssertTrue(
            again.stdout.hasPrefix("imported 4 facts from countries.jsonl: 0 added, 4 deduplicated"), again.stdout)
        await requester.close()
        try await daemon.stop()
    }

    func testMemoryCommandsAddSearchExportForget() throws {
        let notes = try write(
            "notes.txt",
            """
            Otters hold hands while they sleep
            so that they do not drift apart.

            Koalas sleep up to twenty hours a day.
            """)
        let imported = try council(["knowledge", "import", notes, "--tag", "animals"])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertTrue(imported.stdout.hasPrefix("imported 2 facts from notes.txt: 2 added"), imported.stdout)
        let added = try council(["memory", "add", "Wombats", "have", "cube-shaped", "droppings.", "--source", "zoo"])
        XCTAssertEqual(added.stdout, "added fact 3\n")

        let search = try council(["memory", "search", "Why", "do", "otters", "hold", "hands?", "-k", "1"])
        XCTAssertEqual(search.status, 0, search.stderr)
        XCTAssertEqual(
            search.stdout,
            "1. Otters hold hands while they sleep so that they do not drift apart. (source: notes.txt; tags: animals; "
                + "id 1)\n")
        let json = try council(["memory", "search", "koalas", "--json"])
        guard case .array(let results) = try JSONParser.parse(json.stdout) else { return XCTFail(json.stdout) }
        XCTAssertEqual(results.first?.objectValue?["text"], "Koalas sleep up to twenty hours a day.")

        let exported = try council(["memory", "export", "--output", folder + "/export.jsonl"])
        XCTAssertEqual(exported.stdout, "exported 3 facts to \(folder!)/export.jsonl\n")
        let lines = try String(contentsOfFile: folder + "/export.jsonl", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 3)
        XCTAssertEqual(try JSONParser.parse(String(lines[2])).objectValue?["source"], "zoo")

        XCTAssertEqual(try council(["memory", "forget", "--tag", "animals"]).stdout, "forgot 2 facts\n")
        let both = try council(["memory", "forget", "--tag", "x", "--source", "y"])
        XCTAssertNotEqual(both.status, 0)
        XCTAssertTrue(both.stderr.contains("give exactly one of --id, --tag, --source or --session"), both.stderr)

        // The export imports back into an empty store.
        let other = folder + "/other"
        let reimported = try runCouncil(["knowledge", "import", folder + "/export.jsonl", "--state-dir", other])
        XCTAssertTrue(reimported.stdout.hasPrefix("imported 3 facts from export.jsonl: 3 added"), reimported.stdout)
    }

    func testBadFilesAreReportedWithTheirLine() throws {
        let bad = try write("bad.jsonl", "{\"text\": \"fine\"}\n{\"text\": 5}\n")
        let result = try council(["knowledge", "import", bad])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, "council: line 2: 'text' must be a string\n")
        let missing = try council(["knowledge", "import", folder + "/missing.jsonl"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("cannot open"), missing.stderr)
        XCTAssertTrue(missing.stderr.contains("No such file or directory"), missing.stderr)
    }
}
