import JSON
import Logging
import Memory
import Providers
import Router
import Sandbox
import Skills
import Store

extension Capabilities {
    /// Everything a node configured by `config` serves: the skills in cascade order, the LLM tiers, the ops beyond
    /// `ask`/`info`/`health`/`options`, and the run-time options.
    public static func standard(
        config: CouncilConfig, database: Database, events: EventPublisher, logger: Logger
    ) throws -> Capabilities {
        let routerOptions = RouterOptions(.init(cloudEscalation: config.router.cloudEscalation))
        let logic = try LogicOperations.library(database: database)
        if !config.logic.programsDirectory.isEmpty {
            let (loaded, problems) = logic.loadFolder(config.logic.programsDirectory)
            for problem in problems { logger.warning("logic program not loaded: \(problem)") }
            if !loaded.isEmpty { logger.info("logic programs loaded: \(loaded.joined(separator: ", "))") }
        }
        var capabilities = Capabilities(
            skills: [MathSkill(), LogicSkill(library: logic)], operations: LogicOperations.all(library: logic))
        let memory = try addMemory(to: &capabilities, config: config, database: database, logger: logger)
        capabilities.options.append(
            .toggle(
                "cloud_escalation", configured: config.router.cloudEscalation,
                read: { routerOptions.current.cloudEscalation },
                write: { on in routerOptions.update { $0.cloudEscalation = on } }))
        let ledger = try budgetLedger(config: config, database: database, events: events, logger: logger)
        capabilities.operations += [BudgetOperation(ledger: ledger), BudgetResetOperation(ledger: ledger)]
        capabilities.options += budgetOptions(config: config, ledger: ledger)
        capabilities.budgetFigures = {
            guard let status = try? ledger.status() else { return nil }
            return BudgetFigures(
                spentTodayUSD: status.daily.spentUSD, spentMonthUSD: status.monthly.spentUSD,
                remainingTodayUSD: status.daily.remainingUSD, remainingMonthUSD: status.monthly.remainingUSD)
        }
        addModels(
            to: &capabilities, config: config, ledger: ledger, options: routerOptions, context: memory, events: events,
            logger: logger)
        let sandbox = try addSandbox(to: &capabilities, config: config)
        // After math, logic and knowledge; the LLM tiers (capabilities.models) are asked after every skill.
        let limits = CodeSkill.Limits(maxAttempts: config.runs.maxAttempts, maxCostUSD: config.runs.maxCostUSD)
        let planner = ExecutionPlanner(sandbox: sandbox, history: try ExecutionHistory(database: database))
        let code = CodeSkill(sandbox: sandbox, cascade: capabilities.models, limits: limits, planner: planner)
        capabilities.skills.append(code)
        try addAgents(to: &capabilities, config: config, database: database, logger: logger)
        try addRuns(to: &capabilities, config: config, database: database, events: events, code: code)
        return capabilities
    }

    /// Agent runs: the `run` ops over a manager of their own, and the sweep that removes expired files.
    static func addRuns(
        to capabilities: inout Capabilities, config: CouncilConfig, database: Database, events: EventPublisher,
        code: CodeSkill
    ) throws {
        let manager = try RunManager(
            database: database, skill: code, agents: capabilities.agents, events: events,
            settings: RunManager.Settings(config.runs))
        capabilities.operations += RunOperations.all(
            manager: manager, replyWithinMillis: config.requests.defaultTimeoutSeconds * 1000)
        capabilities.services.append {
            while !Task.isCancelled {
                _ = try? manager.records.expireArtifacts(now: unixMillis())
                try? await Task.sleep(for: .seconds(60))
            }
        }
    }

    /// Facts, knowledge and conversations: the knowledge skill, the memory ops, and the context the LLM tiers get.
    /// The store has a connection of its own, so its searches never wait for the journal's writes.
    static func addMemory(
        to capabilities: inout Capabilities, config: CouncilConfig, database: Database, logger: Logger
    ) throws -> MemoryContext {
        let settings = config.memory.settings
        let embedder: any Embedder
        if settings.usesBuiltInEmbedder {
            embedder = settings.hashingEmbedder
        } else {
            let model = config.models.first { $0.name == settings.embedder }!  // checked when the config was loaded
            embedder = EndpointEmbedder(
                client: EmbeddingClient(endpoint: ModelEndpoint(config: model)), dimension: settings.dimension)
        }
        let connection = try Database(path: database.path)
        let store = try MemoryStore(database: connection, embedder: embedder, options: settings.storeOptions)
        let conversations = try ConversationMemory(database: connection, options: settings.conversationOptions)
        capabilities.skills.append(KnowledgeSkill(store: store))
        capabilities.factCount = { try store.count() }
        capabilities.operations += MemoryOperations.all(store: store, conversations: conversations)
        capabilities.services += [{ await store.keepSynchronized() }, { await conversations.keepPruned() }]
        return MemoryContext(store: store, conversations: conversations, logger: logger)
    }

    /// Agent profiles: stored ones and those in `[agents] dir`, the `agent/*` ops, and `ask`'s `agent`.
    static func addAgents(
        to capabilities: inout Capabilities, config: CouncilConfig, database: Database, logger: Logger
    ) throws {
        let agents = try AgentDirectory(
            database: database, folder: config.agents.directory, skillNames: capabilities.skills.map(\.name),
            sandboxProfiles: ["light", "heavy"])
        for problem in agents.problems { logger.warning("agent profile not loaded: \(problem)") }
        capabilities.agents = agents
        capabilities.operations += AgentOperations.all(directory: agents)
    }

    /// The code sandbox: the `exec` op and the `sandbox` option.
    static func addSandbox(to capabilities: inout Capabilities, config: CouncilConfig) throws -> Sandbox {
        let sandbox = try Sandbox(configuration: config.sandbox.configuration)
        capabilities.operations.append(ExecOperation(sandbox: sandbox))
        capabilities.options.append(
            .toggle(
                "sandbox", configured: config.sandbox.enabled, read: { sandbox.isEnabled },
                write: { on in sandbox.setEnabled(on) }))
        capabilities.services.append {
            // Idle until the daemon stops, then release the spare sandboxes at once.
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
            sandbox.stop()
        }
        return sandbox
    }

    /// The `[[models]]` as the cascade's LLM tiers: clients with retries and cooldowns, paid calls through the budget
    /// ledger, periodic health checks, and their descriptions for `info` and `health`.
    static func addModels(
        to capabilities: inout Capabilities, config: CouncilConfig, ledger: BudgetLedger, options: RouterOptions,
        context: (any AnswerContext)?, events: EventPublisher, logger: Logger
    ) {
        guard !config.models.isEmpty else { return }
        let backends = config.models.map { Backend(endpoint: ModelEndpoint(config: $0), logger: logger) }
        var prices: [String: ModelPrice] = [:]
        for model in config.models {
            prices[model.name] = ModelPrice(
                inputUSDPerMillionTokens: model.tier == .local ? 0 : model.inputUSDPerMillionTokens,
                outputUSDPerMillionTokens: model.tier == .local ? 0 : model.outputUSDPerMillionTokens,
                cachedInputUSDPerMillionTokens: model.tier == .local ? nil : model.cachedInputUSDPerMillionTokens)
        }
        let gate = LedgerSpendingGate(ledger: ledger, prices: prices, logger: logger, events: events.emit)
        capabilities.models = ModelCascade(
            models: backends.map(BackendModel.init), spending: gate, options: options,
            maxTokens: config.models.map(\.maxTokens).max() ?? 1024, context: context, events: events.emit)
        let monitor = HealthMonitor(backends: backends)
        capabilities.services.append { await monitor.run() }
        let descriptions: JSONValue = .array(
            config.models.map { model in
                [
                    "name": .string(model.name), "provider": .string(model.provider.rawValue),
                    "model": .string(model.model), "tier": .string(model.tier.rawValue),
                    "input_usd_per_mtok": JSONValue(model.inputUSDPerMillionTokens),
                    "output_usd_per_mtok": JSONValue(model.outputUSDPerMillionTokens),
                ]
            })
        capabilities.modelDescriptions = { descriptions }
        capabilities.backendHealth = { .array(monitor.snapshot.map(\.json)) }
    }

    /// The budget ledger with the configured caps; reservations a killed run left behind are settled now (at their
    /// worst case) and reported.
    static func budgetLedger(
        config: CouncilConfig, database: Database, events: EventPublisher, logger: Logger
    ) throws -> BudgetLedger {
        let zone = try ZoneInfo.named(config.budget.timezone)
        let ledger = try BudgetLedger(
            database: database,
            caps: BudgetCaps(
                dailyUSD: config.budget.dailyUSD, monthlyUSD: config.budget.monthlyUSD, timeZone: zone,
                minimumAnswerTokens: config.budget.minimumAnswerTokens))
        let recovery = ledger.recovery
        if recovery.settledReservations > 0 {
            logger.warning(
                """
                settled \(recovery.settledReservations) paid calls a previous run left unfinished at their worst \
                case (\(recovery.settledUSD) USD); budget/reset forgives it if that overstates the spend
                """)
        }
        for event in recovery.events { events.emit(BudgetThresholdEvent.eventType, event.eventData) }
        return ledger
    }

    /// `daily_budget_usd` and `monthly_budget_usd`: the caps, changeable from a dashboard.
    static func budgetOptions(config: CouncilConfig, ledger: BudgetLedger) -> [NodeOption] {
        [
            .number(
                "daily_budget_usd", configured: config.budget.dailyUSD, range: 0...1_000_000,
                read: { ledger.caps.dailyUSD }, write: { value in ledger.caps.dailyUSD = value }),
            .number(
                "monthly_budget_usd", configured: config.budget.monthlyUSD, range: 0...10_000_000,
                read: { ledger.caps.monthlyUSD }, write: { value in ledger.caps.monthlyUSD = value }),
        ]
    }
}
