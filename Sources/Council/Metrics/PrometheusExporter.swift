import Glibc
import Logging
import Synchronization

/// A minimal HTTP server for Prometheus scrapes: `GET /metrics` answers the text exposition format 0.0.4, any
/// other path 404, any other method 405. One thread of its own, one connection at a time (`Connection: close`),
/// request heads up to 8 KiB (431 past that), 2 s send and receive timeouts. Listens on loopback by default.
public final class PrometheusExporter: Sendable {
    /// The address it listens on.
    public let host: String
    /// The port it listens on (the kernel's choice when created with port 0).
    public let port: Int
    /// Largest request head accepted.
    static let maxRequestBytes = 8192

    private let listener: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let render: @Sendable () -> String
    private let logger: Logger
    private let phase = Mutex<Phase>(.idle)

    private enum Phase {
        case idle
        case serving(pthread_t)
        case stopped
    }

    /// Binds and listens at once (so a taken port fails at startup); serves nothing until `start`.
    /// - Parameters:
    ///   - host: an IPv4 address; `127.0.0.1` by default.
    ///   - port: the TCP port; 0 lets the kernel pick one (see `port`).
    ///   - render: the exposition text, called once per scrape on the exporter's thread.
    public init(
        host: String = "127.0.0.1", port: Int, logger: Logger, render: @escaping @Sendable () -> String
    ) throws(PrometheusExporterError) {
        guard (0...65_535).contains(port) else {
            throw PrometheusExporterError("port \(port) is out of range", errno: 0)
        }
        listener = try HTTPSocket.listen(host: host, port: port)
        self.host = host
        self.port = HTTPSocket.boundPort(listener)
        do {
            (wakeRead, wakeWrite) = try HTTPSocket.pipe()
        } catch {
            close(listener)
            throw error
        }
        self.render = render
        self.logger = logger
    }

    /// An exporter of `registry`'s snapshots.
    public convenience init(
        registry: MetricsRegistry, host: String = "127.0.0.1", port: Int, logger: Logger
    ) throws(PrometheusExporterError) {
        try self.init(host: host, port: port, logger: logger) { registry.snapshot().prometheusText }
    }

    deinit {
        if case .stopped = phase.withLock({ $0 }) { return }
        closeDescriptors()
    }

    /// Starts serving on a thread of its own (once; an exporter that was stopped stays stopped).
    public func start() throws(PrometheusExporterError) {
        guard case .idle = phase.withLock({ $0 }) else { return }
        let unmanaged = Unmanaged.passRetained(self)
        var handle = pthread_t()
        let rc = pthread_create(
            &handle, nil,
            { context in
                let exporter = Unmanaged<PrometheusExporter>.fromOpaque(context!).takeRetainedValue()
                exporter.serve()
                return nil
            }, unmanaged.toOpaque())
        guard rc == 0 else {
            unmanaged.release()
            throw PrometheusExporterError("cannot start the metrics HTTP thread", errno: rc)
        }
        phase.withLock { $0 = .serving(handle) }
        logger.info("serving Prometheus metrics on http://\(host):\(port)/metrics")
    }

    /// Stops serving, waits for the thread to finish (at most one request's timeouts) and closes the port.
    public func stop() {
        let previous = phase.withLock { phase -> Phase in
            defer { phase = .stopped }
            return phase
        }
        switch previous {
        case .stopped:
            return
        case .serving(let handle):
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
            pthread_join(handle, nil)
        case .idle:
            break
        }
        closeDescriptors()
    }

    private func closeDescriptors() {
        close(listener)
        close(wakeRead)
        close(wakeWrite)
    }

    private func serve() {
        while HTTPSocket.waitForConnection(listener: listener, wake: wakeRead) {
            guard let client = HTTPSocket.accept(listener, timeoutSeconds: 2) else { continue }
            let (head, complete) = HTTPSocket.readHead(client, limit: Self.maxRequestBytes)
            if let response = respond(to: head, complete: complete) {
                HTTPSocket.writeAll(client, response)
            }
            HTTPSocket.closeGracefully(client)
        }
    }

    /// The response to a request head, or nil when the client sent nothing.
    func respond(to head: [UInt8], complete: Bool) -> [UInt8]? {
        guard complete else {
            if head.count >= Self.maxRequestBytes {
                return Self.response(431, "Request Header Fields Too Large", body: "request head too large\n")
            }
            return head.isEmpty ? nil : Self.response(400, "Bad Request", body: "incomplete request\n")
        }
        let firstLine = head.prefix { $0 != 13 && $0 != 10 }
        let parts = firstLine.split(separator: 0x20, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2].starts(with: Array("HTTP/1.".utf8)) else {
            return Self.response(400, "Bad Request", body: "malformed request line\n")
        }
        guard parts[0].elementsEqual("GET".utf8) else {
            return Self.response(405, "Method Not Allowed", body: "only GET is served\n", extra: "Allow: GET\r\n")
        }
        let path = parts[1].prefix { $0 != UInt8(ascii: "?") }
        guard path.elementsEqual("/metrics".utf8) else {
            return Self.response(404, "Not Found", body: "metrics are at /metrics\n")
        }
        return Self.response(
            200, "OK", body: render(), contentType: MetricsSnapshot.prometheusContentType)
    }

    private static func response(
        _ status: Int, _ reason: String, body: String, contentType: String = "text/plain; charset=utf-8",
        extra: String = ""
    ) -> [UInt8] {
        let bodyBytes = Array(body.utf8)
        let head =
            "HTTP/1.1 \(status) \(reason)\r\nContent-Type: \(contentType)\r\nContent-Length: \(bodyBytes.count)\r\n"
            + extra + "Connection: close\r\n\r\n"
        return Array(head.utf8) + bodyBytes
    }
}
