import Foundation
import JSON
import XCTest

@testable import Sandbox

/// Runs on spare children, which were cloned, attached to cgroups limited for the default profile and had their root
/// built before their job was known.
final class SpareChildTests: XCTestCase {
    /// A sandbox whose two spares are ready (waiting generously: they are made in the background).
    private func sandboxWithSpares() async throws -> Sandbox {
        let sandbox = try Sandbox(configuration: SandboxConfiguration(maxConcurrent: 2, spares: 2))
        for _ in 0..<1_000 where sandbox.readySpares < 2 { try await Task.sleep(for: .milliseconds(20)) }
        XCTAssertEqual(sandbox.readySpares, 2, "the spares were made")
        return sandbox
    }

    private func run(_ sandbox: Sandbox, _ body: JSONObject) async throws -> Outcome {
        Outcome(runner: .root, json: try await sandbox.run(try sandbox.job(from: body)).json)
    }

    private func memoryMechanisms(_ outcome: Outcome) -> [String] {
        outcome.limit("memory_bytes")?["by"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    func testASpareTakesAnotherProfilesLimitsHigherOrLower() async throws {
        let sandbox = try await sandboxWithSpares()
        defer { sandbox.stop() }
        let allocate = "x = bytearray(320 << 20)\nprint('survived')"
        // Without a memory cgroup (not root, or none on the host) only the values can be checked.
        let cgroup = memoryMechanisms(try await run(sandbox, python("pass"))).contains { $0.hasPrefix("cgroup") }
        for _ in 0..<1_000 where sandbox.readySpares < 2 { try await Task.sleep(for: .milliseconds(20)) }

        // Above the default profile's 256 MiB, within heavy's 1 GiB: the spare's limits are raised (and stay cgroup
        // limits: memsw may never be below the memory limit, so raising writes it first).
        var heavy = python(allocate)
        heavy["profile"] = "heavy"
        let raised = try await run(sandbox, heavy)
        XCTAssertEqual(raised.stdout, "survived\n", raised.summary)
        XCTAssertEqual(raised.limit("memory_bytes")?["value"]?.intValue, 1 << 30)
        XCTAssertEqual(memoryMechanisms(raised).contains { $0.hasPrefix("cgroup") }, cgroup, raised.summary)

        // Lowered by the request below the default profile: the memory cgroup (else RLIMIT_AS) stops the program.
        let lowered = try await run(sandbox, python(allocate, limits: ["memory_bytes": JSONValue(64 << 20)]))
        XCTAssertEqual(memoryMechanisms(lowered).contains { $0.hasPrefix("cgroup") }, cgroup, lowered.summary)
        XCTAssertEqual(lowered.oomKilled, cgroup, lowered.summary)
        XCTAssertFalse(lowered.stdout.contains("survived"))
    }

    func testNothingOfARunIsLeftRunningOnceItsResultArrives() async throws {
        let sandbox = try await sandboxWithSpares()
        defer { sandbox.stop() }
        let marker = "4343.\(UInt32.random(in: 100_000...999_999))"
        // Neither holds the output pipes, which would keep the run open until they die anyway.
        let code = """
            import os, subprocess
            quiet = dict(stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            subprocess.Popen(["/bin/sleep", "\(marker)"], **quiet)
            if os.fork() == 0:
                os.setsid()
                null = os.open("/dev/null", os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(null, fd)
                os.execv("/bin/sleep", ["sleep", "\(marker)"])
            print("left: 2", flush=True)
            """
        let outcome = try await run(sandbox, python(code))
        XCTAssertEqual(outcome.exitCode, 0, outcome.summary)
        XCTAssertEqual(outcome.report["left"], "2")
        XCTAssertEqual(hostProcesses(containing: marker), [], "the program's descendants died before the result")
    }
}
