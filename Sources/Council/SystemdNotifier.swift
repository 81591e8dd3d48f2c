import Glibc
import Logging
import Synchronization

/// Tells systemd how the daemon is doing, speaking sd_notify(3)'s protocol over `$NOTIFY_SOCKET` directly (one
/// datagram of `KEY=value` lines per call; no libsystemd): `READY=1` once serving, `STATUS=` lines, `WATCHDOG=1`
/// pings, `RELOADING=1` around a configuration reload and `STOPPING=1` on the way out.
///
/// Without a socket (not started by systemd, or `Type=` is not `notify`) every call does nothing, so the daemon
/// calls it unconditionally. Sending never blocks and never fails the caller: systemd may be gone or busy.
public final class SystemdNotifier: Sendable {
    /// The socket address as given (`/run/systemd/notify`, or `@name` for an abstract socket); `nil` when disabled.
    public let socketPath: String?
    /// How often `runWatchdog` pings: half of `WATCHDOG_USEC`, or `nil` when systemd watches no deadline.
    public let watchdogInterval: Duration?

    private let descriptor: Int32
    /// `sockaddr_un` bytes and their length for `sendto` (abstract names have no terminating NUL).
    private let address: [UInt8]
    private let state = Mutex(State())

    private struct State {
        var isReady = false
    }

    /// A notifier that sends nothing.
    public static let disabled = SystemdNotifier()

    private init() {
        socketPath = nil
        watchdogInterval = nil
        descriptor = -1
        address = []
    }

    /// A notifier sending to `socketPath` (`/path` or `@abstract`), pinging every `watchdogInterval` in
    /// `runWatchdog`; `socketPath` nil or empty makes a disabled notifier.
    ///
    /// Throws when the address is not a Unix socket address (systemd's `vsock:` addresses are for virtual machines'
    /// service managers, not for services) or the socket cannot be created.
    public init(socketPath: String?, watchdogInterval: Duration? = nil) throws(SystemdNotifyError) {
        guard let socketPath, !socketPath.isEmpty else {
            self.socketPath = nil
            self.watchdogInterval = nil
            descriptor = -1
            address = []
            return
        }
        address = try Self.socketAddress(socketPath)
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            throw SystemdNotifyError("cannot create a socket for NOTIFY_SOCKET: \(String(cString: strerror(errno)))")
        }
        self.socketPath = socketPath
        self.watchdogInterval = watchdogInterval
        descriptor = fd
    }

    /// The notifier systemd asked for through `environment`: `NOTIFY_SOCKET`, and `WATCHDOG_USEC` unless
    /// `WATCHDOG_PID` names another process. An unusable value is logged as a warning and gives a disabled notifier.
    public static func fromEnvironment(_ environment: [String: String], logger: Logger) -> SystemdNotifier {
        guard let path = environment["NOTIFY_SOCKET"], !path.isEmpty else { return .disabled }
        var interval: Duration?
        if let text = environment["WATCHDOG_USEC"], let usec = UInt64(text), usec > 0 {
            let pid = environment["WATCHDOG_PID"].flatMap { Int32($0) }
            if pid == nil || pid == getpid() { interval = .microseconds(usec / 2) }
        }
        do {
            return try SystemdNotifier(socketPath: path, watchdogInterval: interval)
        } catch {
            logger.warning("not notifying systemd: \(error)")
            return .disabled
        }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Whether messages go anywhere.
    public var isEnabled: Bool { descriptor >= 0 }

    /// `READY=1`: the daemon is connected, subscribed and serving; `systemctl start` returns now.
    public func ready(status: String) {
        state.withLock { $0.isReady = true }
        send(["READY=1", Self.statusLine(status)])
    }

    /// `STATUS=`: one line shown by `systemctl status`.
    public func status(_ text: String) {
        send([Self.statusLine(text)])
    }

    /// `RELOADING=1` with the monotonic time systemd matches it to: a reload began; finish it with `reloaded`.
    public func reloading(status: String) {
        send(["RELOADING=1", "MONOTONIC_USEC=\(Self.monotonicMicroseconds())", Self.statusLine(status)])
    }

    /// Ends a reload: `READY=1` again if the daemon was ready before it (a reload during start-up must not declare
    /// the daemon ready early), and the new status.
    public func reloaded(status: String) {
        let wasReady = state.withLock { $0.isReady }
        send((wasReady ? ["READY=1"] : []) + [Self.statusLine(status)])
    }

    /// `STOPPING=1`: the daemon is shutting down (finishing requests, saying goodbye to the broker).
    public func stopping(status: String) {
        send(["STOPPING=1", Self.statusLine(status)])
    }

    /// One `WATCHDOG=1` keep-alive.
    public func watchdogPing() {
        send(["WATCHDOG=1"])
    }

    /// Pings the watchdog every `watchdogInterval` while `isHealthy()` holds, until cancelled; returns at once when
    /// systemd set no watchdog. Missing pings for `WatchdogSec=` makes systemd kill and restart the daemon, so
    /// `isHealthy` should be false only when a restart would help (a hung thread), not when the broker is down.
    /// Running on the cooperative pool, a stalled pool stops the pings too.
    public func runWatchdog(isHealthy: @escaping @Sendable () -> Bool) async {
        guard isEnabled, let interval = watchdogInterval else { return }
        var wasHealthy = true
        while !Task.isCancelled {
            let healthy = isHealthy()
            if healthy {
                watchdogPing()
            } else if wasHealthy {
                status("unhealthy: withholding watchdog pings, systemd will restart Council")
            }
            wasHealthy = healthy
            try? await Task.sleep(for: interval)
        }
    }

    // MARK: - Wire format

    private func send(_ lines: [String]) {
        guard descriptor >= 0 else { return }
        let message = Array(lines.joined(separator: "\n").utf8)
        address.withUnsafeBytes { raw in
            let socketAddress = raw.baseAddress!.assumingMemoryBound(to: sockaddr.self)
            message.withUnsafeBytes { payload in
                while true {
                    let sent = sendto(
                        descriptor, payload.baseAddress, payload.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT),
                        socketAddress, socklen_t(raw.count))
                    if sent >= 0 || errno != EINTR { break }
                }
            }
        }
    }

    /// `STATUS=text` on one line (a line break would start another assignment).
    private static func statusLine(_ text: String) -> String {
        "STATUS=" + String(text.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
    }

    private static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
    }

    /// The `sockaddr_un` for `path`, as bytes: `@name` is an abstract address (a leading NUL, no terminator).
    private static func socketAddress(_ path: String) throws(SystemdNotifyError) -> [UInt8] {
        let isAbstract = path.hasPrefix("@")
        guard isAbstract || path.hasPrefix("/") else {
            throw SystemdNotifyError("NOTIFY_SOCKET \(path) is neither an absolute path nor an @abstract name")
        }
        var name = Array(path.utf8)
        if isAbstract { name[0] = 0 }
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)!
        let capacity = MemoryLayout<sockaddr_un>.size - pathOffset
        guard name.count < capacity, !name.dropFirst().contains(0) else {
            throw SystemdNotifyError("NOTIFY_SOCKET \(path) is longer than \(capacity - 1) bytes or contains NUL")
        }
        var bytes = [UInt8](repeating: 0, count: pathOffset + name.count + (isAbstract ? 0 : 1))
        withUnsafeBytes(of: sa_family_t(AF_UNIX)) { family in
            for (index, byte) in family.enumerated() { bytes[index] = byte }
        }
        bytes.replaceSubrange(pathOffset..<(pathOffset + name.count), with: name)
        return bytes
    }
}

/// Why a notifier cannot be created, for the operator.
public struct SystemdNotifyError: Error, CustomStringConvertible, Sendable {
    /// What is wrong with the socket address or the socket.
    public let description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
