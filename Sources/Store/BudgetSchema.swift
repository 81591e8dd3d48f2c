extension StoreSchema {
    /// The budget ledger's tables (see ``BudgetLedger``). Money is in whole nano-dollars (1e-9 USD), so sums are
    /// exact; times are Unix milliseconds.
    ///
    /// - `budget_spend`: one row per finished call (`kind` `call`), or per reservation a killed run left behind
    ///   (`abandoned`, settled at its worst case). Never updated or deleted: it is the history.
    /// - `budget_reservations`: money held for calls in flight, tagged with the daemon run that holds it.
    /// - `budget_resets`: each `budget/reset`: spend rows up to `through_spend_id` no longer count against the daily
    ///   cap (`scope` `day`) or against both caps (`all`).
    /// - `budget_thresholds`: which 80% / 100% crossings were already announced, per period.
    /// - `budget_totals`: a cache of each period's counted spend (per zone, as periods depend on it), one row per
    ///   model plus one with model `''` for the whole period, kept up to date by every write so that a reservation
    ///   reads two rows instead of summing the month's calls; rebuilt from `budget_spend` when missing (a new
    ///   period, a changed zone, after a reset).
    static let budget = Migration(
        name: "0003-budget",
        sql: """
            CREATE TABLE budget_spend (
                id INTEGER PRIMARY KEY,
                model TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('call', 'abandoned')),
                tokens_in INTEGER NOT NULL CHECK (tokens_in >= 0),
                tokens_out INTEGER NOT NULL CHECK (tokens_out >= 0),
                tokens_cached INTEGER CHECK (tokens_cached >= 0),
                cost_nano_usd INTEGER NOT NULL CHECK (cost_nano_usd >= 0),
                reserved_nano_usd INTEGER NOT NULL CHECK (reserved_nano_usd >= 0),
                estimated INTEGER NOT NULL CHECK (estimated IN (0, 1)),
                request_id TEXT,
                run_id TEXT NOT NULL,
                at_ms INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX budget_spend_at ON budget_spend (at_ms);

            CREATE TABLE budget_reservations (
                id INTEGER PRIMARY KEY,
                model TEXT NOT NULL,
                amount_nano_usd INTEGER NOT NULL CHECK (amount_nano_usd >= 0),
                prompt_tokens INTEGER NOT NULL,
                max_tokens INTEGER NOT NULL,
                request_id TEXT,
                run_id TEXT NOT NULL,
                created_at_ms INTEGER NOT NULL
            ) STRICT;

            CREATE TABLE budget_resets (
                id INTEGER PRIMARY KEY,
                scope TEXT NOT NULL CHECK (scope IN ('day', 'all')),
                through_spend_id INTEGER NOT NULL,
                forgiven_daily_nano_usd INTEGER NOT NULL,
                forgiven_monthly_nano_usd INTEGER NOT NULL,
                at_ms INTEGER NOT NULL
            ) STRICT;

            CREATE TABLE budget_thresholds (
                period TEXT NOT NULL CHECK (period IN ('daily', 'monthly')),
                period_start_ms INTEGER NOT NULL,
                percent INTEGER NOT NULL,
                spent_nano_usd INTEGER NOT NULL,
                cap_nano_usd INTEGER NOT NULL,
                announced_at_ms INTEGER NOT NULL,
                PRIMARY KEY (period, period_start_ms, percent)
            ) STRICT, WITHOUT ROWID;

            CREATE TABLE budget_totals (
                period TEXT NOT NULL CHECK (period IN ('daily', 'monthly')),
                zone TEXT NOT NULL,
                start_ms INTEGER NOT NULL,
                end_ms INTEGER NOT NULL,
                model TEXT NOT NULL,
                cost_nano_usd INTEGER NOT NULL,
                tokens_in INTEGER NOT NULL,
                tokens_out INTEGER NOT NULL,
                calls INTEGER NOT NULL,
                estimated_calls INTEGER NOT NULL,
                PRIMARY KEY (period, zone, start_ms, model)
            ) STRICT, WITHOUT ROWID;
            """
    )
}
