import Bus
import JSON
import Logging
import Store

/// The daemon's outward view of itself: the metrics registry and its retained snapshot, the Prometheus endpoint,
/// Home Assistant discovery and the retained last answer. The daemon reports requests and replies here; this type
/// owns the timers, sockets and topics.
final class Telemetry: Sendable {
    /// The counters and latencies.
    let metrics: MetricsRegistry
    /// Publishes the snapshot every `metrics.interval_s` and on demand.
    let publisher: MetricsPublisher
    private let lastAnswers: LastAnswerPublisher
    private let prometheus: PrometheusExporter?
    private let announcer: HomeAssistantAnnouncer?
    private let budget: (@Sendable () -> BudgetFigures?)?
    private let logger: Logger

    /// Sets up telemetry for a node serving `ops` with `skills` and `models`; the Prometheus port is bound now, so a
    /// taken port fails the start with a clear error.
    init(
        settings: DaemonSettings, ops: [String], skills: [String], models: [String],
        budget: (@Sendable () -> BudgetFigures?)?, factCount: (@Sendable () throws -> Int)? = nil, logger: Logger
    ) throws {
        let zone = (try? ZoneInfo.named(settings.timeZone)) ?? .utc
        metrics = MetricsRegistry(
            ops: ops, skills: skills, models: models,
            calendar: MetricsCalendar(
                nextMidnight: { zone.nextMidnight(after: $0 / 1000) * 1000 },
                nextMonthStart: { zone.nextMonthStart(after: $0 / 1000) * 1000 }))
        publisher = MetricsPublisher(registry: metrics, interval: .seconds(settings.metrics.intervalSeconds))
        let metrics = self.metrics
        prometheus =
            settings.metrics.prometheusPort == 0
            ? nil
            : try PrometheusExporter(port: settings.metrics.prometheusPort, logger: logger) {
                metrics.snapshot().prometheusText
            }
        announcer =
            settings.homeAssistant.discovery
            ? HomeAssistantAnnouncer(
                discovery: HomeAssistantDiscovery(
                    topics: settings.topics, prefix: settings.homeAssistant.prefix,
                    metricsIntervalSeconds: settings.metrics.intervalSeconds, skills: skills,
                    controlToken: settings.controlToken),
                logger: logger)
            : nil
        let topic = settings.topics.lastAnswer
        let box = ClientBox()
        lastAnswers = LastAnswerPublisher { payload in
            box.client?.announce(OutboundMessage(topic: topic, payload: payload, qos: 1, retain: true))
        }
        self.clientBox = box
        self.budget = budget
        self.logger = logger
        if let factCount { metrics.setFactsStoredSource(factCount) }
        if let figures = budget?() {
            metrics.restoreSpending(todayUSD: figures.spentTodayUSD, monthUSD: figures.spentMonthUSD)
            metrics.setBudgetRemaining(todayUSD: figures.remainingTodayUSD, monthUSD: figures.remainingMonthUSD)
        }
    }

    private let clientBox: ClientBox

    /// Holds the client once it exists (the last-answer publisher is built before it).
    private final class ClientBox: @unchecked Sendable {  // set once in `attach`, before any answer is offered
        var client: MQTTClient?
    }

    /// Adds discovery's subscriptions and retained configs to the client's options.
    func prepare(_ options: inout BusOptions) {
        guard let announcer else { return }
        options.subscriptions += announcer.subscriptions
        options.announcements += announcer.announcements()
    }

    /// Connects the publishers to the client.
    func attach(_ client: MQTTClient, topics: Topics, journal: Journal) {
        clientBox.client = client
        publisher.attach(publish: MetricsPublisher.retained(on: client, topic: topics.metrics))
        announcer?.attach(bus: client)
        metrics.setJournalDepthSource { try journal.pendingCount() }
    }

    /// Starts the Prometheus endpoint (after the bus is started).
    func start() {
        do {
            try prometheus?.start()
        } catch {
            logger.error("the Prometheus endpoint could not start: \(error)")
        }
    }

    /// The timers to run while serving.
    var services: [@Sendable () async -> Void] {
        [{ await self.publisher.run() }, { await self.lastAnswers.run() }]
    }

    /// Stops the timers and the endpoint (before the offline farewell).
    func stop() {
        publisher.finish()
        lastAnswers.flush()
        prometheus?.stop()
        announcer?.stop()
    }

    /// Whether a message was Home Assistant's (its birth message or a config of ours), handled here.
    func receive(_ message: InboundMessage) -> Bool {
        announcer?.receive(message) ?? false
    }

    /// Counts a request as it arrives.
    func recordRequest(op: String) {
        metrics.recordRequest(op: op)
    }

    /// Counts an error reply.
    func recordError(_ code: ErrorCode) {
        metrics.recordError(code)
    }

    /// Counts a successful reply: answers by skill and model, sandbox runs; the last answer for dashboards.
    func recordSuccess(op: String, data: JSONObject, prompt: @autoclosure () -> String?) {
        switch op {
        case "ask":
            metrics.recordAskReply(data)
            lastAnswers.offer(prompt: prompt(), data: data, answeredAtMillis: unixMillis())
            if (data["cost_usd"]?.doubleValue ?? 0) > 0 { refreshBudget() }
        case "exec":
            metrics.recordExecReply(data)
        case "options", "budget", "budget/reset":
            refreshBudget()
        default:
            break
        }
    }

    private func refreshBudget() {
        guard let figures = budget?() else { return }
        metrics.setBudgetRemaining(todayUSD: figures.remainingTodayUSD, monthUSD: figures.remainingMonthUSD)
    }
}

/// Spend and what is left, for the metrics.
public struct BudgetFigures: Sendable {
    /// Spent since local midnight, USD.
    public var spentTodayUSD: Double
    /// Spent since the 1st, USD.
    public var spentMonthUSD: Double
    /// Left of the daily cap, USD.
    public var remainingTodayUSD: Double
    /// Left of the monthly cap, USD.
    public var remainingMonthUSD: Double

    /// Creates the figures.
    public init(spentTodayUSD: Double, spentMonthUSD: Double, remainingTodayUSD: Double, remainingMonthUSD: Double) {
        self.spentTodayUSD = spentTodayUSD
        self.spentMonthUSD = spentMonthUSD
        self.remainingTodayUSD = remainingTodayUSD
        self.remainingMonthUSD = remainingMonthUSD
    }
}
