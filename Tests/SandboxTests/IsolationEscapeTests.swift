import Foundation
import JSON
import XCTest

/// Sandboxes against each other and against the daemon: seeing a neighbour, leftovers, the daemon's secrets.
final class IsolationEscapeTests: XCTestCase {
    func testTwoConcurrentSandboxesCannotSeeEachOther() async throws {
        let abstractName = "council-pair-\(UUID().uuidString)"
        let code =
            attackPrelude + """
                tag = sys.stdin.read()
                open(f"/work/marker-{tag}", "w").write(tag)
                if tag == "A":
                    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    listener.bind("\\0\(abstractName)")
                    listener.listen(1)
                time.sleep(1.0)
                if tag == "B":
                    attempt("neighbour_socket", lambda: socket.socket(socket.AF_UNIX).connect("\\0\(abstractName)"))
                print("pids:", sorted(int(p) for p in os.listdir("/proc") if p.isdigit()))
                print("markers:", sorted(f for f in os.listdir("/work") if f.startswith("marker-")))
                print("hostname:", socket.gethostname())
                """
        for runner in Runner.allCases {
            func run(_ tag: String) async throws -> Outcome {
                let body = python(code, stdin: tag)
                return runner == .root ? try await runInProcess(body) : try await runUnprivileged(body)
            }
            async let first = run("A")
            async let second = run("B")
            let (a, b) = try await (first, second)
            for (outcome, tag) in [(a, "A"), (b, "B")] {
                assertCompleted(outcome)
                XCTAssertEqual(outcome.report["pids"], "[1, 2]", "its init and itself only: \(outcome.summary)")
                XCTAssertEqual(outcome.report["markers"], "['marker-\(tag)']", "its own workspace only")
                XCTAssertEqual(outcome.report["hostname"], "sandbox")
            }
            assertRefused(b, ["neighbour_socket"], errno: "ECONNREFUSED")
        }
    }

    func testNothingIsLeftBehindAfterARun() async throws {
        let mountsBefore = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
        let code =
            attackPrelude + """
                os.makedirs("/work/a/b", exist_ok=True)
                open("/tmp/left.txt", "w").write("x" * 100000)
                children = [subprocess.Popen(["/bin/sleep", "600"]) for _ in range(3)]
                if os.fork() == 0:
                    os.setsid()
                    time.sleep(600)
                print("started: yes", flush=True)
                """
        for outcome in try await runBothWays(python(code)) {
            assertCompleted(outcome)
            XCTAssertEqual(outcome.report["started"], "yes")
        }
        rootSandbox.stop()  // the spares kept ready for the next runs go too
        XCTAssertEqual(leftoverCgroups(of: getpid()), [], "per-run cgroups are removed")
        XCTAssertEqual(liveChildren(), [], "no spare or sandbox child is left")
        XCTAssertEqual(
            try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8), mountsBefore,
            "no mount reaches the host's namespace")
        XCTAssertEqual(zombieChildren(), [], "every sandbox child is reaped")
        let strays = hostProcesses(containing: "/bin/sleep 600").filter { !$0.contains("setpriv") }
        XCTAssertEqual(strays, [], "the program's children died with it")
        let temporary = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
        XCTAssertFalse(temporary.contains("left.txt"), "the workspace is not the host's /tmp")
    }

    func testTheDaemonsSecretsAreInvisible() async throws {
        _ = secretConfigPath
        XCTAssertEqual(getenv(secretEnvironmentName).map { String(cString: $0) }, plantedSecret)
        let parts = secretParts.map { "\"\($0)\"" }.joined(separator: ", ")
        let code =
            attackPrelude + """
                key = "-".join([\(parts)]).encode()
                found = [f"env:{k}" for k, v in os.environ.items() if key in v.encode()]
                for pid in (p for p in os.listdir("/proc") if p.isdigit()):
                    for item in ("environ", "cmdline"):
                        try:
                            if key in open(f"/proc/{pid}/{item}", "rb").read():
                                found.append(f"/proc/{pid}/{item}")
                        except OSError:
                            pass
                scanned = 0
                for root, dirs, files in os.walk("/"):
                    if root == "/":
                        dirs[:] = [d for d in dirs if d not in ("proc", "usr")]
                    for file in files:
                        path = os.path.join(root, file)
                        if not stat.S_ISREG(os.lstat(path).st_mode):
                            continue  # devices and /dev/stdout's pipe are not where secrets are kept
                        try:
                            with open(path, "rb") as f:
                                scanned += 1
                                if key in f.read(1 << 20):
                                    found.append(path)
                        except OSError:
                            pass
                print("found:", found)
                print("scanned_some:", scanned > 5)
                print("config_visible:", os.path.exists("\(secretConfigPath)"))
                print("init_cmdline:", repr(open("/proc/1/cmdline", "rb").read().strip(b"\\0")))
                attempt("init_environ", lambda: open("/proc/1/environ", "rb").read())
                print("environment:", sorted(os.environ))
                """
        for outcome in try await runBothWays(python(code)) {
            assertCompleted(outcome)
            XCTAssertEqual(outcome.report["found"], "[]", outcome.summary)
            XCTAssertEqual(outcome.report["scanned_some"], "True")
            XCTAssertEqual(outcome.report["config_visible"], "False")
            XCTAssertEqual(outcome.report["init_cmdline"], "b''", "the sandbox's init shows none of the daemon's argv")
            assertRefused(outcome, ["init_environ"], errno: "EACCES")
            XCTAssertEqual(
                outcome.report["environment"],
                "['HOME', 'LANG', 'LC_ALL', 'LOGNAME', 'MALLOC_ARENA_MAX', 'PATH', 'PYTHONDONTWRITEBYTECODE', "
                    + "'PYTHONUNBUFFERED', 'SHELL', 'TMPDIR', 'USER']")
            XCTAssertFalse(outcome.stdout.contains(plantedSecret) || outcome.stderr.contains(plantedSecret))
        }
    }
}

/// Children of this process that are still alive (the runner it starts is waited for).
func liveChildren() -> [String] {
    let me = getpid()
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.filter { Int($0) != nil }.compactMap { pid in
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
        guard fields.count > 2, fields[0] != "Z", Int32(fields[1]) == me else { return nil }
        return stat
    }
}

/// Zombie children of this process.
func zombieChildren() -> [String] {
    let me = getpid()
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.filter { Int($0) != nil }.compactMap { pid in
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
        guard fields.count > 2, fields[0] == "Z", Int32(fields[1]) == me else { return nil }
        return stat
    }
}
