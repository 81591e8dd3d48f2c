/// Spend counted in one period: cost and usage.
struct SpendCounts: Equatable {
    var costNanos: Int64 = 0
    var tokensIn: Int = 0
    var tokensOut: Int = 0
    var calls: Int = 0
    var estimatedCalls: Int = 0
}

/// `budget_totals`: each period's counted spend, per model and in all (model `''`), so that reserving reads one row
/// per cap instead of summing a month of calls. Every spend row's write adds to the cached periods containing it; a
/// missing period (new day, changed zone, after a reset) is summed from `budget_spend` once and cached.
///
/// A period is identified by its cap, its zone and its start; the cached end must match too (a tzdata update may
/// move it). Rows of periods that ended over 40 days before a newly cached one are dropped.
enum BudgetTotalsCache {
    /// The counted spend of one period in all, and per model when `withModels`.
    static func period(
        _ connection: borrowing Connection, _ kind: BudgetCapKind, periods: BudgetPeriods, marker: Int64,
        cache: Bool, withModels: Bool = false
    ) throws -> (total: SpendCounts, byModel: [String: SpendCounts]) {
        let start = periods.start(of: kind)
        let end = periods.end(of: kind)
        let key: [SQLValue] = [.text(kind.rawValue), .text(periods.zone.identifier), .integer(start)]
        let cached = try connection.query(
            """
            SELECT model, end_ms, cost_nano_usd, tokens_in, tokens_out, calls, estimated_calls FROM budget_totals
            WHERE period = ? AND zone = ? AND start_ms = ? AND (model = '' OR ?)
            """, key + [withModels.sqlValue])
        if let header = cached.first(where: { $0[0] == .text("") }), try header.get(1) == end {
            var byModel: [String: SpendCounts] = [:]
            for row in cached where row[0] != .text("") { byModel[try row.get(0)] = try counts(row, from: 2) }
            return (try counts(header, from: 2), byModel)
        }
        let rows = try connection.query(
            """
            SELECT model, COALESCE(SUM(cost_nano_usd), 0), SUM(tokens_in), SUM(tokens_out), COUNT(*), SUM(estimated)
            FROM budget_spend WHERE at_ms >= ? AND at_ms < ? AND id > ? GROUP BY model
            """, [.integer(start), .integer(end), .integer(marker)])
        var total = SpendCounts()
        var byModel: [String: SpendCounts] = [:]
        for row in rows {
            let model = try counts(row, from: 1)
            byModel[try row.get(0)] = model
            total.costNanos += model.costNanos
            total.tokensIn += model.tokensIn
            total.tokensOut += model.tokensOut
            total.calls += model.calls
            total.estimatedCalls += model.estimatedCalls
        }
        if cache {
            try connection.run("DELETE FROM budget_totals WHERE end_ms < ?", [.integer(start - 40 * 86_400_000)])
            try connection.run("DELETE FROM budget_totals WHERE period = ? AND zone = ? AND start_ms = ?", key)
            for (model, spend) in [("", total)] + byModel.map({ ($0.key, $0.value) }) {
                try connection.run(
                    """
                    INSERT INTO budget_totals (period, zone, start_ms, end_ms, model, cost_nano_usd, tokens_in,
                                               tokens_out, calls, estimated_calls)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    key + [
                        .integer(end), .text(model), .integer(spend.costNanos), .integer(Int64(spend.tokensIn)),
                        .integer(Int64(spend.tokensOut)), .integer(Int64(spend.calls)),
                        .integer(Int64(spend.estimatedCalls)),
                    ])
            }
        }
        return (total, withModels ? byModel : [:])
    }

    /// Adds one new spend row to every cached period containing its time, whatever zone it was cached for.
    static func add(
        _ connection: borrowing Connection, model: String, costNanos: Int64, usage: BudgetUsage, at time: Int64
    ) throws {
        let values: [SQLValue] = [
            .integer(costNanos), .integer(Int64(max(0, usage.inputTokens))),
            .integer(Int64(max(0, usage.outputTokens))), .integer(usage.estimated ? 1 : 0),
        ]
        // The model's row, created under each cached period's header when it is the model's first call there.
        try connection.run(
            """
            INSERT INTO budget_totals (period, zone, start_ms, end_ms, model, cost_nano_usd, tokens_in, tokens_out,
                                       calls, estimated_calls)
            SELECT period, zone, start_ms, end_ms, ?, ?, ?, ?, 1, ? FROM budget_totals
            WHERE model = '' AND start_ms <= ? AND end_ms > ?
            ON CONFLICT (period, zone, start_ms, model) DO UPDATE SET
                cost_nano_usd = cost_nano_usd + excluded.cost_nano_usd, tokens_in = tokens_in + excluded.tokens_in,
                tokens_out = tokens_out + excluded.tokens_out, calls = calls + 1,
                estimated_calls = estimated_calls + excluded.estimated_calls
            """, [.text(model)] + values + [.integer(time), .integer(time)])
        try connection.run(
            """
            UPDATE budget_totals SET cost_nano_usd = cost_nano_usd + ?, tokens_in = tokens_in + ?,
                tokens_out = tokens_out + ?, calls = calls + 1, estimated_calls = estimated_calls + ?
            WHERE model = '' AND start_ms <= ? AND end_ms > ?
            """, values + [.integer(time), .integer(time)])
    }

    /// Forgets every cached period (after a reset changed what counts); each is summed again when next needed.
    static func invalidate(_ connection: borrowing Connection) throws {
        try connection.run("DELETE FROM budget_totals")
    }

    private static func counts(_ row: Row, from column: Int) throws -> SpendCounts {
        SpendCounts(
            costNanos: try row.get(column), tokensIn: try row.get(column + 1) ?? 0,
            tokensOut: try row.get(column + 2) ?? 0, calls: try row.get(column + 3),
            estimatedCalls: try row.get(column + 4) ?? 0)
    }
}
