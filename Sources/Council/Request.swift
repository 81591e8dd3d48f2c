import Bus
import JSON

/// Where and how to answer a request: known even when the request itself is malformed.
public struct ReplyAddress: Sendable, Equatable {
    /// Topic the final reply goes to.
    public var topic: String
    /// MQTT 5 Correlation Data to copy back unchanged.
    public var correlationData: [UInt8]?
    /// The payload's `transaction`, echoed in the reply.
    public var transaction: JSONValue?
}

/// A well-formed request, ready for its op's handler.
public struct Request: Sendable {
    /// The op named by the topic (`ask`, `info`, ...).
    public var op: String
    /// The request's JSON object.
    public var body: JSONObject
    /// Where the reply goes.
    public var reply: ReplyAddress
    /// When it arrived, Unix milliseconds.
    public var receivedAtMillis: Int64
    /// When it stops being worth answering (payload `deadline` or MQTT message expiry), Unix milliseconds.
    public var expiresAtMillis: Int64?
}

/// Turns an MQTT message into a `Request`, or into the error reply it deserves.
public struct RequestDecoder: Sendable {
    /// The node's topics.
    public let topics: Topics
    /// Largest payload accepted.
    public let maxPayloadBytes: Int

    /// Creates a decoder.
    public init(topics: Topics, maxPayloadBytes: Int) {
        self.topics = topics
        self.maxPayloadBytes = maxPayloadBytes
    }

    /// Decodes a message. Returns nil when the topic is not a request topic at all (nothing to answer).
    public func decode(_ message: InboundMessage, receivedAtMillis: Int64) -> (
        ReplyAddress, Result<Request, RequestError>
    )? {
        guard let op = topics.op(fromRequestTopic: message.topic) else { return nil }
        var reply = ReplyAddress(
            topic: message.responseTopic ?? topics.response(op: op), correlationData: message.correlationData,
            transaction: nil)
        if message.payload.count > maxPayloadBytes {
            return (
                reply,
                .failure(
                    RequestError(
                        .tooLarge,
                        "payload of \(message.payload.count) bytes is over the limit of \(maxPayloadBytes) bytes"))
            )
        }
        let body: JSONObject
        do {
            guard case .object(let object) = try JSONParser.parse(message.payload) else {
                return (reply, .failure(RequestError(.badRequest, "the payload must be a JSON object")))
            }
            body = object
        } catch {
            return (reply, .failure(RequestError(.badRequest, "the payload is not valid JSON: \(error)")))
        }
        reply.transaction = body["transaction"]
        if let replyTo = body["reply_to"] {
            guard case .string(let topic) = replyTo, Self.isPublishableTopic(topic) else {
                return (
                    reply,
                    .failure(
                        RequestError(
                            .badRequest, "reply_to must be a topic name (a non-empty string without + or #)"))
                )
            }
            if message.responseTopic == nil { reply.topic = topic }
        }
        var expiresAt = message.messageExpirySeconds.map { receivedAtMillis + Int64($0) * 1000 }
        if let raw = body["deadline"] {
            guard let deadline = Deadline.millis(from: raw) else {
                return (
                    reply,
                    .failure(
                        RequestError(
                            .badRequest,
                            "deadline must be a Unix time in seconds or an RFC 3339 time such as 2026-01-01T12:00:00Z"))
                )
            }
            expiresAt = min(expiresAt ?? deadline, deadline)
        }
        let request = Request(
            op: op, body: body, reply: reply, receivedAtMillis: receivedAtMillis, expiresAtMillis: expiresAt)
        return (reply, .success(request))
    }

    private static func isPublishableTopic(_ topic: String) -> Bool {
        !topic.isEmpty && !topic.utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "#") || $0 == 0 })
            && topic.utf8.count <= 65535
    }
}

/// Parses request deadlines: Unix seconds (fractions allowed) or RFC 3339 timestamps.
enum Deadline {
    static func millis(from value: JSONValue) -> Int64? {
        switch value {
        case .number(let number):
            let seconds = number.doubleValue
            guard seconds.isFinite, seconds > 0, seconds < 1e11 else { return nil }
            return Int64(seconds * 1000)
        case .string(let text):
            return parseRFC3339(text)
        default:
            return nil
        }
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` to Unix milliseconds.
    static func parseRFC3339(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[range] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard bytes.count >= 20, bytes[4] == 45, bytes[7] == 45, bytes[10] == 84 || bytes[10] == 116 || bytes[10] == 32,
            bytes[13] == 58, bytes[16] == 58,
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var millis = 0
        if index < bytes.count, bytes[index] == 46 {
            index += 1
            var scale = 100
            let start = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                millis += Int(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
            if index == start { return nil }
        }
        var offsetSeconds = 0
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case 90, 122:  // Z
            guard index + 1 == bytes.count else { return nil }
        case 43, 45:  // + or -
            guard index + 6 == bytes.count, bytes[index + 3] == 58,
                let hours = number(index + 1..<index + 3), let minutes = number(index + 4..<index + 6)
            else { return nil }
            offsetSeconds = (hours * 3600 + minutes * 60) * (bytes[index] == 43 ? 1 : -1)
        default:
            return nil
        }
        // Days from the civil date (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Int64(seconds) * 1000 + Int64(millis)
    }
}
