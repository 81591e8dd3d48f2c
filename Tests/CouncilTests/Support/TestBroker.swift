import Foundation
import TestSupport

/// A real mosquitto on a free loopback port, started for one test and stopped after it.
final class TestBroker: @unchecked Sendable {  // mutated only by the test that owns it
    let port: Int
    let directory: URL
    private let process = Process()

    /// Starts mosquitto with TCP_NODELAY (as `make run` does) and waits until it accepts connections.
    init(port fixedPort: Int? = nil, extraConfiguration: String = "", allowAnonymous: Bool = true) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("council-broker-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try fixedPort ?? Self.freePort()
        let configuration = """
            listener \(port) 127.0.0.1
            allow_anonymous \(allowAnonymous)
            set_tcp_nodelay true
            persistence false
            \(extraConfiguration)
            """
        let configFile = directory.appendingPathComponent("mosquitto.conf")
        try configuration.write(to: configFile, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: Self.mosquittoPath())
        process.arguments = ["-c", configFile.path]
        let log = directory.appendingPathComponent("mosquitto.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(5)
        while !Self.accepts(port: port) {
            guard Date() < deadline, process.isRunning else {
                throw BrokerError(
                    "mosquitto did not start on port \(port): "
                        + ((try? String(contentsOf: log, encoding: .utf8)) ?? ""))
            }
            usleep(20_000)
        }
    }

    var url: String { "mqtt://127.0.0.1:\(port)" }

    func stop() {
        // SIGKILL: children spawned from test threads inherit a mask that blocks SIGTERM, and a test broker holds
        // nothing worth a clean shutdown.
        if process.processIdentifier > 0 {
            kill(process.processIdentifier, SIGKILL)
            waitForExit(process)
        }
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }

    static func mosquittoPath() -> String {
        for candidate in ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return "/usr/sbin/mosquitto"
    }

    /// A port that was free a moment ago (the kernel picks it).
    static func freePort() throws -> Int { try LoopbackPort.free() }

    static func accepts(port: Int) -> Bool { LoopbackPort.accepts(port) }
}

struct BrokerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Waits up to `seconds` for a child process to exit and returns its exit status (128 + signal when killed), or
/// nil if it is still running. (`Process.waitUntilExit` spins a run loop when called from a Swift concurrency
/// thread on Linux, and `isRunning` is not updated there, so tests reap children themselves.)
@discardableResult
func waitForExit(_ process: Process, seconds: Double = 10) -> Int32? {
    let deadline = Date().addingTimeInterval(seconds)
    let pid = process.processIdentifier
    while Date() < deadline {
        var status: Int32 = 0
        let reaped = waitpid(pid, &status, WNOHANG)
        if reaped == pid {
            let signal = status & 0x7f
            return signal == 0 ? (status >> 8) & 0xff : 128 + signal
        }
        if reaped == -1 && errno == ECHILD {
            // Foundation reaped it first; its state catches up shortly (reading the status before would trap).
            for _ in 0..<200 where process.isRunning { usleep(5_000) }
            return process.isRunning ? -1 : process.terminationStatus
        }
        usleep(5_000)
    }
    return nil
}
