import Foundation

/// Scripted responses as the real APIs frame them.
enum Respond {
    /// A complete response with `Content-Length`.
    static func raw(
        status: Int, contentType: String = "application/json", headers: [(String, String)] = [], body: String
    ) -> [FakeServer.Step] {
        let bytes = Array(body.utf8)
        var head = "HTTP/1.1 \(status) \(reason(status))\r\nContent-Type: \(contentType)\r\n"
        head += "Content-Length: \(bytes.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        return [.write(Array(head.utf8) + bytes)]
    }

    /// A JSON body.
    static func json(_ body: String, status: Int = 200, headers: [(String, String)] = []) -> [FakeServer.Step] {
        raw(status: status, headers: headers, body: body)
    }

    /// The head of a chunked `text/event-stream` response.
    static func streamHead(status: Int = 200, headers: [(String, String)] = []) -> FakeServer.Step {
        var head = "HTTP/1.1 \(status) \(reason(status))\r\nContent-Type: text/event-stream\r\n"
        head += "Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        return .write(Array((head + "\r\n").utf8))
    }

    /// One chunk of chunked transfer encoding.
    static func chunk(_ text: String) -> FakeServer.Step {
        let bytes = Array(text.utf8)
        return .write(Array((String(bytes.count, radix: 16) + "\r\n").utf8) + bytes + Array("\r\n".utf8))
    }

    /// The last chunk.
    static let lastChunk = FakeServer.Step.write(Array("0\r\n\r\n".utf8))

    /// Each event split in two at an awkward place, each half its own chunk and TCP write, a little apart.
    static func split(_ events: [String]) -> [FakeServer.Step] {
        var steps: [FakeServer.Step] = []
        for event in events {
            let middle = event.index(event.startIndex, offsetBy: event.count / 2)
            steps.append(chunk(String(event[..<middle])))
            steps.append(.pause(.milliseconds(1)))
            steps.append(chunk(String(event[middle...])))
        }
        return steps
    }

    /// A whole SSE response: head, events split across writes, last chunk.
    static func sse(_ events: [String], headers: [(String, String)] = []) -> [FakeServer.Step] {
        [streamHead(headers: headers)] + split(events) + [lastChunk]
    }

    /// `data: JSON\n\n`.
    static func data(_ json: String) -> String { "data: \(json)\n\n" }

    /// `event: NAME\ndata: JSON\n\n` (Anthropic's framing).
    static func event(_ name: String, _ json: String) -> String { "event: \(name)\ndata: \(json)\n\n" }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 503: return "Service Unavailable"
        case 529: return "Site Overloaded"
        default: return "Status"
        }
    }
}
