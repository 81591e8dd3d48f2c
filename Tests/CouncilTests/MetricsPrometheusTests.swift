import Council
import Foundation
import XCTest

/// The Prometheus endpoint scraped over a real loopback socket.
final class MetricsPrometheusTests: XCTestCase {
    private func exporter(_ registry: MetricsRegistry) throws -> PrometheusExporter {
        let exporter = try PrometheusExporter(registry: registry, port: 0, logger: testLogger("prometheus"))
        try exporter.start()
        return exporter
    }

    func testScrapeReturnsTheExpositionWithHelpTypeAndValues() throws {
        let registry = MetricsRegistry(ops: ["ask", "memory/add"], skills: ["math"], models: ["llama3.2"])
        for _ in 0..<3 { registry.recordRequest(op: "ask") }
        registry.recordRequest(op: "memory/add")
        registry.recordError(.budgetExceeded)
        registry.recordAnswer(skill: "math", model: nil, latencyMillis: 0.008)
        registry.recordAnswer(
            skill: "llm", model: "odd \"model\"\\name", latencyMillis: 900, tokensIn: 10, tokensOut: 5,
            costUSD: 0.002, escalated: true)
        let exporter = try exporter(registry)
        defer { exporter.stop() }

        let response = try ScrapeResponse.fetch(port: exporter.port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8")
        XCTAssertEqual(response.headers["content-length"], String(response.body.utf8.count))

        let exposition = try Exposition(parsing: response.body)
        XCTAssertEqual(exposition.types["council_requests_total"], "counter")
        XCTAssertEqual(exposition.types["council_journal_depth"], "gauge")
        XCTAssertEqual(exposition.types["council_answer_duration_seconds"], "summary")
        for family in exposition.types.keys {
            XCTAssertNotNil(exposition.help[family], "\(family) has no HELP line")
            XCTAssertTrue(family.hasPrefix("council_"), family)
        }
        XCTAssertEqual(exposition.value("council_requests_total", ["op": "ask"]), 3)
        XCTAssertEqual(exposition.value("council_requests_total", ["op": "memory/add"]), 1)
        XCTAssertEqual(exposition.value("council_errors_total", ["code": "budget_exceeded"]), 1)
        XCTAssertEqual(exposition.value("council_errors_total", ["code": "timeout"]), 0)
        XCTAssertEqual(exposition.value("council_answers_total", ["skill": "math"]), 1)
        XCTAssertEqual(
            exposition.value("council_model_answers_total", ["model": "odd \"model\"\\name"]), 1,
            "label values are escaped and read back unchanged")
        XCTAssertEqual(exposition.value("council_escalations_total", [:]), 1)
        XCTAssertEqual(exposition.value("council_cost_usd_total", [:]), 0.002)
        XCTAssertEqual(
            exposition.value("council_answer_duration_seconds", ["skill": "math", "quantile": "0.5"]), 8e-6)
        XCTAssertEqual(exposition.value("council_answer_duration_seconds_count", ["skill": "llm"]), 1)
        XCTAssertEqual(exposition.value("council_input_tokens_total", [:]), 10)
        XCTAssertGreaterThan(exposition.value("council_resident_memory_bytes", [:]) ?? 0, 0)
        XCTAssertNil(
            exposition.samples.first { $0.name == "council_requests_total" && $0.labels.isEmpty },
            "no unlabelled sum next to the labelled series: sum() in PromQL would count twice")

        // A second scrape sees new counts.
        registry.recordRequest(op: "ask")
        let again = try Exposition(
            parsing: try ScrapeResponse.fetch(port: exporter.port, "GET /metrics?x=1 HTTP/1.0\r\n\r\n").body)
        XCTAssertEqual(again.value("council_requests_total", ["op": "ask"]), 4)
    }

    func testOtherPathsMethodsAndOversizedRequestsAreRefused() throws {
        let exporter = try exporter(MetricsRegistry(ops: ["ask"]))
        defer { exporter.stop() }
        XCTAssertEqual(try ScrapeResponse.fetch(port: exporter.port, "GET / HTTP/1.1\r\n\r\n").status, 404)
        XCTAssertEqual(try ScrapeResponse.fetch(port: exporter.port, "GET /metricsx HTTP/1.1\r\n\r\n").status, 404)
        let post = try ScrapeResponse.fetch(port: exporter.port, "POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n")
        XCTAssertEqual(post.status, 405)
        XCTAssertEqual(post.headers["allow"], "GET")
        XCTAssertEqual(try ScrapeResponse.fetch(port: exporter.port, "BREW\r\n\r\n").status, 400)
        let huge = "GET /metrics HTTP/1.1\r\nX-Padding: " + String(repeating: "a", count: 20_000) + "\r\n\r\n"
        XCTAssertEqual(try ScrapeResponse.fetch(port: exporter.port, huge).status, 431)
        XCTAssertEqual(
            try ScrapeResponse.fetch(port: exporter.port, "GET /metrics HTTP/1.1\r\n\r\n").status, 200,
            "the server still serves after refusing")
    }

    func testAPortInUseFailsAtStartupAndStopReleasesThePort() throws {
        let first = try exporter(MetricsRegistry(ops: []))
        XCTAssertThrowsError(
            try PrometheusExporter(registry: MetricsRegistry(ops: []), port: first.port, logger: testLogger("p"))
        ) {
            error in
            XCTAssertEqual((error as? PrometheusExporterError)?.errno, EADDRINUSE)
            XCTAssertTrue("\(error)".contains("\(first.port)"), "\(error)")
        }
        let port = first.port
        first.stop()
        XCTAssertThrowsError(try ScrapeResponse.fetch(port: port, "GET /metrics HTTP/1.1\r\n\r\n"), "nothing listens")
    }
}

/// A parsed HTTP/1.x response.
struct ScrapeResponse {
    var status: Int
    var headers: [String: String]
    var body: String

    /// Sends `request` as is to 127.0.0.1:`port` and reads the response until the server closes.
    static func fetch(port: Int, _ request: String) throws -> ScrapeResponse {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw BrokerError("cannot connect to port \(port): errno \(errno)") }
        let bytes = Array(request.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received += chunk[..<count]
        }
        let text = String(decoding: received, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw BrokerError("no response head in: \(text)") }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw BrokerError("bad status line") }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        return ScrapeResponse(status: status, headers: headers, body: String(text[split.upperBound...]))
    }
}

/// The Prometheus text format 0.0.4, parsed strictly enough to catch malformed output.
struct Exposition {
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    var help: [String: String] = [:]
    var types: [String: String] = [:]
    var samples: [Sample] = []

    init(parsing text: String) throws {
        XCTAssertTrue(text.hasSuffix("\n"), "the exposition ends with a newline")
        var currentFamily: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if line.hasPrefix("# HELP ") {
                let rest = line.dropFirst(7)
                let name = String(rest.prefix { $0 != " " })
                help[name] = String(rest.dropFirst(name.count + 1))
            } else if line.hasPrefix("# TYPE ") {
                let parts = line.dropFirst(7).split(separator: " ")
                guard parts.count == 2, ["counter", "gauge", "summary", "histogram", "untyped"].contains(parts[1])
                else { throw BrokerError("bad TYPE line: \(line)") }
                guard help[String(parts[0])] != nil else { throw BrokerError("TYPE before HELP: \(line)") }
                types[String(parts[0])] = String(parts[1])
                currentFamily = String(parts[0])
            } else {
                let sample = try Self.sample(String(line))
                guard let family = currentFamily,
                    sample.name == family || sample.name == family + "_sum"
                        || sample.name == family + "_count"
                else { throw BrokerError("sample outside its family: \(line)") }
                samples.append(sample)
            }
        }
    }

    func value(_ name: String, _ labels: [String: String]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    private static func sample(_ line: String) throws -> Sample {
        var scalars = Substring(line)
        let name = String(scalars.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" })
        guard !name.isEmpty else { throw BrokerError("no metric name: \(line)") }
        scalars = scalars.dropFirst(name.count)
        var labels: [String: String] = [:]
        if scalars.first == "{" {
            scalars = scalars.dropFirst()
            while scalars.first != "}" {
                let label = String(scalars.prefix { $0 != "=" })
                scalars = scalars.dropFirst(label.count)
                guard scalars.hasPrefix("=\"") else { throw BrokerError("bad label in: \(line)") }
                scalars = scalars.dropFirst(2)
                var value = ""
                while let character = scalars.first, character != "\"" {
                    scalars = scalars.dropFirst()
                    if character == "\\" {
                        guard let escaped = scalars.first else { throw BrokerError("bad escape: \(line)") }
                        scalars = scalars.dropFirst()
                        switch escaped {
                        case "n": value += "\n"
                        case "\\", "\"": value.append(escaped)
                        default: throw BrokerError("bad escape: \(line)")
                        }
                    } else {
                        value.append(character)
                    }
                }
                guard scalars.first == "\"" else { throw BrokerError("unterminated label value: \(line)") }
                scalars = scalars.dropFirst()
                labels[label] = value
                if scalars.first == "," { scalars = scalars.dropFirst() }
            }
            scalars = scalars.dropFirst()
        }
        guard scalars.first == " " else { throw BrokerError("no space before the value: \(line)") }
        let text = scalars.dropFirst()
        let value: Double? =
            switch text {
            case "NaN": .nan
            case "+Inf": .infinity
            case "-Inf": -.infinity
            default: Double(text)
            }
        guard let value else { throw BrokerError("bad value in: \(line)") }
        return Sample(name: name, labels: labels, value: value)
    }
}
