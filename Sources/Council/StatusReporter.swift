import Bus
import JSON
import Store
import Synchronization

/// Builds the `info` and `health` documents from the running node's parts.
final class StatusReporter: NodeStatus {
    private let settings: DaemonSettings
    private let startedAtMillis: Int64
    private let skills: [String]
    /// The ops served, set once the handler is built (before the reporter is shared).
    nonisolated(unsafe) var ops: [String] = []
    private let parts = Mutex<(bus: MQTTClient?, journal: Journal?)>((nil, nil))

    private let models: @Sendable () -> JSONValue
    private let backends: @Sendable () -> JSONValue

    init(
        settings: DaemonSettings, startedAtMillis: Int64, skills: [String],
        models: @escaping @Sendable () -> JSONValue = { [] }, backends: @escaping @Sendable () -> JSONValue = { [] }
    ) {
        self.settings = settings
        self.startedAtMillis = startedAtMillis
        self.skills = skills
        self.models = models
        self.backends = backends
    }

    /// Connects the reporter to the parts it reports on (they are created after it).
    func attach(bus: MQTTClient, journal: Journal) {
        parts.withLock { $0 = (bus, journal) }
    }

    func info() -> JSONObject {
        [
            "node": .string(settings.topics.node),
            "version": .string(CouncilVersion.current),
            "base_topic": .string(settings.topics.base),
            "protocol": .string(settings.bus.protocolVersion.rawValue),
            "ops": .array(ops.map { .string($0) }),
            "skills": .array(skills.map { .string($0) }),
            "models": models(),
            "max_payload_bytes": JSONValue(settings.maxPayloadBytes),
            "started_at": JSONValue(Double(startedAtMillis) / 1000),
            "config": .object(settings.publicConfiguration),
        ]
    }

    func health() -> JSONObject {
        let (bus, journal) = parts.withLock { ($0.bus, $0.journal) }
        let connected = bus?.isConnected ?? false
        var journalStatus: JSONObject = [:]
        var healthy = connected
        do {
            journalStatus["pending"] = JSONValue(try journal?.pendingCount() ?? 0)
            journalStatus["ok"] = true
        } catch {
            journalStatus["ok"] = false
            journalStatus["error"] = .string("\(error)")
            healthy = false
        }
        return [
            "status": healthy ? "ok" : "degraded",
            "node": .string(settings.topics.node),
            "uptime_s": JSONValue((unixMillis() - startedAtMillis) / 1000),
            "mqtt": ["connected": .bool(connected), "broker": .string(bus?.brokerDescription ?? "")],
            "journal": .object(journalStatus),
            "skills": .array(skills.map { .string($0) }),
            "backends": backends(),
        ]
    }
}
