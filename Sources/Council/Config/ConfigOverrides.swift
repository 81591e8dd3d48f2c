/// Values from `council serve` flags; each one set wins over the file.
public struct ConfigOverrides: Sendable, Equatable {
    /// `--broker URL`: replaces `mqtt.url`.
    public var broker: String?
    /// `--node NAME`: replaces `node.name` (and so the default client id).
    public var node: String?
    /// `--state-dir DIR`: replaces `node.state_dir`.
    public var stateDirectory: String?

    /// Overrides for the flags that were given.
    public init(broker: String? = nil, node: String? = nil, stateDirectory: String? = nil) {
        self.broker = broker
        self.node = node
        self.stateDirectory = stateDirectory
    }

    /// Applies the overrides to `config`, recording bad flag values under the flag's name.
    func apply(to config: inout CouncilConfig, problems: ProblemList) {
        if let broker {
            do {
                config.mqtt.url = try BrokerURL(parsing: broker)
            } catch {
                problems.invalid("--broker", "\(error.reason), got \(tomlQuoted(broker))")
            }
        }
        if let node {
            if let reason = NodeName.problem(with: node) {
                problems.invalid("--node", reason)
            } else {
                config.node.name = node
            }
        }
        if let stateDirectory {
            if stateDirectory.isEmpty {
                problems.invalid("--state-dir", "must not be empty")
            } else {
                config.node.stateDirectory = stateDirectory
            }
        }
    }
}
