/// The MQTT topics of one Council node, as the contract in DESIGN.md names them.
public struct Topics: Sendable, Equatable {
    /// The base topic, `council` by default.
    public let base: String
    /// This node's name.
    public let node: String
    /// Requests any node may serve.
    public let sharedRequestPrefix: String
    /// Requests for this node only.
    public let nodeRequestPrefix: String
    /// The request prefixes as bytes, this node's first: matched against every incoming topic.
    private let requestPrefixes: [[UInt8]]

    /// Creates the topic set for a node.
    public init(base: String, node: String) {
        self.base = base
        self.node = node
        sharedRequestPrefix = "\(base)/request/"
        nodeRequestPrefix = "\(base)/\(node)/request/"
        requestPrefixes = [Array(nodeRequestPrefix.utf8), Array(sharedRequestPrefix.utf8)]
    }

    /// The filters the daemon subscribes to.
    public var requestFilters: [String] { [sharedRequestPrefix + "#", nodeRequestPrefix + "#"] }
    /// Retained availability: online / offline.
    public var status: String { "\(base)/\(node)/status" }
    /// Retained description of the node.
    public var info: String { "\(base)/\(node)/info" }

    /// Retained: the current run-time options (`options` op).
    public var state: String { "\(base)/\(node)/state" }
    /// Route decisions, fallbacks, budget thresholds, option changes.
    public var event: String { "\(base)/\(node)/event" }
    /// A run's live log.
    public func runLog(id: String) -> String { "\(base)/\(node)/runs/\(id)/log" }
    /// Retained: the metrics snapshot.
    public var metrics: String { "\(base)/\(node)/metrics" }
    /// Retained: the latest answer, for dashboards.
    public var lastAnswer: String { "\(base)/\(node)/last_answer" }
    /// The default reply topic of an op.
    public func response(op: String) -> String { "\(base)/\(node)/response/\(op)" }

    /// The op a request topic names (`ask`, `memory/add`, ...), or nil when the topic is not a request topic.
    public func op(fromRequestTopic topic: String) -> String? {
        let bytes = topic.utf8
        for prefix in requestPrefixes where bytes.starts(with: prefix) {
            return bytes.count > prefix.count ? String(decoding: bytes.dropFirst(prefix.count), as: UTF8.self) : nil
        }
        return nil
    }
}
