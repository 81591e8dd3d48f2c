import Glibc
import Synchronization

/// Council's spending on paid models, enforced (DESIGN.md, "Budgets").
///
/// Before a paid call, ``authorize(model:price:promptTokens:requestedMaxTokens:requestMaxUSD:requestID:now:)``
/// reserves its worst case (prompt plus `max_tokens`) inside one `BEGIN IMMEDIATE` transaction that first checks
/// the day's and the month's spend plus every outstanding reservation against the caps, so concurrent requests —
/// threads or processes sharing the file — cannot overspend. When the worst case does not fit, `max_tokens` is
/// lowered until it does; the call is refused (``BudgetExceeded``) only when not even
/// ``BudgetCaps/minimumAnswerTokens`` fit. After the call, ``settle(_:usage:now:)`` replaces the reservation with
/// the real cost, or ``release(_:)`` drops it when nothing was spent. Free (local) models are never reserved for
/// and never refused; their calls are still recorded, at zero cost, for the statistics.
///
/// Days and months are those of ``BudgetCaps/timeZone``: the daily cap resets at local midnight, the monthly cap at
/// local midnight of the first. A spend counts in the period in which it is settled.
///
/// Reservations carry the id of the daemon run that made them. A run killed mid-call leaves its reservations
/// behind; the next ledger opened on the database settles them at their worst case (the provider may well have
/// billed a call that was under way, and a cap must hold even then), so none stays stuck. One daemon per database:
/// a second ledger opened on the same file settles the first one's calls in flight the same way.
public final class BudgetLedger: Sendable {
    /// The database holding the budget tables.
    public let database: Database
    /// This run's id, stored with its reservations.
    public let runID: String
    /// What was found left behind by an earlier run, and settled, when this ledger opened.
    public let recovery: BudgetRecovery
    private let currentCaps: Mutex<BudgetCaps>

    /// Opens the ledger on a migrated database and settles reservations left by earlier runs at their worst case.
    /// - Throws: ``MigrationError`` `.notMigrated` when the budget tables are missing; ``SQLiteError``.
    public init(database: Database, caps: BudgetCaps, runID: String = makeRunID(), now: Int64 = wallClockMillis())
        throws
    {
        let tables = try database.query(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'budget_reservations'")
        guard !tables.isEmpty else {
            throw MigrationError(
                code: .notMigrated, migrations: [StoreSchema.budget.name],
                message: "database '\(database.path)' has no budget tables; open it with StoreSchema.open first")
        }
        self.database = database
        self.runID = runID
        currentCaps = Mutex(caps)
        recovery = try Self.settleAbandoned(database: database, runID: runID, caps: caps, now: now)
    }

    /// The caps in force; setting them takes effect for the next reservation.
    public var caps: BudgetCaps {
        get { currentCaps.withLock { $0 } }
        set { currentCaps.withLock { $0 = newValue } }
    }

    /// A fresh run id: random, 64 bits in hex.
    public static func makeRunID() -> String { String(UInt64.random(in: .min ... .max), radix: 16) }

    /// The wall clock, Unix milliseconds.
    public static func wallClockMillis() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }

    // MARK: Reserving

    /// Reserves the worst case of a call to `model` — `promptTokens` (an upper bound, see
    /// ``TokenCount/upperBound(_:overhead:)``) plus up to `requestedMaxTokens` of output — lowering `max_tokens`
    /// until it fits what the caps, the outstanding reservations and `requestMaxUSD` leave. Free models get
    /// `requestedMaxTokens` and hold nothing.
    /// - Throws: ``BudgetExceeded`` when not even `min(requestedMaxTokens, minimumAnswerTokens)` output tokens fit;
    ///   ``SQLiteError``.
    public func authorize(
        model: String, price: ModelPrice, promptTokens: Int, requestedMaxTokens: Int, requestMaxUSD: Double? = nil,
        requestID: String? = nil, agent: AgentAllowance? = nil, now: Int64 = wallClockMillis()
    ) throws -> BudgetGrant {
        let prompt = max(0, promptTokens)
        let requested = max(1, requestedMaxTokens)
        guard !price.isFree else {
            let reservation = BudgetReservation(
                id: nil, model: model, amountUSD: 0, requestID: requestID, agent: agent?.name)
            return BudgetGrant(
                reservation: reservation, price: price, promptTokens: prompt, requestedMaxTokens: requested,
                maxTokens: requested)
        }
        let caps = self.caps
        let shortest = min(requested, caps.minimumAnswerTokens)
        let needed = price.worstCaseNanos(promptTokens: prompt, maxTokens: shortest)
        let (reservation, maxTokens) = try hold(
            model: model, requestID: requestID, agent: agent, promptTokens: prompt, caps: caps,
            requestMaxUSD: requestMaxUSD, needed: needed, now: now
        ) { left in
            let allowed = Self.largestMaxTokens(price: price, promptTokens: prompt, requested: requested, left: left)
            return (price.worstCaseNanos(promptTokens: prompt, maxTokens: allowed), allowed)
        }
        return BudgetGrant(
            reservation: reservation, price: price, promptTokens: prompt, requestedMaxTokens: requested,
            maxTokens: maxTokens)
    }

    /// Reserves a fixed worst case for a call to `model` (when the caller computes it itself).
    /// - Throws: ``BudgetExceeded`` when it does not fit what is left; ``SQLiteError``.
    public func reserve(
        model: String, worstCaseUSD: Double, requestMaxUSD: Double? = nil, requestID: String? = nil,
        now: Int64 = wallClockMillis()
    ) throws -> BudgetReservation {
        let amount = USD.nanos(max(0, worstCaseUSD))
        guard amount > 0 else { return BudgetReservation(id: nil, model: model, amountUSD: 0, requestID: requestID) }
        return try hold(
            model: model, requestID: requestID, agent: nil, promptTokens: 0, caps: caps, requestMaxUSD: requestMaxUSD,
            needed: amount, now: now
        ) { _ in (amount, 0) }.reservation
    }

    /// The largest `max_tokens` ≤ `requested` whose worst case is at most `left` nano-dollars.
    static func largestMaxTokens(price: ModelPrice, promptTokens: Int, requested: Int, left: Int64) -> Int {
        let perToken = price.outputNanosPerToken
        guard perToken > 0 else { return requested }
        let room = (Double(left) - Double(promptTokens) * price.inputNanosPerToken) / perToken
        var allowed = room <= 0 ? 0 : Int(min(Double(requested), room.rounded(.down)))
        // Rounding may leave the worst case a nano-dollar over; step down until it fits.
        while allowed > 0, price.worstCaseNanos(promptTokens: promptTokens, maxTokens: allowed) > left { allowed -= 1 }
        return allowed
    }

    /// One `BEGIN IMMEDIATE` transaction: measures what every limit leaves, refuses when the least of them is below
    /// `needed`, else records the reservation `size(left)` returns.
    private func hold(
        model: String, requestID: String?, agent: AgentAllowance?, promptTokens: Int, caps: BudgetCaps,
        requestMaxUSD: Double?, needed: Int64, now: Int64, size: (Int64) -> (nanos: Int64, maxTokens: Int)
    ) throws -> (reservation: BudgetReservation, maxTokens: Int) {
        let periods = BudgetPeriods(now: now, zone: caps.timeZone)
        let runID = self.runID
        let outcome = try database.transaction(.immediate) {
            connection -> Result<(Int64, Int64, Int), BudgetExceeded> in
            let totals = try BudgetTotals.read(connection, periods: periods, cache: true)
            var limits = BudgetLimits(totals: totals, caps: caps, periods: periods, requestMaxUSD: requestMaxUSD)
            if let agent, let daily = agent.dailyUSD {
                let used = try AgentSpend.usedToday(connection, agent: agent.name, periods: periods)
                limits.addAgentLimit(capNanos: USD.nanos(max(0, daily)), usedNanos: used)
            }
            guard limits.left >= needed else { return .failure(limits.refusal(needed: needed)) }
            let (amount, maxTokens) = size(limits.left)
            try connection.run(
                """
                INSERT INTO budget_reservations
                    (model, amount_nano_usd, prompt_tokens, max_tokens, request_id, run_id, created_at_ms, agent)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .text(model), .integer(amount), .integer(Int64(promptTokens)), .integer(Int64(maxTokens)),
                    requestID.sqlValue, .text(runID), .integer(now), agent?.name.sqlValue ?? .null,
                ])
            return .success((try connection.lastInsertRowID, amount, maxTokens))
        }
        let (id, amount, maxTokens) = try outcome.get()
        let reservation = BudgetReservation(
            id: id, model: model, amountUSD: USD.dollars(amount), requestID: requestID, agent: agent?.name)
        return (reservation, maxTokens)
    }

    // MARK: Settling

    /// Replaces the grant's reservation with the cost of `usage` at the grant's price, and returns the thresholds
    /// this spend crossed (80% / 100% of the daily or monthly cap, each announced once per period).
    /// - Throws: ``BudgetLedgerError`` `.unknownReservation` when it was already settled or released (nothing is
    ///   recorded); ``SQLiteError``.
    @discardableResult
    public func settle(_ grant: BudgetGrant, usage: BudgetUsage, now: Int64 = wallClockMillis()) throws
        -> [BudgetThresholdEvent]
    {
        try settle(
            grant.reservation, costNanos: grant.price.costNanos(of: usage), usage: usage, now: now)
    }

    /// Replaces a reservation with a cost the caller computed, and returns the thresholds crossed.
    /// - Throws: ``BudgetLedgerError`` `.unknownReservation`; ``SQLiteError``.
    @discardableResult
    public func settle(
        _ reservation: BudgetReservation, costUSD: Double, usage: BudgetUsage, now: Int64 = wallClockMillis()
    ) throws -> [BudgetThresholdEvent] {
        try settle(reservation, costNanos: USD.nanos(max(0, costUSD)), usage: usage, now: now)
    }

    private func settle(_ reservation: BudgetReservation, costNanos: Int64, usage: BudgetUsage, now: Int64) throws
        -> [BudgetThresholdEvent]
    {
        let caps = self.caps
        let periods = BudgetPeriods(now: now, zone: caps.timeZone)
        let runID = self.runID
        return try database.transaction(.immediate) { connection in
            var reserved: Int64 = 0
            if let id = reservation.id {
                guard
                    let row = try connection.query(
                        "SELECT amount_nano_usd FROM budget_reservations WHERE id = ?", [.integer(id)]
                    ).first
                else {
                    throw BudgetLedgerError(
                        code: .unknownReservation,
                        message: "reservation \(id) for \(reservation.model) was already settled or released")
                }
                reserved = try row.get(0)
                try connection.run("DELETE FROM budget_reservations WHERE id = ?", [.integer(id)])
            }
            try Self.recordSpend(
                connection, model: reservation.model, kind: "call", usage: usage, costNanos: costNanos,
                reservedNanos: reserved, requestID: reservation.requestID, runID: runID, agent: reservation.agent,
                now: now)
            guard costNanos > 0 else { return [] }
            let totals = try BudgetTotals.read(connection, periods: periods, cache: true)
            return try BudgetThresholds.announce(connection, totals: totals, caps: caps, periods: periods, now: now)
        }
    }

    /// Drops a reservation whose call failed before anything was spent (no spend is recorded). Releasing one that
    /// is already gone does nothing.
    public func release(_ reservation: BudgetReservation) throws {
        guard let id = reservation.id else { return }
        try database.run("DELETE FROM budget_reservations WHERE id = ?", [.integer(id)])
    }

    /// Drops a grant's reservation (see ``release(_:)-(BudgetReservation)``).
    public func release(_ grant: BudgetGrant) throws { try release(grant.reservation) }

    static func recordSpend(
        _ connection: borrowing Connection, model: String, kind: String, usage: BudgetUsage, costNanos: Int64,
        reservedNanos: Int64, requestID: String?, runID: String, agent: String?, now: Int64
    ) throws {
        try connection.run(
            """
            INSERT INTO budget_spend (model, kind, tokens_in, tokens_out, tokens_cached, cost_nano_usd,
                                      reserved_nano_usd, estimated, request_id, run_id, at_ms, agent)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(model), .text(kind), .integer(Int64(max(0, usage.inputTokens))),
                .integer(Int64(max(0, usage.outputTokens))), usage.cachedInputTokens.map { Int64(max(0, $0)) }.sqlValue,
                .integer(costNanos), .integer(reservedNanos), usage.estimated.sqlValue, requestID.sqlValue,
                .text(runID), .integer(now), agent.sqlValue,
            ])
        try BudgetTotalsCache.add(connection, model: model, costNanos: costNanos, usage: usage, at: now)
    }

    /// Settles every reservation of another run at its worst case, as `abandoned` spend with estimated tokens
    /// (the reserved prompt and `max_tokens`).
    private static func settleAbandoned(database: Database, runID: String, caps: BudgetCaps, now: Int64) throws
        -> BudgetRecovery
    {
        let periods = BudgetPeriods(now: now, zone: caps.timeZone)
        return try database.transaction(.immediate) { connection in
            let rows = try connection.query(
                """
                SELECT id, model, amount_nano_usd, prompt_tokens, max_tokens, request_id, run_id, agent
                FROM budget_reservations WHERE run_id <> ? ORDER BY id
                """, [.text(runID)])
            guard !rows.isEmpty else { return BudgetRecovery(settledReservations: 0, settledUSD: 0, events: []) }
            var total: Int64 = 0
            for row in rows {
                let amount: Int64 = try row.get("amount_nano_usd")
                total += amount
                let usage = BudgetUsage(
                    inputTokens: try row.get("prompt_tokens"), outputTokens: try row.get("max_tokens"), estimated: true)
                try recordSpend(
                    connection, model: try row.get("model"), kind: "abandoned", usage: usage, costNanos: amount,
                    reservedNanos: amount, requestID: try row.get("request_id"), runID: try row.get("run_id"),
                    agent: try row.get("agent"), now: now)
                try connection.run("DELETE FROM budget_reservations WHERE id = ?", [row[0]])
            }
            let totals = try BudgetTotals.read(connection, periods: periods, cache: true)
            let events = try BudgetThresholds.announce(
                connection, totals: totals, caps: caps, periods: periods, now: now)
            return BudgetRecovery(settledReservations: rows.count, settledUSD: USD.dollars(total), events: events)
        }
    }
}

/// A misuse of the ledger a caller can correct.
public struct BudgetLedgerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong; more kinds may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: Hashable, Sendable { case unknownReservation }
        private let kind: Kind

        /// The reservation was already settled or released (or settled at start as abandoned by an earlier run).
        public static let unknownReservation = Code(kind: .unknownReservation)

        /// A short name for the code.
        public var description: String { "unknown_reservation" }
    }

    /// What went wrong.
    public let code: Code
    /// A sentence for the log.
    public let message: String

    /// The message.
    public var description: String { message }
}
