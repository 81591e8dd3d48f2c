import Foundation
import Glibc

/// A real llama.cpp OpenAI-compatible server (llama-cpp-python) on the tiny deterministic model, on a free
/// loopback port: `Tests/Tools/tiny-llm/serve.sh PORT VENV` from the repository root.
public final class LlamaServer: @unchecked Sendable {  // mutated only by the suite that owns it
    /// The port it listens on.
    public let port: Int
    /// Its output.
    public let log: URL
    private let process = Process()

    /// `http://127.0.0.1:PORT/v1`.
    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    /// Starts the server and waits until it accepts connections (it loads the model before listening).
    public init() throws {
        // Tests/TestSupport/LlamaServer.swift → the repository's root.
        let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let venv =
            ProcessInfo.processInfo.environment["COUNCIL_LLM_VENV"].map { URL(fileURLWithPath: $0) }
            ?? root.appendingPathComponent(".venv-llm")
        let tool = root.appendingPathComponent("Tests/Tools/tiny-llm/serve.sh")
        guard FileManager.default.isExecutableFile(atPath: tool.path) else {
            throw LlamaServerError(
                "the tiny-llm tool is missing at \(tool.path)"
            )
        }
        guard FileManager.default.isExecutableFile(atPath: venv.appendingPathComponent("bin/python").path) else {
            throw LlamaServerError(
                """
                no llama-cpp-python virtualenv at \(venv.path). Create it once (about 8 minutes, needs cmake, g++ and \
                python3-venv): python3 -m venv \(venv.path) && \(venv.path)/bin/pip install \
                "llama-cpp-python[server]==0.3.36" "gguf==0.19.0" numpy — or point COUNCIL_LLM_VENV at an existing one
                """)
        }
        port = try LoopbackPort.free()
        log = FileManager.default.temporaryDirectory.appendingPathComponent("council-llama-\(port).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.executableURL = tool
        process.arguments = [String(port), venv.path]
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while !LoopbackPort.accepts(port) {
            guard Date() < deadline, process.isRunning else {
                let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                stop()
                throw LlamaServerError("llama.cpp server did not start on port \(port): \(output.suffix(2000))")
            }
            usleep(50_000)
        }
    }

    /// Stops the server (SIGKILL: children of test threads inherit a mask that blocks SIGTERM; it holds nothing).
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: log)
    }

    deinit { stop() }
}

/// Why the llama.cpp server could not start.
public struct LlamaServerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
