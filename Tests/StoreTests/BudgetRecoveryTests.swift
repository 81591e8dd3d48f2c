import Store
import Testing

@Suite("Budget ledger across restarts")
struct BudgetRecoveryTests {
    let fixture: BudgetFixture
    let now = Instants.june10Noon

    init() throws { fixture = try BudgetFixture() }

    @Test func reservationsOfAKilledRunAreSettledAtTheirWorstCaseOnTheNextStart() throws {
        let crashed = try fixture.ledger(fixture.caps(daily: 1), runID: "crashed")
        let inFlight = try crashed.authorize(
            model: "cloud", price: cloudPrice, promptTokens: 2000, requestedMaxTokens: 3000, requestID: "req-7",
            now: now)
        _ = try crashed.reserve(model: "other", worstCaseUSD: 0.1, now: now)
        #expect(same(try crashed.status(now: now).reservedUSD, 0.132))
        // The process dies here: no settle, no release. The next run opens the same file.
        fixture.database.close()

        let restarted = try fixture.ledger(
            fixture.caps(daily: 1), runID: "restarted", database: try fixture.openAnotherConnection(), now: now)
        #expect(restarted.recovery.settledReservations == 2)
        #expect(same(restarted.recovery.settledUSD, 0.132))
        let status = try restarted.status(now: now)
        #expect(status.reservedUSD == 0)
        #expect(same(status.daily.spentUSD, 0.132))
        #expect(same(status.daily.remainingUSD, 0.868))
        let cloud = try #require(status.daily.byModel["cloud"])
        #expect(cloud.calls == 1 && cloud.estimatedCalls == 1)
        #expect(cloud.tokensIn == 2000 && cloud.tokensOut == 3000)

        // The dead run's reservation is gone: settling it now is refused instead of counting it twice.
        #expect(throws: BudgetLedgerError.self) {
            try restarted.settle(inFlight, usage: BudgetUsage(inputTokens: 1, outputTokens: 1), now: now)
        }
        // A third start finds nothing left.
        let third = try fixture.ledger(fixture.caps(daily: 1), runID: "third", database: restarted.database)
        #expect(third.recovery.settledReservations == 0)
    }

    @Test func aRecoveredReservationCanCrossAThreshold() throws {
        let crashed = try fixture.ledger(fixture.caps(daily: 1), runID: "crashed")
        _ = try crashed.reserve(model: "cloud", worstCaseUSD: 0.9, now: now)
        let restarted = try fixture.ledger(fixture.caps(daily: 1), runID: "restarted", now: now)
        #expect(restarted.recovery.events.map(\.percent) == [80])
    }

    @Test func settledSpendSurvivesARestart() throws {
        let first = try fixture.ledger(fixture.caps(daily: 1))
        let grant = try first.authorize(
            model: "cloud", price: cloudPrice, promptTokens: 1000, requestedMaxTokens: 1000, now: now)
        try first.settle(grant, usage: BudgetUsage(inputTokens: 1000, outputTokens: 500), now: now)
        fixture.database.close()

        let second = try fixture.ledger(
            fixture.caps(daily: 1), runID: "run-2", database: try fixture.openAnotherConnection())
        #expect(second.recovery.settledReservations == 0)
        let status = try second.status(now: now)
        #expect(same(status.daily.spentUSD, 0.006))
        #expect(status.daily.byModel["cloud"]?.calls == 1)
    }
}
