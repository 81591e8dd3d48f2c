import Foundation
import JSON
import Sandbox
import XCTest

/// Files a program leaves in its workspace, as a user of `exec` with `"artifacts"` gets them back.
final class ArtifactTests: XCTestCase {
    func testNestedTextAndBinaryFilesComeBackByteForByte() async throws {
        let code = """
            import os
            os.makedirs("out/deep/er", exist_ok=True)
            open("out/report.csv", "w").write("a,b\\n1,2\\n")
            open("out/deep/er/all.bin", "wb").write(bytes(range(256)) * 3)
            open("out/empty", "w").close()
            open("changed.txt", "a").write(" and more")
            print("done")
            """
        let body = collecting(python(code, files: ["changed.txt": "seed", "untouched.txt": "same"]))
        for outcome in try await runBothWays(body) {
            XCTAssertEqual(outcome.exitCode, 0, outcome.summary)
            XCTAssertEqual(outcome.json["artifacts_collected"], true, outcome.summary)
            let files = try artifacts(outcome)
            XCTAssertEqual(
                files.keys.sorted(), ["changed.txt", "out/deep/er/all.bin", "out/empty", "out/report.csv"],
                "the code's file and unchanged input files are no artifacts [\(outcome.runner)]")
            XCTAssertEqual(files["out/report.csv"], Array("a,b\n1,2\n".utf8))
            XCTAssertEqual(files["out/deep/er/all.bin"], Array((0...255).map { UInt8($0) }) + (0...255) + (0...255))
            XCTAssertEqual(files["out/empty"], [])
            XCTAssertEqual(files["changed.txt"], Array("seed and more".utf8))
            let entries = outcome.json["artifacts"]?.arrayValue?.compactMap(\.objectValue) ?? []
            let binary = try XCTUnwrap(entries.first { $0["path"] == "out/deep/er/all.bin" })
            XCTAssertEqual(binary["encoding"], "base64")
            XCTAssertEqual(binary["size"], 768)
            XCTAssertEqual(entries.first { $0["path"] == "out/report.csv" }?["encoding"], "utf8")
            XCTAssertEqual(outcome.json["skipped_artifacts"], [])
        }
    }

    func testLinksFifosSocketsAndUnreadableFilesAreSkippedAndNoOutsideContentAppears() async throws {
        let code = """
            import os, socket
            os.symlink("/etc/passwd", "passwd")
            os.symlink("/etc", "etc")
            os.symlink("/proc/self/root/etc/hosts", "hosts")
            os.mkfifo("pipe")
            socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).bind("sock")
            open("mine.txt", "w").write("mine")
            os.link("mine.txt", "also-mine.txt")
            try:
                os.link("/etc/passwd", "hard-passwd")
            except OSError as e:
                print("hard link:", e.errno)
            open("locked", "w").write("x")
            os.chmod("locked", 0)
            """
        for outcome in try await runBothWays(collecting(python(code))) {
            XCTAssertEqual(outcome.exitCode, 0, outcome.summary)
            XCTAssertEqual(outcome.stdout, "hard link: \(EXDEV)\n", "no hard link across file systems")
            let files = try artifacts(outcome)
            XCTAssertEqual(files.keys.sorted(), ["also-mine.txt", "mine.txt"], outcome.summary)
            XCTAssertEqual(files["also-mine.txt"], Array("mine".utf8), "a hard link is a file like any other")
            XCTAssertEqual(
                skipped(outcome),
                [
                    "etc": "symbolic link (not followed)", "hosts": "symbolic link (not followed)",
                    "locked": "unreadable: Permission denied", "passwd": "symbolic link (not followed)",
                    "pipe": "FIFO", "sock": "socket",
                ])
            let everything = JSONValue.object(outcome.json).encodedString()
            for leak in ["root:x:0:0", "sandbox:x:1000", "localhost"] {
                XCTAssertFalse(everything.contains(leak), "\(leak) leaked [\(outcome.runner)]")
            }
        }
    }

    func testCapsReportWhatTheyLeaveOut() async throws {
        let sizes = python(
            """
            import os
            os.makedirs("a/b/c", exist_ok=True)
            open("a/shallow.txt", "w").write("s")
            open("a/b/c/deep.txt", "w").write("d")
            open("fits", "wb").write(b"f" * 1000)
            open("too-big", "wb").write(b"b" * 1001)
            open("second", "wb").write(b"s" * 900)
            """)
        let capped = try await runInProcess(
            collecting(sizes, ["max_file_bytes": 1000, "max_total_bytes": 1500, "max_depth": 1]))
        XCTAssertEqual(capped.exitCode, 0, capped.summary)
        let files = try artifacts(capped)
        XCTAssertTrue(files["a/shallow.txt"] != nil && files["a/b/c/deep.txt"] == nil, capped.summary)
        let skips = skipped(capped)
        XCTAssertEqual(skips["a/b"], "directory past the depth cap (1)")
        XCTAssertEqual(skips["too-big"], "1001 bytes, over the 1000-byte cap per file")
        // Of `fits` and `second` only one fits the total; which depends on the directory's order.
        XCTAssertEqual(files.keys.filter { ["fits", "second"].contains($0) }.count, 1, capped.summary)
        let overTotal = skips.filter { $0.value.hasSuffix("past the 1500-byte cap for all files") }
        XCTAssertEqual(overTotal.count, 1, capped.summary)

        let many = python("for i in range(70):\n    open(f'f{i:03}', 'w').write(str(i))")
        let counted = try await runInProcess(collecting(many))
        XCTAssertEqual(try artifacts(counted).count, 64)
        XCTAssertEqual(skipped(counted).count, 6)
        XCTAssertTrue(skipped(counted).values.allSatisfy { $0 == "past the cap of 64 files" }, counted.summary)

        let raised = try await runInProcess(collecting(many, ["max_files": 1000]))
        XCTAssertEqual(try artifacts(raised).count, 64, "a request lowers the caps, never raises them")

        let flood = try await runInProcess(
            collecting(python("for i in range(140):\n    open(f'f{i:03}', 'w').write('x')"), ["max_files": 4]))
        XCTAssertEqual(try artifacts(flood).count, 4)
        XCTAssertEqual(skipped(flood).count, 64, "skipped entries are listed up to a cap")
        XCTAssertEqual(flood.json["skipped_artifacts_unlisted"], 72, "and counted past it")
    }

    func testABackgroundWriterNeitherHangsNorCorruptsCollection() async throws {
        let code = """
            import os, time
            if os.fork() == 0:
                os.setsid()
                if os.fork():
                    os._exit(0)
                n = 0
                while True:
                    with open("log.txt", "a") as log:
                        log.write("%07d\\n" % n)
                    open("spam-%02d" % (n % 20), "w").write("y" * 100)
                    with open("flip.bin", "wb") as flip:
                        flip.write(b"AB"[n % 2:][:1] * 65536)
                    n += 1
            time.sleep(0.3)
            print("leaving")
            """
        for outcome in try await runBothWays(collecting(python(code))) {
            XCTAssertEqual(outcome.exitCode, 0, outcome.summary)
            XCTAssertFalse(outcome.timedOut, outcome.summary)
            XCTAssertEqual(outcome.json["artifacts_collected"], true, outcome.summary)
            let files = try artifacts(outcome)
            let log = try XCTUnwrap(files["log.txt"], outcome.summary)
            let lines = String(decoding: log, as: UTF8.self).split(separator: "\n")
            XCTAssertEqual(log.count, lines.count * 8, "whole 8-byte records only")
            XCTAssertEqual(lines.map { Int($0) }, Array(0..<lines.count), "a consistent snapshot")
            XCTAssertGreaterThan(lines.count, 0)
            let flip = try XCTUnwrap(files["flip.bin"], outcome.summary)
            XCTAssertLessThanOrEqual(Set(flip).count, 1, "one rewrite or the other, never a mix")
            XCTAssertTrue(flip.isEmpty || [UInt8(ascii: "A"), UInt8(ascii: "B")].contains(flip[0]))
            for (path, bytes) in files where path.hasPrefix("spam-") {
                XCTAssertTrue(bytes.isEmpty || bytes == Array(repeating: UInt8(ascii: "y"), count: 100), path)
            }
        }
    }

    func testATimedOutRunReturnsNoArtifactsAndSaysSo() async throws {
        let code = "import time\nopen('partial.txt', 'w').write('half')\ntime.sleep(30)"
        let outcome = try await runInProcess(collecting(python(code, limits: ["wall_ms": 800])))
        XCTAssertTrue(outcome.timedOut, outcome.summary)
        XCTAssertEqual(outcome.json["artifacts_collected"], false)
        XCTAssertEqual(outcome.json["artifacts"], [])
        XCTAssertTrue(outcome.json["artifacts_error"]?.stringValue?.contains("timed out") ?? false, outcome.summary)
    }

    func testWithoutTheFieldNothingIsCollectedOrReported() async throws {
        let code = "open('left.txt', 'w').write('behind')\nprint('ok')"
        for body in [python(code), collecting(python(code), false)] {
            let outcome = try await runInProcess(body)
            XCTAssertEqual(outcome.stdout, "ok\n")
            for key in ["artifacts", "skipped_artifacts", "artifacts_collected", "artifacts_error"] {
                XCTAssertNil(outcome.json[key], key)
            }
        }
    }

    func testEachRunGetsItsOwnArtifactsWithAndWithoutSpareChildren() async throws {
        for spares in [0, 2] {
            let sandbox = try Sandbox(configuration: SandboxConfiguration(maxConcurrent: 2, spares: spares))
            for round in 0..<6 {
                let tag = "run\(round)"
                let code = "import sys\ntag = sys.stdin.read()\nopen(tag + '.out', 'w').write(tag * 2)"
                var body = python(code, stdin: tag, files: ["\(tag).in": "input"])
                if round % 3 != 2 { body = collecting(body) }  // collection off in some rounds: the spec is per job
                let result = try await sandbox.run(try sandbox.job(from: body))
                XCTAssertEqual(result.exitCode, 0, result.stderr)
                if round % 3 == 2 {
                    XCTAssertEqual(result.artifactCollection, .off)
                    XCTAssertEqual(result.artifacts, [])
                } else {
                    XCTAssertEqual(result.artifactCollection, .collected, "spares: \(spares)")
                    XCTAssertEqual(
                        result.artifacts, [SandboxArtifact(path: "\(tag).out", contents: Array((tag + tag).utf8))])
                    XCTAssertEqual(result.skippedArtifacts, [])
                }
                try await Task.sleep(for: .milliseconds(50))  // lets the pool make its next spare
            }
            sandbox.stop()
        }
        rootSandbox.stop()
        XCTAssertEqual(leftoverCgroups(of: getpid()), [])
        XCTAssertEqual(liveChildren(), [])
    }

    func testInvalidArtifactRequestsAreRefusedNamingTheField() throws {
        let cases: [(JSONValue, String)] = [
            ("yes", "'artifacts' must be true, false or an object"),
            (3, "'artifacts' must be true, false or an object"),
            (["max_files": 0], "'artifacts.max_files' must be an integer of at least 1"),
            (["max_file_bytes": -1], "'artifacts.max_file_bytes' must be"),
            (["max_depth": 1.5], "'artifacts.max_depth' must be"),
            (["max_total_bytes": "4k"], "'artifacts.max_total_bytes' must be"),
            (["colour": 1], "'artifacts.colour' is not an artifact cap"),
        ]
        for (value, expected) in cases {
            XCTAssertThrowsError(try rootSandbox.job(from: collecting(python("pass"), value)), "\(value)") { error in
                let error = error as? SandboxError
                XCTAssertEqual(error?.code, .badRequest, "\(value)")
                XCTAssertTrue(error?.message.contains(expected) ?? false, "\(error?.message ?? "") vs \(expected)")
            }
        }
        let lowered = try rootSandbox.job(from: collecting(python("pass"), ["max_files": 3, "max_depth": 0]))
        XCTAssertEqual(lowered.artifacts, ArtifactPolicy(maxFiles: 3, maxDepth: 0))
        XCTAssertEqual(try rootSandbox.job(from: collecting(python("pass"))).artifacts, ArtifactPolicy())
    }
}

/// `body` asking for artifacts (`true`, `false` or an object of caps).
func collecting(_ body: JSONObject, _ artifacts: JSONValue = true) -> JSONObject {
    var body = body
    body["artifacts"] = artifacts
    return body
}

/// The artifacts of a reply, path → bytes, decoded from UTF-8 text or base64 as the entry says.
func artifacts(_ outcome: Outcome, file: StaticString = #filePath, line: UInt = #line) throws -> [String: [UInt8]] {
    var files: [String: [UInt8]] = [:]
    for entry in try XCTUnwrap(outcome.json["artifacts"]?.arrayValue, outcome.summary, file: file, line: line) {
        let object = try XCTUnwrap(entry.objectValue)
        let path = try XCTUnwrap(object["path"]?.stringValue)
        let content = try XCTUnwrap(object["content"]?.stringValue)
        let bytes: [UInt8]
        switch object["encoding"]?.stringValue {
        case "utf8": bytes = Array(content.utf8)
        case "base64": bytes = Array(try XCTUnwrap(Data(base64Encoded: content), path))
        default: throw RunnerError("\(path): unknown encoding in \(outcome.summary)")
        }
        XCTAssertEqual(object["size"]?.intValue, bytes.count, path, file: file, line: line)
        XCTAssertNil(files[path], "\(path) twice", file: file, line: line)
        files[path] = bytes
    }
    return files
}

/// The skipped entries of a reply, path → reason.
func skipped(_ outcome: Outcome) -> [String: String] {
    var entries: [String: String] = [:]
    for entry in outcome.json["skipped_artifacts"]?.arrayValue ?? [] {
        guard let path = entry.objectValue?["path"]?.stringValue else { continue }
        entries[path] = entry.objectValue?["reason"]?.stringValue
    }
    return entries
}
