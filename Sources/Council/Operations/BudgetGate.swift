import JSON
import Logging
import Router
import Store
import Synchronization

/// The cascade's ``SpendingGate`` backed by the SQLite ``BudgetLedger``: prices come from the configured models,
/// refusals become `budget_exceeded` with what is left and when it resets, and thresholds crossed by a settled call
/// are handed to `events` as `budget_threshold` events.
public final class LedgerSpendingGate: SpendingGate {
    /// Called with each event (`type`, `data`) for `<base>/<node>/event`.
    public typealias EventSink = @Sendable (_ type: String, _ data: JSONObject) -> Void

    private let ledger: BudgetLedger
    private let prices: [String: ModelPrice]
    private let events: EventSink
    private let logger: Logger
    /// The agent profile calls through this gate are made for.
    private let agent: AgentAllowance?
    /// Grants handed out and not yet settled or released, by the id given to the cascade.
    private let open = Mutex<(grants: [Int64: BudgetGrant], nextFreeID: Int64)>(([:], -1))

    /// Creates the gate. `prices` maps each `[[models]] name` to its price; a model missing from it is refused.
    public init(
        ledger: BudgetLedger, prices: [String: ModelPrice], logger: Logger,
        events: @escaping EventSink = { _, _ in }, agent: AgentAllowance? = nil
    ) {
        self.agent = agent
        self.ledger = ledger
        self.prices = prices
        self.events = events
        self.logger = logger
    }

    public func authorize(model: String, promptTokens: Int, maxTokens: Int, requestMaxUSD: Double?) throws
        -> SpendingGrant
    {
        guard let price = prices[model] else {
            throw BudgetRefusal(message: "no price is configured for model \(model); it is not called")
        }
        let grant: BudgetGrant
        do {
            grant = try ledger.authorize(
                model: model, price: price, promptTokens: promptTokens, requestedMaxTokens: maxTokens,
                requestMaxUSD: requestMaxUSD, agent: agent)
        } catch let refusal as BudgetExceeded {
            throw BudgetRefusal(message: refusal.description, data: refusal.replyData)
        }
        let id = open.withLock { open -> Int64 in
            // Free models hold no reservation row; they get ids of their own below zero.
            let id = grant.reservation.id ?? open.nextFreeID
            if grant.reservation.id == nil { open.nextFreeID -= 1 }
            open.grants[id] = grant
            return id
        }
        return SpendingGrant(id: id, model: model, maxTokens: grant.maxTokens)
    }

    public func settle(_ grant: SpendingGrant, usage: TokenUsage?, promptTokens: Int, outputText: String) -> (
        costUSD: Double, estimated: Bool
    ) {
        guard let held = open.withLock({ $0.grants.removeValue(forKey: grant.id) }) else {
            logger.error(
                "settling an unknown budget grant", metadata: ["model": "\(grant.model)", "id": "\(grant.id)"])
            return (0, true)
        }
        let billed =
            usage.map { BudgetUsage(inputTokens: $0.input, outputTokens: $0.output, cachedInputTokens: $0.cachedInput) }
            ?? BudgetUsage(
                inputTokens: promptTokens, outputTokens: TokenCount.estimate(outputText), estimated: true)
        do {
            for event in try ledger.settle(held, usage: billed) {
                events(BudgetThresholdEvent.eventType, event.eventData)
            }
        } catch {
            // The reservation stays and is settled at its worst case on the next start: the cap still holds.
            logger.error(
                "could not settle a paid call in the budget ledger: \(error)", metadata: ["model": "\(grant.model)"])
        }
        return (held.price.cost(of: billed), billed.estimated)
    }

    public func forAgent(_ agent: String, dailyUSD: Double?) -> any SpendingGate {
        LedgerSpendingGate(
            ledger: ledger, prices: prices, logger: logger, events: events,
            agent: AgentAllowance(name: agent, dailyUSD: dailyUSD))
    }

    public func release(_ grant: SpendingGrant) {
        guard let held = open.withLock({ $0.grants.removeValue(forKey: grant.id) }) else { return }
        do {
            try ledger.release(held)
        } catch {
            logger.error("could not release a budget reservation: \(error)", metadata: ["model": "\(grant.model)"])
        }
    }
}
