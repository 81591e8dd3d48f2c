import Bus
import Council
import Foundation
import JSON
import Logging
import Router
import Skills
import Store
import Synchronization
import XCTest

/// The `budget` and `budget/reset` ops over a real broker, paid calls through the ledger-backed spending gate, and
/// spend surviving a daemon restart.
final class BudgetOperationTests: XCTestCase {
    var broker: TestBroker!
    var stateDirectory: String!
    var requester: Requester!
    var daemon: RunningDaemon?
    let events = EventLog()

    /// $1 per million input tokens, $10 per million output tokens.
    static let price = ModelPrice(inputUSDPerMillionTokens: 1, outputUSDPerMillionTokens: 10)

    override func setUp() async throws {
        broker = try TestBroker()
        stateDirectory = try temporaryFolder("budget")
        requester = try await connectRequester(to: broker)
    }

    override func tearDown() async throws {
        await requester?.close()
        try await daemon?.stop()
        broker?.stop()
        try? FileManager.default.removeItem(atPath: stateDirectory)
    }

    /// Starts a daemon whose cascade has one paid cloud model (10 prompt and up to 200 output tokens: $0.00201 a
    /// call) behind the ledger.
    private func startDaemon(dailyUSD: Double = 1, monthlyUSD: Double = 20, reportsUsage: Bool = true) async throws {
        let caps = BudgetCaps(
            dailyUSD: dailyUSD, monthlyUSD: monthlyUSD, timeZone: try ZoneInfo.named("Europe/Berlin"))
        let events = self.events
        daemon = try await RunningDaemon(settings: daemonSettings(broker: broker, stateDirectory: stateDirectory)) {
            database in
            let ledger = try BudgetLedger(database: database, caps: caps)
            let gate = LedgerSpendingGate(
                ledger: ledger, prices: ["cloud-mini": Self.price], logger: testLogger("gate"),
                events: { type, data in events.record(type, data) })
            let model = PaidModel(name: "cloud-mini", reportsUsage: reportsUsage)
            return Capabilities(
                skills: [MathSkill()],
                models: ModelCascade(models: [model], spending: gate, options: RouterOptions(), maxTokens: 400),
                operations: [BudgetOperation(ledger: ledger), BudgetResetOperation(ledger: ledger)])
        }
    }

    private func send(_ op: String, _ body: JSONObject = [:]) async throws -> JSONObject {
        try envelope(try await requester.send(op: op, body: body, timeout: .seconds(10)))
    }

    private func budget() async throws -> JSONObject {
        let reply = try await send("budget")
        XCTAssertEqual(reply["status"], "ok", "\(reply)")
        return try XCTUnwrap(reply["data"]?.objectValue)
    }

    /// The next midnight in Berlin as RFC 3339, computed with Foundation's ICU calendar (independent of ZoneInfo).
    private func nextBerlinMidnight() throws -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try XCTUnwrap(TimeZone(identifier: "Europe/Berlin"))
        let midnight = try XCTUnwrap(
            calendar.nextDate(
                after: Date(), matching: DateComponents(hour: 0, minute: 0, second: 0), matchingPolicy: .nextTime))
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = calendar.timeZone
        formatter.formatOptions = [.withInternetDateTime, .withColonSeparatorInTimeZone]
        return formatter.string(from: midnight)
    }

    func testBudgetReportsCapsRemainingAndTheNextLocalMidnight() async throws {
        try await startDaemon(dailyUSD: 1.5, monthlyUSD: 20)
        let data = try await budget()
        let daily = try XCTUnwrap(data["daily"]?.objectValue)
        XCTAssertEqual(daily["spent_usd"]?.doubleValue, 0)
        XCTAssertEqual(daily["cap_usd"]?.doubleValue, 1.5)
        XCTAssertEqual(daily["remaining_usd"]?.doubleValue, 1.5)
        let expected = try nextBerlinMidnight()
        let resetsAt = try XCTUnwrap(daily["resets_at"]?.stringValue)
        // Allow for the test straddling midnight.
        if resetsAt != expected { XCTAssertEqual(try nextBerlinMidnight(), resetsAt) }
        XCTAssertTrue(resetsAt.hasSuffix("+01:00") || resetsAt.hasSuffix("+02:00"), resetsAt)
        XCTAssertEqual(data["monthly"]?.objectValue?["cap_usd"]?.doubleValue, 20)
        XCTAssertEqual(data["reserved_usd"]?.doubleValue, 0)
        XCTAssertEqual(data["by_model"], .object([:]))
        XCTAssertEqual(data["timezone"], "Europe/Berlin")
    }

    func testPaidAnswersAreRecordedResetForgivesThemAndSpendSurvivesARestart() async throws {
        try await startDaemon()
        for _ in 0..<2 {
            let reply = try await send("ask", ["prompt": "Write a haiku about spreadsheets"])
            XCTAssertEqual(reply["status"], "ok", "\(reply)")
            XCTAssertEqual(reply["data"]?.objectValue?["cost_usd"]?.doubleValue ?? 0, 0.00201, accuracy: 1e-12)
        }
        let spent = try await budget()
        let daily = try XCTUnwrap(spent["daily"]?.objectValue)
        XCTAssertEqual(daily["spent_usd"]?.doubleValue ?? 0, 0.00402, accuracy: 1e-12)
        XCTAssertEqual(daily["remaining_usd"]?.doubleValue ?? 0, 0.99598, accuracy: 1e-12)
        let model = try XCTUnwrap(spent["by_model"]?.objectValue?["cloud-mini"]?.objectValue)
        XCTAssertEqual(model["calls"]?.intValue, 2)
        XCTAssertEqual(model["tokens_in"]?.intValue, 20)
        XCTAssertEqual(model["tokens_out"]?.intValue, 400)
        XCTAssertEqual(model["estimated_calls"]?.intValue, 0)

        // A restart (a new daemon run on the same state folder) keeps the spend.
        try await daemon?.stop()
        daemon = nil
        try await startDaemon()
        let afterRestart = try await budget()
        XCTAssertEqual(afterRestart["daily"]?.objectValue?["spent_usd"]?.doubleValue ?? 0, 0.00402, accuracy: 1e-12)
        XCTAssertEqual(afterRestart["monthly"]?.objectValue?["spent_usd"]?.doubleValue ?? 0, 0.00402, accuracy: 1e-12)

        let reset = try await send("budget/reset")
        XCTAssertEqual(reset["status"], "ok", "\(reset)")
        let data = try XCTUnwrap(reset["data"]?.objectValue)
        XCTAssertEqual(data["daily"]?.objectValue?["spent_usd"]?.doubleValue, 0)
        XCTAssertEqual(data["monthly"]?.objectValue?["spent_usd"]?.doubleValue, 0)
        XCTAssertEqual(data["reset"]?.objectValue?["scope"], "all")
        XCTAssertEqual(data["reset"]?.objectValue?["forgiven_monthly_usd"]?.doubleValue ?? 0, 0.00402, accuracy: 1e-12)
        let afterReset = try await budget()
        XCTAssertEqual(afterReset["daily"]?.objectValue?["remaining_usd"]?.doubleValue, 1)
    }

    func testEstimatedCostsAreMarkedAndResetOfTheDayKeepsTheMonth() async throws {
        try await startDaemon(reportsUsage: false)
        let answer = try await send("ask", ["prompt": "Name a colour"])
        let answered = try XCTUnwrap(answer["data"]?.objectValue)
        XCTAssertEqual(answered["cost_estimated"], true)
        let cost = try XCTUnwrap(answered["cost_usd"]?.doubleValue)
        XCTAssertGreaterThan(cost, 0)
        let before = try await budget()
        XCTAssertEqual(before["by_model"]?.objectValue?["cloud-mini"]?.objectValue?["estimated_calls"]?.intValue, 1)

        let reply = try await send("budget/reset", ["scope": "day"])
        let data = try XCTUnwrap(reply["data"]?.objectValue)
        XCTAssertEqual(data["daily"]?.objectValue?["spent_usd"]?.doubleValue, 0)
        XCTAssertEqual(data["monthly"]?.objectValue?["spent_usd"]?.doubleValue ?? 0, cost, accuracy: 1e-12)
        XCTAssertEqual(data["reset"]?.objectValue?["forgiven_monthly_usd"]?.doubleValue, 0)

        let bad = try await send("budget/reset", ["scope": "week"])
        XCTAssertEqual(bad["status"], "error")
        XCTAssertEqual(bad["code"], "bad_request")
        XCTAssertTrue(bad["error"]?.stringValue?.contains("'scope'") ?? false, "\(bad)")
    }

    func testAnExhaustedBudgetLowersMaxTokensThenRefusesWithBudgetExceededAndAnnouncesThresholds() async throws {
        // $0.0075 a day; a call reserves its prompt plus 400 output tokens (~$0.0041) and costs $0.00201.
        try await startDaemon(dailyUSD: 0.0075)
        var tokensOut: [Int] = []
        var refused: JSONObject?
        for _ in 0..<10 {
            let reply = try await send("ask", ["prompt": "Say hello"])
            guard reply["status"] == "ok" else {
                refused = reply
                break
            }
            tokensOut.append(reply["data"]?.objectValue?["tokens_out"]?.intValue ?? -1)
        }
        let refusal = try XCTUnwrap(refused, "ten paid calls fit a $0.0075 budget")
        XCTAssertEqual(refusal["code"], "budget_exceeded", "\(refusal)")
        XCTAssertTrue(refusal["error"]?.stringValue?.contains("daily budget exhausted") ?? false, "\(refusal)")
        // Full answers while the worst case fits, then shorter ones (max_tokens lowered) before the refusal.
        XCTAssertEqual(Array(tokensOut.prefix(3)), [200, 200, 200])
        XCTAssertTrue(tokensOut.dropFirst(3).contains { $0 < 200 && $0 >= 16 }, "\(tokensOut)")
        let status = try await budget()
        let daily = try XCTUnwrap(status["daily"]?.objectValue)
        XCTAssertLessThanOrEqual(daily["spent_usd"]?.doubleValue ?? 1, 0.0075)
        XCTAssertEqual(events.thresholds().filter { $0 == "daily 80" }.count, 1, "\(events.thresholds())")
    }

    func testTheGateTurnsARefusalIntoBudgetExceededDataAndEstimatesMissingUsage() throws {
        let folder = try temporaryFolder("gate")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database = try StoreSchema.open(path: folder + "/council.db")
        let ledger = try BudgetLedger(
            database: database, caps: BudgetCaps(dailyUSD: 0.001, monthlyUSD: 1, timeZone: .utc))
        let gate = LedgerSpendingGate(
            ledger: ledger, prices: ["cloud-mini": Self.price, "local": .free], logger: testLogger("gate"))

        let local = try gate.authorize(model: "local", promptTokens: 10_000, maxTokens: 4000, requestMaxUSD: nil)
        XCTAssertEqual(local.maxTokens, 4000)
        XCTAssertEqual(gate.settle(local, usage: nil, promptTokens: 10_000, outputText: "free").costUSD, 0)

        // $0.001 left: a 50-token prompt ($0.00005) leaves room for 95 output tokens.
        let grant = try gate.authorize(model: "cloud-mini", promptTokens: 50, maxTokens: 400, requestMaxUSD: nil)
        XCTAssertEqual(grant.maxTokens, 95)
        let settled = gate.settle(grant, usage: nil, promptTokens: 50, outputText: String(repeating: "x", count: 40))
        XCTAssertTrue(settled.estimated)
        XCTAssertEqual(settled.costUSD, 0.00015, accuracy: 1e-12)  // 50 × $1/M + 10 × $10/M

        XCTAssertThrowsError(
            try gate.authorize(model: "cloud-mini", promptTokens: 50, maxTokens: 400, requestMaxUSD: 0)
        ) { error in
            let refusal = error as? BudgetRefusal
            XCTAssertEqual(refusal?.data["cap"], "request")
            XCTAssertEqual(refusal?.data["resets_at"], .null)
        }
        _ = try gate.authorize(model: "cloud-mini", promptTokens: 50, maxTokens: 400, requestMaxUSD: nil)
        XCTAssertThrowsError(
            try gate.authorize(model: "cloud-mini", promptTokens: 50, maxTokens: 400, requestMaxUSD: nil)
        ) { error in
            let refusal = error as? BudgetRefusal
            XCTAssertEqual(refusal?.data["cap"], "daily")
            XCTAssertEqual(refusal?.data["remaining_usd"]?.doubleValue, 0)
            XCTAssertTrue(refusal?.data["resets_at"]?.stringValue?.hasSuffix("T00:00:00+00:00") ?? false)
        }
        XCTAssertThrowsError(try gate.authorize(model: "unpriced", promptTokens: 1, maxTokens: 1, requestMaxUSD: nil))
    }
}

/// Events the gate raised, in order.
final class EventLog: Sendable {
    private let events = Mutex<[(String, JSONObject)]>([])

    func record(_ type: String, _ data: JSONObject) { events.withLock { $0.append((type, data)) } }

    /// The `budget_threshold` events as "period percent".
    func thresholds() -> [String] {
        events.withLock { events in
            events.filter { $0.0 == BudgetThresholdEvent.eventType }.map {
                "\($0.1["period"]?.stringValue ?? "?") \($0.1["percent"]?.intValue ?? -1)"
            }
        }
    }
}

/// Stands in for a paid cloud API at the cascade's model interface: answers every prompt with a fixed text and
/// reports 10 prompt tokens and 200 output tokens, or fewer when `max_tokens` is lower (the HTTP clients have
/// wire-accurate tests of their own).
final class PaidModel: LanguageModel {
    let name: String
    let tier = ModelTier.cloud
    let isAvailable = true
    private let reportsUsage: Bool

    init(name: String, reportsUsage: Bool) {
        self.name = name
        self.reportsUsage = reportsUsage
    }

    func complete(_ turns: [ChatTurn], maxTokens: Int, onDelta: (@Sendable (String) -> Void)?) async throws
        -> Completion
    {
        let usage = reportsUsage ? TokenUsage(input: 10, output: min(200, maxTokens)) : nil
        return Completion(text: "Rows align in calm / formulas hum beneath them / totals come to rest", usage: usage)
    }
}
