import Council
import Glibc
import JSON
import Skills
import Synchronization

/// What recording a metric costs on the request path, against a baseline measured in the same run: one increment of
/// a `Mutex`-protected counter (the cheapest thread-safe count there is). Also the cost of a snapshot (taken every
/// `metrics.interval` and per `metrics` request or Prometheus scrape), off the hot path.
func runMetricsBenchmark() async throws {
    let registry = MetricsRegistry(
        ops: ["ask", "exec", "memory/add", "memory/search", "logic/query", "options", "budget", "info", "health"],
        skills: ["math", "logic", "knowledge", "code", "llm"], models: ["llama3.2", "gpt-4o-mini"])
    let baseline = Mutex<UInt64>(0)
    let askReply: JSONObject = [
        "text": "4", "answer": "4", "skill": "math", "confidence": 1, "model": .null, "escalated": false,
        "tokens_in": 0, "tokens_out": 0, "cost_usd": 0, "duration_ms": 0.012, "route": ["math"],
    ]
    let rounds = 1_000_000
    let ops = ["ask", "memory/add", "logic/query", "info"]

    // Warm up every label once so the timed loops measure the steady state.
    for op in ops { registry.recordRequest(op: op) }
    registry.recordAnswer(skill: "llm", model: "llama3.2", latencyMillis: 1)

    let base = metricsBenchNanos(rounds) { _ in baseline.withLock { $0 &+= 1 } }
    let request = metricsBenchNanos(rounds) { index in registry.recordRequest(op: ops[index & 3]) }
    let error = metricsBenchNanos(rounds) { _ in registry.recordError(.badRequest) }
    let exact = metricsBenchNanos(rounds) { index in
        registry.recordAnswer(skill: "math", model: nil, latencyMillis: 0.010 + Double(index & 7) * 0.001)
    }
    let model = metricsBenchNanos(rounds) { index in
        registry.recordAnswer(
            skill: "llm", model: "llama3.2", latencyMillis: 800 + Double(index & 255), tokensIn: 120, tokensOut: 40,
            costUSD: 0, escalated: false)
    }
    let reply = metricsBenchNanos(rounds) { _ in registry.recordAskReply(askReply) }
    let answer = SkillAnswer(text: "4", answer: "4", skill: "math", confidence: 1)
    let typed = metricsBenchNanos(rounds) { _ in registry.recordAnswer(answer, latencyMillis: 0.012) }
    let perRequest = request + reply  // what the daemon adds to one answered `ask`

    let snapshotRounds = 2_000
    let snapshot = metricsBenchNanos(snapshotRounds) { _ in
        _ = JSONValue.object(registry.snapshot().flatJSON).encoded()
    }
    let prometheus = metricsBenchNanos(snapshotRounds) { _ in _ = registry.snapshot().prometheusText }

    print(
        """

        Metrics: cost of recording, per call (\(rounds) calls each, one thread, release build)
          baseline: Mutex<UInt64> increment         \(metricsFormat(base)) ns
          recordRequest(op:)                        \(metricsFormat(request)) ns   (\(metricsFormat(request / base))× baseline)
          recordError(_:)                           \(metricsFormat(error)) ns   (\(metricsFormat(error / base))× baseline)
          recordAnswer (exact skill)                \(metricsFormat(exact)) ns   (\(metricsFormat(exact / base))× baseline)
          recordAnswer (model, tokens)              \(metricsFormat(model)) ns   (\(metricsFormat(model / base))× baseline)
          recordAskReply(data)                      \(metricsFormat(reply)) ns   (\(metricsFormat(reply / base))× baseline)
          recordAnswer(SkillAnswer, latencyMillis:) \(metricsFormat(typed)) ns   (\(metricsFormat(typed / base))× baseline)
          per answered ask (request + reply)        \(metricsFormat(perRequest)) ns = \(metricsFormat(perRequest / 100))% of a 10 µs exact answer
          snapshot + flat JSON encode               \(metricsFormat(snapshot / 1000)) µs   (every interval / metrics op)
          snapshot + Prometheus text                \(metricsFormat(prometheus / 1000)) µs   (per scrape)
        """)
}

/// Mean nanoseconds per call of `body` over `rounds` calls.
private func metricsBenchNanos(_ rounds: Int, _ body: (Int) -> Void) -> Double {
    var start = timespec()
    var end = timespec()
    clock_gettime(CLOCK_MONOTONIC, &start)
    for index in 0..<rounds { body(index) }
    clock_gettime(CLOCK_MONOTONIC, &end)
    let nanos = Double(end.tv_sec - start.tv_sec) * 1e9 + Double(end.tv_nsec - start.tv_nsec)
    return nanos / Double(rounds)
}

private func metricsFormat(_ value: Double) -> String {
    let rounded = (value * 10).rounded() / 10
    return "\(rounded)"
}
