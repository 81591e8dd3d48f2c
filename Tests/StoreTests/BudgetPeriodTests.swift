import Store
import Testing

@Suite("Budget periods: local midnight, month rollover, DST days")
struct BudgetPeriodTests {
    let fixture: BudgetFixture

    init() throws { fixture = try BudgetFixture() }

    @Test func theDailyCapResetsAtLocalMidnightNotAtUTCMidnight() throws {
        let ledger = try fixture.ledger(fixture.caps(daily: 1))
        try spend(1, on: ledger, at: Instants.june10Noon)
        #expect(throws: BudgetExceeded.self) {
            try ledger.reserve(model: "cloud", worstCaseUSD: 0.01, now: Instants.june11Midnight - 1)
        }
        // 00:30 in Berlin is still 10 June in UTC: the Berlin day is new, so the cap is free again.
        let status = try ledger.status(now: Instants.june11HalfPastMidnight)
        #expect(status.daily.spentUSD == 0)
        #expect(status.daily.startedAtMillis == Instants.june11Midnight)
        #expect(status.daily.resetsAt == "2025-06-12T00:00:00+02:00")
        #expect(same(status.monthly.spentUSD, 1))
        _ = try ledger.reserve(model: "cloud", worstCaseUSD: 0.5, now: Instants.june11HalfPastMidnight)

        // In UTC the same instant is still the old day.
        ledger.caps = BudgetCaps(dailyUSD: 1, monthlyUSD: 20, timeZone: .utc)
        let utc = try ledger.status(now: Instants.june11HalfPastMidnight)
        #expect(same(utc.daily.spentUSD, 1))
        #expect(utc.daily.resetsAt == "2025-06-11T00:00:00+00:00")
    }

    @Test func theMonthlyCapRollsOverAtLocalMidnightOfTheFirst() throws {
        let ledger = try fixture.ledger(fixture.caps(daily: 5, monthly: 1), now: Instants.march31LateEvening)
        try spend(1, on: ledger, at: Instants.march31LateEvening)
        let march = try ledger.status(now: Instants.april1Midnight - 1)
        #expect(same(march.monthly.spentUSD, 1) && march.monthly.remainingUSD == 0)
        #expect(march.monthly.resetsAt == "2025-04-01T00:00:00+02:00")
        #expect(march.monthly.resetsAtMillis == Instants.april1Midnight)
        let april = try ledger.status(now: Instants.april1Midnight)
        #expect(april.monthly.spentUSD == 0 && april.daily.spentUSD == 0)
        #expect(april.monthly.resetsAt == "2025-05-01T00:00:00+02:00")
        #expect(april.monthly.byModel.isEmpty)
        _ = try ledger.reserve(model: "cloud", worstCaseUSD: 1, now: Instants.april1Midnight)
    }

    @Test func onTheSpringDSTDayTheDayEndsAtTheNextLocalMidnight() throws {
        let ledger = try fixture.ledger(fixture.caps(daily: 0.1), now: Instants.springChangeNoon)
        try spend(0.1, on: ledger, at: Instants.springChangeNoon)
        do {
            _ = try ledger.reserve(model: "cloud", worstCaseUSD: 0.01, now: Instants.springChangeNoon)
            Issue.record("an exhausted daily cap allowed a call")
        } catch let refusal as BudgetExceeded {
            #expect(refusal.resetsAt == "2025-03-31T00:00:00+02:00")
            #expect(refusal.resetsAtMillis == Instants.march31Midnight)
        }
        let day = try ledger.status(now: Instants.springChangeLastSecond)
        #expect(day.daily.resetsAtMillis - day.daily.startedAtMillis == 23 * 3_600_000)
        #expect(same(day.daily.spentUSD, 0.1))
        #expect(try ledger.status(now: Instants.march31Midnight).daily.spentUSD == 0)
    }

    @Test func onTheAutumnDSTDayTheDayLastsTwentyFiveHours() throws {
        let ledger = try fixture.ledger(fixture.caps(daily: 0.1), now: Instants.autumnChangeNoon)
        try spend(0.1, on: ledger, at: Instants.autumnChangeNoon)
        let day = try ledger.status(now: Instants.autumnChangeNoon)
        #expect(day.daily.resetsAt == "2025-10-27T00:00:00+01:00")
        #expect(day.daily.resetsAtMillis - day.daily.startedAtMillis == 25 * 3_600_000)
        #expect(throws: BudgetExceeded.self) {
            try ledger.reserve(model: "cloud", worstCaseUSD: 0.01, now: Instants.october27Midnight - 1)
        }
        _ = try ledger.reserve(model: "cloud", worstCaseUSD: 0.1, now: Instants.october27Midnight)
    }

    @Test func aCallReservedBeforeMidnightAndSettledAfterCountsInTheNewDay() throws {
        let ledger = try fixture.ledger(fixture.caps(daily: 1))
        let reservation = try ledger.reserve(model: "cloud", worstCaseUSD: 0.4, now: Instants.june11Midnight - 1000)
        // Outstanding reservations count against every period until settled: the new day starts with $0.6 left.
        #expect(same(try ledger.status(now: Instants.june11Midnight).daily.remainingUSD, 0.6))
        try ledger.settle(
            reservation, costUSD: 0.3, usage: BudgetUsage(inputTokens: 1, outputTokens: 1),
            now: Instants.june11Midnight + 1000)
        #expect(try ledger.status(now: Instants.june11Midnight - 1).daily.spentUSD == 0)
        #expect(same(try ledger.status(now: Instants.june11Midnight + 1000).daily.spentUSD, 0.3))
    }
}
