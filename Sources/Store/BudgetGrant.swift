/// Money set aside for one paid call until it is settled or released. Free models get a reservation without an
/// id: nothing is held for them.
public struct BudgetReservation: Sendable, Equatable {
    /// The row in `budget_reservations`, or nil for a free model.
    public let id: Int64?
    /// The model the call goes to.
    public let model: String
    /// What was set aside: the call's worst case, in USD.
    public let amountUSD: Double
    /// The caller's request id, recorded with the spend.
    public let requestID: String?
    /// The agent profile the call is made for, recorded with the spend; nil for none.
    public var agent: String? = nil

    /// Whether anything is held (false for free models).
    public var holdsMoney: Bool { id != nil }
}

/// The answer to ``BudgetLedger/authorize(model:price:promptTokens:requestedMaxTokens:requestMaxUSD:requestID:now:)``:
/// the reservation and the `max_tokens` the call must be sent with (the requested one, or less so that the worst
/// case fits what is left).
public struct BudgetGrant: Sendable, Equatable {
    /// What is held for the call; settle or release it when the call ends.
    public let reservation: BudgetReservation
    /// The model's price, used to cost the usage when settling.
    public let price: ModelPrice
    /// The prompt size the worst case was computed for.
    public let promptTokens: Int
    /// The `max_tokens` the caller asked for.
    public let requestedMaxTokens: Int
    /// The `max_tokens` to send: at most the requested one.
    public let maxTokens: Int

    /// Whether `max_tokens` had to be lowered to fit the budget.
    public var wasLowered: Bool { maxTokens < requestedMaxTokens }
}

/// Which limit refused a call.
public enum BudgetCapKind: String, Sendable, Equatable, CaseIterable {
    /// The daily cap (`daily_usd`), resetting at local midnight.
    case daily
    /// The monthly cap (`monthly_usd`), resetting at local midnight of the first.
    case monthly
    /// The request's own `max_cost_usd`; it never resets.
    case request
    /// The daily cap of the agent profile the call is made for (its `daily_usd`), resetting with `daily`.
    case agent
}

/// The agent profile a paid call is made for: its spend is recorded under its name, and its `daily_usd`, when set,
/// is one more limit the call must fit.
public struct AgentAllowance: Sendable, Equatable {
    /// The profile's name.
    public var name: String
    /// The most the agent may spend per day (the node's day, in the budget's time zone); nil for no cap of its own.
    public var dailyUSD: Double?

    /// Creates an allowance.
    public init(name: String, dailyUSD: Double?) {
        self.name = name
        self.dailyUSD = dailyUSD
    }
}

/// A paid call refused because not even a short answer fits what is left (the `budget_exceeded` error).
public struct BudgetExceeded: Error, Sendable, Equatable, CustomStringConvertible {
    /// The limit that refused it: of the limits too small for the call, the one that frees up last (a request's own
    /// limit never does; the monthly cap after the daily one).
    public let cap: BudgetCapKind
    /// What could still be spent now, in USD (the smallest of what every limit leaves).
    public let remainingUSD: Double
    /// The least the call would cost (its prompt and the minimum answer), in USD.
    public let neededUSD: Double
    /// The limit's size, in USD.
    public let capUSD: Double
    /// When that limit resets, Unix milliseconds; nil for a request's own limit.
    public let resetsAtMillis: Int64?
    /// The same instant as RFC 3339 with the configured zone's offset; nil for a request's own limit.
    public let resetsAt: String?

    /// A sentence for the requester, e.g. "daily budget exhausted: $0.000400 left of $1.00 until
    /// 2025-03-31T00:00:00+02:00; the call needs at least $0.002100".
    public var description: String {
        let left = "\(Self.format(remainingUSD)) left of \(Self.format(capUSD))"
        let needs = "the call needs at least \(Self.format(neededUSD))"
        switch cap {
        case .request: return "the request's max_cost_usd is too small: \(left); \(needs)"
        case .agent: return "the agent's daily budget is exhausted: \(left) until \(resetsAt ?? "?"); \(needs)"
        case .daily, .monthly: return "\(cap.rawValue) budget exhausted: \(left) until \(resetsAt ?? "?"); \(needs)"
        }
    }

    /// Dollars with enough digits to show fractions of a cent.
    static func format(_ usd: Double) -> String {
        let micros = Int64((usd * 1_000_000).rounded())
        let whole = micros / 1_000_000
        let fraction = String(micros % 1_000_000)
        return "$\(whole).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)"
    }
}

/// Spend crossed 80% or 100% of a cap: reported once per period and threshold (announcements are stored).
public struct BudgetThresholdEvent: Sendable, Equatable {
    /// The cap crossed (`daily` or `monthly`).
    public let period: BudgetCapKind
    /// 80 or 100.
    public let percent: Int
    /// The period's spend after the call that crossed it, in USD.
    public let spentUSD: Double
    /// The cap, in USD.
    public let capUSD: Double
    /// When the period resets, Unix milliseconds.
    public let resetsAtMillis: Int64
    /// The same instant as RFC 3339 with the zone's offset.
    public let resetsAt: String
}

/// What ``BudgetLedger`` found at start: reservations a previous run left behind (it was killed mid-call), now
/// settled at their worst case.
public struct BudgetRecovery: Sendable, Equatable {
    /// How many reservations were left behind.
    public let settledReservations: Int
    /// What they were settled at in total, in USD.
    public let settledUSD: Double
    /// Thresholds those settlements crossed.
    public let events: [BudgetThresholdEvent]
}
