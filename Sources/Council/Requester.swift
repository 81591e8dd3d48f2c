import Bus
import Glibc
import JSON
import Logging
import Synchronization

/// The requesting side of the contract: sends requests to a Council node and matches replies to them, many in
/// flight at once over one connection. MQTT 5 uses Response Topic and Correlation Data; MQTT 3.1.1 uses the
/// payload's `reply_to` and `transaction`.
public final class Requester: Sendable {
    private let bus: MQTTClient
    private let base: String
    private let node: String?
    private let replyTopic: String
    private let protocolVersion: MQTTProtocol
    private let waiting = Mutex<[String: Waiter]>([:])
    private let counter = Atomic<UInt64>(0)
    private let prefix: String

    /// Creates a requester. `node` nil sends to `<base>/request/<op>` (any node); otherwise to that node only.
    public init(options: BusOptions, base: String, node: String?, logger: Logger) throws(BusError) {
        var options = options
        options.cleanStart = true
        options.sessionExpirySeconds = 0
        replyTopic = "\(base)/client/\(options.clientID)/reply"
        options.subscriptions = [Subscription(replyTopic, qos: 1)]
        bus = try MQTTClient(options: options, logger: logger)
        self.base = base
        self.node = node
        self.protocolVersion = options.protocolVersion
        prefix = options.clientID + "-"
    }

    /// A client id that will not collide with another requester's.
    public static func uniqueClientID(prefix: String = "council-ask") -> String {
        var generator = SystemRandomNumberGenerator()
        return prefix + "-" + String(generator.next() & 0xFFFF_FFFF_FFFF, radix: 36)
    }

    /// Connects and subscribes to the reply topic.
    public func start(timeout: Duration = .seconds(10)) async throws(BusError) {
        try bus.start()
        try await bus.waitUntilConnected(timeout: timeout)
        try await bus.subscribe(Subscription(replyTopic, qos: 1), timeout: timeout)
        Task { [self] in
            while let batch = await bus.receive() {
                for message in batch { deliver(message) }
            }
        }
    }

    /// Sends `body` as a request for `op` and returns the reply's payload, or fails after `timeout`.
    /// `onPartial` receives each streamed `{"status":"partial",...}` envelope (for `"stream": true`) before the final
    /// reply arrives.
    public func send(
        op: String, body: JSONObject, timeout: Duration, onPartial: (@Sendable ([UInt8]) -> Void)? = nil
    ) async throws(BusError) -> [UInt8] {
        let key = prefix + String(counter.wrappingAdd(1, ordering: .relaxed).newValue)
        var body = body
        var message = OutboundMessage(topic: topic(for: op), payload: [], qos: 1)
        if protocolVersion == .v5 {
            message.responseTopic = replyTopic
            message.correlationData = Array(key.utf8)
        } else {
            body["reply_to"] = .string(replyTopic)
            if body["transaction"] == nil { body["transaction"] = .string(key) }
        }
        let matchKey = protocolVersion == .v5 ? key : (body["transaction"]?.stringValue ?? key)
        message.payload = JSONValue.object(body).encoded()
        return try await send(message, matchKey: matchKey, timeout: timeout, onPartial: onPartial)
    }

    /// Sends a raw payload (used to test how a node answers malformed requests).
    public func sendRaw(op: String, payload: [UInt8], timeout: Duration) async throws(BusError) -> [UInt8] {
        let key = prefix + String(counter.wrappingAdd(1, ordering: .relaxed).newValue)
        let message = OutboundMessage(
            topic: topic(for: op), payload: payload, qos: 1, responseTopic: replyTopic,
            correlationData: Array(key.utf8))
        return try await send(message, matchKey: key, timeout: timeout)
    }

    /// Disconnects.
    public func close() async {
        await bus.stop()
    }

    private func topic(for op: String) -> String {
        node.map { "\(base)/\($0)/request/\(op)" } ?? "\(base)/request/\(op)"
    }

    private func send(
        _ message: OutboundMessage, matchKey: String, timeout: Duration,
        onPartial: (@Sendable ([UInt8]) -> Void)? = nil
    ) async throws(BusError) -> [UInt8] {
        let timer = Task { [self] in
            try await Task.sleep(for: timeout)
            waiting.withLock { $0.removeValue(forKey: matchKey) }?.continuation.resume(
                returning: .failure(BusError(.timeout, "no reply within \(timeout)")))
        }
        defer { timer.cancel() }
        let result = await withCheckedContinuation { continuation in
            waiting.withLock { $0[matchKey] = Waiter(continuation: continuation, onPartial: onPartial) }
            do throws(BusError) {
                try bus.publish(message)
            } catch {
                waiting.withLock { $0.removeValue(forKey: matchKey) }?.continuation.resume(returning: .failure(error))
            }
        }
        return try result.get()
    }

    /// A request waiting for its final reply.
    private struct Waiter {
        let continuation: CheckedContinuation<Result<[UInt8], BusError>, Never>
        let onPartial: (@Sendable ([UInt8]) -> Void)?
    }

    /// Whether a payload is a partial (streamed) envelope; Council writes `status` first.
    private static func isPartial(_ payload: [UInt8]) -> Bool {
        payload.starts(with: Array(#"{"status":"partial""#.utf8))
    }

    private func deliver(_ message: InboundMessage) {
        let key: String?
        if let data = message.correlationData {
            key = String(decoding: data, as: UTF8.self)
        } else if case .object(let object)? = try? JSONParser.parse(message.payload) {
            key = object["transaction"]?.stringValue
        } else {
            key = nil
        }
        guard let key else { return }
        if Self.isPartial(message.payload) {
            waiting.withLock { $0[key]?.onPartial }?(message.payload)
            return
        }
        waiting.withLock { $0.removeValue(forKey: key) }?.continuation.resume(returning: .success(message.payload))
    }
}
