import JSON
import Sandbox
import Store

/// What the planner decided for one program, with the estimate and history behind it.
public struct ExecutionPlan: Sendable {
    /// Run under a profile, or refuse before running.
    public enum Decision: Sendable, Equatable {
        /// Run under `profile`; expected to take about `predictedMillis` (wall time), for `reasons`.
        case run(profile: SandboxProfile, predictedMillis: Double, reasons: [String])
        /// Do not run: the program asks for what no profile allows (the network, more memory than the largest).
        case refuse(reason: String)
    }

    /// The decision.
    public var decision: Decision
    /// What the program needs, read from its source.
    public var estimate: ExecutionEstimate
    /// Recent runs of programs with the same signature, per profile.
    public var history: [String: ExecutionHistory.Summary]

    /// Creates a plan.
    public init(decision: Decision, estimate: ExecutionEstimate, history: [String: ExecutionHistory.Summary]) {
        self.decision = decision
        self.estimate = estimate
        self.history = history
    }

    /// The plan as replies show it (`execution`): profile, predicted_ms, reasons, the estimate and the history used.
    public var json: JSONObject {
        var object = JSONObject()
        switch decision {
        case .run(let profile, let predicted, let reasons):
            object["profile"] = .string(profile.name)
            object["predicted_ms"] = JSONValue(ExecutionEstimate.whole(predicted))
            object["reasons"] = .array(reasons.map { .string($0) })
        case .refuse(let reason):
            object["refused"] = .string(reason)
            object["reasons"] = .array(estimate.reasons.map { .string($0) })
        }
        object["estimate"] = .object(estimate.json)
        let runs = history.values.reduce(0) { $0 + $1.runs }
        var past: JSONObject = ["runs": JSONValue(runs)]
        if let median = ExecutionPlanner.historyMillis(history) { past["median_ms"] = JSONValue(median.rounded()) }
        object["history"] = .object(past)
        return object
    }
}

/// Decides, before a program runs, which sandbox profile it runs under and how long it should take — from the
/// program's source (``ExecutionEstimate``) and from the recorded runs of similar programs — or refuses it when it
/// asks for what no profile allows. After the run, ``record(_:result:)`` keeps the prediction next to the outcome so
/// the next prediction for similar code is better.
public struct ExecutionPlanner: Sendable {
    /// The profiles runs may use, by name.
    public let profiles: [String: SandboxProfile]
    /// The profile used when it fits and none is requested.
    public let defaultProfile: String
    /// Where runs are recorded and looked up; nil to plan from the source alone.
    public let history: ExecutionHistory?
    /// How many recent runs of a signature are looked at.
    public let historyDepth: Int

    /// The share of a profile's wall time a prediction may use and still fit (runs vary).
    static let timeMargin = 0.8

    /// Creates a planner over `profiles`.
    public init(
        profiles: [String: SandboxProfile], defaultProfile: String = "light", history: ExecutionHistory? = nil,
        historyDepth: Int = 20
    ) {
        self.profiles = profiles
        self.defaultProfile = defaultProfile
        self.history = history
        self.historyDepth = max(1, historyDepth)
    }

    /// Creates a planner over the sandbox's configured profiles.
    public init(sandbox: Sandbox, history: ExecutionHistory?) {
        self.init(
            profiles: sandbox.configuration.profiles, defaultProfile: sandbox.configuration.defaultProfile,
            history: history)
    }

    /// Estimates `code`, looks up similar runs and decides. `requestedProfile` (an agent's `sandbox_profile`) is
    /// used when it fits the program.
    public func plan(language: String, code: String, requestedProfile: String? = nil) -> ExecutionPlan {
        let estimate = ExecutionEstimate(analyzing: code, language: language)
        var past: [String: ExecutionHistory.Summary] = [:]
        var reasons: [String] = []
        if let history, !estimate.usesNetwork {
            do {
                past = try history.summaries(signature: estimate.signature, last: historyDepth)
            } catch {
                reasons.append("the run history could not be read (\(error)); planned from the source alone")
            }
        }
        var decision = Self.decide(
            estimate, profiles: profiles, defaultProfile: defaultProfile, requested: requestedProfile, history: past)
        if case .run(let profile, let predicted, let given) = decision, !reasons.isEmpty {
            decision = .run(profile: profile, predictedMillis: predicted, reasons: given + reasons)
        }
        return ExecutionPlan(decision: decision, estimate: estimate, history: past)
    }

    /// Records a run's prediction and outcome. Does nothing for a refused plan or without a history.
    /// - Throws: the database's error when the row cannot be written.
    public func record(_ plan: ExecutionPlan, result: SandboxResult) throws {
        guard let history, case .run(let profile, let predicted, _) = plan.decision else { return }
        try history.record(
            ExecutionHistory.Run(
                signature: plan.estimate.signature, language: plan.estimate.language, profile: profile.name,
                predictedMillis: predicted, durationMillis: result.durationMillis, cpuMillis: result.cpuMillis,
                maxRSSKilobytes: result.maxRSSKilobytes, exitCode: result.exitCode, timedOut: result.timedOut,
                oomKilled: result.oomKilled))
    }

    /// The decision for `estimate` among `profiles`, given past runs of its signature. Pure.
    public static func decide(
        _ estimate: ExecutionEstimate, profiles: [String: SandboxProfile], defaultProfile: String,
        requested: String?, history: [String: ExecutionHistory.Summary]
    ) -> ExecutionPlan.Decision {
        if estimate.usesNetwork {
            let uses = estimate.network.map(\.sentence).joined(separator: "; ")
            return .refuse(
                reason: "the program uses the network (\(uses)), and no sandbox profile allows it: sandbox runs have "
                    + "no network at all. Compute from data in the question instead")
        }
        let ordered = profiles.values.sorted {
            ($0[.memory], $0[.wallTime], $0.name) < ($1[.memory], $1[.wallTime], $1.name)
        }
        guard let largest = ordered.last else { return .refuse(reason: "the sandbox has no profiles configured") }
        if estimate.certainMemoryBytes > Double(largest[.memory]) {
            let where_ = estimate.largestAllocation.map { " (\($0.sentence))" } ?? ""
            return .refuse(
                reason: "the program needs at least \(PythonAnalyzer.amount(estimate.certainMemoryBytes)) of memory at "
                    + "once\(where_), more than the largest sandbox profile allows (\(largest.name): "
                    + "\(PythonAnalyzer.amount(Double(largest[.memory]))))")
        }
        // What the program needs: the estimate, corrected by what similar runs measured.
        let remembered = historyMillis(history)
        let duration = remembered ?? estimate.durationMillis
        let measuredBytes = Double(history.values.map(\.maxRSSKilobytes).max() ?? 0) * 1024
        let memory = max(estimate.peakMemoryBytes, measuredBytes)
        var reasons = estimate.reasons
        if let remembered {
            let runs = history.values.reduce(0) { $0 + $1.runs }
            reasons.append(
                "predicted from \(runs) earlier run\(runs == 1 ? "" : "s") of similar programs: median "
                    + PythonAnalyzer.millis(remembered))
        }
        func problem(_ profile: SandboxProfile) -> String? {
            let allowed = Double(profile[.memory])
            if memory > allowed {
                return "needs about \(PythonAnalyzer.amount(memory)), more than \(profile.name)'s "
                    + PythonAnalyzer.amount(allowed)
            }
            if let past = history[profile.name], past.oomKills > 0 {
                return "\(past.oomKills) of the last \(past.runs) similar runs under \(profile.name) ran out of memory"
            }
            if !estimate.neverEnds, duration > Double(profile[.wallTime]) * timeMargin {
                return "should take about \(PythonAnalyzer.millis(duration)), too close to \(profile.name)'s "
                    + "\(PythonAnalyzer.millis(Double(profile[.wallTime]))) limit"
            }
            if let past = history[profile.name], past.timeouts > 0, !estimate.neverEnds {
                return "\(past.timeouts) of the last \(past.runs) similar runs under \(profile.name) timed out"
            }
            if estimate.processes > Double(profile[.pids]) {
                return "starts about \(Int(estimate.processes)) processes or threads, more than \(profile.name)'s "
                    + "\(profile[.pids])"
            }
            if estimate.fileBytes > Double(profile[.fileBytes]) {
                return "writes about \(PythonAnalyzer.amount(estimate.fileBytes)), more than \(profile.name)'s "
                    + PythonAnalyzer.amount(Double(profile[.fileBytes]))
            }
            return nil
        }
        var chosen: SandboxProfile
        if let requested, let asked = profiles[requested] {
            if let shortfall = problem(asked), let better = ordered.first(where: { problem($0) == nil }) {
                reasons.append("the requested profile \(requested) is too small (\(shortfall)): \(better.name) instead")
                chosen = better
            } else {
                reasons.append("runs under the requested profile \(requested)")
                chosen = asked
            }
        } else if let preferred = profiles[defaultProfile], problem(preferred) == nil {
            chosen = preferred
            reasons.append("\(preferred.name) is enough")
        } else if let fitting = ordered.first(where: { problem($0) == nil }) {
            let why = profiles[defaultProfile].flatMap { problem($0) }.map { " (\(defaultProfile) \($0))" } ?? ""
            reasons.append("runs under \(fitting.name)\(why)")
            chosen = fitting
        } else {
            // Nothing fits for sure: the most memory, then the most time, and say so.
            let roomy = ordered.filter { memory <= Double($0[.memory]) }
            chosen = roomy.max { $0[.wallTime] < $1[.wallTime] } ?? largest
            reasons.append("no profile is sure to be enough (\(problem(chosen) ?? "")); runs under \(chosen.name)")
        }
        if let requested, profiles[requested] == nil {
            reasons.append("the requested profile \(requested) does not exist on this node")
        }
        if estimate.neverEnds {
            reasons.append("expected to run until \(chosen.name)'s time limit stops it")
        }
        let predicted = min(duration, Double(chosen[.wallTime]))
        return .run(profile: chosen, predictedMillis: predicted, reasons: reasons)
    }

    /// The median wall time of the finished runs, from the profile with the most of them.
    static func historyMillis(_ history: [String: ExecutionHistory.Summary]) -> Double? {
        history.values.filter { $0.medianDurationMillis != nil }.max { $0.runs < $1.runs }?.medianDurationMillis
    }
}
