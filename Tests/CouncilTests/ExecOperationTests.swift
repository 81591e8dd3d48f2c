import Bus
import Council
import Foundation
import JSON
import Sandbox
import Skills
import XCTest

/// The `exec` op over MQTT: a real mosquitto, a daemon in this process, real python3 in the real sandbox.
final class ExecOperationTests: XCTestCase {
    func testExecRunsCodeInTheSandboxAndRefusesWhatItShould() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let state = try temporaryFolder("exec")
        defer { try? FileManager.default.removeItem(atPath: state) }
        let sandbox = try Sandbox(configuration: SandboxConfiguration(maxConcurrent: 2))
        let daemon = try await RunningDaemon(settings: daemonSettings(broker: broker, stateDirectory: state)) { _ in
            Capabilities(skills: [MathSkill()], operations: [ExecOperation(sandbox: sandbox)])
        }
        let requester = try await connectRequester(to: broker)
        func exec(_ body: JSONObject) async throws -> JSONObject {
            try envelope(try await requester.send(op: "exec", body: body, timeout: .seconds(30)))
        }

        let code = "import os, sys\nprint(sys.stdin.read().upper(), open('notes.txt').read(), os.getuid())\nsys.exit(4)"
        let reply = try await exec([
            "language": "python", "code": .string(code), "stdin": "shout", "files": ["notes.txt": "hello"],
            "limits": ["wall_ms": 3000], "transaction": "x-1",
        ])
        XCTAssertEqual(reply["status"], "ok", "\(reply)")
        XCTAssertEqual(reply["transaction"], "x-1")
        let data = try XCTUnwrap(reply["data"]?.objectValue)
        XCTAssertEqual(data["stdout"], "SHOUT hello 1000\n")
        XCTAssertEqual(data["exit_code"], 4)
        XCTAssertEqual(data["signal"], .null)
        XCTAssertEqual(data["timed_out"], false)
        XCTAssertEqual(data["limits"]?.objectValue?["wall_ms"]?.objectValue?["value"], 3000)
        for field in ["oom_killed", "truncated", "stderr", "duration_ms", "cpu_ms", "max_rss_kb"] {
            XCTAssertNotNil(data[field], field)
        }

        let timedOut = try await exec(["language": "sh", "code": "sleep 100", "limits": ["wall_ms": 500]])
        XCTAssertEqual(timedOut["data"]?.objectValue?["timed_out"], true)

        for (body, fragment) in [
            (["language": "cobol", "code": "x"] as JSONObject, "unknown language"),
            (["language": "python", "code": "x", "files": ["../x": "y"]], "not a plain file name"),
            (["language": "python", "code": "x", "limits": ["memory_bytes": "lots"]], "limits.memory_bytes"),
            (["language": "python", "code": "x", "profile": "gigantic"], "unknown profile"),
            (["code": "print(1)"], "'language' is missing"),
        ] {
            let refused = try await exec(body)
            XCTAssertEqual(refused["code"], "bad_request", "\(body)")
            XCTAssertTrue(refused["error"]?.stringValue?.contains(fragment) ?? false, "\(refused)")
        }

        sandbox.setEnabled(false)
        let disabled = try await exec(["language": "python", "code": "print(1)"])
        XCTAssertEqual(disabled["code"], "sandbox_disabled")
        sandbox.setEnabled(true)
        let again = try await exec(["language": "python", "code": "print(6 * 7)"])
        XCTAssertEqual(again["data"]?.objectValue?["stdout"], "42\n")

        await requester.close()
        try await daemon.stop()
    }

    func testCouncilExecRunsAFileLocallyAndMirrorsItsStatus() throws {
        let folder = try temporaryFolder("exec-cli")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "import sys\nprint('hi from the sandbox')\nprint('careful', file=sys.stderr)\nsys.exit(3)\n".write(
            toFile: folder + "/hello.py", atomically: true, encoding: .utf8)
        let plain = try runCouncil(["exec", folder + "/hello.py"])
        XCTAssertEqual(plain.status, 3)
        XCTAssertEqual(plain.stdout, "hi from the sandbox\n")
        XCTAssertTrue(plain.stderr.hasPrefix("careful\ncouncil: exit 3 · "), plain.stderr)

        let json = try runCouncil(["exec", "--json", "--profile", "heavy", folder + "/hello.py"])
        XCTAssertEqual(json.status, 3)
        guard case .object(let data) = try JSONParser.parse(Array(json.stdout.utf8)) else {
            return XCTFail("not a JSON object: \(json.stdout)")
        }
        XCTAssertEqual(data["exit_code"], 3)
        XCTAssertEqual(data["stdout"], "hi from the sandbox\n")
        XCTAssertEqual(data["limits"]?.objectValue?["wall_ms"]?.objectValue?["value"], 60_000, "the heavy profile")

        try "kill -9 $$\n".write(toFile: folder + "/killed.txt", atomically: true, encoding: .utf8)
        let killed = try runCouncil(["exec", "--language", "sh", folder + "/killed.txt"])
        XCTAssertEqual(killed.status, 128 + 9)
        XCTAssertTrue(killed.stderr.contains("killed by signal 9"), killed.stderr)

        let unknown = try runCouncil(["exec", "--language", "cobol", folder + "/hello.py"])
        XCTAssertEqual(unknown.status, 64)
        XCTAssertTrue(unknown.stderr.contains("unknown language 'cobol'"), unknown.stderr)
    }
}
