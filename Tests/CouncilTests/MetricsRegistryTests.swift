import Council
import JSON
import Synchronization
import XCTest

/// A wall clock the test moves by hand.
final class MetricsTestClock: Sendable {
    private let millis: Mutex<Int64>
    init(_ start: Int64) { millis = Mutex(start) }
    var now: Int64 { millis.withLock { $0 } }
    func advance(by delta: Int64) { millis.withLock { $0 += delta } }
    var read: @Sendable () -> Int64 { { self.now } }
}

/// What the metrics say after a known sequence of records.
final class MetricsRegistryTests: XCTestCase {
    /// 2024-05-06T12:00:00Z.
    let noon: Int64 = 1_714_996_800_000

    private func registry(_ clock: MetricsTestClock, calendar: MetricsCalendar = .utc) -> MetricsRegistry {
        MetricsRegistry(
            ops: ["ask", "info", "memory/add"], skills: ["math", "llm"], models: ["llama3.2"], calendar: calendar,
            now: clock.read)
    }

    private func json(_ registry: MetricsRegistry) -> JSONObject { registry.snapshot().flatJSON }

    func testRequestsErrorsAndAnswersAreCountedByLabel() {
        let clock = MetricsTestClock(noon)
        let metrics = registry(clock)
        for op in ["ask", "ask", "ask", "info", "memory/add", "no/such/op", "other-junk"] {
            metrics.recordRequest(op: op)
        }
        metrics.recordError(.badRequest)
        metrics.recordError(.badRequest)
        metrics.recordError(.timeout)
        for _ in 0..<3 { metrics.recordAnswer(skill: "math", model: nil, latencyMillis: 0.012) }
        metrics.recordAskReply([
            "skill": "llm", "model": "llama3.2", "duration_ms": 850.5, "tokens_in": 120, "tokens_out": 40,
            "cost_usd": 0, "escalated": false,
        ])
        metrics.recordAskReply([
            "skill": "llm", "model": "gpt-4o-mini", "duration_ms": 1200, "tokens_in": 300, "tokens_out": 80,
            "cost_usd": 0.000123, "escalated": true,
        ])
        metrics.recordSandboxRun(timedOut: false, oomKilled: false)
        metrics.recordSandboxRun(timedOut: true, oomKilled: false)
        metrics.recordExecReply(["exit_code": 137, "signal": 9, "timed_out": false, "oom_killed": true])

        let values = json(metrics)
        XCTAssertEqual(values["requests_total"], 7)
        XCTAssertEqual(values["requests_total_ask"], 3)
        XCTAssertEqual(values["requests_total_info"], 1)
        XCTAssertEqual(values["requests_total_memory_add"], 1)
        XCTAssertEqual(values["requests_total_other"], 2, "ops the node does not serve are not named")
        XCTAssertNil(values["requests_total_no_such_op"])
        XCTAssertEqual(values["errors_total"], 3)
        XCTAssertEqual(values["errors_total_bad_request"], 2)
        XCTAssertEqual(values["errors_total_timeout"], 1)
        for code in ErrorCode.allCases where ![.badRequest, .timeout].contains(code) {
            XCTAssertEqual(values["errors_total_\(code.rawValue)"], 0, code.rawValue)
        }
        XCTAssertEqual(values["answers_total"], 5)
        XCTAssertEqual(values["answers_total_math"], 3)
        XCTAssertEqual(values["answers_total_llm"], 2)
        XCTAssertEqual(values["model_answers_total_llama3_2"], 1)
        XCTAssertEqual(values["model_answers_total_gpt_4o_mini"], 1)
        XCTAssertEqual(values["model_answers_total"], 2, "exact skills have no model")
        XCTAssertEqual(values["escalations_total"], 1)
        XCTAssertEqual(values["input_tokens_total"], 420)
        XCTAssertEqual(values["output_tokens_total"], 120)
        XCTAssertEqual(values["input_tokens_today"], 420)
        XCTAssertEqual(values["output_tokens_month"], 120)
        XCTAssertEqual(values["cost_usd_total"]?.doubleValue ?? 0, 0.000123, accuracy: 1e-12)
        XCTAssertEqual(values["cost_today_usd"]?.doubleValue ?? 0, 0.000123, accuracy: 1e-12)
        XCTAssertEqual(values["cost_month_usd"]?.doubleValue ?? 0, 0.000123, accuracy: 1e-12)
        XCTAssertEqual(values["sandbox_runs_total"], 3)
        XCTAssertEqual(values["sandbox_timeouts_total"], 1)
        XCTAssertEqual(values["sandbox_oom_kills_total"], 1)
        XCTAssertEqual(values["answer_duration_seconds_count_math"], 3)
        XCTAssertEqual(values["answer_duration_seconds_math_p50"]?.doubleValue, 12e-6, "12 µs has a bucket of its own")
        XCTAssertEqual(values["today_start_timestamp_seconds"], 1_714_953_600, "2024-05-06T00:00:00Z")
        XCTAssertEqual(values["month_start_timestamp_seconds"], 1_714_521_600, "2024-05-01T00:00:00Z")
        XCTAssertGreaterThan(values["resident_memory_bytes"]?.doubleValue ?? 0, 1_000_000)
        XCTAssertGreaterThanOrEqual(values["uptime_seconds"]?.doubleValue ?? -1, 0)
    }

    func testLatencyQuantilesOfKnownLatencies() throws {
        let clock = MetricsTestClock(noon)
        let metrics = registry(clock)
        for millis in (1...100).shuffled() {
            metrics.recordAnswer(skill: "llm", model: "llama3.2", latencyMillis: Double(millis))
        }
        let snapshot = metrics.snapshot()
        let p50 = try XCTUnwrap(
            snapshot.value("council_answer_duration_seconds", [("skill", "llm"), ("quantile", "0.5")]))
        let p99 = try XCTUnwrap(
            snapshot.value("council_answer_duration_seconds", [("skill", "llm"), ("quantile", "0.99")]))
        XCTAssertEqual(p50, 0.050, accuracy: 0.050 * 0.04, "p50 of 1...100 ms is 50 ms within the bucket width")
        XCTAssertEqual(p99, 0.099, accuracy: 0.099 * 0.04)
        XCTAssertEqual(snapshot.value("council_answer_duration_seconds_count", [("skill", "llm")]), 100)
        let sum = try XCTUnwrap(snapshot.value("council_answer_duration_seconds_sum", [("skill", "llm")]))
        XCTAssertEqual(sum, 5.050, accuracy: 1e-9, "the sum is exact: 1 + 2 + ... + 100 ms")
        let values = snapshot.flatJSON
        XCTAssertEqual(values["answer_duration_seconds_llm_p50"]?.doubleValue, p50)
        XCTAssertEqual(values["answer_duration_seconds_llm_p99"]?.doubleValue, p99)
        XCTAssertEqual(values["answer_duration_seconds_math_p50"], 0, "no math answer yet")

        // One slow outlier among many fast answers moves p99 but not p50.
        for _ in 0..<1000 { metrics.recordAnswer(skill: "math", model: nil, latencyMillis: 0.010) }
        for _ in 0..<20 { metrics.recordAnswer(skill: "math", model: nil, latencyMillis: 2_000) }
        let math = metrics.snapshot()
        XCTAssertEqual(math.value("council_answer_duration_seconds", [("skill", "math"), ("quantile", "0.5")]), 10e-6)
        let mathP99 = try XCTUnwrap(
            math.value("council_answer_duration_seconds", [("skill", "math"), ("quantile", "0.99")]))
        XCTAssertEqual(mathP99, 2.0, accuracy: 2.0 * 0.04)
    }

    func testLatencyWindowSlidesWhileCountsRemain() throws {
        let clock = MetricsTestClock(noon)
        let metrics = registry(clock)
        for _ in 0..<10 { metrics.recordAnswer(skill: "math", model: nil, latencyMillis: 5) }
        clock.advance(by: 3 * 60_000)
        for _ in 0..<10 { metrics.recordAnswer(skill: "math", model: nil, latencyMillis: 500) }
        var p50 = metrics.snapshot().value(
            "council_answer_duration_seconds", [("skill", "math"), ("quantile", "0.5")])
        XCTAssertEqual(try XCTUnwrap(p50), 0.005, accuracy: 0.0002, "both minutes are inside the window")

        clock.advance(by: 3 * 60_000)
        p50 = metrics.snapshot().value("council_answer_duration_seconds", [("skill", "math"), ("quantile", "0.5")])
        XCTAssertEqual(try XCTUnwrap(p50), 0.5, accuracy: 0.02, "the 5 ms answers left the window")

        clock.advance(by: 10 * 60_000)
        let snapshot = metrics.snapshot()
        p50 = snapshot.value("council_answer_duration_seconds", [("skill", "math"), ("quantile", "0.5")])
        XCTAssertTrue(try XCTUnwrap(p50).isNaN, "an empty window has no quantile (NaN for Prometheus)")
        XCTAssertEqual(snapshot.flatJSON["answer_duration_seconds_math_p50"], 0, "and 0 in the JSON")
        XCTAssertEqual(snapshot.flatJSON["answer_duration_seconds_count_math"], 20, "counts are since start")
    }

    func testTodayResetsAtTheInjectedMidnightAndMonthAtItsStart() {
        // A calendar whose "days" are 10 s and whose "months" are 35 s long, starting at 0.
        let calendar = MetricsCalendar(
            nextMidnight: { ($0 / 10_000 + 1) * 10_000 },
            nextMonthStart: { ($0 / 35_000 + 1) * 35_000 })
        let clock = MetricsTestClock(1_000)
        let metrics = registry(clock, calendar: calendar)
        func spend(_ usd: Double, tokens: Int) {
            metrics.recordAnswer(
                skill: "llm", model: "cloud", latencyMillis: 100, tokensIn: tokens, tokensOut: tokens, costUSD: usd,
                escalated: true)
        }
        spend(0.25, tokens: 10)
        clock.advance(by: 5_000)  // 6 s: same day
        spend(0.5, tokens: 20)
        var values = json(metrics)
        XCTAssertEqual(values["cost_today_usd"], 0.75)
        XCTAssertEqual(values["input_tokens_today"], 30)
        XCTAssertEqual(values["today_start_timestamp_seconds"], 0)

        clock.advance(by: 5_000)  // 11 s: a new day, nothing recorded yet
        values = json(metrics)
        XCTAssertEqual(values["cost_today_usd"], 0, "the day rolled over at the injected midnight")
        XCTAssertEqual(values["input_tokens_today"], 0)
        XCTAssertEqual(values["today_start_timestamp_seconds"], 10)
        XCTAssertEqual(values["cost_month_usd"], 0.75, "the month did not")
        XCTAssertEqual(values["cost_usd_total"], 0.75, "totals never reset")

        spend(1, tokens: 5)
        clock.advance(by: 30_000)  // 41 s: several days later, and a new month
        spend(2, tokens: 1)
        values = json(metrics)
        XCTAssertEqual(values["cost_today_usd"], 2)
        XCTAssertEqual(values["today_start_timestamp_seconds"], 40)
        XCTAssertEqual(values["cost_month_usd"], 2)
        XCTAssertEqual(values["month_start_timestamp_seconds"], 35)
        XCTAssertEqual(values["cost_usd_total"], 3.75)
        XCTAssertEqual(values["input_tokens_total"], 36)
        XCTAssertEqual(values["escalations_total"], 4)
    }

    func testCountersNeverDecrease() {
        let calendar = MetricsCalendar(
            nextMidnight: { ($0 / 7_000 + 1) * 7_000 }, nextMonthStart: { ($0 / 20_000 + 1) * 20_000 })
        let clock = MetricsTestClock(0)
        let metrics = registry(clock, calendar: calendar)
        var generator = MetricsSeededGenerator(seed: 42)
        var previous: [String: Double] = [:]
        for step in 0..<400 {
            switch Int.random(in: 0..<6, using: &generator) {
            case 0: metrics.recordRequest(op: ["ask", "info", "bogus"].randomElement(using: &generator)!)
            case 1: metrics.recordError(ErrorCode.allCases.randomElement(using: &generator)!)
            case 2:
                metrics.recordAnswer(
                    skill: ["math", "llm", "logic"].randomElement(using: &generator)!, model: "m",
                    latencyMillis: Double.random(in: -5...3_000, using: &generator),
                    tokensIn: Int.random(in: -10...100, using: &generator),
                    tokensOut: Int.random(in: -10...100, using: &generator),
                    costUSD: Double.random(in: -0.01...0.01, using: &generator),
                    escalated: Bool.random(using: &generator))
            case 3: metrics.recordSandboxRun(timedOut: Bool.random(using: &generator), oomKilled: false)
            case 4: clock.advance(by: Int64.random(in: 0...15_000, using: &generator))
            default: break
            }
            let snapshot = metrics.snapshot()
            for family in snapshot.families {
                for sample in family.samples
                where family.kind == .counter || sample.name.hasSuffix("_count") || sample.name.hasSuffix("_sum") {
                    let key = MetricsSnapshot.flatKey(sample.name, sample.labels)
                    XCTAssertGreaterThanOrEqual(sample.value, previous[key] ?? 0, "\(key) went down at step \(step)")
                    previous[key] = sample.value
                }
            }
        }
        XCTAssertGreaterThan(previous["requests_total_other"] ?? 0, 0)
        XCTAssertGreaterThan(previous["answers_total_logic"] ?? 0, 0, "skills not named at creation are added")
    }

    func testUTCCalendarBoundaries() {
        let utc = MetricsCalendar.utc
        // 2024-02-28T12:00Z -> 2024-02-29T00:00Z (leap year); exactly at midnight -> the next one.
        XCTAssertEqual(utc.nextMidnight(1_709_121_600_000), 1_709_164_800_000)
        XCTAssertEqual(utc.nextMidnight(1_709_164_800_000), 1_709_251_200_000)
        // 2024-02-15 -> 2024-03-01; 2023-12-31T23:59:59Z -> 2024-01-01; before 1970 works too.
        XCTAssertEqual(utc.nextMonthStart(1_707_998_400_000), 1_709_251_200_000)
        XCTAssertEqual(utc.nextMonthStart(1_704_067_199_000), 1_704_067_200_000)
        XCTAssertEqual(utc.nextMonthStart(-1), 0)
        XCTAssertEqual(utc.nextMidnight(-1), 0)
    }

    func testFlatKeysAreTemplateIdentifiersAndLabelsStayBounded() {
        let clock = MetricsTestClock(noon)
        let metrics = registry(clock)
        for index in 0..<100 {
            metrics.recordAnswer(skill: "skill-\(index)", model: "Model \"\(index)\"/v1", latencyMillis: 1)
        }
        let values = json(metrics)
        let identifier = /^[a-z_][a-z0-9_]*$/
        for key in values.keys {
            XCTAssertNotNil(key.wholeMatch(of: identifier), "'\(key)' cannot be read as value_json.\(key)")
        }
        XCTAssertEqual(values["model_answers_total_model__0__v1"], 1)
        XCTAssertEqual(values["answers_total"], 100)
        let skills = values.keys.filter { $0.hasPrefix("answers_total_") }
        XCTAssertLessThanOrEqual(skills.count, 33, "at most 32 named skills and other")
        XCTAssertGreaterThan(values["answers_total_other"]?.intValue ?? 0, 60)
    }

    func testGaugesReadTheirSourcesAndKeepTheLastValueOnFailure() {
        let clock = MetricsTestClock(noon)
        let metrics = registry(clock)
        let depth = Mutex<Int?>(7)
        metrics.setJournalDepthSource {
            guard let value = depth.withLock({ $0 }) else { throw BrokerError("database busy") }
            return value
        }
        metrics.setFactsStoredSource { 1234 }
        metrics.setBudgetRemaining(todayUSD: 0.4, monthUSD: 19.5)
        var values = json(metrics)
        XCTAssertEqual(values["journal_depth"], 7)
        XCTAssertEqual(values["facts_stored"], 1234)
        XCTAssertEqual(values["budget_remaining_today_usd"], 0.4)
        XCTAssertEqual(values["budget_remaining_month_usd"], 19.5)
        depth.withLock { $0 = nil }
        values = json(metrics)
        XCTAssertEqual(values["journal_depth"], 7, "a failing source keeps its last value")
        depth.withLock { $0 = 2 }
        XCTAssertEqual(json(metrics)["journal_depth"], 2)
    }

    func testRestoredSpendingCountsTowardsTodayAndMonthOnly() {
        let clock = MetricsTestClock(noon)
        let metrics = registry(clock)
        metrics.restoreSpending(todayUSD: 0.3, monthUSD: 4.2)
        metrics.recordAnswer(skill: "llm", model: "cloud", latencyMillis: 10, costUSD: 0.1)
        let values = json(metrics)
        XCTAssertEqual(values["cost_today_usd"]?.doubleValue ?? 0, 0.4, accuracy: 1e-12)
        XCTAssertEqual(values["cost_month_usd"]?.doubleValue ?? 0, 4.3, accuracy: 1e-12)
        XCTAssertEqual(values["cost_usd_total"]?.doubleValue ?? 0, 0.1, accuracy: 1e-12)
    }
}

/// A small deterministic random number generator (SplitMix64), so a failing sequence can be replayed.
struct MetricsSeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
