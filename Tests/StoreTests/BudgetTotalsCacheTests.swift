import Store
import Testing

/// The per-period totals the ledger caches must always equal what summing the spend history gives.
@Suite("Budget totals cache")
struct BudgetTotalsCacheTests {
    let fixture: BudgetFixture

    init() throws { fixture = try BudgetFixture() }

    /// A small deterministic generator (64-bit LCG), so a failure can be replayed.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    @Test func cachedTotalsMatchTheHistoryThroughOutOfOrderCallsZoneChangesAndResets() throws {
        let zones = [fixture.berlin, ZoneInfo.utc, try ZoneInfo.named("Asia/Kolkata")]
        let ledger = try fixture.ledger(fixture.caps(daily: 1000, monthly: 10_000))
        var random = Generator(state: 42)
        let base = Instants.june10Noon
        let hour: Int64 = 3_600_000
        for step in 0..<400 {
            let at = base + Int64(random.next(24 * 40) - 24 * 20) * hour + Int64(random.next(3_600_000))
            let model = ["gpt", "claude", "gemini"][random.next(3)]
            let usage = BudgetUsage(
                inputTokens: random.next(5000), outputTokens: random.next(2000), estimated: random.next(5) == 0)
            let grant = try ledger.authorize(
                model: model, price: cloudPrice, promptTokens: usage.inputTokens, requestedMaxTokens: 2000, now: at)
            if random.next(10) == 0 {
                try ledger.release(grant)
            } else {
                try ledger.settle(grant, usage: usage, now: at + Int64(random.next(120_000)))
            }
            if step % 37 == 36 { ledger.caps.timeZone = zones[random.next(zones.count)] }
            if step % 91 == 90 { _ = try ledger.reset(random.next(2) == 0 ? .day : .all, now: at) }
            if step % 9 == 0 {
                let probe = base + Int64(random.next(24 * 40) - 24 * 20) * hour
                // Reserving caches the probe's periods; then compare with a status summed from scratch.
                try ledger.release(try ledger.reserve(model: "probe", worstCaseUSD: 0.001, now: probe))
                let cached = try ledger.status(now: probe)
                let headers: Int = try fixture.database.query(
                    "SELECT COUNT(*) FROM budget_totals WHERE model = ''")[0].get(0)
                #expect(headers >= 2, "the probe's day and month are cached")
                try fixture.database.execute("DELETE FROM budget_totals")
                let summed = try ledger.status(now: probe)
                #expect(cached == summed, "step \(step), probe \(probe), zone \(ledger.caps.timeZone)")
            }
        }
    }
}
