/// Spend by agent profile: each paid call made for an agent carries its name in `budget_spend` and
/// `budget_reservations`, so that an agent's `daily_usd` is checked inside the same `BEGIN IMMEDIATE` transaction as
/// the node's caps, and concurrent calls for one agent cannot overspend it either.
enum AgentSpend {
    /// Adds the `agent` column to the ledger's spend and reservation tables.
    static let migration = Migration(
        name: "0008-budget-agents",
        sql: """
            ALTER TABLE budget_spend ADD COLUMN agent TEXT;
            ALTER TABLE budget_reservations ADD COLUMN agent TEXT;
            CREATE INDEX budget_spend_agent ON budget_spend (agent, at_ms) WHERE agent IS NOT NULL;
            """)

    /// What counts against `agent`'s daily cap now: its calls settled today plus its calls in flight. A
    /// `budget/reset` forgives the node's caps, not an agent's: an agent's cap is its own, and resets at midnight.
    static func usedToday(_ connection: borrowing Connection, agent: String, periods: BudgetPeriods) throws -> Int64 {
        let row = try connection.query(
            """
            SELECT (SELECT COALESCE(SUM(cost_nano_usd), 0) FROM budget_spend
                    WHERE agent = ?1 AND at_ms >= ?2 AND at_ms < ?3),
                   (SELECT COALESCE(SUM(amount_nano_usd), 0) FROM budget_reservations WHERE agent = ?1)
            """, [.text(agent), .integer(periods.dayStart), .integer(periods.dayEnd)])[0]
        let settled: Int64 = try row.get(0)
        let held: Int64 = try row.get(1)
        return settled + held
    }
}

extension BudgetLedger {
    /// What `agent` spent today (in the budget's time zone), in USD, not counting calls in flight.
    public func agentSpentToday(_ agent: String, now: Int64 = wallClockMillis()) throws -> Double {
        try agentsSpentToday(now: now)[agent] ?? 0
    }

    /// What each agent that spent anything today spent, in USD, not counting calls in flight.
    public func agentsSpentToday(now: Int64 = wallClockMillis()) throws -> [String: Double] {
        let periods = BudgetPeriods(now: now, zone: caps.timeZone)
        let rows = try database.query(
            """
            SELECT agent, SUM(cost_nano_usd) FROM budget_spend
            WHERE agent IS NOT NULL AND at_ms >= ? AND at_ms < ? GROUP BY agent
            """, [.integer(periods.dayStart), .integer(periods.dayEnd)])
        var spent: [String: Double] = [:]
        for row in rows {
            let nanos: Int64 = try row.get(1)
            spent[try row.get(0)] = USD.dollars(nanos)
        }
        return spent
    }
}
