import Store
import Testing

@Suite("Budget ledger: reserving, lowering, refusing, settling")
struct BudgetLedgerTests {
    let fixture: BudgetFixture
    let now = Instants.june10Noon

    init() throws { fixture = try BudgetFixture() }

    @Test func aCallThatFitsKeepsItsMaxTokensAndHoldsItsWorstCase() throws {
        let ledger = try fixture.ledger(fixture.caps(daily: 1.0))
        let grant = try ledger.authorize(
            model: "cloud", price: cloudPrice, promptTokens: 1000, requestedMaxTokens: 2000, now: now)
        #expect(grant.maxTokens == 2000)
        #expect(!grant.wasLowered)
        #expect(same(grant.reservation.amountUSD, 0.021))  // 1000 × $1/M + 2000 × $10/M
        let status = try ledger.status(now: now)
        #expect(same(status.reservedUSD, 0.021))
        #expect(same(status.daily.remainingUSD, 1.0 - 0.021))
        #expect(same(status.daily.spentUSD, 0))
    }

    @Test func settlingReplacesTheReservationWithTheRealCost() throws {
        let ledger = try fixture.ledger(fixture.caps(daily: 1.0))
        let grant = try ledger.authorize(
            model: "cloud", price: cloudPrice, promptTokens: 1000, requestedMaxTokens: 2000, now: now)
        try ledger.settle(grant, usage: BudgetUsage(inputTokens: 900, outputTokens: 300), now: now)
        let status = try ledger.status(now: now)
        #expect(same(status.reservedUSD, 0))
        #expect(same(status.daily.spentUSD, 0.0039))  // 900 × $1/M + 300 × $10/M
        #expect(same(status.monthly.spentUSD, 0.0039))
        let model = try #require(status.daily.byModel["cloud"])
        #expect(model.tokensIn == 900 && model.tokensOut == 300 && model.calls == 1 && model.estimatedCalls == 0)
    }

    @Test func cachedInputIsBilledAtTheCachedPrice() throws {
        let price = ModelPrice(
            inputUSDPerMillionTokens: 1, outputUSDPerMillionTokens: 10, cachedInputUSDPerMillionTokens: 0.1)
        let usage = BudgetUsage(inputTokens: 1000, outputTokens: 100, cachedInputTokens: 800)
        #expect(same(price.cost(of: usage), 0.00128))  // 200 × $1/M + 800 × $0.1/M + 100 × $10/M
        let ledger = try fixture.ledger(fixture.caps())
        let grant = try ledger.authorize(
            model: "cached", price: price, promptTokens: 1000, requestedMaxTokens: 100, now: now)
        #expect(same(grant.reservation.amountUSD, 0.002))  // the worst case assumes nothing is cached
        try ledger.settle(grant, usage: usage, now: now)
        #expect(same(try ledger.status(now: now).daily.spentUSD, 0.00128))
    }

    @Test func aStreamWithoutUsageIsSettledAtAnEstimateMarkedAsSuch() throws {
        let ledger = try fixture.ledger(fixture.caps())
        let grant = try ledger.authorize(
            model: "cloud", price: cloudPrice, promptTokens: 100, requestedMaxTokens: 500, now: now)
        let usage = BudgetUsage.estimated(promptText: String(repeating: "a", count: 400), completionText: "abcdefghi")
        #expect(usage == BudgetUsage(inputTokens: 100, outputTokens: 3, estimated: true))
        try ledger.settle(grant, usage: usage, now: now)
        let model = try #require(try ledger.status(now: now).daily.byModel["cloud"])
        #expect(model.estimatedCalls == 1)
        #expect(same(model.spentUSD, 0.00013))
    }

    @Test func maxTokensIsLoweredToFitWhatIsLeft() throws {
        let ledger = try fixture.ledger(fixture.caps(daily: 0.01))
        // Prompt: 1000 tokens = $0.001; left for output: $0.009 = 900 tokens at $10/M.
        let grant = try ledger.authorize(
            model: "cloud", price: cloudPrice, promptTokens: 1000, requestedMaxTokens: 4000, now: now)
        #expect(grant.maxTokens == 900)
        #expect(grant.wasLowered)
        #expect(same(grant.reservation.amountUSD, 0.01))
        #expect(same(try ledger.status(now: now).daily.remainingUSD, 0))
    }

    @Test func refusalSaysWhatIsLeftAndWhenItResets() throws {
        let ledger = try fixture.ledger(fixture.caps(daily: 0.01))
        // Leave $0.00115: the 1000-token prompt ($0.001) plus 15 output tokens ($0.00015), one short of 16.
        try spend(0.00885, on: ledger, at: now)
        do {
            _ = try ledger.authorize(
                model: "cloud", price: cloudPrice, promptTokens: 1000, requestedMaxTokens: 4000, now: now)
            Issue.record("a call whose shortest answer does not fit was allowed")
        } catch let refusal as BudgetExceeded {
            #expect(refusal.cap == .daily)
            #expect(same(refusal.remainingUSD, 0.00115))
            #expect(same(refusal.neededUSD, 0.00116))
            #expect(same(refusal.capUSD, 0.01))
            #expect(refusal.resetsAtMillis == Instants.june11Midnight)
            #expect(refusal.resetsAt == "2025-06-11T00:00:00+02:00")
            #expect(refusal.description.contains("daily budget exhausted"))
        }
        // Sixteen tokens still fit with a slightly shorter prompt.
        let grant = try ledger.authorize(
            model: "cloud", price: cloudPrice, promptTokens: 990, requestedMaxTokens: 4000, now: now)
        #expect(grant.maxTokens == 16)
    }

    @Test func theMonthlyCapIsBlamedWhenItIsTheOneThatIsShort() throws {
        let ledger = try fixture.ledger(fixture.caps(daily: 5, monthly: 1))
        try spend(1, on: ledger, at: now)
        #expect {
            _ = try ledger.authorize(
                model: "cloud", price: cloudPrice, promptTokens: 10, requestedMaxTokens: 100, now: now)
        } throws: { error in
            guard let refusal = error as? BudgetExceeded else { return false }
            return refusal.cap == .monthly && refusal.resetsAt == "2025-07-01T00:00:00+02:00"
                && refusal.resetsAtMillis == Instants.july1Midnight && refusal.remainingUSD == 0
        }
    }

    @Test func aRequestsMaxCostLowersMaxTokensOrRefuses() throws {
        let ledger = try fixture.ledger(fixture.caps(daily: 1))
        let grant = try ledger.authorize(
            model: "cloud", price: cloudPrice, promptTokens: 1000, requestedMaxTokens: 4000, requestMaxUSD: 0.002,
            now: now)
        #expect(grant.maxTokens == 100)  // ($0.002 − $0.001) / $10 per million
        try ledger.release(grant)
        do {
            _ = try ledger.authorize(
                model: "cloud", price: cloudPrice, promptTokens: 1000, requestedMaxTokens: 4000,
                requestMaxUSD: 0.0011, now: now)
            Issue.record("a call over the request's own limit was allowed")
        } catch let refusal as BudgetExceeded {
            #expect(refusal.cap == .request)
            #expect(refusal.resetsAt == nil && refusal.resetsAtMillis == nil)
            #expect(same(refusal.remainingUSD, 0.0011))
            #expect(refusal.description.contains("max_cost_usd"))
        }
        #expect(same(try ledger.status(now: now).reservedUSD, 0))
    }

    @Test func freeLocalModelsAreNeverBlockedAndAreCountedAtZeroCost() throws {
        let ledger = try fixture.ledger(fixture.caps(daily: 0, monthly: 0))
        #expect(throws: BudgetExceeded.self) {
            try ledger.authorize(model: "cloud", price: cloudPrice, promptTokens: 1, requestedMaxTokens: 16, now: now)
        }
        for _ in 0..<3 {
            let grant = try ledger.authorize(
                model: "local", price: .free, promptTokens: 5000, requestedMaxTokens: 8000, now: now)
            #expect(grant.maxTokens == 8000)
            #expect(!grant.reservation.holdsMoney)
            try ledger.settle(grant, usage: BudgetUsage(inputTokens: 5000, outputTokens: 700), now: now)
        }
        let status = try ledger.status(now: now)
        let local = try #require(status.daily.byModel["local"])
        #expect(local.calls == 3 && local.tokensIn == 15_000 && local.tokensOut == 2_100 && local.spentUSD == 0)
        #expect(status.daily.spentUSD == 0)
    }

    @Test func releasingGivesTheMoneyBackAndASettledReservationCannotBeSettledAgain() throws {
        let ledger = try fixture.ledger(fixture.caps(daily: 0.01))
        let grant = try ledger.authorize(
            model: "cloud", price: cloudPrice, promptTokens: 0, requestedMaxTokens: 1000, now: now)
        #expect(same(try ledger.status(now: now).daily.remainingUSD, 0))
        try ledger.release(grant)
        try ledger.release(grant)  // already gone: nothing happens
        #expect(same(try ledger.status(now: now).daily.remainingUSD, 0.01))
        #expect(throws: BudgetLedgerError.self) {
            try ledger.settle(grant, usage: BudgetUsage(inputTokens: 0, outputTokens: 10), now: now)
        }
        let second = try ledger.authorize(
            model: "cloud", price: cloudPrice, promptTokens: 0, requestedMaxTokens: 100, now: now)
        try ledger.settle(second, usage: BudgetUsage(inputTokens: 0, outputTokens: 100), now: now)
        #expect(throws: BudgetLedgerError.self) {
            try ledger.settle(second, usage: BudgetUsage(inputTokens: 0, outputTokens: 100), now: now)
        }
        #expect(same(try ledger.status(now: now).daily.spentUSD, 0.001))
    }

    @Test func capsCanBeSwappedWhileRunning() throws {
        let ledger = try fixture.ledger(fixture.caps(daily: 0.001))
        #expect(throws: BudgetExceeded.self) {
            try ledger.reserve(model: "cloud", worstCaseUSD: 0.002, now: now)
        }
        ledger.caps = fixture.caps(daily: 0.01)
        let reservation = try ledger.reserve(model: "cloud", worstCaseUSD: 0.002, now: now)
        #expect(same(reservation.amountUSD, 0.002))
        #expect(same(try ledger.status(now: now).daily.capUSD, 0.01))
    }

    @Test func tokenBoundsForReserving() {
        #expect(TokenCount.upperBound("héllo", overhead: 4) == 10)  // 6 UTF-8 bytes + 4
        #expect(TokenCount.estimate("") == 0)
        #expect(TokenCount.estimate("abcde") == 2)
        #expect(cloudPrice.worstCase(promptTokens: 1000, maxTokens: 100) == 0.002)
        #expect(ModelPrice.free.isFree && !cloudPrice.isFree)
    }

    @Test func openingAnUnmigratedDatabaseSaysSo() throws {
        let bare = try Database(path: fixture.folder.file("bare.db"))
        #expect(throws: MigrationError.self) { try BudgetLedger(database: bare, caps: fixture.caps()) }
    }
}
