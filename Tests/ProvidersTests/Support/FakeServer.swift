import Foundation
import Glibc

/// A small HTTP/1.1 server on a loopback socket for wire-accurate fakes of cloud LLM APIs. Each connection gets a
/// thread; each request is answered by the script the handler returns (writes, pauses, gates, close, hang), and
/// connections stay open between requests (keep-alive) unless the script closes them.
final class FakeServer: @unchecked Sendable {  // mutable state behind `lock`
    /// A request as the server read it off the wire.
    struct Request: Sendable {
        let method: String
        let target: String
        let headers: [(name: String, value: String)]
        let body: [UInt8]
        let connection: Int

        /// The first value of a header (any case).
        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        /// The path without the query.
        var path: String { String(target.split(separator: "?", maxSplits: 1).first ?? "") }

        /// The body parsed as a JSON object.
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
        }

        /// Everything the client sent, as text (to check that nothing leaks into the URL).
        var rawText: String {
            "\(method) \(target)\n" + headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
        }
    }

    /// One step of a scripted response.
    enum Step: Sendable {
        /// Writes these bytes in one `send`.
        case write([UInt8])
        /// Waits this long.
        case pause(Duration)
        /// Waits until the test opens the gate (at most 10 s).
        case wait(Gate)
        /// Closes the connection.
        case close
        /// Sends nothing more and waits until the client goes away or the server stops.
        case hang
    }

    typealias Handler = @Sendable (Request) -> [Step]

    let port: Int
    private let listener: Int32
    private let handler: Handler
    private let lock = NSLock()
    private var received: [Request] = []
    private var accepted = 0
    private var disconnects = 0
    private var openSockets: Set<Int32> = []
    private var stopped = false

    /// Starts listening on a free loopback port.
    init(handler: @escaping Handler) throws {
        self.handler = handler
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && getsockname(listener, pointer, &length) == 0
                    && listen(listener, 64) == 0
            }
        }
        guard listening else {
            close(listener)
            throw FakeServerError("could not listen on loopback: errno \(errno)")
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    func url(_ path: String = "") -> String { "http://127.0.0.1:\(port)\(path)" }

    /// The requests received so far, in order.
    var requests: [Request] { lock.withLock { received } }
    /// Connections accepted so far.
    var connectionsAccepted: Int { lock.withLock { accepted } }
    /// Connections the client closed while the server was still waiting on them.
    var clientDisconnects: Int { lock.withLock { disconnects } }

    /// Stops accepting and closes every connection.
    func stop() {
        // Under the lock, so no descriptor is closed twice or shut down after its number was reused.
        lock.withLock {
            guard !stopped else { return }
            stopped = true
            shutdown(listener, Int32(SHUT_RDWR))  // the accept loop wakes up and closes it
            for socket in openSockets { shutdown(socket, Int32(SHUT_RDWR)) }
        }
    }

    deinit { stop() }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                close(listener)
                return
            }
            var yes: Int32 = 1
            setsockopt(connection, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            let number = lock.withLock { () -> Int? in
                guard !stopped else { return nil }
                accepted += 1
                openSockets.insert(connection)
                return accepted
            }
            guard let number else {
                close(connection)
                return
            }
            Thread.detachNewThread { [self] in serve(connection, number: number) }
        }
    }

    private func serve(_ socket: Int32, number: Int) {
        var buffer: [UInt8] = []
        defer {
            lock.withLock {
                openSockets.remove(socket)
                close(socket)
            }
        }
        while let request = readRequest(socket, buffer: &buffer, connection: number) {
            lock.withLock { received.append(request) }
            for step in handler(request) {
                switch step {
                case .write(let bytes):
                    guard writeAll(socket, bytes) else { return }
                case .pause(let duration):
                    Thread.sleep(
                        forTimeInterval: Double(duration.components.seconds)
                            + Double(duration.components.attoseconds) / 1e18)
                case .wait(let gate):
                    gate.wait()
                case .close:
                    return
                case .hang:
                    var scratch = [UInt8](repeating: 0, count: 4096)
                    while recv(socket, &scratch, scratch.count, 0) > 0 {}
                    lock.withLock { disconnects += 1 }
                    return
                }
            }
        }
    }

    private func readRequest(_ socket: Int32, buffer: inout [UInt8], connection: Int) -> Request? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while true {
            if let range = buffer.firstRange(of: separator) {
                headEnd = range.upperBound
                break
            }
            guard receive(socket, into: &buffer) else { return nil }
        }
        guard let headEnd else { return nil }
        let head = String(decoding: buffer[..<(headEnd - 4)], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        let headers = lines.compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let length = Int(headers.first { $0.name.lowercased() == "content-length" }?.value ?? "0") ?? 0
        while buffer.count < headEnd + length {
            guard receive(socket, into: &buffer) else { return nil }
        }
        let body = Array(buffer[headEnd..<(headEnd + length)])
        buffer.removeFirst(headEnd + length)
        return Request(
            method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: body,
            connection: connection)
    }

    private func receive(_ socket: Int32, into buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = recv(socket, &chunk, chunk.count, 0)
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[..<count])
        return true
    }

    private func writeAll(_ socket: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }
}

/// A gate a scripted response waits at until the test opens it.
final class Gate: @unchecked Sendable {  // DispatchSemaphore is thread-safe
    private let semaphore = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var isOpen = false

    func open() {
        lock.withLock { isOpen = true }
        semaphore.signal()
    }

    /// Waits until opened, at most 10 s (then the test that forgot to open it fails on its own assertions).
    func wait() {
        if lock.withLock({ isOpen }) { return }
        _ = semaphore.wait(timeout: .now() + 10)
    }

    var wasOpened: Bool { lock.withLock { isOpen } }
}

struct FakeServerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
