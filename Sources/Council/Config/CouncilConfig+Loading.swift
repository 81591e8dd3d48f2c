extension CouncilConfig {
    /// The file `council serve` reads when no `--config` is given.
    public static let defaultPath = "/etc/council/council.toml"

    /// Loads the configuration: defaults, then the TOML file at `path` (if not `nil`), then `overrides`,
    /// then secrets resolved from systemd credentials, files and `environment`.
    ///
    /// A `path` that cannot be read is an error, as is any unknown key, wrong type or invalid value; the
    /// error lists every problem found, each naming its key (`mqtt.url: ...`).
    public static func load(
        path: String?, overrides: ConfigOverrides = ConfigOverrides(), environment: [String: String]
    ) throws(ConfigError) -> CouncilConfig {
        guard let path else { return try build(members: [], sourcePath: nil, overrides, environment) }
        let text: String
        do {
            text = try FileText.read(path)
        } catch {
            throw ConfigError(.unreadableFile, key: nil, message: "cannot read config file \(path): \(error.reason)")
        }
        let members = try TOMLDocument.parse(text, origin: path)
        return try build(members: members, sourcePath: path, overrides, environment)
    }

    /// Like ``load(path:overrides:environment:)`` for TOML already in memory; `origin` names it in syntax errors.
    public static func parse(
        toml text: String, origin: String = "<config>", overrides: ConfigOverrides = ConfigOverrides(),
        environment: [String: String]
    ) throws(ConfigError) -> CouncilConfig {
        let members = try TOMLDocument.parse(text, origin: origin)
        return try build(members: members, sourcePath: nil, overrides, environment)
    }

    private static func build(
        members: [(key: String, value: TOMLNode)], sourcePath: String?, _ overrides: ConfigOverrides,
        _ environment: [String: String]
    ) throws(ConfigError) -> CouncilConfig {
        let problems = ProblemList()
        var root = TableReader(path: "", members: members, problems: problems)
        var config = CouncilConfig()
        config.sourcePath = sourcePath

        var node = root.table("node")
        config.node = NodeSection(reading: &node)
        var mqtt = root.table("mqtt")
        config.mqtt = MQTTSection(reading: &mqtt)
        var journal = root.table("journal")
        config.journal = JournalSection(reading: &journal)
        var requests = root.table("requests")
        config.requests = RequestsSection(reading: &requests)
        var log = root.table("log")
        config.log = LogSection(reading: &log)
        var modelTables = root.tables("models")
        config.models = modelTables.indices.map { Model(reading: &modelTables[$0]) }
        var budget = root.table("budget")
        config.budget = BudgetSection(reading: &budget)
        var router = root.table("router")
        config.router = RouterSection(reading: &router)
        var sandbox = root.table("sandbox")
        config.sandbox = SandboxSection(reading: &sandbox)

        var control = root.table("control")
        config.control = ControlSection(reading: &control)
        var memory = root.table("memory")
        config.memory = MemorySection(reading: &memory)
        var agents = root.table("agents")
        config.agents = AgentsSection(reading: &agents)
        var logic = root.table("logic")
        config.logic = LogicSection(reading: &logic)
        var runs = root.table("runs")
        config.runs = RunsSection(reading: &runs)
        var metrics = root.table("metrics")
        config.metrics = MetricsSection(reading: &metrics)
        var homeAssistant = root.table("homeassistant")
        config.homeAssistant = HomeAssistantSection(reading: &homeAssistant)

        let tables = [
            root, node, mqtt, journal, requests, log, budget, router, sandbox, control, memory, agents, logic, runs,
            metrics, homeAssistant,
        ]
        for table in tables + modelTables {
            table.reportUnknownKeys()
        }
        checkModelNames(config.models, problems: problems)
        let embedder = config.memory.settings.embedder
        if embedder != "hashing" && !config.models.contains(where: { $0.name == embedder }) {
            problems.invalid(
                "memory.embedder", "\(tomlQuoted(embedder)) is neither \"hashing\" nor the name of a [[models]] entry")
        }

        overrides.apply(to: &config, problems: problems)
        config.mqtt.checkTLSScheme(problems: problems)
        if config.mqtt.clientID.isEmpty { config.mqtt.clientID = "council-\(config.node.name)" }

        (config.mqtt.password, config.mqtt.passwordSource) =
            SecretResolver.mqttPassword(config.mqtt, environment: environment, problems: problems)
        (config.control.token, config.control.tokenSource) =
            SecretResolver.controlToken(config.control, environment: environment, problems: problems)
        for index in config.models.indices {
            (config.models[index].apiKey, config.models[index].apiKeySource) = SecretResolver.apiKey(
                config.models[index], key: "models[\(index)]", environment: environment, problems: problems)
        }
        try problems.throwIfAny()
        return config
    }

    private static func checkModelNames(_ models: [Model], problems: ProblemList) {
        var seen: Set<String> = []
        for (index, model) in models.enumerated() where !model.name.isEmpty {
            if !seen.insert(model.name).inserted {
                problems.invalid("models[\(index)].name", "\(tomlQuoted(model.name)) is used by an earlier model")
            }
        }
    }
}
