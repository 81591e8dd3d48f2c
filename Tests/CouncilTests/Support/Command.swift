import Foundation

/// The outcome of running a command to completion.
struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs the `council` executable with `arguments` and waits (up to `timeout` seconds) for it to exit.
func runCouncil(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 30) throws
    -> CommandResult
{
    let folder = try temporaryFolder("cmd")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let out = folder + "/stdout", err = folder + "/stderr"
    let process = try startCouncil(arguments, environment: environment, stdout: out, stderr: err)
    guard let status = waitForExit(process, seconds: timeout) else {
        kill(process.processIdentifier, SIGKILL)
        waitForExit(process)
        throw BrokerError("council \(arguments.joined(separator: " ")) did not exit within \(timeout) s")
    }
    return CommandResult(
        status: status, stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
}

/// Starts the `council` executable with output sent to files.
func startCouncil(_ arguments: [String], environment: [String: String] = [:], stdout: String, stderr: String) throws
    -> Process
{
    _ = FileManager.default.createFile(atPath: stdout, contents: nil)
    _ = FileManager.default.createFile(atPath: stderr, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: councilExecutablePath())
    process.arguments = arguments
    var merged = ProcessInfo.processInfo.environment
    merged.removeValue(forKey: "COUNCIL_MQTT_PASSWORD")
    for (key, value) in environment { merged[key] = value }
    process.environment = merged
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdout))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderr))
    try process.run()
    return process
}

/// Polls a file until it contains `text` (true) or the timeout passes (false).
func waitForText(_ text: String, inFile path: String, timeout: Double = 10) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if let contents = try? String(contentsOfFile: path, encoding: .utf8), contents.contains(text) { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return false
}
