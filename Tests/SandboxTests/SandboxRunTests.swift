import Foundation
import JSON
import Sandbox
import XCTest

/// What a user of the sandbox sees: output, input, files, exit status, limits, queueing, switching it off.
final class SandboxRunTests: XCTestCase {
    func testStdinStdoutStderrFilesAndExitCode() async throws {
        let code = """
            import sys
            data = sys.stdin.read()
            print("stdin:", data.upper())
            print("file:", open("data.csv").read().strip())
            print("cwd:", __import__("os").getcwd())
            print("oops", file=sys.stderr)
            sys.exit(3)
            """
        for outcome in try await runBothWays(python(code, stdin: "hello", files: ["data.csv": "a,b\n1,2"])) {
            XCTAssertEqual(outcome.exitCode, 3)
            XCTAssertNil(outcome.signal)
            XCTAssertEqual(outcome.stdout, "stdin: HELLO\nfile: a,b\n1,2\ncwd: /work\n")
            XCTAssertEqual(outcome.stderr, "oops\n")
            XCTAssertFalse(outcome.timedOut || outcome.oomKilled || outcome.truncated)
            XCTAssertGreaterThan(outcome.durationMillis, 0)
            XCTAssertGreaterThan(outcome.json["cpu_ms"]?.doubleValue ?? 0, 0)
            XCTAssertGreaterThan(outcome.maxRSSKilobytes, 1000)
        }
    }

    func testLargeStdinIsFedWhileOutputIsRead() async throws {
        let input = String(repeating: "0123456789abcdef", count: 65_536)  // 1 MiB, far past a pipe buffer
        let outcome = try await runInProcess(
            python("import sys\nd = sys.stdin.read()\nprint(len(d))\nsys.stdout.write(d[:100000])", stdin: input))
        XCTAssertEqual(outcome.exitCode, 0, outcome.stderr)
        XCTAssertTrue(outcome.stdout.hasPrefix("1048576\n0123456789abcdef"))
        XCTAssertEqual(outcome.stdout.utf8.count, 8 + 100_000)
    }

    func testShellAndEveryOtherInstalledLanguage() async throws {
        let programs = [
            "python": "print('hi from', 'python')", "sh": "echo hi from sh", "bash": "echo hi from bash",
            "perl": "print \"hi from perl\\n\";", "node": "console.log('hi from node')", "ruby": "puts 'hi from ruby'",
        ]
        let installed = rootSandbox.languages.map(\.name)
        XCTAssertTrue(installed.contains("python") && installed.contains("sh"), "\(installed)")
        for language in installed {
            let code = try XCTUnwrap(programs[language], language)
            let outcome = try await runInProcess(["language": .string(language), "code": .string(code)])
            XCTAssertEqual(outcome.exitCode, 0, "\(language): \(outcome.summary)")
            XCTAssertEqual(outcome.stdout, "hi from \(language)\n", language)
        }
    }

    func testRequestsLowerLimitsButNeverRaiseThem() async throws {
        let limits: JSONObject = ["wall_ms": 1500, "memory_bytes": JSONValue(1 << 40), "pids": 8, "output_bytes": 100]
        let outcome = try await runInProcess(python("print('x' * 10)", limits: limits))
        XCTAssertEqual(outcome.limit("wall_ms")?["value"], 1500)
        XCTAssertEqual(outcome.limit("memory_bytes")?["value"]?.intValue, 256 << 20, "not raised past the profile")
        XCTAssertEqual(outcome.limit("pids")?["value"], 8)
        XCTAssertEqual(outcome.limit("output_bytes")?["value"], 100)
        XCTAssertEqual(outcome.limit("cpu_ms")?["value"], 5000, "unrequested limits keep the profile's value")
        for name in SandboxLimit.allCases.map(\.rawValue) {
            let limit = try XCTUnwrap(outcome.limit(name), name)
            XCTAssertNotNil(limit["enforced"]?.boolValue, name)
            XCTAssertTrue(limit["by"] != nil || limit["reason"] != nil, "\(name) says how, or why not")
        }
        XCTAssertEqual(SandboxProfile.heavy.lowered(by: [.memory: 2 << 30])[.memory], 1 << 30)
        XCTAssertEqual(
            SandboxProfile.light.lowered(by: [.pids: 4, .wallTime: 99_999]),
            SandboxProfile(
                name: "light", values: [.pids: 4]))
    }

    func testInvalidRequestsAreRefusedNamingTheField() throws {
        let cases: [(JSONObject, String)] = [
            ([:], "'language' is missing"),
            (["language": 3, "code": "x"], "'language' must be a string"),
            (["language": "cobol", "code": "x"], "unknown language 'cobol'"),
            (["language": "python"], "'code' is missing"),
            (["language": "python", "code": "x", "profile": "huge"], "unknown profile 'huge'"),
            (["language": "python", "code": "x", "limits": 5], "'limits' must be an object"),
            (["language": "python", "code": "x", "limits": ["wall_ms": "soon"]], "'limits.wall_ms' must be"),
            (["language": "python", "code": "x", "limits": ["wall_ms": -1]], "'limits.wall_ms' must be"),
            (["language": "python", "code": "x", "limits": ["wall_ms": 1.5]], "'limits.wall_ms' must be"),
            (["language": "python", "code": "x", "limits": ["speed": 1]], "'limits.speed' is not a limit"),
            (["language": "python", "code": "x", "files": ["../etc/passwd": "x"]], "not a plain file name"),
            (["language": "python", "code": "x", "files": ["a/b": "x"]], "not a plain file name"),
            (["language": "python", "code": "x", "files": ["..": "x"]], "not a plain file name"),
            (["language": "python", "code": "x", "files": ["main.py": "x"]], "where the code goes"),
            (["language": "python", "code": "x", "files": ["a": 1]], "'files.a' must be a string"),
            (["language": "python", "code": "x", "stdin": ["no"]], "'stdin' must be a string"),
            (
                [
                    "language": "python", "code": .string(String(repeating: "#", count: 5000)),
                    "limits": ["workspace_bytes": 4096],
                ], "do not fit the workspace"
            ),
        ]
        for (body, expected) in cases {
            XCTAssertThrowsError(try rootSandbox.job(from: body), "\(body)") { error in
                let error = error as? SandboxError
                XCTAssertEqual(error?.code, .badRequest, "\(body)")
                XCTAssertTrue(error?.message.contains(expected) ?? false, "\(error?.message ?? "") vs \(expected)")
            }
        }
    }

    func testOOMIsReportedWhenAMemoryCgroupHoldsTheRun() async throws {
        let outcome = try await runInProcess(
            python("x = bytearray(200 << 20)\nprint('survived')", limits: ["memory_bytes": JSONValue(64 << 20)]))
        let by = outcome.limit("memory_bytes")?["by"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if geteuid() == 0 && by.contains(where: { $0.hasPrefix("cgroup") }) {
            XCTAssertTrue(outcome.oomKilled, outcome.summary)
            XCTAssertEqual(outcome.signal, Int(SIGKILL))
        } else {
            XCTAssertFalse(outcome.oomKilled)
            XCTAssertTrue(outcome.stderr.contains("MemoryError"), outcome.summary)
        }
        XCTAssertFalse(outcome.stdout.contains("survived"))
        let unprivileged = try await runUnprivileged(
            python("x = bytearray(200 << 20)\nprint('survived')", limits: ["memory_bytes": JSONValue(64 << 20)]))
        XCTAssertFalse(unprivileged.oomKilled, "no memory cgroup for nobody here")
        XCTAssertTrue(unprivileged.stderr.contains("MemoryError"), unprivileged.summary)
        XCTAssertEqual(
            unprivileged.limit("memory_bytes")?["by"]?.arrayValue?.first?.stringValue?.hasPrefix("rlimit RLIMIT_AS"),
            true)
        XCTAssertEqual(unprivileged.limit("cpu_percent")?["enforced"], false, "and it says so")
    }

    func testConcurrencyLimitQueuesRuns() async throws {
        let sandbox = try Sandbox(configuration: SandboxConfiguration(maxConcurrent: 1))
        let job = try sandbox.job(
            from: python("import time\ns = time.monotonic()\ntime.sleep(0.4)\nprint(s, time.monotonic())"))
        async let first = sandbox.run(job)
        async let second = sandbox.run(job)
        async let third = sandbox.run(job)
        let intervals = try await [first, second, third].map { result -> (Double, Double) in
            let numbers = result.stdout.split(separator: " ").compactMap {
                Double($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            return (numbers[0], numbers[1])
        }.sorted { $0.0 < $1.0 }
        for (earlier, later) in zip(intervals, intervals.dropFirst()) {
            XCTAssertLessThanOrEqual(earlier.1, later.0, "one at a time: \(intervals)")
        }
        XCTAssertEqual(sandbox.load.running, 0)
        XCTAssertEqual(sandbox.load.queued, 0)
    }

    func testDisabledSandboxRefusesEveryRun() async throws {
        let sandbox = try Sandbox(configuration: SandboxConfiguration(enabled: false))
        let job = try sandbox.job(from: python("print(1)"))
        do {
            _ = try await sandbox.run(job)
            XCTFail("ran while disabled")
        } catch {
            XCTAssertEqual(error.code, .disabled)
            XCTAssertTrue(error.message.contains("disabled"))
        }
        sandbox.setEnabled(true)
        let result = try await sandbox.run(job)
        XCTAssertEqual(result.stdout, "1\n")
    }

    func testCancellingARunKillsIt() async throws {
        let marker = "4343.\(UInt32.random(in: 100_000...999_999))"
        let job = try rootSandbox.job(
            from: python("import os\nos.execv('/bin/sleep', ['sleep', '\(marker)'])", limits: ["wall_ms": 60_000]))
        let task = Task { try await rootSandbox.run(job) }
        for _ in 0..<250 where hostProcesses(containing: marker).isEmpty {
            try await Task.sleep(for: .milliseconds(10))
        }
        XCTAssertFalse(hostProcesses(containing: marker).isEmpty, "the run started")
        let started = Date()
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("a cancelled run returned a result")
        } catch let error as SandboxError {
            XCTAssertEqual(error.code, .cancelled)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        XCTAssertEqual(hostProcesses(containing: marker), [])
    }

    func testSetupFailuresNameTheStepAndTheErrno() async throws {
        let job = SandboxJob(
            program: .command(executable: "/usr/bin/no-such-interpreter", arguments: []), profile: .light)
        do {
            _ = try await rootSandbox.run(job)
            XCTFail("ran a missing program")
        } catch {
            XCTAssertEqual(error.code, .setupFailed)
            XCTAssertEqual(error.errno, ENOENT)
            XCTAssertTrue(error.description.contains("exec the interpreter"), error.description)
        }
        rootSandbox.stop()
        XCTAssertEqual(leftoverCgroups(of: getpid()), [])
    }

    func testSpareChildrenRunEachJobAloneAndLeaveNothingWhenStopped() async throws {
        let sandbox = try Sandbox(configuration: SandboxConfiguration(maxConcurrent: 2, spares: 2))
        let code = """
            import os, sys
            tag = sys.stdin.read()
            print("files:", sorted(os.listdir(".")))
            print("tag:", open(f"{tag}.txt").read())
            print("pids:", sorted(int(p) for p in os.listdir("/proc") if p.isdigit()))
            """
        // Spares are made in the background: some runs take one, some spawn their own; each sees only its own job.
        for round in 0..<6 {
            let tag = "job\(round)"
            let body = python(code, stdin: tag, files: ["\(tag).txt": .string("secret \(round)")])
            let result = try await sandbox.run(try sandbox.job(from: body))
            XCTAssertEqual(result.exitCode, 0, result.stderr)
            XCTAssertEqual(result.stdout, "files: ['\(tag).txt', 'main.py']\ntag: secret \(round)\npids: [1, 2]\n")
            try await Task.sleep(for: .milliseconds(50))
        }
        sandbox.stop()
        rootSandbox.stop()
        XCTAssertEqual(leftoverCgroups(of: getpid()), [], "spares' cgroups are removed")
        XCTAssertEqual(liveChildren(), [], "spares are killed and reaped")
        XCTAssertEqual(zombieChildren(), [])
    }

    func testSandboxDescribesWhatItCanDo() throws {
        let description = rootSandbox.description
        XCTAssertEqual(description["enabled"], true)
        XCTAssertTrue(description["languages"]?.arrayValue?.contains("python") ?? false)
        XCTAssertEqual(description["profiles"], ["heavy", "light"])
        XCTAssertNotNil(description["cgroups"]?.objectValue?["memory"]?.stringValue)
    }
}
