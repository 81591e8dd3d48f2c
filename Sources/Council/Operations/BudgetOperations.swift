import JSON
import Store

/// `budget`: spent and remaining money today and this month, by model.
///
/// `data`: `daily` and `monthly`, each {`spent_usd`, `cap_usd`, `remaining_usd`, `resets_at` (RFC 3339 with the
/// zone's offset), `resets_at_ms`, `started_at_ms`, `by_model`}; `by_model` (this month's); `reserved_usd` (held for
/// calls in flight, already subtracted from `remaining_usd`); `timezone`. Each `by_model` entry is {`spent_usd`,
/// `tokens_in`, `tokens_out`, `calls`, `estimated_calls`}. `by_agent`: what each agent profile spent today, in USD.
public struct BudgetOperation: Operation {
    public let name = "budget"
    private let ledger: BudgetLedger
    private let clock: @Sendable () -> Int64

    /// Creates the op over a ledger; `clock` gives Unix milliseconds (the wall clock unless a test injects one).
    public init(ledger: BudgetLedger, clock: @escaping @Sendable () -> Int64 = { BudgetLedger.wallClockMillis() }) {
        self.ledger = ledger
        self.clock = clock
    }

    public func plan(_ body: JSONObject, context: OperationContext) -> OperationPlan {
        let ledger = self.ledger
        let clock = self.clock
        return .pending {
            do {
                let now = clock()
                var data = BudgetJSON.status(try ledger.status(now: now))
                let byAgent = try ledger.agentsSpentToday(now: now).sorted { $0.key < $1.key }
                data["by_agent"] = .object(JSONObject(byAgent.map { ($0, JSONValue($1)) }))
                return .success(data)
            } catch {
                return .failure(RequestError(.internal, "budget: cannot read the budget ledger: \(error)"))
            }
        }
    }
}

/// `budget/reset` (a control op): forgives recorded spend and returns the new state.
///
/// Request: `scope` (optional): `"all"` (default) — today's and this month's spend stop counting against both caps;
/// or `"day"` — today's spend stops counting against the daily cap only (it still counts for the month). Nothing is
/// deleted: the spend stays in the ledger as history, calls in flight keep their reservations, and the forgiven
/// periods' 80% / 100% events are re-armed. `data`: what `budget` returns, plus `reset`: {`scope`,
/// `forgiven_daily_usd`, `forgiven_monthly_usd`}.
public struct BudgetResetOperation: Operation {
    public let name = "budget/reset"
    private let ledger: BudgetLedger
    private let clock: @Sendable () -> Int64

    /// Creates the op over a ledger; `clock` gives Unix milliseconds.
    public init(ledger: BudgetLedger, clock: @escaping @Sendable () -> Int64 = { BudgetLedger.wallClockMillis() }) {
        self.ledger = ledger
        self.clock = clock
    }

    public func plan(_ body: JSONObject, context: OperationContext) -> OperationPlan {
        var scope = BudgetResetScope.all
        if let value = body["scope"] {
            guard case .string(let text) = value, let parsed = BudgetResetScope(rawValue: text) else {
                return .failure(.badRequest, "budget/reset: 'scope' must be \"all\" or \"day\"")
            }
            scope = parsed
        }
        let ledger = self.ledger
        let clock = self.clock
        return .pending { [scope] in
            do {
                let result = try ledger.reset(scope, now: clock())
                var data = BudgetJSON.status(result.status)
                data["reset"] = [
                    "scope": .string(result.scope.rawValue),
                    "forgiven_daily_usd": JSONValue(result.forgivenDailyUSD),
                    "forgiven_monthly_usd": JSONValue(result.forgivenMonthlyUSD),
                ]
                return .success(data)
            } catch {
                return .failure(RequestError(.internal, "budget/reset: cannot write the budget ledger: \(error)"))
            }
        }
    }
}

extension RequestError {
    /// The `budget_exceeded` reply for a refused paid call; `data` is ``BudgetExceeded/replyData``.
    public init(_ refusal: BudgetExceeded) {
        self.init(.budgetExceeded, refusal.description, data: refusal.replyData)
    }
}

extension BudgetExceeded {
    /// `cap` (`daily`, `monthly` or `request`), `remaining_usd`, `needed_usd`, `cap_usd`, and `resets_at` (RFC 3339;
    /// null for a request's own `max_cost_usd`, which never resets).
    public var replyData: JSONObject {
        [
            "cap": .string(cap.rawValue), "remaining_usd": JSONValue(remainingUSD), "needed_usd": JSONValue(neededUSD),
            "cap_usd": JSONValue(capUSD), "resets_at": resetsAt.map { .string($0) } ?? .null,
        ]
    }
}

extension BudgetThresholdEvent {
    /// The `type` of the event published on `<base>/<node>/event`.
    public static let eventType = "budget_threshold"

    /// The event's `data`: `period` (`daily` / `monthly`), `percent` (80 / 100), `spent_usd`, `cap_usd`, `resets_at`.
    public var eventData: JSONObject {
        [
            "period": .string(period.rawValue), "percent": JSONValue(percent), "spent_usd": JSONValue(spentUSD),
            "cap_usd": JSONValue(capUSD), "resets_at": .string(resetsAt),
        ]
    }
}

/// The JSON shapes of the budget ops.
enum BudgetJSON {
    static func status(_ status: BudgetStatus) -> JSONObject {
        [
            "daily": .object(period(status.daily)), "monthly": .object(period(status.monthly)),
            "by_model": .object(byModel(status.monthly.byModel)), "reserved_usd": JSONValue(status.reservedUSD),
            "timezone": .string(status.timeZone),
        ]
    }

    static func period(_ period: BudgetStatus.Period) -> JSONObject {
        [
            "spent_usd": JSONValue(period.spentUSD), "cap_usd": JSONValue(period.capUSD),
            "remaining_usd": JSONValue(period.remainingUSD), "started_at_ms": JSONValue(period.startedAtMillis),
            "resets_at": .string(period.resetsAt), "resets_at_ms": JSONValue(period.resetsAtMillis),
            "by_model": .object(byModel(period.byModel)),
        ]
    }

    static func byModel(_ models: [String: BudgetStatus.ModelSpend]) -> JSONObject {
        var object = JSONObject()
        for name in models.keys.sorted() {
            guard let spend = models[name] else { continue }
            object[name] = [
                "spent_usd": JSONValue(spend.spentUSD), "tokens_in": JSONValue(spend.tokensIn),
                "tokens_out": JSONValue(spend.tokensOut), "calls": JSONValue(spend.calls),
                "estimated_calls": JSONValue(spend.estimatedCalls),
            ]
        }
        return object
    }
}
