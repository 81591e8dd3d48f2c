import JSON
import Sandbox
import Skills

/// The code skill: runs code the question already contains in the sandbox (no model), or has a language model write
/// a program that computes the answer, runs it in the sandbox, and feeds failures back until it works — within a
/// maximum number of attempts and a maximum cost per run.
public struct CodeSkill: Skill {
    /// The caps of one run; a request may lower them (`max_cost_usd`), never raise them.
    public struct Limits: Sendable, Equatable {
        /// Programs written and run at most, counting the first.
        public var maxAttempts: Int
        /// US dollars one run may spend on paid models, all attempts together.
        public var maxCostUSD: Double
        /// The longest reply asked of a model for one program.
        public var maxTokens: Int
        /// The sandbox profile programs run under; nil for the sandbox's default.
        public var profile: String?
        /// Which files programs leave in their workspace come back with their results; nil for none (answers in
        /// `ask` need none; agent runs keep them).
        public var artifacts: ArtifactPolicy?

        /// Caps: 3 attempts, $0.05, 1024 tokens a program, the default profile.
        public init(maxAttempts: Int = 3, maxCostUSD: Double = 0.05, maxTokens: Int = 1024, profile: String? = nil) {
            self.maxAttempts = max(1, maxAttempts)
            self.maxCostUSD = max(0, maxCostUSD)
            self.maxTokens = max(1, maxTokens)
            self.profile = profile
        }
    }

    public let name = "code"
    /// Where every program runs.
    public let sandbox: Sandbox
    /// The models that may write programs: local ones are asked before cloud ones.
    public let models: [any LanguageModel]
    /// Guards paid calls; nil means no paid model is called.
    public let spending: (any SpendingGate)?
    /// The node's routing switches (`cloud_escalation`).
    public let options: RouterOptions
    /// The caps of a run.
    public let limits: Limits
    /// Decides each program's profile (or refuses it) before it runs and records how it went; nil runs every
    /// program under `limits.profile` or the sandbox's default.
    public let planner: ExecutionPlanner?

    /// Creates the skill over a sandbox and, for questions that need a program written, models and a spending gate.
    public init(
        sandbox: Sandbox, models: [any LanguageModel] = [], spending: (any SpendingGate)? = nil,
        options: RouterOptions = RouterOptions(), limits: Limits = Limits(), planner: ExecutionPlanner? = nil
    ) {
        self.sandbox = sandbox
        self.planner = planner
        self.models = models.filter { $0.tier == .local } + models.filter { $0.tier == .cloud }
        self.spending = spending
        self.options = options
        self.limits = limits
    }

    /// Creates the skill with the LLM tiers' models, spending gate and options (none when `cascade` is nil).
    public init(
        sandbox: Sandbox, cascade: ModelCascade?, limits: Limits = Limits(), planner: ExecutionPlanner? = nil
    ) {
        self.init(
            sandbox: sandbox, models: cascade?.models ?? [], spending: cascade?.spending,
            options: cascade?.options ?? RouterOptions(), limits: limits, planner: planner)
    }

    /// This skill with other caps and spending gate (an agent's, a run's).
    public func with(limits: Limits, spending: (any SpendingGate)?) -> CodeSkill {
        CodeSkill(
            sandbox: sandbox, models: models, spending: spending, options: options, limits: limits, planner: planner)
    }

    public func claim(_ question: Question) -> Claim? {
        switch CodeIntent.of(question.prompt) {
        case nil:
            return nil
        case .run(let program):
            // Claimed even while the sandbox is off, so the requester learns why the code did not run.
            return Claim(confidence: 1.0) { try await runGiven(program) }
        case .write:
            guard sandbox.isEnabled, models.contains(where: { mayWrite($0, for: question) }) else { return nil }
            let loop = CodeLoop(skill: self, question: question)
            return Claim(confidence: 0.95) { try await loop.run() }
        }
    }

    /// Whether `model` may be asked to write for `question`: local models always; cloud ones when neither the
    /// request (`allow_cloud: false`) nor the `cloud_escalation` option forbids it, and a spending gate can bill them.
    func mayWrite(_ model: any LanguageModel, for question: Question) -> Bool {
        model.tier == .local
            || (question.allowCloud != false && options.current.cloudEscalation && spending != nil)
    }

    /// Runs code from the question once and replies with its output or its error.
    func runGiven(_ program: FoundCode) async throws(RouterError) -> SkillAnswer {
        let outcome = try await execute(program)
        let attempt = outcome.attempt(model: nil)
        var answer = SkillAnswer(
            text: outcome.text, answer: outcome.answer, skill: name, confidence: 1.0,
            details: outcome.details(attempts: [attempt]))
        answer.route = ["sandbox:\(program.language)"]
        return answer
    }

    /// Runs `program` in the sandbox: under the profile the planner picks from the program and similar past runs
    /// (recording the prediction next to the outcome), or else under the configured profile.
    /// - Throws: `bad_request` when the planner refuses the program (it asks for the network, or more memory than
    ///   any profile has), `sandbox_disabled`, `backend_unavailable` (no interpreter for the language), `timeout`
    ///   (cancelled), or `internal` when the sandbox could not be set up.
    func execute(_ program: FoundCode) async throws(RouterError) -> CodeOutcome {
        guard sandbox.isEnabled else {
            throw RouterError(
                code: "sandbox_disabled",
                message: "code: the sandbox is disabled on this node (sandbox.enabled = false, or the sandbox "
                    + "option), so the code was not run",
                route: [])
        }
        guard let language = sandbox.language(named: program.language) else {
            throw RouterError(
                code: "backend_unavailable",
                message: "code: this node has no \(program.language) interpreter for the sandbox", route: [])
        }
        var profile = sandbox.profile(named: limits.profile) ?? .light
        let plan = planner?.plan(language: program.language, code: program.code, requestedProfile: limits.profile)
        if let plan {
            switch plan.decision {
            case .refuse(let reason):
                throw RouterError(
                    code: "bad_request", message: "code: not run: \(reason)", route: [],
                    data: ["execution": .object(plan.json)])
            case .run(let chosen, _, _):
                profile = chosen
            }
        }
        do {
            let job = SandboxJob(program: .code(language, program.code), profile: profile, artifacts: limits.artifacts)
            let result = try await sandbox.run(job)
            var execution: JSONObject?
            if let plan, let planner {
                // The history only improves later predictions: a failed write must not fail this answer.
                try? planner.record(plan, result: result)
                execution = plan.json
                execution?["actual_ms"] = JSONValue((result.durationMillis * 10).rounded() / 10)
            }
            return CodeOutcome(program: program, result: result, execution: execution)
        } catch {
            switch error.code {
            case .disabled: throw RouterError(code: "sandbox_disabled", message: "code: \(error.message)", route: [])
            case .cancelled: throw RouterError(code: "timeout", message: "code: \(error.message)", route: [])
            default: throw RouterError(code: "internal", message: "code: the sandbox failed: \(error)", route: [])
            }
        }
    }
}
