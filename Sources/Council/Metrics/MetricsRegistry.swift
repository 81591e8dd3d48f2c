import JSON
import Skills
import Synchronization

/// The daemon's counters and gauges: what it was asked, how it answered, what it cost, how it is doing.
///
/// Recording is cheap enough for the request loop (one lock, a hash of the label, no allocation once a label has
/// been seen; see the `MetricsBench` figures). Counters never go down while the process runs. The `*_today` and
/// `*_month` values restart from zero at the calendar's midnight and month start. Latency quantiles (p50, p99) are
/// per skill over a sliding window of the last 4–5 minutes (5 slots of 60 s); their `_sum` and `_count` are
/// cumulative since start. Ops are counted by the names given at creation (others as `other`); skills and models by
/// name, up to 32 each (the rest as `other`).
public final class MetricsRegistry: Sendable {
    /// How many distinct skills or models are counted by name before the rest go to `other`.
    static let maxLabelValues = 32
    static let errorCodes = ErrorCode.allCases

    private let state: Mutex<MetricsState>
    private let gauges = Mutex<GaugeSources>(GaugeSources())
    private let calendar: MetricsCalendar
    private let now: @Sendable () -> Int64
    private let startedAtMonotonic = MetricsClock.monotonicSeconds()

    /// Creates a registry.
    /// - Parameters:
    ///   - ops: the ops the daemon serves; each gets its own `requests_total_<op>`, any other name counts as
    ///     `other`.
    ///   - skills: skills to report (with zeros) before they first answer; others are added as they answer.
    ///   - models: model names to report before they first answer.
    ///   - calendar: where days and months end (UTC by default).
    ///   - latencyWindow: slot length and count of the latency window (60 s × 5 by default).
    ///   - now: wall-clock Unix milliseconds (nil: the system's coarse clock; tests inject their own).
    public init(
        ops: [String], skills: [String] = [], models: [String] = [], calendar: MetricsCalendar = .utc,
        latencyWindow: (slotMillis: Int64, slotCount: Int) = (60_000, 5),
        now: (@Sendable () -> Int64)? = nil
    ) {
        let now = now ?? { MetricsClock.coarseUnixMillis() }
        self.calendar = calendar
        self.now = now
        state = Mutex(
            MetricsState(
                ops: ops, skills: skills, models: models, errorCodes: Self.errorCodes.count, nowMillis: now(),
                calendar: calendar, window: latencyWindow))
    }

    // MARK: - Recording (hot path)

    /// Counts one request for `op` (call it once per request received, whatever its outcome).
    public func recordRequest(op: String) {
        state.withLock { state in
            let (index, _) = state.ops.index(of: op)
            state.requests[index] &+= 1
        }
    }

    /// Counts one error reply.
    public func recordError(_ code: ErrorCode) {
        guard let index = Self.errorCodes.firstIndex(of: code) else { return }
        state.withLock { $0.errors[index] &+= 1 }
    }

    /// Counts one answer: by skill and (when a model produced it) by model, its latency, the tokens and money it
    /// took, and whether it escalated to a cloud model. Negative amounts count as zero.
    public func recordAnswer(
        skill: String, model: String?, latencyMillis: Double, tokensIn: Int = 0, tokensOut: Int = 0,
        costUSD: Double = 0, escalated: Bool = false
    ) {
        let micros = latencyMillis.isFinite && latencyMillis > 0 ? UInt64(min(latencyMillis * 1000, 1e15)) : 0
        let cost = costUSD.isFinite && costUSD > 0 ? Int64(min(costUSD * 1e9, 9e18).rounded()) : 0
        let nowMillis = now()
        let calendar = self.calendar
        state.withLock { state in
            state.recordAnswer(
                skill: skill, model: model, micros: micros, tokensIn: UInt64(max(tokensIn, 0)),
                tokensOut: UInt64(max(tokensOut, 0)), costNanoUSD: cost, escalated: escalated, nowMillis: nowMillis,
                calendar: calendar)
        }
    }

    /// Counts a skill's answer and the time it took (the typed twin of `recordAskReply`, a few hundred ns cheaper).
    public func recordAnswer(_ answer: SkillAnswer, latencyMillis: Double) {
        recordAnswer(
            skill: answer.skill, model: answer.model, latencyMillis: latencyMillis, tokensIn: answer.usage.tokensIn,
            tokensOut: answer.usage.tokensOut, costUSD: answer.usage.costUSD, escalated: answer.usage.escalated)
    }

    /// Counts the answer in an `ask` reply's `data` (`skill`, `model`, `duration_ms`, `tokens_in`, `tokens_out`,
    /// `cost_usd`, `escalated`); does nothing when it has no `skill`.
    public func recordAskReply(_ data: JSONObject) {
        guard case .string(let skill)? = data["skill"] else { return }
        recordAnswer(
            skill: skill, model: data["model"]?.stringValue, latencyMillis: data["duration_ms"]?.doubleValue ?? 0,
            tokensIn: data["tokens_in"]?.intValue ?? 0, tokensOut: data["tokens_out"]?.intValue ?? 0,
            costUSD: data["cost_usd"]?.doubleValue ?? 0, escalated: data["escalated"]?.boolValue ?? false)
    }

    /// Counts the sandbox run in an `exec` reply's `data` (`timed_out`, `oom_killed`).
    public func recordExecReply(_ data: JSONObject) {
        recordSandboxRun(
            timedOut: data["timed_out"]?.boolValue ?? false, oomKilled: data["oom_killed"]?.boolValue ?? false)
    }

    /// Counts one sandbox run, and whether it timed out or was killed for memory.
    public func recordSandboxRun(timedOut: Bool, oomKilled: Bool) {
        state.withLock { state in
            state.sandboxRuns &+= 1
            if timedOut { state.sandboxTimeouts &+= 1 }
            if oomKilled { state.sandboxOOMKills &+= 1 }
        }
    }

    // MARK: - Gauges

    /// Sets what is left of the daily and monthly budgets (call it at start and whenever spending changes).
    public func setBudgetRemaining(todayUSD: Double, monthUSD: Double) {
        state.withLock { state in
            state.budgetRemainingTodayUSD = todayUSD.isFinite ? todayUSD : 0
            state.budgetRemainingMonthUSD = monthUSD.isFinite ? monthUSD : 0
        }
    }

    /// Adds spending that happened before this process started (read from the budget ledger at start), so
    /// `cost_today_usd` and `cost_month_usd` survive a restart.
    public func restoreSpending(todayUSD: Double, monthUSD: Double) {
        let nowMillis = now()
        let calendar = self.calendar
        state.withLock { state in
            state.rollPeriods(to: nowMillis, calendar: calendar)
            if todayUSD.isFinite && todayUSD > 0 { state.today.costNanoUSD &+= Int64((todayUSD * 1e9).rounded()) }
            if monthUSD.isFinite && monthUSD > 0 { state.month.costNanoUSD &+= Int64((monthUSD * 1e9).rounded()) }
        }
    }

    /// Reads the journal's pending entries when a snapshot is taken (for example `journal.pendingCount`).
    public func setJournalDepthSource(_ read: @escaping @Sendable () throws -> Int) {
        gauges.withLock { $0.journalDepth = GaugeSource(read: read) }
    }

    /// Reads the number of stored facts when a snapshot is taken.
    public func setFactsStoredSource(_ read: @escaping @Sendable () throws -> Int) {
        gauges.withLock { $0.factsStored = GaugeSource(read: read) }
    }

    // MARK: - Reading

    /// Everything, now. Gauge sources are read outside the lock; one that throws keeps its last value.
    public func snapshot() -> MetricsSnapshot {
        let nowMillis = now()
        let (journalDepth, factsStored) = readGauges()
        let calendar = self.calendar
        let reading = state.withLock { state -> MetricsReading in
            state.rollPeriods(to: nowMillis, calendar: calendar)
            return MetricsReading(state, nowMillis: nowMillis)
        }
        return MetricsSnapshotBuilder(
            reading: reading, errorCodes: Self.errorCodes,
            uptimeSeconds: MetricsClock.monotonicSeconds() - startedAtMonotonic,
            residentBytes: ProcessMemory.residentBytes() ?? 0, journalDepth: journalDepth, factsStored: factsStored
        ).build()
    }

    private func readGauges() -> (journalDepth: Int, factsStored: Int) {
        let sources = gauges.withLock { $0 }
        let journalDepth = sources.journalDepth?.read()
        let factsStored = sources.factsStored?.read()
        return gauges.withLock { gauges in
            if let journalDepth { gauges.journalDepth?.last = journalDepth }
            if let factsStored { gauges.factsStored?.last = factsStored }
            return (gauges.journalDepth?.last ?? 0, gauges.factsStored?.last ?? 0)
        }
    }
}

/// A gauge read through a closure, with the last value it gave.
struct GaugeSource {
    let reader: @Sendable () throws -> Int
    var last = 0

    init(read: @escaping @Sendable () throws -> Int) { reader = read }

    func read() -> Int? { try? reader() }
}

struct GaugeSources {
    var journalDepth: GaugeSource?
    var factsStored: GaugeSource?
}
