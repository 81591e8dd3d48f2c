/// The daemon's configuration: `/etc/council/council.toml` merged over defaults, then `council serve` flags.
///
/// Load it with ``load(path:overrides:environment:)``. Every key has a default, so an empty file (or no file)
/// is a working configuration for a broker on localhost. `description` and `debugDescription` never show
/// secrets; ``renderEffective()`` prints every key as TOML with secrets masked.
public struct CouncilConfig: Sendable, Equatable {
    /// `[node]`: who this daemon is and where it keeps its state.
    public var node = NodeSection()
    /// `[mqtt]`: the broker connection.
    public var mqtt = MQTTSection()
    /// `[journal]`: the SQLite request journal.
    public var journal = JournalSection()
    /// `[requests]`: request handling.
    public var requests = RequestsSection()
    /// `[log]`: logging.
    public var log = LogSection()
    /// `[[models]]`: LLM backends, in the order written.
    public var models: [Model] = []
    /// `[budget]`: spending caps for paid models.
    public var budget = BudgetSection()
    /// `[router]`: how questions are routed.
    public var router = RouterSection()
    /// `[sandbox]`: the code sandbox.
    public var sandbox = SandboxSection()
    /// `[control]`: the token control ops require.
    public var control = ControlSection()
    /// `[memory]`: facts, knowledge and conversations.
    public var memory = MemorySection()
    /// `[agents]`: a folder of agent profiles.
    public var agents = AgentsSection()
    /// `[runs]`: the caps of code the models write, and how long runs' files are kept.
    public var runs = RunsSection()
    /// `[logic]`: Prolog programs loaded at start.
    public var logic = LogicSection()
    /// `[metrics]`: the metrics snapshot and the Prometheus endpoint.
    public var metrics = MetricsSection()
    /// `[homeassistant]`: MQTT discovery for Home Assistant.
    public var homeAssistant = HomeAssistantSection()
    /// The file this configuration was read from, or `nil` for defaults only.
    public var sourcePath: String?

    /// The defaults, with the node named after this machine's host name.
    public init() {}
}

extension CouncilConfig: CustomStringConvertible, CustomDebugStringConvertible {
    /// A one-line summary without secrets.
    public var description: String {
        let password = mqtt.password == nil ? "none" : "\(Secret.mask) (\(mqtt.passwordSource))"
        return "CouncilConfig(node: \(node.name), broker: \(mqtt.url), base_topic: \(mqtt.baseTopic), "
            + "client_id: \(mqtt.clientID), password: \(password), models: \(models.map(\.name)), "
            + "state_dir: \(node.stateDirectory), source: \(sourcePath ?? "defaults"))"
    }

    /// The effective configuration as TOML, secrets masked (``renderEffective()``).
    public var debugDescription: String { renderEffective() }
}
