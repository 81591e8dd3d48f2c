import Glibc

/// The socket calls of the Prometheus endpoint, in one place: each retries on EINTR and reports errno.
enum HTTPSocket {
    /// A listening TCP socket on an IPv4 address (`port` 0 lets the kernel pick), close-on-exec.
    static func listen(host: String, port: Int, backlog: Int32 = 16) throws(PrometheusExporterError) -> Int32 {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        let name = host == "localhost" ? "127.0.0.1" : host
        guard inet_pton(AF_INET, name, &address.sin_addr) == 1 else {
            throw PrometheusExporterError("'\(host)' is not an IPv4 address", errno: 0)
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PrometheusExporterError("socket() failed", errno: errno) }
        setCloseOnExec(fd)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if bound != 0 {
            let code = errno
            close(fd)
            throw PrometheusExporterError("cannot listen on \(host):\(port)", errno: code)
        }
        if Glibc.listen(fd, backlog) != 0 {
            let code = errno
            close(fd)
            throw PrometheusExporterError("cannot listen on \(host):\(port)", errno: code)
        }
        return fd
    }

    /// The port a socket is bound to.
    static func boundPort(_ fd: Int32) -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Waits until `listener` has a connection or `wake` is readable; true when a connection is waiting.
    static func waitForConnection(listener: Int32, wake: Int32) -> Bool {
        var fds = [
            pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wake, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            let ready = poll(&fds, nfds_t(fds.count), -1)
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 || fds[1].revents != 0 { return false }
            return fds[0].revents & Int16(POLLIN) != 0
        }
    }

    /// Accepts one connection, close-on-exec, with send and receive timeouts; nil if none could be accepted.
    static func accept(_ listener: Int32, timeoutSeconds: Int) -> Int32? {
        while true {
            let fd = Glibc.accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return nil
            }
            setCloseOnExec(fd)
            var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            return fd
        }
    }

    /// Reads until the end of the request head (`\r\n\r\n`), end of stream, a timeout, or `limit` bytes.
    static func readHead(_ fd: Int32, limit: Int) -> (bytes: [UInt8], complete: Bool) {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 2048)
        while bytes.count < limit {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, min($0.count, limit - bytes.count), 0) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return (bytes, false) }
            let searchFrom = max(0, bytes.count - 3)
            bytes += chunk[..<count]
            if containsHeadEnd(bytes, from: searchFrom) { return (bytes, true) }
        }
        return (bytes, false)
    }

    /// Writes everything (or gives up on error or timeout), without raising SIGPIPE.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes {
                send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return }
            offset += written
        }
    }

    /// Closes a connection after its response: ends our side, then reads and drops what the client still sends
    /// (at most 64 KiB, for at most half a second) so the kernel does not reset the connection — which could discard
    /// the response before the client reads it — when the request had unread bytes.
    static func closeGracefully(_ fd: Int32) {
        shutdown(fd, Int32(SHUT_WR))
        var timeout = timeval(tv_sec: 0, tv_usec: 500_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var scratch = [UInt8](repeating: 0, count: 4096)
        var drained = 0
        while drained < 65_536 {
            let count = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            drained += count
        }
        close(fd)
    }

    /// A close-on-exec pipe: (read end, write end).
    static func pipe() throws(PrometheusExporterError) -> (Int32, Int32) {
        var ends: [Int32] = [0, 0]
        guard Glibc.pipe(&ends) == 0 else { throw PrometheusExporterError("pipe() failed", errno: errno) }
        setCloseOnExec(ends[0])
        setCloseOnExec(ends[1])
        return (ends[0], ends[1])
    }

    private static func setCloseOnExec(_ fd: Int32) {
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }

    private static func containsHeadEnd(_ bytes: [UInt8], from start: Int) -> Bool {
        guard bytes.count >= 4 else { return false }
        for index in start...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return true
        }
        return false
    }
}

/// The Prometheus endpoint could not start: what failed, with the system's reason.
public struct PrometheusExporterError: Error, Sendable, CustomStringConvertible {
    /// What failed.
    public let message: String
    /// The `errno` of the failing call (0 when none).
    public let errno: Int32

    init(_ message: String, errno: Int32) {
        self.message = message
        self.errno = errno
    }

    /// The message and, when there is one, the system's reason.
    public var description: String {
        errno == 0 ? message : "\(message): \(String(cString: strerror(errno)))"
    }
}
