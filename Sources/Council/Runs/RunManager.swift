import JSON
import Router
import Sandbox
import Skills
import Store
import Synchronization

/// A `run` request, validated.
public struct RunRequest: Sendable {
    /// What to do, in words (or with code to run).
    public var task: String
    /// The agent profile it runs under.
    public var agent: String?
    /// Lowers the number of programs written and run.
    public var maxAttempts: Int?
    /// Lowers what the run may spend.
    public var maxCostUSD: Double?
    /// `false` keeps paid models out.
    public var allowCloud: Bool?

    /// Creates a request.
    public init(
        task: String, agent: String? = nil, maxAttempts: Int? = nil, maxCostUSD: Double? = nil, allowCloud: Bool? = nil
    ) {
        self.task = task
        self.agent = agent
        self.maxAttempts = maxAttempts
        self.maxCostUSD = maxCostUSD
        self.allowCloud = allowCloud
    }
}

/// Starts, tracks, stops and records agent runs (the `run` op): each run works on a task of its own, within
/// `max_concurrent` at once, `max_duration_s` each and its attempt and cost caps; every step is stored in SQLite
/// and published on `<base>/<node>/runs/<id>/log` as it happens, in order. Safe to use from any thread.
public final class RunManager: Sendable {
    /// The node's limits for runs.
    public struct Settings: Sendable {
        /// Runs working at once; more are `queued`.
        public var maxConcurrent: Int
        /// How long a run may work, milliseconds.
        public var maxDurationMillis: Int64
        /// How long the files a run's programs left are kept, milliseconds.
        public var artifactRetentionMillis: Int64
        /// Bytes of files kept per program run.
        public var maxArtifactBytes: Int

        /// Creates settings.
        public init(maxConcurrent: Int, maxDurationMillis: Int64, artifactRetentionMillis: Int64, maxArtifactBytes: Int)
        {
            self.maxConcurrent = max(1, maxConcurrent)
            self.maxDurationMillis = max(1, maxDurationMillis)
            self.artifactRetentionMillis = max(1, artifactRetentionMillis)
            self.maxArtifactBytes = max(0, maxArtifactBytes)
        }

        /// The settings of `[runs]`.
        public init(_ section: CouncilConfig.RunsSection) {
            self.init(
                maxConcurrent: section.maxConcurrent, maxDurationMillis: Int64(section.maxDurationSeconds) * 1000,
                artifactRetentionMillis: Int64(section.artifactRetentionHours) * 3_600_000,
                maxArtifactBytes: section.maxArtifactBytes)
        }
    }

    /// A run that has not ended.
    private struct LiveRun {
        var record: RunRecord
        var task: Task<Void, Never>?
        /// Why the run is being stopped, once `stop` was called: `cancelled` or `timed_out`.
        var stopping: RunState?
        var nextSeq = 1
    }

    private struct State {
        var live: [String: LiveRun] = [:]
        var working = 0
        /// Runs waiting for a slot, oldest first, by waiter token.
        var queue: [(token: Int, resume: CheckedContinuation<Bool, Never>)] = []
        /// Callers waiting for runs to end, by waiter token.
        var waiters: [Int: (run: String, resume: CheckedContinuation<Void, Never>)] = [:]
        /// Tokens whose wait was cancelled before it began.
        var abandoned: Set<Int> = []
        var nextToken = 0
    }

    /// Where runs are stored.
    public let records: RunRecords
    private let skill: CodeSkill?
    private let agents: AgentDirectory?
    private let events: EventPublisher
    private let settings: Settings
    private let state = Mutex(State())

    /// Opens the runs of a migrated database; runs a previous daemon left live are marked `interrupted`.
    /// - Parameters:
    ///   - skill: the node's code skill, with the node's caps (nil when the node cannot run code).
    ///   - agents: the profiles a run may name.
    ///   - events: publishes the runs' logs.
    public init(
        database: Database, skill: CodeSkill?, agents: AgentDirectory?, events: EventPublisher, settings: Settings
    ) throws {
        records = try RunRecords(database: database)
        self.skill = skill
        self.agents = agents
        self.events = events
        self.settings = settings
        _ = try records.interruptLiveRuns(
            now: unixMillis(), reason: "the daemon stopped while the run was working; start it again")
    }

    /// The topic a run's log is published on, once the daemon is connected.
    public func logTopic(of id: String) -> String? { events.topic { $0.runLog(id: id) } }

    // MARK: Starting and stopping

    /// Starts a run and returns its record (`queued`, or `running` when a slot is free).
    /// - Throws: `bad_request` for an unknown agent or one without the code skill, `sandbox_disabled`,
    ///   `no_backend`, `internal` when SQLite fails.
    public func start(_ request: RunRequest) throws(RequestError) -> RunRecord {
        let (skill, question, preamble) = try prepare(request)
        let now = unixMillis()
        let record = RunRecord(
            id: Self.makeID(), task: request.task, agent: request.agent, state: .queued,
            maxAttempts: skill.limits.maxAttempts,
            maxCostUSD: min(skill.limits.maxCostUSD, question.maxCostUSD ?? .infinity),
            now: now)
        do {
            try records.insert(record)
        } catch {
            throw RequestError(.internal, "run: cannot store the run: \(error)")
        }
        state.withLock { $0.live[record.id] = LiveRun(record: record) }
        let task = Task.detached { [self] in
            await work(record.id, skill: skill, question: question, preamble: preamble)
        }
        state.withLock { $0.live[record.id]?.task = task }
        return record
    }

    /// Stops a live run (`run/cancel`, or its time limit): its sandbox is killed, no model is called any more.
    /// Returns false when the run is not live.
    @discardableResult
    public func stop(_ id: String, as reason: RunState = .cancelled) -> Bool {
        let task = state.withLock { state -> Task<Void, Never>?? in
            guard state.live[id] != nil else { return nil }
            if state.live[id]?.stopping == nil { state.live[id]?.stopping = reason }
            return state.live[id]?.task
        }
        guard let task else { return false }
        task?.cancel()
        return true
    }

    /// Waits until the run ends or `millis` pass, whichever is first.
    public func waitForEnd(of id: String, atMost millis: Int64) async {
        guard millis > 0, isLive(id) else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.ended(id) }
            group.addTask { try? await Task.sleep(for: .milliseconds(millis)) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Whether the run has not ended.
    public func isLive(_ id: String) -> Bool { state.withLock { $0.live[id] != nil } }

    // MARK: Working

    /// The code skill, question and preamble the run works with: the agent's profile applied, the request's caps.
    private func prepare(_ request: RunRequest) throws(RequestError) -> (CodeSkill, Question, String?) {
        guard var skill else {
            throw RequestError(.sandboxDisabled, "run: this node has no sandbox, so it cannot run code")
        }
        guard skill.sandbox.isEnabled else {
            throw RequestError(.sandboxDisabled, "run: the sandbox is disabled on this node, so no run can start")
        }
        var question = Question(prompt: request.task)
        question.agent = request.agent
        question.allowCloud = request.allowCloud
        question.maxCostUSD = request.maxCostUSD
        var preamble: String?
        if let name = request.agent {
            guard let profile = agents?.entry(named: name)?.profile else {
                let unknown = AgentDirectoryError.unknown(name: name, known: agents?.names ?? [])
                throw RequestError(.badRequest, "run: 'agent': \(unknown)")
            }
            let shaped = AgentDirectory.apply(profile, to: Cascade(skills: [skill]))
            guard let code = shaped.skills.first as? CodeSkill else {
                throw RequestError(.badRequest, "run: agent '\(name)' may not use the code skill (its skills list)")
            }
            skill = code
            question = AgentDirectory.apply(profile, to: question)
            preamble = profile.systemPrompt
        }
        var limits = skill.limits
        if let attempts = request.maxAttempts { limits.maxAttempts = min(limits.maxAttempts, attempts) }
        if settings.maxArtifactBytes > 0 {
            limits.artifacts = ArtifactPolicy(
                maxFileBytes: settings.maxArtifactBytes, maxTotalBytes: settings.maxArtifactBytes)
        }
        return (skill.with(limits: limits, spending: skill.spending), question, preamble)
    }

    private func work(_ id: String, skill: CodeSkill, question: Question, preamble: String?) async {
        guard await acquireSlot() else {
            finish(id, outcome: nil)
            return
        }
        update(id) { record in
            record.state = .running
        }
        log(id, kind: "state", status: "running", message: "the run started", attempt: 0, detail: [:])
        let limit = settings.maxDurationMillis
        let timer = Task { [self] in
            try? await Task.sleep(for: .milliseconds(limit))
            if !Task.isCancelled { stop(id, as: .timedOut) }
        }
        let outcome = await skill.run(task: question, preamble: preamble) { [self] step in record(step, of: id) }
        timer.cancel()
        releaseSlot()
        finish(id, outcome: outcome)
    }

    /// Stores and publishes one step, and keeps the run's counters.
    private func record(_ step: CodeStep, of id: String) {
        if step.kind == "run" { update(id) { $0.attempts = max($0.attempts, step.attempt) } }
        if let artifacts = step.result?.artifacts, !artifacts.isEmpty {
            let now = unixMillis()
            let kept = artifacts.map {
                RunArtifactRecord(
                    path: $0.path, size: $0.contents.count, content: $0.contents, attempt: step.attempt,
                    createdAtMillis: now, expiresAtMillis: now + settings.artifactRetentionMillis)
            }
            do {
                try records.store(kept, of: id)
            } catch {
                log(
                    id, kind: "error", status: "failed", message: "cannot store the files: \(error)",
                    attempt: step.attempt, detail: [:])
            }
        }
        log(id, kind: step.kind, status: step.status, message: step.message, attempt: step.attempt, detail: step.detail)
    }

    /// Ends a run: its final state, answer or error, tokens and cost; the last log line; waiters resumed.
    private func finish(_ id: String, outcome: AgentRunOutcome?) {
        let now = unixMillis()
        let stopping = state.withLock { $0.live[id]?.stopping }
        update(id) { record in
            if let outcome {
                record.code = outcome.code
                record.attempts = max(record.attempts, outcome.attempts)
                record.tokensIn = outcome.usage.tokensIn
                record.tokensOut = outcome.usage.tokensOut
                record.costUSD = outcome.usage.costUSD
            }
            if let outcome, outcome.error == nil, let answer = outcome.answer {
                record.state = .succeeded
                record.answer = answer
            } else if let stopping {
                record.state = stopping
                record.errorCode = stopping == .timedOut ? "timeout" : "cancelled"
                record.error =
                    stopping == .timedOut
                    ? "the run was stopped after its limit of \(settings.maxDurationMillis / 1000) s (runs.max_duration_s)"
                    : "the run was cancelled (run/cancel)"
            } else {
                record.state = .failed
                record.errorCode = outcome?.error?.code ?? "internal"
                record.error = outcome?.error?.message ?? "the run ended without an outcome"
            }
            record.finishedAtMillis = now
        }
        let final = state.withLock { $0.live[id]?.record }
        if let final {
            var detail: JSONObject = ["state": .string(final.state.rawValue), "cost_usd": JSONValue(final.costUSD)]
            if let answer = final.answer { detail["answer"] = .string(answer) }
            if let error = final.error { detail["error"] = .string(error) }
            log(
                id, kind: "end", status: final.state.rawValue, message: final.error ?? "done", attempt: final.attempts,
                detail: detail)
        }
        let resumed = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.live[id] = nil
            let mine = state.waiters.filter { $0.value.run == id }
            for token in mine.keys { state.waiters[token] = nil }
            return mine.values.map(\.resume)
        }
        for waiter in resumed { waiter.resume() }
    }

    /// Changes a live run's record and stores it.
    private func update(_ id: String, _ change: (inout RunRecord) -> Void) {
        let record = state.withLock { state -> RunRecord? in
            guard var live = state.live[id] else { return nil }
            change(&live.record)
            live.record.updatedAtMillis = unixMillis()
            state.live[id] = live
            return live.record
        }
        guard let record else { return }
        do {
            try records.update(record)
        } catch {
            log(id, kind: "error", status: "failed", message: "cannot store the run: \(error)", attempt: 0, detail: [:])
        }
    }

    /// Stores a step and publishes it on the run's log topic, numbered in order.
    private func log(_ id: String, kind: String, status: String, message: String, attempt: Int, detail: JSONObject) {
        let now = unixMillis()
        // Numbered, stored and published under the lock, so that the log leaves in `seq` order.
        state.withLock { state in
            guard let seq = state.live[id]?.nextSeq else { return }
            state.live[id]?.nextSeq = seq + 1
            let step = RunStepRecord(
                seq: seq, kind: kind, status: status, message: message,
                detail: String(decoding: JSONValue.object(detail).encoded(), as: UTF8.self), atMillis: now)
            try? records.append(step, to: id)
            events.publish(RunJSON.logLine(step, run: id, attempt: attempt, detail: detail)) { $0.runLog(id: id) }
        }
    }

    // MARK: Slots and waiters

    private func acquireSlot() async -> Bool {
        let token = state.withLock { state -> Int in
            state.nextToken += 1
            return state.nextToken
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (resume: CheckedContinuation<Bool, Never>) in
                let answer = state.withLock { state -> Bool? in
                    if state.abandoned.remove(token) != nil { return false }
                    if state.working < settings.maxConcurrent {
                        state.working += 1
                        return true
                    }
                    state.queue.append((token, resume))
                    return nil
                }
                if let answer { resume.resume(returning: answer) }
            }
        } onCancel: {
            let waiting = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                guard let index = state.queue.firstIndex(where: { $0.token == token }) else {
                    state.abandoned.insert(token)
                    return nil
                }
                return state.queue.remove(at: index).resume
            }
            waiting?.resume(returning: false)
        }
    }

    private func releaseSlot() {
        let next = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            guard !state.queue.isEmpty else {
                state.working -= 1
                return nil
            }
            return state.queue.removeFirst().resume
        }
        next?.resume(returning: true)
    }

    private func ended(_ id: String) async {
        let token = state.withLock { state -> Int in
            state.nextToken += 1
            return state.nextToken
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (resume: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.abandoned.remove(token) != nil || state.live[id] == nil { return true }
                    state.waiters[token] = (id, resume)
                    return false
                }
                if now { resume.resume() }
            }
        } onCancel: {
            let waiting = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard let waiter = state.waiters.removeValue(forKey: token) else {
                    state.abandoned.insert(token)
                    return nil
                }
                return waiter.resume
            }
            waiting?.resume()
        }
    }

    /// 16 hex digits: unique enough, and safe in a topic.
    static func makeID() -> String {
        let digits = String(UInt64.random(in: .min ... .max), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
