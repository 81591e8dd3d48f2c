import Bus
import Council
import Foundation
import JSON
import Logging
import Skills
import Store
import Synchronization

/// A logger for tests: warnings and above, to stderr.
func testLogger(_ label: String) -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = .warning
    return logger
}

/// A fresh, empty folder removed when the test ends.
func temporaryFolder(_ name: String) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("council-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
}

/// Settings for a daemon on a test broker.
func daemonSettings(broker: TestBroker, stateDirectory: String, node: String = "testnode") -> DaemonSettings {
    var bus = BusOptions(host: "127.0.0.1", port: broker.port, clientID: "council-\(node)", cleanStart: false)
    bus.sessionExpirySeconds = 3600
    bus.reconnectMinSeconds = 0.1
    bus.reconnectMaxSeconds = 1
    return DaemonSettings(
        topics: Topics(base: "council", node: node), bus: bus, stateDirectory: stateDirectory,
        maxPayloadBytes: 4096)
}

/// A daemon running in this process until `stop`.
final class RunningDaemon: @unchecked Sendable {  // fields set once in init
    let shutdown = ShutdownSignal(handleSignals: false)
    private var task: Task<Void, Error>!

    /// Starts a daemon and waits until it is online (its subscriptions are in place before it says so).
    convenience init(settings: DaemonSettings, skills: [any Skill] = [MathSkill()]) async throws {
        try await self.init(settings: settings) { _ in Capabilities(skills: skills) }
    }

    /// Starts a daemon whose skills and ops `capabilities` builds from its open database.
    init(
        settings: DaemonSettings, events: EventPublisher = EventPublisher(),
        capabilities: (Database) throws -> Capabilities
    ) async throws {
        let daemon = try Daemon(
            settings: settings, logger: testLogger("daemon"), events: events, capabilities: capabilities)
        let shutdown = self.shutdown
        task = Task { try await daemon.run(until: shutdown) }
        let watcher = try await Recorder(port: settings.bus.port, filters: [settings.topics.status])
        let online = await watcher.wait(timeout: .seconds(10)) {
            String(decoding: $0.payload, as: UTF8.self) == #"{"state":"online"}"#
        }
        await watcher.close()
        guard !online.isEmpty else { throw BrokerError("the daemon did not come online") }
    }

    func stop() async throws {
        shutdown.trigger()
        try await task.value
    }
}

/// A plain MQTT client that records everything arriving on some filters.
final class Recorder: Sendable {
    let client: MQTTClient
    private let received = Box()

    convenience init(broker: TestBroker, filters: [String], protocolVersion: MQTTProtocol = .v5) async throws {
        try await self.init(port: broker.port, filters: filters, protocolVersion: protocolVersion)
    }

    init(port: Int, filters: [String], protocolVersion: MQTTProtocol = .v5) async throws {
        var options = BusOptions(
            host: "127.0.0.1", port: port, clientID: Requester.uniqueClientID(prefix: "recorder"),
            protocolVersion: protocolVersion)
        options.subscriptions = filters.map { Subscription($0, qos: 1) }
        client = try MQTTClient(options: options, logger: testLogger("recorder"))
        try client.start()
        try await client.waitUntilConnected(timeout: .seconds(5))
        for filter in filters { try await client.subscribe(Subscription(filter, qos: 1)) }
        let client = self.client
        let received = self.received
        Task {
            for await message in client.messages() { received.messages.withLock { $0.append(message) } }
        }
    }

    private final class Box: Sendable {
        let messages = Mutex<[InboundMessage]>([])
    }

    var messages: [InboundMessage] { received.messages.withLock { $0 } }

    /// Waits until `count` messages matching `predicate` arrived, or the timeout passes; returns what matched.
    func wait(
        for count: Int = 1, timeout: Duration = .seconds(5),
        where predicate: @escaping (InboundMessage) -> Bool = { _ in true }
    ) async -> [InboundMessage] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let matching = messages.filter(predicate)
            if matching.count >= count { return matching }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return messages.filter(predicate)
    }

    func publish(_ message: OutboundMessage) async throws {
        try await client.publishAndWait(message)
    }

    func close() async { await client.stop() }
}

/// Parses a reply payload into its envelope object.
func envelope(_ payload: [UInt8]) throws -> JSONObject {
    guard case .object(let object) = try JSONParser.parse(payload) else {
        throw BrokerError("reply is not a JSON object: \(String(decoding: payload, as: UTF8.self))")
    }
    return object
}

/// Connects a requester to the test broker.
func connectRequester(to broker: TestBroker, protocolVersion: MQTTProtocol = .v5, node: String? = nil) async throws
    -> Requester
{
    let options = BusOptions(
        host: "127.0.0.1", port: broker.port, clientID: Requester.uniqueClientID(), protocolVersion: protocolVersion)
    let requester = try Requester(options: options, base: "council", node: node, logger: testLogger("requester"))
    try await requester.start()
    return requester
}
