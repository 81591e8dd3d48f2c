import Glibc
import Store

/// What the budget ledger adds to a paid call: `authorize` (one BEGIN IMMEDIATE transaction that sums the day's
/// and the month's spend and the open reservations, then inserts a reservation) plus `settle` (one transaction that
/// swaps it for a spend row and checks the thresholds), on a database holding a busy month of history. The baseline,
/// measured in the same run on the same file, is one single-row INSERT transaction (what the journal pays per
/// request).
func runBudgetBenchmark() async throws {
    var template = Array("/tmp/council-budget-bench-XXXXXX".utf8CString)
    guard let created = mkdtemp(&template) else { throw BudgetBenchError("mkdtemp failed: errno \(errno)") }
    let folder = String(cString: created)
    defer {
        for suffix in ["", "-wal", "-shm"] { unlink("\(folder)/council.db\(suffix)") }
        rmdir(folder)
    }
    let database = try StoreSchema.open(path: "\(folder)/council.db")
    defer { database.close() }
    try database.execute("CREATE TABLE bench_baseline (id INTEGER PRIMARY KEY, payload TEXT NOT NULL, at_ms INTEGER)")
    let now = BudgetLedger.wallClockMillis()
    let ledger = try BudgetLedger(
        database: database,
        caps: BudgetCaps(dailyUSD: 1e6, monthlyUSD: 1e7, timeZone: try ZoneInfo.named("Europe/Berlin")), now: now)
    let price = ModelPrice(inputUSDPerMillionTokens: 3, outputUSDPerMillionTokens: 15)
    let usage = BudgetUsage(inputTokens: 800, outputTokens: 300)

    // A busy month: 10,000 settled calls spread over the last 25 days.
    let history = 10_000
    for index in 0..<history {
        let at = now - Int64(index) * 216_000
        let grant = try ledger.authorize(
            model: index % 3 == 0 ? "claude" : "gpt", price: price, promptTokens: 800, requestedMaxTokens: 512, now: at)
        try ledger.settle(grant, usage: usage, now: at)
    }

    let rounds = 2_000
    var baseline: [Double] = []
    var paid: [Double] = []
    var status: [Double] = []
    for round in 0..<rounds {
        var start = benchMicros()
        try database.transaction(.immediate) { connection in
            try connection.run(
                "INSERT INTO bench_baseline (payload, at_ms) VALUES (?, ?)", [.text("request \(round)"), .integer(now)])
        }
        baseline.append(benchMicros() - start)

        start = benchMicros()
        let grant = try ledger.authorize(
            model: "gpt", price: price, promptTokens: 800, requestedMaxTokens: 512, requestID: "r\(round)", now: now)
        try ledger.settle(grant, usage: usage, now: now)
        paid.append(benchMicros() - start)

        if round % 10 == 0 {
            start = benchMicros()
            _ = try ledger.status(now: now)
            status.append(benchMicros() - start)
        }
    }
    let baseP50 = budgetMedian(baseline)
    let paidP50 = budgetMedian(paid)
    print("Budget ledger (\(history) calls of history, \(rounds) rounds, p50 µs):")
    print("  baseline: one INSERT transaction        \(format(baseP50))")
    print("  authorize + settle (two transactions)   \(format(paidP50))  (\(format(paidP50 / baseP50, 2))× baseline)")
    print("  budget op's status query               \(format(budgetMedian(status)))")
}

private struct BudgetBenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

private func benchMicros() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) * 1e6 + Double(time.tv_nsec) / 1e3
}

private func budgetMedian(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
