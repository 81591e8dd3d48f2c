import Store
import Synchronization
import Testing

/// Concurrent paid calls against a cap that affords exactly ten: real threads, a real SQLite file.
@Suite("Budget races")
struct BudgetRaceTests {
    let fixture: BudgetFixture
    static let now = Instants.june10Noon

    init() throws { fixture = try BudgetFixture() }

    /// What the racing threads saw.
    final class Outcomes: Sendable {
        let grants = Mutex<[BudgetGrant]>([])
        let refusals = Mutex(0)
        let failures = Mutex<[String]>([])
        let settled = Mutex(0)
    }

    /// 1,000 prompt tokens + 9,900 output tokens at $1/$10 per million = $0.10 a call; no shorter answer accepted.
    private static func authorizeTenCentCall(_ ledger: BudgetLedger, _ outcomes: Outcomes, index: Int) {
        do {
            let grant = try ledger.authorize(
                model: "cloud", price: cloudPrice, promptTokens: 1000, requestedMaxTokens: 9900,
                requestID: "req-\(index)", now: Self.now)
            outcomes.grants.withLock { $0.append(grant) }
        } catch is BudgetExceeded {
            outcomes.refusals.withLock { $0 += 1 }
        } catch {
            outcomes.failures.withLock { $0.append("\(error)") }
        }
    }

    @Test func sixtyFourThreadsAgainstACapForTenGetExactlyTen() throws {
        let ledger = try fixture.ledger(fixture.caps(daily: 1, minimumAnswerTokens: 9900))
        let outcomes = Outcomes()
        runOnThreads(64) { index in Self.authorizeTenCentCall(ledger, outcomes, index: index) }

        let grants = outcomes.grants.withLock { $0 }
        #expect(outcomes.failures.withLock { $0 }.isEmpty)
        #expect(grants.count == 10)
        #expect(outcomes.refusals.withLock { $0 } == 54)
        #expect(grants.allSatisfy { $0.maxTokens == 9900 && same($0.reservation.amountUSD, 0.1) })
        #expect(same(try ledger.status(now: Self.now).reservedUSD, 1))

        // Settle them concurrently, each at its worst case: the recorded spend is exactly the cap, never more.
        runOnThreads(grants.count) { index in
            _ = try? ledger.settle(
                grants[index], usage: BudgetUsage(inputTokens: 1000, outputTokens: 9900), now: Self.now)
        }
        let status = try ledger.status(now: Self.now)
        #expect(same(status.daily.spentUSD, 1))
        #expect(status.daily.spentUSD <= status.daily.capUSD)
        #expect(status.reservedUSD == 0)
        #expect(status.daily.byModel["cloud"]?.calls == 10)
    }

    @Test func sixtyFourTasksAgainstACapForTenGetExactlyTen() async throws {
        let ledger = try fixture.ledger(fixture.caps(daily: 1, minimumAnswerTokens: 9900))
        let outcomes = Outcomes()
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<64 {
                group.addTask { Self.authorizeTenCentCall(ledger, outcomes, index: index) }
            }
        }
        #expect(outcomes.failures.withLock { $0 }.isEmpty)
        #expect(outcomes.grants.withLock { $0.count } == 10)
        #expect(outcomes.refusals.withLock { $0 } == 54)
    }

    /// Eight rounds, each on a new day (a fresh cap for ten): 64 threads, half on each connection, reserve and
    /// settle at once, so the two connections' transactions keep colliding.
    @Test func twoConnectionsToTheSameFileTogetherGetExactlyTen() throws {
        let first = try fixture.ledger(fixture.caps(daily: 1), runID: "first")
        let second = try fixture.ledger(
            fixture.caps(daily: 1), runID: "second", database: try fixture.openAnotherConnection())
        for round in 0..<8 {
            let day = Self.now + Int64(round) * 86_400_000
            let outcomes = Outcomes()
            runOnThreads(64) { index in
                let ledger = index % 2 == 0 ? first : second
                do {
                    let reservation = try ledger.reserve(model: "cloud", worstCaseUSD: 0.1, now: day)
                    _ = try ledger.settle(
                        reservation, costUSD: 0.1, usage: BudgetUsage(inputTokens: 1, outputTokens: 1), now: day)
                    outcomes.settled.withLock { $0 += 1 }
                } catch is BudgetExceeded {
                    outcomes.refusals.withLock { $0 += 1 }
                } catch {
                    outcomes.failures.withLock { $0.append("\(error)") }
                }
            }
            #expect(outcomes.failures.withLock { $0 }.isEmpty, "round \(round)")
            #expect(outcomes.settled.withLock { $0 } == 10, "round \(round)")
            #expect(outcomes.refusals.withLock { $0 } == 54, "round \(round)")
            #expect(same(try second.status(now: day).daily.spentUSD, 1), "round \(round)")
            #expect(same(try first.status(now: day).daily.remainingUSD, 0), "round \(round)")
        }
    }

    @Test func callsThatKeepComingUntilTheMoneyRunsOutNeverOverspend() throws {
        let ledger = try fixture.ledger(fixture.caps(daily: 0.25))
        let outcomes = Outcomes()
        runOnThreads(16) { _ in
            var generator = SystemRandomNumberGenerator()
            while true {
                do {
                    let grant = try ledger.authorize(
                        model: "cloud", price: cloudPrice, promptTokens: 500, requestedMaxTokens: 2000, now: Self.now)
                    let used = Int.random(in: 0...grant.maxTokens, using: &generator)
                    try ledger.settle(grant, usage: BudgetUsage(inputTokens: 500, outputTokens: used), now: Self.now)
                    outcomes.settled.withLock { $0 += 1 }
                } catch is BudgetExceeded {
                    return
                } catch {
                    outcomes.failures.withLock { $0.append("\(error)") }
                    return
                }
            }
        }
        #expect(outcomes.failures.withLock { $0 }.isEmpty)
        let status = try ledger.status(now: Self.now)
        #expect(status.daily.spentUSD <= 0.25)
        #expect(status.reservedUSD == 0)
        #expect(status.daily.byModel["cloud"]?.calls == outcomes.settled.withLock { $0 })
        // Whatever is left is less than the shortest call: a 500-token prompt and 16 output tokens.
        #expect(status.daily.remainingUSD < cloudPrice.worstCase(promptTokens: 500, maxTokens: 16))
    }
}
