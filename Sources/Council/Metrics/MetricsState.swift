/// Usage within one calendar period (a day or a month).
struct PeriodUsage {
    var tokensIn: UInt64 = 0
    var tokensOut: UInt64 = 0
    var costNanoUSD: Int64 = 0
    /// When the period began (Unix ms).
    var startMillis: Int64
    /// When the next one begins (Unix ms).
    var endMillis: Int64

    /// Starts a fresh period when `nowMillis` is past this one's end. `next` gives the end of the period after a
    /// given instant; the new period starts at the old end (or, after a gap of several periods, at the last
    /// boundary before now).
    mutating func roll(to nowMillis: Int64, next: (Int64) -> Int64) {
        guard nowMillis >= endMillis else { return }
        var start = endMillis
        var end = next(endMillis)
        while end <= nowMillis {
            start = end
            end = next(end)
        }
        self = PeriodUsage(startMillis: start, endMillis: end)
    }

    mutating func add(tokensIn: UInt64, tokensOut: UInt64, costNanoUSD: Int64) {
        self.tokensIn &+= tokensIn
        self.tokensOut &+= tokensOut
        self.costNanoUSD &+= costNanoUSD
    }
}

/// Everything the registry counts, mutated only under its lock. All arrays are indexed by the label tables and
/// grown only when a table adds a value, so recording a known label never allocates.
struct MetricsState {
    var ops: LabelTable
    var requests: [UInt64]
    var errors: [UInt64]
    var skills: LabelTable
    var answers: [UInt64]
    var latency: [LatencyWindow]
    var latencySumMicros: [UInt64]
    var models: LabelTable
    var modelAnswers: [UInt64]
    var escalations: UInt64 = 0
    var tokensIn: UInt64 = 0
    var tokensOut: UInt64 = 0
    var costNanoUSD: Int64 = 0
    var today: PeriodUsage
    var month: PeriodUsage
    var sandboxRuns: UInt64 = 0
    var sandboxTimeouts: UInt64 = 0
    var sandboxOOMKills: UInt64 = 0
    var budgetRemainingTodayUSD: Double = 0
    var budgetRemainingMonthUSD: Double = 0
    let window: (slotMillis: Int64, slotCount: Int)

    init(
        ops: [String], skills: [String], models: [String], errorCodes: Int, nowMillis: Int64,
        calendar: MetricsCalendar, window: (slotMillis: Int64, slotCount: Int)
    ) {
        self.ops = LabelTable(ops, capacity: ops.count, closed: true)
        requests = Array(repeating: 0, count: self.ops.values.count)
        errors = Array(repeating: 0, count: errorCodes)
        self.skills = LabelTable(skills, capacity: MetricsRegistry.maxLabelValues)
        answers = Array(repeating: 0, count: self.skills.values.count)
        latency = Array(
            repeating: LatencyWindow(slotMillis: window.slotMillis, slotCount: window.slotCount),
            count: self.skills.values.count)
        latencySumMicros = Array(repeating: 0, count: self.skills.values.count)
        self.models = LabelTable(models, capacity: MetricsRegistry.maxLabelValues)
        modelAnswers = Array(repeating: 0, count: self.models.values.count)
        self.window = window
        let dayEnd = calendar.nextMidnight(nowMillis)
        let monthEnd = calendar.nextMonthStart(nowMillis)
        today = PeriodUsage(
            startMillis: Self.startOfPeriod(containing: nowMillis, next: calendar.nextMidnight), endMillis: dayEnd)
        month = PeriodUsage(
            startMillis: Self.startOfPeriod(containing: nowMillis, next: calendar.nextMonthStart), endMillis: monthEnd)
    }

    mutating func recordAnswer(
        skill: String, model: String?, micros: UInt64, tokensIn: UInt64, tokensOut: UInt64, costNanoUSD: Int64,
        escalated: Bool, nowMillis: Int64, calendar: MetricsCalendar
    ) {
        let (skillIndex, newSkill) = skills.index(of: skill)
        if newSkill {
            answers.append(0)
            latency.append(LatencyWindow(slotMillis: window.slotMillis, slotCount: window.slotCount))
            latencySumMicros.append(0)
        }
        answers[skillIndex] &+= 1
        latency[skillIndex].record(micros: micros, nowMillis: nowMillis)
        latencySumMicros[skillIndex] &+= micros
        if let model {
            let (modelIndex, newModel) = models.index(of: model)
            if newModel { modelAnswers.append(0) }
            modelAnswers[modelIndex] &+= 1
        }
        if escalated { escalations &+= 1 }
        self.tokensIn &+= tokensIn
        self.tokensOut &+= tokensOut
        self.costNanoUSD &+= costNanoUSD
        rollPeriods(to: nowMillis, calendar: calendar)
        today.add(tokensIn: tokensIn, tokensOut: tokensOut, costNanoUSD: costNanoUSD)
        month.add(tokensIn: tokensIn, tokensOut: tokensOut, costNanoUSD: costNanoUSD)
    }

    mutating func rollPeriods(to nowMillis: Int64, calendar: MetricsCalendar) {
        today.roll(to: nowMillis, next: calendar.nextMidnight)
        month.roll(to: nowMillis, next: calendar.nextMonthStart)
    }

    /// The start of the period containing `now`, found by stepping back a day at a time from its end until the
    /// boundary function lands on that end again (works for any calendar whose periods are at least an hour long).
    private static func startOfPeriod(containing now: Int64, next: (Int64) -> Int64) -> Int64 {
        let end = next(now)
        var probe = now
        // Step back until the boundary after `probe` is no longer `end`: then that boundary is the period's start.
        for _ in 0..<64 {
            probe -= 86_400_000
            let boundary = next(probe)
            if boundary < end {
                var start = boundary
                while next(start) < end { start = next(start) }
                return start
            }
        }
        return now
    }
}
