import Foundation
import JSON
import XCTest

/// Attacks on the host's resources and processes: kill(-1), fork and memory bombs, CPU, sleeping forever,
/// survivors of a timeout, output floods.
final class ResourceEscapeTests: XCTestCase {
    func testKillMinusOneDoesNotReachTheHost() async throws {
        // A process of the very uid the sandbox user maps to (nobody), which kill(-1) would reach if it could.
        let sentinel = Process()
        sentinel.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        sentinel.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", "/bin/sleep", "120"]
        try sentinel.run()
        defer {
            kill(sentinel.processIdentifier, SIGKILL)  // SIGTERM may be blocked: spawned from a Swift thread
            sentinel.waitUntilExit()
        }
        let code =
            attackPrelude + """
                attempt("kill_sentinel", lambda: os.kill(\(sentinel.processIdentifier), signal.SIGKILL))
                attempt("kill_parent", lambda: os.kill(\(getpid()), signal.SIGKILL))
                attempt("kill_all", lambda: os.kill(-1, signal.SIGKILL))
                print("alive: yes")
                """
        for outcome in try await runBothWays(python(code)) {
            assertCompleted(outcome)
            assertRefused(outcome, ["kill_sentinel", "kill_parent"], errno: "ESRCH")
            XCTAssertEqual(outcome.report["alive"], "yes", "kill(-1) from pid 1 spares the caller")
            XCTAssertTrue(sentinel.isRunning, "kill(-1) reached a host process")
        }
    }

    func testForkBomb() async throws {
        let code =
            attackPrelude + """
                count = 0
                try:
                    while True:
                        pid = os.fork()
                        if pid == 0:
                            time.sleep(60)
                            os._exit(0)
                        count += 1
                except OSError as e:
                    print("stopped:", name(e.errno))
                print("forks:", count)
                """
        for outcome in try await runBothWays(python(code, limits: ["pids": 12, "wall_ms": 20_000])) {
            assertCompleted(outcome)
            XCTAssertEqual(outcome.report["stopped"], "EAGAIN", outcome.summary)
            let forks = try XCTUnwrap(Int(outcome.report["forks"] ?? ""))
            XCTAssertLessThan(forks, 12)
            XCTAssertGreaterThan(forks, 4, "forking itself works up to the limit")
            XCTAssertLessThan(outcome.durationMillis, 20_000, "the bomb's children died with the program")
        }
    }

    func testHeapMemoryBomb() async throws {
        let code =
            attackPrelude + """
                chunks = []
                try:
                    while len(chunks) < 4096:
                        chunks.append(bytearray(1 << 20))
                except MemoryError:
                    print("stopped: MemoryError", flush=True)
                print("allocated_mib:", len(chunks))
                """
        let limit = 96 << 20
        for outcome in try await runBothWays(python(code, limits: ["memory_bytes": JSONValue(limit)])) {
            let memory = try XCTUnwrap(outcome.limit("memory_bytes"))
            XCTAssertEqual(memory["value"]?.intValue, limit)
            XCTAssertEqual(memory["enforced"], true)
            if memory["by"]?.arrayValue?.contains(where: { $0.stringValue?.hasPrefix("cgroup") ?? false }) == true {
                XCTAssertTrue(outcome.oomKilled, "the memory cgroup's OOM killer: \(outcome.summary)")
                XCTAssertEqual(outcome.signal, Int(SIGKILL))
            } else {
                XCTAssertEqual(outcome.report["stopped"], "MemoryError", outcome.summary)
                XCTAssertLessThan(try XCTUnwrap(Int(outcome.report["allocated_mib"] ?? "")), 96)
            }
            XCTAssertLessThanOrEqual(outcome.maxRSSKilobytes, (limit >> 10) + 16 * 1024, outcome.summary)
        }
    }

    func testTmpfsAndMemfdMemoryBombs() async throws {
        let code =
            attackPrelude + """
                written = 0
                try:
                    with open("/work/bomb", "wb") as f:
                        while True:
                            f.write(b"x" * (1 << 20))
                            written += 1
                except OSError as e:
                    print("tmpfs_stop:", name(e.errno))
                print("tmpfs_mib:", written)
                total = 0
                try:
                    for _ in range(64):
                        fd = os.memfd_create("bomb")
                        while True:
                            os.write(fd, b"x" * (1 << 20))
                            total += 1
                except OSError as e:
                    print("memfd_stop:", name(e.errno))
                print("memfd_mib:", total)
                """
        let limits: JSONObject = [
            "memory_bytes": JSONValue(64 << 20), "workspace_bytes": JSONValue(8 << 20),
            "file_bytes": JSONValue(16 << 20),
        ]
        for outcome in try await runBothWays(python(code, limits: limits)) {
            XCTAssertEqual(outcome.report["tmpfs_stop"], "ENOSPC", outcome.summary)
            XCTAssertLessThanOrEqual(try XCTUnwrap(Int(outcome.report["tmpfs_mib"] ?? "")), 8)
            let memfd = outcome.report["memfd_mib"].flatMap { Int($0) }
            if let memfd {
                // Bounded by the memory cgroup (64 MiB including the workspace) or refused outright.
                XCTAssertLessThanOrEqual(memfd, 64, outcome.summary)
            } else {
                XCTAssertTrue(outcome.oomKilled, "neither stopped nor OOM-killed: \(outcome.summary)")
            }
            if outcome.runner == .unprivileged {
                XCTAssertEqual(outcome.report["memfd_stop"], "EPERM", "no memory cgroup: memfd is denied")
            }
        }
    }

    func testCPUSpin() async throws {
        let code = "while True:\n    pass\n"
        for outcome in try await runBothWays(python(code, limits: ["cpu_ms": 1000, "wall_ms": 10_000])) {
            XCTAssertFalse(outcome.timedOut, "RLIMIT_CPU stops it before the wall clock: \(outcome.summary)")
            XCTAssertTrue([Int(SIGXCPU), Int(SIGKILL)].contains(outcome.signal ?? 0), outcome.summary)
            XCTAssertLessThan(outcome.durationMillis, 8_000)
        }
    }

    func testSleepingForever() async throws {
        let code = "import time\ntime.sleep(10**6)\n"
        for outcome in try await runBothWays(python(code, limits: ["wall_ms": 1000])) {
            XCTAssertTrue(outcome.timedOut, outcome.summary)
            XCTAssertEqual(outcome.signal, Int(SIGKILL))
            XCTAssertNil(outcome.exitCode)
            XCTAssertGreaterThanOrEqual(outcome.durationMillis, 1000)
            XCTAssertLessThan(outcome.durationMillis, 10_000)
        }
    }

    func testTimeoutLeavesNoSurvivors() async throws {
        for runner in Runner.allCases {
            // `sleep 4242.<n>` marks the survivors-to-be in the host's process list.
            let marker = "4242.\(UInt32.random(in: 100_000...999_999))"
            let code =
                attackPrelude + """
                    if os.fork() == 0:
                        os.setsid()
                        if os.fork() == 0:
                            signal.signal(signal.SIGTERM, signal.SIG_IGN)
                            os.execv("/bin/sleep", ["sleep", "\(marker)"])
                        os._exit(0)
                    os.wait()
                    if os.fork() == 0:
                        os.setsid()
                        signal.signal(signal.SIGTERM, signal.SIG_IGN)
                        os.kill(os.getpid(), signal.SIGSTOP)
                        os.execv("/bin/sleep", ["sleep", "\(marker)"])
                    signal.signal(signal.SIGTERM, signal.SIG_IGN)
                    print("ready: yes", flush=True)
                    time.sleep(10**6)
                    """
            let body = python(code, limits: ["wall_ms": 3000])
            let run = Task { runner == .root ? try await runInProcess(body) : try await runUnprivileged(body) }
            var seen: [String] = []
            for _ in 0..<250 where seen.isEmpty {
                seen = hostProcesses(containing: marker)
                try await Task.sleep(for: .milliseconds(10))
            }
            XCTAssertFalse(seen.isEmpty, "the double-forked child ran (the check below can see it)")
            let outcome = try await run.value
            XCTAssertTrue(outcome.timedOut, outcome.summary)
            XCTAssertEqual(outcome.report["ready"], "yes")
            XCTAssertEqual(hostProcesses(containing: marker), [], "survivors after the timeout [\(runner)]")
        }
    }

    func testOutputFlood() async throws {
        let code = "import sys\nwhile True:\n    sys.stdout.write('x' * 8192)\n    sys.stderr.write('y' * 100)\n"
        for outcome in try await runBothWays(python(code, limits: ["output_bytes": 65_536, "wall_ms": 20_000])) {
            XCTAssertTrue(outcome.truncated, outcome.summary.prefix(300).description)
            XCTAssertEqual(outcome.stdout.utf8.count, 65_536)
            XCTAssertLessThanOrEqual(outcome.stderr.utf8.count, 65_536)
            XCTAssertTrue(outcome.stdout.allSatisfy { $0 == "x" })
            XCTAssertFalse(outcome.timedOut, "closing the stream ends the flood, not the wall clock")
        }
    }
}
