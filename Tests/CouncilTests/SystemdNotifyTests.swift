import Bus
import Council
import Foundation
import Logging
import Synchronization
import XCTest

/// sd_notify as systemd receives it: datagrams on a socket named by NOTIFY_SOCKET, from the notifier itself and from
/// `council serve` started the way systemd starts it.
final class SystemdNotifyTests: XCTestCase {
    func testNotifierSpeaksTheProtocolToAPathSocket() throws {
        let listener = try NotifyListener()
        let notifier = try SystemdNotifier(socketPath: listener.address)
        XCTAssertTrue(notifier.isEnabled)

        notifier.status("connecting to mqtt://127.0.0.1:1883")
        XCTAssertEqual(try listener.next(), "STATUS=connecting to mqtt://127.0.0.1:1883")
        notifier.ready(status: "serving\non two lines")
        XCTAssertEqual(try listener.next(), "READY=1\nSTATUS=serving on two lines", "a status stays on one line")

        let before = monotonicMicroseconds()
        notifier.reloading(status: "reloading")
        let reloading = try listener.next().split(separator: "\n").map(String.init)
        XCTAssertEqual(reloading.first, "RELOADING=1")
        let stamp = reloading.first { $0.hasPrefix("MONOTONIC_USEC=") }.flatMap { UInt64($0.dropFirst(15)) }
        XCTAssertNotNil(stamp, "RELOADING=1 carries the monotonic time: \(reloading)")
        XCTAssertGreaterThanOrEqual(stamp ?? 0, before)
        XCTAssertLessThanOrEqual(stamp ?? .max, monotonicMicroseconds())
        notifier.reloaded(status: "serving")
        XCTAssertEqual(try listener.next(), "READY=1\nSTATUS=serving", "a reload ends with READY=1")

        notifier.stopping(status: "stopping")
        XCTAssertEqual(try listener.next(), "STOPPING=1\nSTATUS=stopping")
    }

    func testAbstractSocketNamesWork() throws {
        let name = "@council-notify-test-\(UUID().uuidString)"
        let listener = try NotifyListener(address: name)
        let notifier = try SystemdNotifier(socketPath: name)
        notifier.ready(status: "abstract")
        XCTAssertEqual(try listener.next(), "READY=1\nSTATUS=abstract")
    }

    func testReloadDuringStartUpDoesNotDeclareTheDaemonReady() throws {
        let listener = try NotifyListener()
        let notifier = try SystemdNotifier(socketPath: listener.address)
        notifier.reloading(status: "reloading")
        XCTAssertTrue(try listener.next().hasPrefix("RELOADING=1\n"))
        notifier.reloaded(status: "still connecting")
        XCTAssertEqual(try listener.next(), "STATUS=still connecting")
    }

    func testWatchdogPingsOnlyWhileHealthy() async throws {
        let listener = try NotifyListener()
        let notifier = try SystemdNotifier(socketPath: listener.address, watchdogInterval: .milliseconds(20))
        let healthy = Atomic(true)
        let watchdog = Task { await notifier.runWatchdog { healthy.load(ordering: .relaxed) } }
        defer { watchdog.cancel() }
        for _ in 0..<3 { XCTAssertEqual(try listener.next(), "WATCHDOG=1") }

        healthy.store(false, ordering: .relaxed)
        let until = Date().addingTimeInterval(10)
        var message = try listener.next()
        while message == "WATCHDOG=1" && Date() < until { message = try listener.next() }
        XCTAssertEqual(message, "STATUS=unhealthy: withholding watchdog pings, systemd will restart Council")
        XCTAssertNil(try listener.next(timeout: 0.3), "no pings while unhealthy")

        healthy.store(true, ordering: .relaxed)
        XCTAssertEqual(try listener.next(), "WATCHDOG=1", "pings resume once healthy again")
    }

    func testEnvironmentDecidesWhetherAndHowOftenToNotify() throws {
        let logger = testLogger("notify")
        let listener = try NotifyListener()
        XCTAssertFalse(SystemdNotifier.fromEnvironment([:], logger: logger).isEnabled)
        XCTAssertFalse(SystemdNotifier.fromEnvironment(["NOTIFY_SOCKET": "vsock:2:1234"], logger: logger).isEnabled)
        XCTAssertThrowsError(try SystemdNotifier(socketPath: "/" + String(repeating: "x", count: 200)))

        let own = SystemdNotifier.fromEnvironment(
            ["NOTIFY_SOCKET": listener.address, "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "\(getpid())"],
            logger: logger)
        XCTAssertTrue(own.isEnabled)
        XCTAssertEqual(own.watchdogInterval, .seconds(15), "pings at half the watchdog timeout")
        let unset = SystemdNotifier.fromEnvironment(
            ["NOTIFY_SOCKET": listener.address, "WATCHDOG_USEC": "30000000"], logger: logger)
        XCTAssertEqual(unset.watchdogInterval, .seconds(15))
        let other = SystemdNotifier.fromEnvironment(
            ["NOTIFY_SOCKET": listener.address, "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"], logger: logger)
        XCTAssertNil(other.watchdogInterval, "the watchdog belongs to another process")
    }

    /// `council serve` as systemd runs it (Type=notify, WatchdogSec=, journald on stderr): READY=1 only once it is
    /// online, watchdog pings, a SIGHUP reload that changes the log level, STOPPING=1 and a clean exit on SIGTERM.
    func testServeTellsSystemdWhenItIsReadyReloadsAndStops() async throws {
        let folder = try temporaryFolder("notify-serve")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let listener = try NotifyListener()
        let port = try TestBroker.freePort()
        let configPath = folder + "/council.toml"
        try "[log]\nlevel = \"warning\"\n".write(toFile: configPath, atomically: true, encoding: .utf8)
        let stderrPath = folder + "/stderr"
        XCTAssertTrue(FileManager.default.createFile(atPath: stderrPath, contents: nil))
        var info = stat()
        XCTAssertEqual(stat(stderrPath, &info), 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: councilExecutablePath())
        process.arguments = [
            "serve", "--config", configPath, "--broker", "mqtt://127.0.0.1:\(port)", "--node", "notified",
            "--state-dir", folder + "/state",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = listener.address
        environment["WATCHDOG_USEC"] = "400000"
        environment["JOURNAL_STREAM"] = "\(info.st_dev):\(info.st_ino)"  // as if systemd connected stderr to journald
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        try process.run()
        defer {
            kill(process.processIdentifier, SIGKILL)
            waitForExit(process)
        }

        let connecting = try listener.wait(timeout: 20) { $0.hasPrefix("STATUS=") }
        XCTAssertEqual(connecting, "STATUS=connecting to mqtt://127.0.0.1:\(port)")
        let early = try listener.drain(for: 1.0)
        XCTAssertFalse(early.contains { $0.contains("READY=1") }, "not ready without a broker: \(early)")
        let warned = await waitForText("<4>cannot connect to mqtt://127.0.0.1:\(port)", inFile: stderrPath)
        XCTAssertTrue(warned, "warnings reach the journal with priority 4")

        let broker = try TestBroker(port: port)
        defer { broker.stop() }
        let ready = try listener.wait(timeout: 20) { $0.hasPrefix("READY=1") }
        XCTAssertEqual(ready, "READY=1\nSTATUS=serving council requests on mqtt://127.0.0.1:\(port)")
        let status = try await Recorder(broker: broker, filters: ["council/notified/status"])
        let online = await status.wait { String(decoding: $0.payload, as: UTF8.self) == #"{"state":"online"}"# }
        XCTAssertFalse(online.isEmpty, "the retained status is online by the time systemd hears READY=1")
        let requester = try await connectRequester(to: broker)
        let reply = try envelope(
            try await requester.send(op: "ask", body: ["prompt": "What is 25% of 80% of 160?"], timeout: .seconds(10)))
        XCTAssertEqual(reply["data"]?.objectValue?["answer"], "32")
        await requester.close()
        XCTAssertNotNil(try listener.wait(timeout: 10) { $0 == "WATCHDOG=1" })
        XCTAssertNotNil(try listener.wait(timeout: 10) { $0 == "WATCHDOG=1" })
        let logBefore = try String(contentsOfFile: stderrPath, encoding: .utf8)
        XCTAssertFalse(logBefore.contains("<5>"), "notices are below the configured level warning:\n\(logBefore)")

        try "[log]\nlevel = \"info\"\n".write(toFile: configPath, atomically: true, encoding: .utf8)
        kill(process.processIdentifier, SIGHUP)
        let reloading = try listener.wait(timeout: 20) { $0.hasPrefix("RELOADING=1") }
        XCTAssertEqual(reloading?.contains("\nMONOTONIC_USEC="), true)
        let reloaded = try listener.wait(timeout: 20) { $0.hasPrefix("READY=1") }
        XCTAssertEqual(reloaded, "READY=1\nSTATUS=serving; reloaded: applied log.level")
        let noticed = await waitForText(
            "<5>configuration reloaded: applied log.level file=\(configPath)", inFile: stderrPath)
        XCTAssertTrue(noticed, "the new level applies at once")

        let offline = try await Recorder(broker: broker, filters: ["council/notified/status"])
        kill(process.processIdentifier, SIGTERM)
        let stopping = try listener.wait(timeout: 20) { $0.hasPrefix("STOPPING=1") }
        XCTAssertEqual(stopping, "STOPPING=1\nSTATUS=stopping: finishing requests in flight")
        XCTAssertEqual(waitForExit(process, seconds: 20), 0)
        let farewell = await offline.wait { String(decoding: $0.payload, as: UTF8.self) == #"{"state":"offline"}"# }
        XCTAssertFalse(farewell.isEmpty, "a clean offline status on SIGTERM")
        await offline.close()
        await status.close()
    }
}

/// A datagram socket standing in for systemd's notification socket.
final class NotifyListener {
    /// The value for NOTIFY_SOCKET: a path in a fresh folder, or the `@abstract` name given.
    let address: String
    private let descriptor: Int32
    private let folder: String?

    init(address abstract: String? = nil) throws {
        if let abstract {
            address = abstract
            folder = nil
        } else {
            let folder = try temporaryFolder("notify")
            self.folder = folder
            address = folder + "/notify.sock"
        }
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw BrokerError("socket: errno \(errno)") }
        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        var name = Array(address.utf8)
        if abstract != nil { name[0] = 0 }
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { path in
            for (index, byte) in name.enumerated() { path[index] = byte }
        }
        let length =
            MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + name.count
            + (abstract == nil ? 1 : 0)
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(length)) }
        }
        guard bound == 0 else { throw BrokerError("bind \(address): errno \(errno)") }
    }

    deinit {
        close(descriptor)
        if let folder { try? FileManager.default.removeItem(atPath: folder) }
    }

    /// The next datagram, or nil when none arrives within `timeout` seconds.
    func next(timeout: Double) throws -> String? {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, Int32(timeout * 1000))
        guard ready > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        guard count >= 0 else { throw BrokerError("recv: errno \(errno)") }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    /// The next datagram; fails the test with an error when none arrives within 10 seconds.
    func next() throws -> String {
        guard let message = try next(timeout: 10) else { throw BrokerError("no notification within 10 s") }
        return message
    }

    /// The first datagram matching `predicate` within `timeout` seconds, skipping the others.
    func wait(timeout: Double, where predicate: (String) -> Bool) throws -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard let message = try next(timeout: deadline.timeIntervalSinceNow) else { return nil }
            if predicate(message) { return message }
        }
        return nil
    }

    /// Every datagram arriving within `seconds`.
    func drain(for seconds: Double) throws -> [String] {
        let deadline = Date().addingTimeInterval(seconds)
        var messages: [String] = []
        while Date() < deadline, let message = try next(timeout: max(0, deadline.timeIntervalSinceNow)) {
            messages.append(message)
        }
        return messages
    }
}

private func monotonicMicroseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
}
