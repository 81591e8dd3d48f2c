import Foundation
import Logging
import Providers

/// The Providers client's own overhead: a non-streaming chat call through `Backend` (JSON encoding, libcurl on its
/// thread, response parsing, retries and health bookkeeping) against the same request written and read on a raw
/// keep-alive socket, interleaved in one run. Once against the real llama.cpp server (the figure users see), once
/// against a canned-response loopback server (no model noise, so the overhead itself shows).
func runProvidersBenchmark() async throws {
    let llama = try ProvidersBench.LlamaProcess()
    defer { llama.stop() }
    let canned = try ProvidersBench.CannedServer()
    defer { canned.stop() }

    print("\nproviders: chat completion (max_tokens 2) through the client vs a raw socket, interleaved")
    try await ProvidersBench.compare(label: "llama.cpp tiny", port: llama.port, warmup: 30, count: 300)
    try await ProvidersBench.compare(label: "canned server", port: canned.port, warmup: 200, count: 3000)
}

enum ProvidersBench {
    static let body = #"{"model":"tiny","messages":[{"role":"user","content":"Say hello."}],"max_tokens":2}"#

    static func compare(label: String, port: Int, warmup: Int, count: Int) async throws {
        var endpoint = ModelEndpoint(
            name: "bench", kind: .openAICompatible, baseURL: "http://127.0.0.1:\(port)/v1", model: "tiny", tier: .local)
        endpoint.retry = RetryPolicy(maxAttempts: 1)
        let client = HTTPClient()
        defer { client.shutdown() }
        let backend = Backend(
            endpoint: endpoint, client: client,
            logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
        let request = ChatRequest(messages: [ChatMessage(.user, "Say hello.")], maxTokens: 2)
        let raw = try RawConnection(port: port)
        defer { raw.close() }

        let http = HTTPRequest(
            method: .post, url: "http://127.0.0.1:\(port)/v1/chat/completions",
            headers: ["Content-Type": "application/json"], body: Array(body.utf8))

        var direct = Samples()
        var fetched = Samples()
        var through = Samples()
        // The three kinds take turns in a rotating order, so none always follows the same one.
        for index in 0..<(warmup + count) {
            for kind in 0..<3 {
                let start = microseconds()
                switch (kind + index) % 3 {
                case 0:
                    guard try raw.roundTrip(body: body) > 0 else { throw BenchFailure("empty raw response") }
                    if index >= warmup { direct.append(microseconds() - start) }
                case 1:
                    let response = try await client.fetch(http)
                    guard response.status == 200 else { throw BenchFailure("HTTP \(response.status)") }
                    if index >= warmup { fetched.append(microseconds() - start) }
                default:
                    let result = try await backend.complete(request)
                    guard result.finishReason == .length || result.finishReason == .stop else {
                        throw BenchFailure("unexpected answer: \(result)")
                    }
                    if index >= warmup { through.append(microseconds() - start) }
                }
            }
        }
        func row(_ name: String, _ p: Double) -> String {
            let raw = direct.percentile(p)
            let http = fetched.percentile(p)
            let full = through.percentile(p)
            return "    \(name)   raw \(format(raw)) µs   HTTPClient.fetch \(format(http)) µs (+\(format(http - raw)))"
                + "   Backend.complete \(format(full)) µs (+\(format(full - raw)))"
        }
        print("  \(label), \(count) interleaved calls of each (added = minus the raw socket at the same percentile)")
        print(row("p50", 50))
        print(row("p99", 99))
        print("    connections opened by the client: \(client.connectionsOpened)")
    }

    static func microseconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) * 1e6 + Double(ts.tv_nsec) / 1e3
    }

    struct BenchFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// One keep-alive TCP connection that writes a request and reads one Content-Length response.
    final class RawConnection {
        private let fd: Int32
        private var buffer: [UInt8] = []
        private let port: Int

        init(port: Int) throws {
            self.port = port
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var yes: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            guard connected else { throw BenchFailure("cannot connect to port \(port)") }
        }

        /// Sends the chat request and returns the response body's size.
        func roundTrip(body: String) throws -> Int {
            let request =
                "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
            let bytes = Array(request.utf8)
            guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == bytes.count else {
                throw BenchFailure("send failed")
            }
            let separator = Array("\r\n\r\n".utf8)
            while buffer.firstRange(of: separator) == nil { try fill() }
            let headEnd = buffer.firstRange(of: separator)!.upperBound
            let head = String(decoding: buffer[..<headEnd], as: UTF8.self).lowercased()
            guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
                let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
            else { throw BenchFailure("no content-length in \(head)") }
            while buffer.count < headEnd + length { try fill() }
            buffer.removeFirst(headEnd + length)
            return length
        }

        private func fill() throws {
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = recv(fd, &chunk, chunk.count, 0)
            guard count > 0 else { throw BenchFailure("connection closed") }
            buffer.append(contentsOf: chunk[..<count])
        }

        func close() { Glibc.close(fd) }
    }

    /// The llama.cpp server of `Tests/Tools/tiny-llm` with the virtualenv `COUNCIL_LLM_VENV` or `.venv-llm`.
    final class LlamaProcess {
        let port: Int
        private let process = Process()

        init() throws {
            let venv = ProcessInfo.processInfo.environment["COUNCIL_LLM_VENV"] ?? ".venv-llm"
            let tool = "Tests/Tools/tiny-llm/serve.sh"
            guard FileManager.default.isExecutableFile(atPath: "\(venv)/bin/python"),
                FileManager.default.isExecutableFile(atPath: tool)
            else {
                throw BenchFailure(
                    "providers benchmark: needs \(tool) and a llama-cpp-python virtualenv at \(venv) "
                        + "(run \(tool) PORT \(venv) once to create it, ~8 min; or set COUNCIL_LLM_VENV)")
            }
            port = Int.random(in: 40_001...50_000)
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = [String(port), venv]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            for _ in 0..<1200 {
                if (try? RawConnection(port: port)).map({ $0.close() }) != nil { return }
                guard process.isRunning else { break }
                usleep(50_000)
            }
            stop()
            throw BenchFailure("llama.cpp server did not start on port \(port)")
        }

        func stop() {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
    }

    /// A loopback server answering every request at once with the same completion, one thread per connection.
    final class CannedServer: @unchecked Sendable {  // `listener` is set once; threads only read it
        let port: Int
        private let listener: Int32

        init() throws {
            let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            self.listener = listener
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let ok = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0
                        && listen(listener, 16) == 0
                }
            }
            guard ok else { throw BenchFailure("canned server: cannot listen") }
            port = Int(UInt16(bigEndian: address.sin_port))
            Thread.detachNewThread {
                while true {
                    let connection = accept(listener, nil, nil)
                    guard connection >= 0 else { return }
                    Thread.detachNewThread { Self.serve(connection) }
                }
            }
        }

        private static let response: [UInt8] = {
            let body = """
                {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"tiny","choices":[{"index":0,\
                "message":{"content":"Hello from","role":"assistant"},"logprobs":null,"finish_reason":"length"}],\
                "usage":{"prompt_tokens":30,"completion_tokens":2,"total_tokens":32}}
                """
            return Array(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: \(body.utf8.count)\r\n\r\n\(body)"
                    .utf8)
        }()

        private static func serve(_ connection: Int32) {
            var yes: Int32 = 1
            setsockopt(connection, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            var buffer: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            let separator = Array("\r\n\r\n".utf8)
            defer { Glibc.close(connection) }
            while true {
                let count = recv(connection, &chunk, chunk.count, 0)
                guard count > 0 else { return }
                buffer.append(contentsOf: chunk[..<count])
                // Every request has a head and a Content-Length body; answer each complete one.
                while let head = buffer.firstRange(of: separator) {
                    let text = String(decoding: buffer[..<head.lowerBound], as: UTF8.self).lowercased()
                    let length =
                        text.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                        .flatMap { Int($0.dropFirst(15).trimmingCharacters(in: .whitespaces)) } ?? 0
                    guard buffer.count >= head.upperBound + length else { break }
                    buffer.removeFirst(head.upperBound + length)
                    _ = response.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                }
            }
        }

        func stop() {
            shutdown(listener, Int32(SHUT_RDWR))
        }
    }
}
