/// The registry's counters copied out under its lock, with the latency quantiles already computed, so that building
/// the snapshot afterwards shares no storage the request path is writing to.
struct MetricsReading {
    var ops: [String]
    var requests: [UInt64]
    var errors: [UInt64]
    var skills: [String]
    var answers: [UInt64]
    var latencySumMicros: [UInt64]
    /// p50 and p99 per skill in microseconds; nil when the window is empty.
    var latencyQuantiles: [[Double]?]
    var models: [String]
    var modelAnswers: [UInt64]
    var escalations: UInt64
    var tokensIn: UInt64
    var tokensOut: UInt64
    var costNanoUSD: Int64
    var today: PeriodUsage
    var month: PeriodUsage
    var sandboxRuns: UInt64
    var sandboxTimeouts: UInt64
    var sandboxOOMKills: UInt64
    var budgetRemainingTodayUSD: Double
    var budgetRemainingMonthUSD: Double

    static let quantiles = [0.5, 0.99]

    /// Copies (never shares) the counters of `state`.
    init(_ state: MetricsState, nowMillis: Int64) {
        ops = state.ops.values
        requests = state.requests.map { $0 }
        errors = state.errors.map { $0 }
        skills = state.skills.values
        answers = state.answers.map { $0 }
        latencySumMicros = state.latencySumMicros.map { $0 }
        latencyQuantiles = state.latency.map { $0.quantiles(Self.quantiles, nowMillis: nowMillis) }
        models = state.models.values
        modelAnswers = state.modelAnswers.map { $0 }
        escalations = state.escalations
        tokensIn = state.tokensIn
        tokensOut = state.tokensOut
        costNanoUSD = state.costNanoUSD
        today = state.today
        month = state.month
        sandboxRuns = state.sandboxRuns
        sandboxTimeouts = state.sandboxTimeouts
        sandboxOOMKills = state.sandboxOOMKills
        budgetRemainingTodayUSD = state.budgetRemainingTodayUSD
        budgetRemainingMonthUSD = state.budgetRemainingMonthUSD
    }
}

/// Turns a reading into the metric families, in the order documented in the README.
struct MetricsSnapshotBuilder {
    let reading: MetricsReading
    let errorCodes: [ErrorCode]
    let uptimeSeconds: Double
    let residentBytes: Int64
    let journalDepth: Int
    let factsStored: Int

    func build() -> MetricsSnapshot {
        let r = reading
        var families: [MetricsSnapshot.Family] = []
        func add(_ name: String, _ kind: MetricsSnapshot.Kind, _ help: String, _ samples: [MetricsSnapshot.Sample]) {
            families.append(.init(name: name, help: help, kind: kind, samples: samples))
        }
        func single(_ name: String, _ kind: MetricsSnapshot.Kind, _ help: String, _ value: Double) {
            add(name, kind, help, [.init(name: name, value: value)])
        }
        func labelled(_ name: String, _ label: String, _ values: [String], _ counts: [UInt64], keepZeroOther: Bool)
            -> [MetricsSnapshot.Sample]
        {
            zip(values, counts).compactMap { value, count in
                value == LabelTable.other && count == 0 && !keepZeroOther
                    ? nil : .init(name: name, labels: [(label, value)], value: Double(count))
            }
        }

        add(
            "council_requests_total", .counter, "Requests received, by op (ops this node does not serve: other).",
            labelled("council_requests_total", "op", r.ops, r.requests, keepZeroOther: true))
        add(
            "council_errors_total", .counter, "Error replies sent, by error code.",
            labelled("council_errors_total", "code", errorCodes.map(\.rawValue), r.errors, keepZeroOther: true))
        add(
            "council_answers_total", .counter, "Answers given, by the skill that answered.",
            labelled("council_answers_total", "skill", r.skills, r.answers, keepZeroOther: false))
        add(
            "council_model_answers_total", .counter, "Answers a language model produced, by model.",
            labelled("council_model_answers_total", "model", r.models, r.modelAnswers, keepZeroOther: false))
        single(
            "council_escalations_total", .counter, "Answers that needed a cloud model.", Double(r.escalations))
        families.append(latencySummary())
        single("council_input_tokens_total", .counter, "Prompt tokens sent to models.", Double(r.tokensIn))
        single("council_output_tokens_total", .counter, "Tokens models generated.", Double(r.tokensOut))
        single("council_cost_usd_total", .counter, "US dollars spent on models.", Self.usd(r.costNanoUSD))
        single(
            "council_input_tokens_today", .gauge, "Prompt tokens sent to models since local midnight.",
            Double(r.today.tokensIn))
        single(
            "council_output_tokens_today", .gauge, "Tokens models generated since local midnight.",
            Double(r.today.tokensOut))
        single(
            "council_cost_today_usd", .gauge, "US dollars spent since local midnight.", Self.usd(r.today.costNanoUSD))
        single(
            "council_today_start_timestamp_seconds", .gauge, "When the current day began (Unix time).",
            Double(r.today.startMillis) / 1000)
        single(
            "council_input_tokens_month", .gauge, "Prompt tokens sent to models this calendar month.",
            Double(r.month.tokensIn))
        single(
            "council_output_tokens_month", .gauge, "Tokens models generated this calendar month.",
            Double(r.month.tokensOut))
        single(
            "council_cost_month_usd", .gauge, "US dollars spent this calendar month.", Self.usd(r.month.costNanoUSD))
        single(
            "council_month_start_timestamp_seconds", .gauge, "When the current month began (Unix time).",
            Double(r.month.startMillis) / 1000)
        single(
            "council_budget_remaining_today_usd", .gauge, "What today's budget still allows, in US dollars.",
            r.budgetRemainingTodayUSD)
        single(
            "council_budget_remaining_month_usd", .gauge, "What this month's budget still allows, in US dollars.",
            r.budgetRemainingMonthUSD)
        single("council_sandbox_runs_total", .counter, "Programs run in the sandbox.", Double(r.sandboxRuns))
        single(
            "council_sandbox_timeouts_total", .counter, "Sandbox runs stopped for exceeding their time limit.",
            Double(r.sandboxTimeouts))
        single(
            "council_sandbox_oom_kills_total", .counter, "Sandbox runs killed for exceeding their memory limit.",
            Double(r.sandboxOOMKills))
        single(
            "council_journal_depth", .gauge, "Requests journaled and not yet answered.", Double(journalDepth))
        single("council_facts_stored", .gauge, "Facts in the knowledge store.", Double(factsStored))
        single(
            "council_uptime_seconds", .gauge, "Seconds since the daemon started.",
            (uptimeSeconds * 1000).rounded() / 1000)
        single(
            "council_resident_memory_bytes", .gauge, "Resident memory of the daemon process.", Double(residentBytes))
        return MetricsSnapshot(families: families)
    }

    /// `council_answer_duration_seconds`: p50 and p99 per skill over the window, `_sum` and `_count` since start.
    private func latencySummary() -> MetricsSnapshot.Family {
        let name = "council_answer_duration_seconds"
        var samples: [MetricsSnapshot.Sample] = []
        for (index, skill) in reading.skills.enumerated() {
            if skill == LabelTable.other && reading.answers[index] == 0 { continue }
            let quantiles = reading.latencyQuantiles[index]
            for (position, q) in MetricsReading.quantiles.enumerated() {
                let micros = quantiles?[position] ?? .nan
                samples.append(
                    .init(
                        name: name, labels: [("skill", skill), ("quantile", Self.quantileLabel(q))], value: micros / 1e6
                    ))
            }
            samples.append(
                .init(
                    name: name + "_sum", labels: [("skill", skill)],
                    value: Double(reading.latencySumMicros[index]) / 1e6))
            samples.append(
                .init(name: name + "_count", labels: [("skill", skill)], value: Double(reading.answers[index])))
        }
        return .init(
            name: name, help: "Time to answer, by skill: quantiles over the last 5 minutes, sum and count since start.",
            kind: .summary, samples: samples)
    }

    private static func quantileLabel(_ q: Double) -> String { q == 0.5 ? "0.5" : q == 0.99 ? "0.99" : String(q) }

    private static func usd(_ nano: Int64) -> Double { Double(nano) / 1e9 }
}
