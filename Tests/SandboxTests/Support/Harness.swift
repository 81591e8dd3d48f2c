import Foundation
import JSON
import Sandbox
import XCTest

/// The fake secret planted in this process's environment and in a config file, which no sandbox may see. The test
/// code spells it in pieces (`secretParts`) so that the program file itself never contains it.
let secretParts = ["sk-council", "FAKE", "d41d8cd98f00b204"]
let plantedSecret = secretParts.joined(separator: "-")
let secretEnvironmentName = "COUNCIL_TEST_FAKE_API_KEY"

/// The folder of the config file holding the secret: one per test process, removed when the process exits.
func secretFolder() -> String { "/tmp/council-secrets-\(getpid())" }

/// The config file holding the secret, made once per test process.
let secretConfigPath: String = {
    let folder = secretFolder()
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    atexit {
        unlink(secretFolder() + "/council.toml")
        rmdir(secretFolder())
    }
    let path = folder + "/council.toml"
    try? "[[models]]\nname = \"cloud\"\napi_key = \"\(plantedSecret)\"\n".write(
        toFile: path, atomically: true, encoding: .utf8)
    setenv(secretEnvironmentName, plantedSecret, 1)
    return path
}()

/// One sandbox for the whole in-process suite, running as this process's user (root here). Spare children as the
/// default configuration keeps them, or as many as `COUNCIL_TEST_SANDBOX_SPARES` says (0 runs every attack on a
/// child spawned for it).
let rootSandbox: Sandbox = {
    _ = secretConfigPath
    let spares = ProcessInfo.processInfo.environment["COUNCIL_TEST_SANDBOX_SPARES"].flatMap { Int($0) }
    return try! Sandbox(
        configuration: SandboxConfiguration(maxConcurrent: 4, spares: spares ?? SandboxConfiguration().spares))
}()

/// Who ran the attack: the suite's own process (root), or the runner started as `nobody`.
enum Runner: String, CaseIterable {
    case root
    case unprivileged
}

/// What a run returned, read from the `exec` reply object either way.
struct Outcome {
    let runner: Runner
    let json: JSONObject

    var exitCode: Int? { json["exit_code"]?.intValue }
    var signal: Int? { json["signal"]?.intValue }
    var timedOut: Bool { json["timed_out"]?.boolValue ?? false }
    var oomKilled: Bool { json["oom_killed"]?.boolValue ?? false }
    var truncated: Bool { json["truncated"]?.boolValue ?? false }
    var stdout: String { json["stdout"]?.stringValue ?? "" }
    var stderr: String { json["stderr"]?.stringValue ?? "" }
    var durationMillis: Double { json["duration_ms"]?.doubleValue ?? 0 }
    var maxRSSKilobytes: Int { json["max_rss_kb"]?.intValue ?? 0 }
    /// `name: value` lines the attack printed.
    var report: [String: String] {
        var fields: [String: String] = [:]
        for line in stdout.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return fields
    }
    func limit(_ name: String) -> JSONObject? { json["limits"]?.objectValue?[name]?.objectValue }
    /// For assertion messages.
    var summary: String { "[\(runner.rawValue)] \(JSONValue.object(json).encodedString())" }
}

/// Runs an `exec` request body as root in this process.
func runInProcess(_ body: JSONObject) async throws -> Outcome {
    let result = try await rootSandbox.run(try rootSandbox.job(from: body))
    return Outcome(runner: .root, json: result.json)
}

/// Runs an `exec` request body through the runner executable as uid/gid 65534, the way a daemon running as an
/// unprivileged system user would; the planted secret is in its environment too.
func runUnprivileged(_ body: JSONObject, timeout: Double = 60) async throws -> Outcome {
    _ = secretConfigPath
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
    process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", "--", runnerPath()]
    var environment = ProcessInfo.processInfo.environment
    environment[secretEnvironmentName] = plantedSecret
    process.environment = environment
    let input = Pipe(), output = Pipe(), errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    let exited = ExitSignal()
    process.terminationHandler = { _ in exited.fire() }
    try process.run()
    input.fileHandleForWriting.write(Data(JSONValue.object(body).encoded()))
    try input.fileHandleForWriting.close()
    let stdout = output.fileHandleForReading.readDataToEndOfFile()
    let stderr = errors.fileHandleForReading.readDataToEndOfFile()
    guard await exited.wait(seconds: timeout) else {
        process.terminate()
        throw RunnerError("the runner did not exit within \(timeout) s")
    }
    guard case .object(let reply) = try JSONParser.parse(Array(stdout)) else {
        throw RunnerError("runner printed no JSON object: \(String(decoding: stdout, as: UTF8.self))")
    }
    guard process.terminationStatus == 0 else {
        throw RunnerError(
            "runner failed (\(process.terminationStatus)): \(JSONValue.object(reply).encodedString())"
                + String(decoding: stderr, as: UTF8.self))
    }
    return Outcome(runner: .unprivileged, json: reply)
}

/// Runs the same request both ways.
func runBothWays(_ body: JSONObject) async throws -> [Outcome] {
    [try await runInProcess(body), try await runUnprivileged(body)]
}

/// A python request body.
func python(_ code: String, limits: JSONObject = [:], stdin: String? = nil, files: JSONObject? = nil) -> JSONObject {
    var body: JSONObject = ["language": "python", "code": .string(code)]
    if !limits.isEmpty { body["limits"] = .object(limits) }
    if let stdin { body["stdin"] = .string(stdin) }
    if let files { body["files"] = .object(files) }
    return body
}

/// The runner executable next to the test bundle.
func runnerPath() -> String {
    let bundle =
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    return URL(fileURLWithPath: bundle).deletingLastPathComponent().appendingPathComponent("SandboxRunner").path
}

struct RunnerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A one-shot signal a termination handler fires and a test awaits.
final class ExitSignal: @unchecked Sendable {  // guarded by `lock`
    private let lock = NSLock()
    private var fired = false

    func fire() { lock.withLock { fired = true } }

    func wait(seconds: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if lock.withLock({ fired }) { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return lock.withLock { fired }
    }
}

/// Host processes whose command line contains `marker`.
func hostProcesses(containing marker: String) -> [String] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.filter { Int($0) != nil }.compactMap { pid in
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
        let line = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
        return line.contains(marker) ? "\(pid): \(line)" : nil
    }
}

/// Cgroup directories a sandbox of process `pid` left behind.
func leftoverCgroups(of pid: pid_t) -> [String] {
    var found: [String] = []
    let prefix = "council-sandbox-\(pid)-"
    for controller in ["memory", "pids", "cpu", "cpuacct", "unified"] {
        let root = "/sys/fs/cgroup/" + controller
        guard let walker = FileManager.default.enumerator(atPath: root) else { continue }
        while let path = walker.nextObject() as? String {
            if (path as NSString).lastPathComponent.hasPrefix(prefix) { found.append(root + "/" + path) }
            if path.split(separator: "/").count > 3 { walker.skipDescendants() }
        }
    }
    return found
}
