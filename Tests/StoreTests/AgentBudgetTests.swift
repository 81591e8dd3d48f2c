import Store
import Synchronization
import Testing

@Suite("Budget ledger: an agent's own daily cap")
struct AgentBudgetTests {
    let fixture: BudgetFixture
    let now = Instants.june10Noon

    init() throws { fixture = try BudgetFixture() }

    @Test func anAgentsCallsAreHeldToItsDailyCapWhileOthersGoOn() throws {
        let ledger = try fixture.ledger(fixture.caps(daily: 1.0))
        let analyst = AgentAllowance(name: "analyst", dailyUSD: 0.01)
        // Worst case of 1000 prompt + 100 output tokens: $0.001 + $0.001 = $0.002; settled at the same.
        for _ in 0..<5 {
            let grant = try ledger.authorize(
                model: "cloud", price: cloudPrice, promptTokens: 1000, requestedMaxTokens: 100, agent: analyst,
                now: now)
            try ledger.settle(grant, usage: BudgetUsage(inputTokens: 1000, outputTokens: 100), now: now)
        }
        #expect(same(try ledger.agentSpentToday("analyst", now: now), 0.01))
        let refusal = #expect(throws: BudgetExceeded.self) {
            try ledger.authorize(
                model: "cloud", price: cloudPrice, promptTokens: 1000, requestedMaxTokens: 100, agent: analyst,
                now: now)
        }
        #expect(refusal?.cap == .agent)
        #expect(refusal?.description.contains("agent's daily budget") == true)
        #expect(refusal?.resetsAtMillis == Instants.june11Midnight)
        // Another agent, and calls for no agent, still fit the node's $1 cap.
        _ = try ledger.authorize(
            model: "cloud", price: cloudPrice, promptTokens: 1000, requestedMaxTokens: 100,
            agent: AgentAllowance(name: "reviewer", dailyUSD: 0.01), now: now)
        _ = try ledger.authorize(
            model: "cloud", price: cloudPrice, promptTokens: 1000, requestedMaxTokens: 100, now: now)
    }

    @Test func theCapLowersMaxTokensBeforeRefusing() throws {
        let ledger = try fixture.ledger(fixture.caps(daily: 1.0, minimumAnswerTokens: 16))
        let grant = try ledger.authorize(
            model: "cloud", price: cloudPrice, promptTokens: 1000, requestedMaxTokens: 2000,
            agent: AgentAllowance(name: "analyst", dailyUSD: 0.002), now: now)
        #expect(grant.maxTokens == 100)  // $0.002 − $0.001 of prompt leaves 100 output tokens at $10/M
    }

    @Test func theAgentsDayEndsAtMidnightInTheBudgetsZone() throws {
        let ledger = try fixture.ledger(fixture.caps(daily: 1.0))
        let analyst = AgentAllowance(name: "analyst", dailyUSD: 0.002)
        let grant = try ledger.authorize(
            model: "cloud", price: cloudPrice, promptTokens: 1000, requestedMaxTokens: 100, agent: analyst, now: now)
        try ledger.settle(grant, usage: BudgetUsage(inputTokens: 1000, outputTokens: 100), now: now)
        #expect(throws: BudgetExceeded.self) {
            try ledger.authorize(
                model: "cloud", price: cloudPrice, promptTokens: 1000, requestedMaxTokens: 100, agent: analyst,
                now: now)
        }
        let tomorrow = Instants.june11HalfPastMidnight
        _ = try ledger.authorize(
            model: "cloud", price: cloudPrice, promptTokens: 1000, requestedMaxTokens: 100, agent: analyst,
            now: tomorrow)
        #expect(same(try ledger.agentSpentToday("analyst", now: tomorrow), 0))
    }

    @Test func concurrentCallsForOneAgentNeverOverspendIt() throws {
        let ledger = try fixture.ledger(fixture.caps(daily: 100.0, minimumAnswerTokens: 100))
        let analyst = AgentAllowance(name: "analyst", dailyUSD: 0.02)  // room for exactly 10 calls of $0.002
        let granted = Atomic(0)
        let now = self.now
        runOnThreads(32) { _ in
            guard
                let grant = try? ledger.authorize(
                    model: "cloud", price: cloudPrice, promptTokens: 1000, requestedMaxTokens: 100, agent: analyst,
                    now: now)
            else { return }
            granted.add(1, ordering: .relaxed)
            _ = try? ledger.settle(grant, usage: BudgetUsage(inputTokens: 1000, outputTokens: 100), now: now)
        }
        #expect(granted.load(ordering: .relaxed) == 10)
        #expect(same(try ledger.agentSpentToday("analyst", now: now), 0.02))
    }
}
