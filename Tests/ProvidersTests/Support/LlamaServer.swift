import Foundation
import Glibc

/// A real llama.cpp OpenAI-compatible server (llama-cpp-python) on the tiny deterministic model, on a free
/// loopback port: `Tests/Tools/tiny-llm/serve.sh PORT VENV` from the repository root.
final class LlamaServer: @unchecked Sendable {  // mutated only by the suite that owns it
    let port: Int
    let log: URL
    private let process = Process()

    /// `http://127.0.0.1:PORT/v1`.
    var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    /// Starts the server and waits until it accepts connections (it loads the model before listening).
    init() throws {
        let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
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
        port = try Self.freePort()
        log = FileManager.default.temporaryDirectory.appendingPathComponent("council-llama-\(port).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.executableURL = tool
        process.arguments = [String(port), venv.path]
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while !Self.accepts(port: port) {
            guard Date() < deadline, process.isRunning else {
                let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                stop()
                throw LlamaServerError("llama.cpp server did not start on port \(port): \(output.suffix(2000))")
            }
            usleep(50_000)
        }
    }

    /// Stops the server (SIGKILL: children of test threads inherit a mask that blocks SIGTERM; it holds nothing).
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: log)
    }

    deinit { stop() }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw LlamaServerError("no free port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

struct LlamaServerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
