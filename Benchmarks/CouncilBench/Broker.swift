import Foundation

/// A private mosquitto for the benchmark, on a free loopback port, with TCP_NODELAY as `make run` configures it.
final class BenchBroker {
    let port: Int
    private let process = Process()
    private let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "council-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        port = Int.random(in: 20_000...40_000)
        let config = "listener \(port) 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\npersistence false\n"
        try config.write(toFile: directory + "/mosquitto.conf", atomically: true, encoding: .utf8)
        let binary = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        process.executableURL = URL(fileURLWithPath: binary ?? "/usr/sbin/mosquitto")
        process.arguments = ["-c", directory + "/mosquitto.conf"]
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        usleep(300_000)
    }

    var stateDirectory: String { directory + "/state" }

    /// CPU time the broker has used so far, in microseconds (from /proc/<pid>/schedstat; mosquitto is one thread).
    var cpuMicros: Double {
        guard let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/schedstat", encoding: .utf8),
            let nanos = text.split(separator: " ").first.flatMap({ Double($0) })
        else { return .nan }
        return nanos / 1e3
    }

    func stop() {
        // SIGKILL: children of Swift's threads inherit a mask that blocks SIGTERM; the broker keeps nothing.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
