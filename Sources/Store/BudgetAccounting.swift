/// The local day and month containing an instant, as Unix-millisecond ranges `[start, end)`.
struct BudgetPeriods {
    let now: Int64
    let zone: ZoneInfo
    let dayStart: Int64
    let dayEnd: Int64
    let monthStart: Int64
    let monthEnd: Int64

    init(now: Int64, zone: ZoneInfo) {
        let seconds = floorDivide(now, 1000)
        self.now = now
        self.zone = zone
        dayStart = zone.startOfDay(containing: seconds) * 1000
        dayEnd = zone.nextMidnight(after: seconds) * 1000
        monthStart = zone.startOfMonth(containing: seconds) * 1000
        monthEnd = zone.nextMonthStart(after: seconds) * 1000
    }

    func start(of period: BudgetCapKind) -> Int64 { period == .daily ? dayStart : monthStart }
    func end(of period: BudgetCapKind) -> Int64 { period == .daily ? dayEnd : monthEnd }
    func rfc3339(_ millis: Int64) -> String { zone.rfc3339(unixSeconds: floorDivide(millis, 1000)) }
}

/// What counts against the caps now: the day's and the month's spend since the last reset that covers them, and
/// every outstanding reservation (whichever period it was made in: it will be settled in this one or a later one).
struct BudgetTotals {
    var dayNanos: Int64
    var monthNanos: Int64
    var reservedNanos: Int64
    /// Spend rows with an id at or below these were forgiven by a reset (for the daily cap / for both caps).
    var dayMarker: Int64
    var monthMarker: Int64

    /// Reads the totals. Each period's spend comes from ``BudgetTotalsCache``; when `cache` is true (inside a write
    /// transaction) a period missing from it is stored there for the next call.
    static func read(_ connection: borrowing Connection, periods: BudgetPeriods, cache: Bool) throws -> BudgetTotals {
        let markers = try connection.query(
            """
            SELECT COALESCE(MAX(through_spend_id), 0),
                   COALESCE(MAX(CASE WHEN scope = 'all' THEN through_spend_id END), 0)
            FROM budget_resets
            """)[0]
        let dayMarker: Int64 = try markers.get(0)
        let monthMarker: Int64 = try markers.get(1)
        let day = try BudgetTotalsCache.period(connection, .daily, periods: periods, marker: dayMarker, cache: cache)
        let month = try BudgetTotalsCache.period(
            connection, .monthly, periods: periods, marker: monthMarker, cache: cache)
        let reserved = try connection.query("SELECT COALESCE(SUM(amount_nano_usd), 0) FROM budget_reservations")[0]
        return BudgetTotals(
            dayNanos: day.total.costNanos, monthNanos: month.total.costNanos, reservedNanos: try reserved.get(0),
            dayMarker: dayMarker, monthMarker: monthMarker)
    }

    func spent(_ period: BudgetCapKind) -> Int64 { period == .daily ? dayNanos : monthNanos }
    func marker(_ period: BudgetCapKind) -> Int64 { period == .daily ? dayMarker : monthMarker }
}

/// What each limit leaves for a new reservation, and which one to blame when the least of them is too small.
struct BudgetLimits {
    struct Limit {
        let kind: BudgetCapKind
        let capNanos: Int64
        let leftNanos: Int64
        let resetsAt: Int64?
    }

    private(set) var limits: [Limit]
    let periods: BudgetPeriods

    init(totals: BudgetTotals, caps: BudgetCaps, periods: BudgetPeriods, requestMaxUSD: Double?) {
        self.periods = periods
        var limits = [
            Limit(
                kind: .daily, capNanos: caps.dailyNanos,
                leftNanos: max(0, caps.dailyNanos - totals.dayNanos - totals.reservedNanos), resetsAt: periods.dayEnd),
            Limit(
                kind: .monthly, capNanos: caps.monthlyNanos,
                leftNanos: max(0, caps.monthlyNanos - totals.monthNanos - totals.reservedNanos),
                resetsAt: periods.monthEnd),
        ]
        if let requestMaxUSD {
            let cap = USD.nanos(max(0, requestMaxUSD))
            limits.append(Limit(kind: .request, capNanos: cap, leftNanos: cap, resetsAt: nil))
        }
        self.limits = limits
    }

    /// Adds the daily cap of the agent a call is made for: `usedNanos` is its spend today plus what its calls in
    /// flight hold.
    mutating func addAgentLimit(capNanos: Int64, usedNanos: Int64) {
        limits.append(
            Limit(kind: .agent, capNanos: capNanos, leftNanos: max(0, capNanos - usedNanos), resetsAt: periods.dayEnd))
    }

    /// The least any limit leaves.
    var left: Int64 { limits.map(\.leftNanos).min() ?? 0 }

    /// The refusal for a call needing `needed`: blames, of the limits too small, the one that frees up last.
    func refusal(needed: Int64) -> BudgetExceeded {
        let short = limits.filter { $0.leftNanos < needed }
        let order: [BudgetCapKind] = [.request, .monthly, .daily, .agent]
        let blamed = order.lazy.compactMap { kind in short.first { $0.kind == kind } }.first ?? limits[0]
        return BudgetExceeded(
            cap: blamed.kind, remainingUSD: USD.dollars(left), neededUSD: USD.dollars(needed),
            capUSD: USD.dollars(blamed.capNanos), resetsAtMillis: blamed.resetsAt,
            resetsAt: blamed.resetsAt.map { periods.rfc3339($0) })
    }
}

/// The 80% and 100% announcements, stored so that each is made once per period.
enum BudgetThresholds {
    static let percents = [80, 100]

    /// Records and returns the thresholds the current spend has reached that were not yet announced this period.
    static func announce(
        _ connection: borrowing Connection, totals: BudgetTotals, caps: BudgetCaps, periods: BudgetPeriods, now: Int64
    ) throws -> [BudgetThresholdEvent] {
        var events: [BudgetThresholdEvent] = []
        for (period, cap) in [(BudgetCapKind.daily, caps.dailyNanos), (.monthly, caps.monthlyNanos)] where cap > 0 {
            let spent = totals.spent(period)
            for percent in percents where Double(spent) * 100 >= Double(cap) * Double(percent) {
                let inserted = try connection.run(
                    """
                    INSERT INTO budget_thresholds
                        (period, period_start_ms, percent, spent_nano_usd, cap_nano_usd, announced_at_ms)
                    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                    """,
                    [
                        .text(period.rawValue), .integer(periods.start(of: period)), .integer(Int64(percent)),
                        .integer(spent), .integer(cap), .integer(now),
                    ])
                guard inserted == 1 else { continue }
                let end = periods.end(of: period)
                events.append(
                    BudgetThresholdEvent(
                        period: period, percent: percent, spentUSD: USD.dollars(spent), capUSD: USD.dollars(cap),
                        resetsAtMillis: end, resetsAt: periods.rfc3339(end)))
            }
        }
        return events
    }

    /// Forgets the announcements of the current periods named, so they can fire again (after a reset).
    static func rearm(_ connection: borrowing Connection, _ kinds: [BudgetCapKind], periods: BudgetPeriods) throws {
        for period in kinds {
            try connection.run(
                "DELETE FROM budget_thresholds WHERE period = ? AND period_start_ms = ?",
                [.text(period.rawValue), .integer(periods.start(of: period))])
        }
    }
}
