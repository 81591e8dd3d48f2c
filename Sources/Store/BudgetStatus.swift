/// Spent and remaining money today and this month (what the `budget` op reports).
public struct BudgetStatus: Sendable, Equatable {
    /// One cap's period.
    public struct Period: Sendable, Equatable {
        /// Settled spend counted against the cap (since the period began, or since a reset), in USD.
        public let spentUSD: Double
        /// The cap, in USD.
        public let capUSD: Double
        /// What a new call may still reserve: cap − spent − outstanding reservations, never negative, in USD.
        public let remainingUSD: Double
        /// When the period began (local midnight), Unix milliseconds.
        public let startedAtMillis: Int64
        /// When it resets (the next local midnight, or of the next first of the month), Unix milliseconds.
        public let resetsAtMillis: Int64
        /// The same instant as RFC 3339 with the zone's offset.
        public let resetsAt: String
        /// The counted spend per model.
        public let byModel: [String: ModelSpend]
    }

    /// One model's counted spend in a period.
    public struct ModelSpend: Sendable, Equatable {
        /// In USD.
        public let spentUSD: Double
        /// Prompt tokens.
        public let tokensIn: Int
        /// Completion tokens.
        public let tokensOut: Int
        /// Calls (abandoned ones included).
        public let calls: Int
        /// How many of those calls were costed from estimated token counts (no usage reported, or abandoned).
        public let estimatedCalls: Int
    }

    /// Today, in the caps' zone.
    public let daily: Period
    /// This month, in the caps' zone.
    public let monthly: Period
    /// Held for calls in flight, in USD.
    public let reservedUSD: Double
    /// The zone's identifier.
    public let timeZone: String
}

/// What ``BudgetLedger/reset(_:now:)`` forgives.
public enum BudgetResetScope: String, Sendable, CaseIterable {
    /// Today's spend no longer counts against the daily cap; it still counts against the monthly cap.
    case day
    /// Today's and this month's spend no longer count against either cap.
    case all
}

/// The outcome of a reset.
public struct BudgetResetResult: Sendable, Equatable {
    /// What was reset.
    public let scope: BudgetResetScope
    /// The spend no longer counted against the daily cap, in USD.
    public let forgivenDailyUSD: Double
    /// The spend no longer counted against the monthly cap, in USD.
    public let forgivenMonthlyUSD: Double
    /// The state after the reset.
    public let status: BudgetStatus
}

extension BudgetLedger {
    /// Spent and remaining money today and this month, by model, and what is held for calls in flight.
    public func status(now: Int64 = wallClockMillis()) throws -> BudgetStatus {
        let caps = self.caps
        let periods = BudgetPeriods(now: now, zone: caps.timeZone)
        return try database.transaction(.deferred) { connection in
            try Self.status(connection, caps: caps, periods: periods, cache: false)
        }
    }

    /// Forgives recorded spend: with `.all`, everything settled up to now stops counting against both caps; with
    /// `.day`, against the daily cap only. Nothing is deleted — the spend rows stay as history and a row in
    /// `budget_resets` records what was forgiven — and calls in flight keep their reservations. The forgiven
    /// periods' 80% / 100% announcements are re-armed, so crossing them again is reported again.
    public func reset(_ scope: BudgetResetScope = .all, now: Int64 = wallClockMillis()) throws -> BudgetResetResult {
        let caps = self.caps
        let periods = BudgetPeriods(now: now, zone: caps.timeZone)
        return try database.transaction(.immediate) { connection in
            let before = try BudgetTotals.read(connection, periods: periods, cache: false)
            let through: Int64 = try connection.query("SELECT COALESCE(MAX(id), 0) FROM budget_spend")[0].get(0)
            let forgivenMonth = scope == .all ? before.monthNanos : 0
            try connection.run(
                """
                INSERT INTO budget_resets
                    (scope, through_spend_id, forgiven_daily_nano_usd, forgiven_monthly_nano_usd, at_ms)
                VALUES (?, ?, ?, ?, ?)
                """,
                [
                    .text(scope.rawValue), .integer(through), .integer(before.dayNanos), .integer(forgivenMonth),
                    .integer(now),
                ])
            try BudgetTotalsCache.invalidate(connection)
            try BudgetThresholds.rearm(connection, scope == .all ? [.daily, .monthly] : [.daily], periods: periods)
            return BudgetResetResult(
                scope: scope, forgivenDailyUSD: USD.dollars(before.dayNanos),
                forgivenMonthlyUSD: USD.dollars(forgivenMonth),
                status: try Self.status(connection, caps: caps, periods: periods, cache: true))
        }
    }

    private static func status(
        _ connection: borrowing Connection, caps: BudgetCaps, periods: BudgetPeriods, cache: Bool
    ) throws -> BudgetStatus {
        let totals = try BudgetTotals.read(connection, periods: periods, cache: cache)
        func period(_ kind: BudgetCapKind, cap: Int64) throws -> BudgetStatus.Period {
            let spent = totals.spent(kind)
            let start = periods.start(of: kind)
            let end = periods.end(of: kind)
            let counted = try BudgetTotalsCache.period(
                connection, kind, periods: periods, marker: totals.marker(kind), cache: cache, withModels: true)
            let byModel = counted.byModel.mapValues { spend in
                BudgetStatus.ModelSpend(
                    spentUSD: USD.dollars(spend.costNanos), tokensIn: spend.tokensIn, tokensOut: spend.tokensOut,
                    calls: spend.calls, estimatedCalls: spend.estimatedCalls)
            }
            return BudgetStatus.Period(
                spentUSD: USD.dollars(spent), capUSD: USD.dollars(cap),
                remainingUSD: USD.dollars(max(0, cap - spent - totals.reservedNanos)), startedAtMillis: start,
                resetsAtMillis: end, resetsAt: periods.rfc3339(end), byModel: byModel)
        }
        return BudgetStatus(
            daily: try period(.daily, cap: caps.dailyNanos), monthly: try period(.monthly, cap: caps.monthlyNanos),
            reservedUSD: USD.dollars(totals.reservedNanos), timeZone: caps.timeZone.identifier)
    }
}
