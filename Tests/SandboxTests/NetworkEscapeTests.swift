import Foundation
import JSON
import XCTest

/// Escapes through the network: the internet over IPv4 and IPv6, the host's loopback, abstract unix sockets, raw
/// and packet sockets.
final class NetworkEscapeTests: XCTestCase {
    func testNetworkEgress() async throws {
        let tcp = try HostListener.tcp()
        defer { tcp.close() }
        let abstractName = "council-escape-\(UUID().uuidString)"
        let unix = try HostListener.abstractUnix(abstractName)
        defer { unix.close() }
        let code =
            attackPrelude + """
                def tcp(host, port, family=socket.AF_INET):
                    s = socket.socket(family, socket.SOCK_STREAM)
                    s.settimeout(2)
                    s.connect((host, port))
                    return "connected"
                def abstract(name):
                    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    s.connect("\\0" + name)
                    return "connected"
                attempt("ipv4_internet", lambda: tcp("1.1.1.1", 53))
                attempt("ipv6_internet", lambda: tcp("2606:4700:4700::1111", 53, socket.AF_INET6))
                attempt("host_loopback", lambda: tcp("127.0.0.1", \(tcp.port)))
                attempt("host_loopback_v6", lambda: tcp("::1", \(tcp.port), socket.AF_INET6))
                attempt("abstract_unix", lambda: abstract("\(abstractName)"))
                attempt("udp_dns", lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("8.8.8.8", 53)))
                attempt("raw_icmp", lambda: socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP))
                attempt("raw_ipv6", lambda: socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6))
                attempt("packet", lambda: socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0))
                attempt("packet_dgram", lambda: socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, 0))
                attempt("resolve", lambda: socket.gethostbyname("example.com"))
                attempt("interfaces", lambda: [name for _, name in socket.if_nameindex()])
                """
        for outcome in try await runBothWays(python(code)) {
            assertCompleted(outcome)
            assertRefused(
                outcome,
                ["ipv4_internet", "ipv6_internet", "host_loopback", "host_loopback_v6", "udp_dns", "resolve"])
            assertRefused(outcome, ["abstract_unix"], errno: "ECONNREFUSED")
            assertRefused(outcome, ["raw_icmp", "raw_ipv6", "packet", "packet_dgram"], errno: "EPERM")
            XCTAssertEqual(outcome.report["interfaces"], "ok ['lo']", "an empty network namespace")
        }
        XCTAssertEqual(tcp.acceptedCount(), 0, "nothing reached the host's loopback listener")
        XCTAssertEqual(unix.acceptedCount(), 0, "nothing reached the host's abstract socket")
    }
}

/// A listening socket in the test process, to prove nothing from a sandbox connects to it.
struct HostListener {
    let fd: Int32
    let port: Int

    static func tcp() throws -> HostListener {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard fd >= 0, bound == 0, listen(fd, 16) == 0 else { throw RunnerError("cannot listen on 127.0.0.1") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return HostListener(fd: fd, port: Int(UInt16(bigEndian: address.sin_port)))
    }

    static func abstractUnix(_ name: String) throws -> HostListener {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = [0] + Array(name.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.enumerated() { raw[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + path.count)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard fd >= 0, bound == 0, listen(fd, 16) == 0 else { throw RunnerError("cannot listen on @\(name)") }
        return HostListener(fd: fd, port: 0)
    }

    /// Connections waiting to be accepted (the listener never accepts, so every connection stays counted).
    func acceptedCount() -> Int {
        var count = 0
        while true {
            let connection = accept(fd, nil, nil)
            guard connection >= 0 else { return count }
            Glibc.close(connection)
            count += 1
        }
    }

    func close() { Glibc.close(fd) }
}
