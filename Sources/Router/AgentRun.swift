import JSON
import Skills

/// How an agent run ended: its answer, or the error that stopped it, with its attempts, tokens and cost.
public struct AgentRunOutcome: Sendable {
    /// The working program's output without surrounding white space; nil when the run failed.
    public var answer: String?
    /// The working program, or the last one tried.
    public var code: String?
    /// The model that wrote the working program.
    public var model: String?
    /// Programs run.
    public var attempts: Int
    /// Tokens and cost of every model call of the run.
    public var usage: AnswerUsage
    /// What stopped the run, when it failed (`code_failed`, `budget_exceeded`, `timeout` when cancelled, ...).
    public var error: RouterError?
}

extension CodeSkill {
    /// Runs `task` as an agent run: code the task already contains runs once, without a model; otherwise a model
    /// plans, then writes a program that runs in the sandbox, and failures go back to it until a program works,
    /// within the skill's attempts and cost cap (lowered by the task's `max_cost_usd`). Cancelling the calling task
    /// stops the run (a sandbox in flight is killed) and nothing more is spent.
    /// - Parameters:
    ///   - preamble: instructions put before the coding ones (an agent's system prompt).
    ///   - observe: told of every step as it happens, in order.
    public func run(
        task: Question, preamble: String? = nil, observe: @escaping @Sendable (CodeStep) -> Void
    ) async -> AgentRunOutcome {
        if case .run(let program)? = CodeIntent.of(task.prompt) {
            return await runGiven(program, observe: observe)
        }
        guard models.contains(where: { mayWrite($0, for: task) }) else {
            let reason = models.isEmpty ? "this node has no model configured" : "no model may be used for this run"
            return AgentRunOutcome(
                attempts: 0, usage: AnswerUsage(),
                error: RouterError(
                    code: models.isEmpty ? "no_backend" : "backend_unavailable",
                    message: "run: the task holds no code to run, and \(reason) to write it", route: []))
        }
        let loop = CodeLoop(skill: self, question: task, plans: true, preamble: preamble, observe: observe)
        do {
            let finished = try await loop.finish()
            return AgentRunOutcome(
                answer: finished.outcome.answer, code: finished.outcome.program.code, model: finished.model,
                attempts: finished.attempts.count, usage: finished.tally.usage)
        } catch {
            let attempts = error.data["attempts"]?.arrayValue ?? []
            var usage = AnswerUsage()
            usage.tokensIn = error.data["tokens_in"]?.intValue ?? 0
            usage.tokensOut = error.data["tokens_out"]?.intValue ?? 0
            usage.costUSD = error.data["cost_usd"]?.doubleValue ?? 0
            return AgentRunOutcome(
                code: attempts.last?.objectValue?["code"]?.stringValue, attempts: attempts.count, usage: usage,
                error: error)
        }
    }

    /// Runs code the task contains once: a `run` step and a `check` step.
    private func runGiven(_ program: FoundCode, observe: @Sendable (CodeStep) -> Void) async -> AgentRunOutcome {
        let outcome: CodeOutcome
        do {
            outcome = try await execute(program)
        } catch {
            observe(CodeStep(kind: "run", status: "failed", message: error.message, detail: [:], attempt: 1))
            return AgentRunOutcome(code: program.code, attempts: 0, usage: AnswerUsage(), error: error)
        }
        var detail = CodeLoop.runDetail(outcome.result)
        detail["code"] = .string(program.code)
        observe(
            CodeStep(
                kind: "run", status: "ok", message: CodeLoop.summary(of: outcome.result), detail: detail,
                result: outcome.result, attempt: 1))
        let attempt = outcome.attempt(model: nil, requireOutput: true)
        guard let failure = attempt.error else {
            observe(
                CodeStep(
                    kind: "check", status: "ok", message: "the program exited 0 and printed an answer", detail: [:],
                    attempt: 1))
            return AgentRunOutcome(answer: outcome.answer, code: program.code, attempts: 1, usage: AnswerUsage())
        }
        observe(
            CodeStep(kind: "check", status: "failed", message: failure, detail: ["error": .string(failure)], attempt: 1)
        )
        return AgentRunOutcome(
            code: program.code, attempts: 1, usage: AnswerUsage(),
            error: RouterError(
                code: "code_failed", message: "run: the task's code failed: \(failure)", route: [],
                data: ["attempts": .array([attempt.json])]))
    }
}
