import Store
import Testing

@Suite("Budget thresholds and resets")
struct BudgetThresholdTests {
    let fixture: BudgetFixture

    init() throws { fixture = try BudgetFixture() }

    private func crossings(_ events: [BudgetThresholdEvent]) -> [String] {
        events.map { "\($0.period.rawValue) \($0.percent)" }
    }

    @Test func eightyAndOneHundredPercentAreAnnouncedOncePerPeriod() throws {
        let ledger = try fixture.ledger(fixture.caps(daily: 1, monthly: 2))
        let day1 = Instants.june10Noon
        #expect(crossings(try spend(0.5, on: ledger, at: day1)).isEmpty)
        let eighty = try spend(0.3, on: ledger, at: day1)
        #expect(crossings(eighty) == ["daily 80"])
        #expect(same(eighty[0].spentUSD, 0.8) && eighty[0].capUSD == 1)
        #expect(eighty[0].resetsAt == "2025-06-11T00:00:00+02:00")
        #expect(crossings(try spend(0.1, on: ledger, at: day1)).isEmpty)
        #expect(crossings(try spend(0.1, on: ledger, at: day1)) == ["daily 100"])

        // A new day: the daily thresholds are armed again; the month (2.0) is now at 50%.
        let day2 = Instants.june12Morning
        #expect(crossings(try spend(0.6, on: ledger, at: day2)) == ["monthly 80"])
        #expect(crossings(try spend(0.2, on: ledger, at: day2)) == ["daily 80"])
        #expect(crossings(try spend(0.2, on: ledger, at: day2)) == ["daily 100", "monthly 100"])
    }

    @Test func aRestartDoesNotAnnounceTheSameThresholdAgain() throws {
        let first = try fixture.ledger(fixture.caps(daily: 1))
        #expect(crossings(try spend(0.85, on: first, at: Instants.june10Noon)) == ["daily 80"])
        fixture.database.close()
        let reopened = try fixture.openAnotherConnection()
        let second = try fixture.ledger(fixture.caps(daily: 1), runID: "run-2", database: reopened)
        #expect(crossings(try spend(0.05, on: second, at: Instants.june10Noon)).isEmpty)
        #expect(crossings(try spend(0.1, on: second, at: Instants.june10Noon)) == ["daily 100"])
    }

    @Test func aJumpPastBothThresholdsAnnouncesBoth() throws {
        let ledger = try fixture.ledger(fixture.caps(daily: 1, monthly: 100))
        #expect(crossings(try spend(1, on: ledger, at: Instants.june10Noon)) == ["daily 80", "daily 100"])
    }

    @Test func resetAllForgivesTodayAndThisMonthButKeepsHistory() throws {
        let ledger = try fixture.ledger(fixture.caps(daily: 1, monthly: 2))
        try spend(0.7, on: ledger, model: "a", at: Instants.june10Noon)
        try spend(0.9, on: ledger, model: "b", at: Instants.june12Morning)
        let reservation = try ledger.reserve(model: "a", worstCaseUSD: 0.05, now: Instants.june12Morning)

        let result = try ledger.reset(.all, now: Instants.june12Morning)
        #expect(result.scope == .all)
        #expect(same(result.forgivenDailyUSD, 0.9))
        #expect(same(result.forgivenMonthlyUSD, 1.6))
        #expect(result.status.daily.spentUSD == 0 && result.status.monthly.spentUSD == 0)
        #expect(result.status.daily.byModel.isEmpty && result.status.monthly.byModel.isEmpty)
        // The call in flight keeps its reservation.
        #expect(same(result.status.reservedUSD, 0.05))
        #expect(same(result.status.daily.remainingUSD, 0.95))
        // History stays: every settled call is still in the table.
        let rows: Int = try fixture.database.query("SELECT COUNT(*) FROM budget_spend")[0].get(0)
        #expect(rows == 2)

        // Spend after the reset counts, and the thresholds fire again.
        try ledger.settle(
            reservation, costUSD: 0.05, usage: BudgetUsage(inputTokens: 1, outputTokens: 1),
            now: Instants.june12Morning)
        #expect(crossings(try spend(0.8, on: ledger, at: Instants.june12Morning)) == ["daily 80"])
        #expect(same(try ledger.status(now: Instants.june12Morning).monthly.spentUSD, 0.85))
    }

    @Test func resetDayForgivesTodayForTheDailyCapOnly() throws {
        let ledger = try fixture.ledger(fixture.caps(daily: 1, monthly: 2))
        try spend(0.9, on: ledger, at: Instants.june12Morning)
        let result = try ledger.reset(.day, now: Instants.june12Morning)
        #expect(same(result.forgivenDailyUSD, 0.9) && result.forgivenMonthlyUSD == 0)
        #expect(result.status.daily.spentUSD == 0)
        #expect(same(result.status.monthly.spentUSD, 0.9))
        #expect(same(result.status.monthly.remainingUSD, 1.1))
        // The month still caps the day: $1.1 left in the month, $1 in the day.
        _ = try ledger.reserve(model: "cloud", worstCaseUSD: 1, now: Instants.june12Morning)
    }

    @Test func aResetSurvivesARestart() throws {
        let ledger = try fixture.ledger(fixture.caps(daily: 1))
        try spend(0.9, on: ledger, at: Instants.june10Noon)
        _ = try ledger.reset(.all, now: Instants.june10Noon)
        fixture.database.close()
        let reopened = try fixture.ledger(
            fixture.caps(daily: 1), runID: "run-2", database: try fixture.openAnotherConnection())
        #expect(try reopened.status(now: Instants.june10Noon).daily.spentUSD == 0)
    }
}
