import Bus
import Council
import Foundation
import JSON
import Sandbox
import Skills
import XCTest

/// `exec` with `"artifacts"` over MQTT: a real mosquitto, a daemon in this process, real python3 in the real sandbox.
final class ExecArtifactsTests: XCTestCase {
    func testExecReturnsTheFilesTheProgramLeftBehind() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let state = try temporaryFolder("exec-artifacts")
        defer { try? FileManager.default.removeItem(atPath: state) }
        let sandbox = try Sandbox(configuration: SandboxConfiguration(maxConcurrent: 2))
        let daemon = try await RunningDaemon(settings: daemonSettings(broker: broker, stateDirectory: state)) { _ in
            Capabilities(skills: [MathSkill()], operations: [ExecOperation(sandbox: sandbox)])
        }
        let requester = try await connectRequester(to: broker)
        func exec(_ body: JSONObject) async throws -> JSONObject {
            try envelope(try await requester.send(op: "exec", body: body, timeout: .seconds(30)))
        }

        let code = """
            import os
            os.makedirs("plots", exist_ok=True)
            open("plots/chart.svg", "w").write("<svg/>")
            open("raw.bin", "wb").write(bytes([0, 1, 254, 255]))
            os.symlink("/etc/passwd", "passwd")
            open("big.txt", "w").write("z" * 2048)
            """
        let reply = try await exec([
            "language": "python", "code": .string(code), "files": ["input.txt": "unchanged"],
            "artifacts": ["max_file_bytes": 1024],
        ])
        XCTAssertEqual(reply["status"], "ok", "\(reply)")
        let data = try XCTUnwrap(reply["data"]?.objectValue)
        XCTAssertEqual(data["exit_code"], 0, "\(data)")
        XCTAssertEqual(data["artifacts_collected"], true)
        XCTAssertEqual(
            data["artifacts"],
            [
                ["path": "plots/chart.svg", "size": 6, "content": "<svg/>", "encoding": "utf8"],
                ["path": "raw.bin", "size": 4, "content": "AAH+/w==", "encoding": "base64"],
            ])
        XCTAssertEqual(
            data["skipped_artifacts"],
            [
                ["path": "big.txt", "reason": "2048 bytes, over the 1024-byte cap per file"],
                ["path": "passwd", "reason": "symbolic link (not followed)"],
            ])

        let plain = try await exec(["language": "python", "code": "open('x', 'w').write('x')"])
        XCTAssertNil(plain["data"]?.objectValue?["artifacts"], "no artifacts unless asked for")

        let refused = try await exec(["language": "python", "code": "pass", "artifacts": ["max_files": "all"]])
        XCTAssertEqual(refused["code"], "bad_request")
        XCTAssertTrue(refused["error"]?.stringValue?.contains("artifacts.max_files") ?? false, "\(refused)")

        await requester.close()
        try await daemon.stop()
    }
}
