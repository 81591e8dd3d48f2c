import JSON
import Skills

/// One write → run → fix run of the code skill: a model writes a Python program, the sandbox runs it, a failure is
/// fed back, until the program prints an answer, the attempts are used up, or the run's cost cap is reached.
struct CodeLoop: Sendable {
    let skill: CodeSkill
    let question: Question

    /// What the models are told.
    static let systemPrompt = """
        You write Python 3 programs that compute answers. Council runs your program in an isolated sandbox: \
        standard library only, no network, no input, a few seconds of CPU. Reply with exactly one fenced \
        ```python code block holding a complete program that prints the final answer to standard output, and \
        nothing else. Print only the answer.
        """

    /// The run's state as it goes.
    private struct Progress {
        var turns: [ChatTurn]
        var attempts: [CodeAttempt] = []
        var usage = AnswerUsage()
        var route: [String] = []
    }

    /// Runs the loop.
    /// - Throws: `RouterError`: `code_failed` when every attempt failed, `budget_exceeded` when the run's cost cap
    ///   (or the budget) stopped it, `backend_unavailable` when no model could write, `sandbox_disabled`,
    ///   `timeout`; each carries the attempts made, tokens and cost in its data.
    func run() async throws(RouterError) -> SkillAnswer {
        var progress = Progress(turns: [ChatTurn(.system, Self.systemPrompt), ChatTurn(.user, question.prompt)])
        let maxAttempts = skill.limits.maxAttempts
        while progress.attempts.count < maxAttempts {
            let number = progress.attempts.count + 1
            let written = try await write(&progress)
            progress.turns.append(ChatTurn(.assistant, written.text))
            guard let program = Self.program(in: written.text) else {
                let error = "the reply held no ```python code block"
                progress.attempts.append(
                    CodeAttempt(
                        code: "", language: "python", exitCode: nil, stderr: "", timedOut: false, model: written.model,
                        error: error))
                progress.route.append("attempt \(number): no code in the reply")
                progress.turns.append(
                    ChatTurn(
                        .user,
                        "Your reply held no ```python code block. Reply with the complete program in one ```python "
                            + "block that prints the answer."))
                continue
            }
            let outcome: CodeOutcome
            do {
                outcome = try await skill.execute(program)
            } catch {
                throw stop(error.code, error.message, progress)
            }
            let attempt = outcome.attempt(model: written.model, requireOutput: true)
            progress.attempts.append(attempt)
            guard let error = attempt.error else {
                progress.route.append("sandbox:\(program.language) (attempt \(number): ok)")
                var answer = SkillAnswer(
                    text: outcome.text, answer: outcome.answer, skill: skill.name, confidence: 0.9,
                    model: written.model, details: outcome.details(attempts: progress.attempts))
                answer.usage = progress.usage
                answer.route = progress.route
                answer.details["max_attempts"] = JSONValue(maxAttempts)
                return answer
            }
            progress.route.append("sandbox:\(program.language) (attempt \(number): \(attempt.shortStatus))")
            progress.turns.append(ChatTurn(.user, Self.feedback(for: outcome, error: error)))
        }
        let last = progress.attempts.last?.error ?? "no program"
        throw stop(
            "code_failed", "code: no working program after \(maxAttempts) attempts; the last one failed: \(last)",
            progress)
    }

    /// Asks the models, in order, for the next program: local ones first, cloud ones when the request and the
    /// `cloud_escalation` option allow, each paid call reserved against what is left of the run's cost cap.
    private func write(_ progress: inout Progress) async throws(RouterError) -> (text: String, model: String) {
        let promptTokens = TokenEstimate.tokens(in: progress.turns)
        var failures: [String] = []
        var refusal: BudgetRefusal?
        for model in skill.models {
            let step = "\(model.tier.rawValue):\(model.name)"
            if model.tier == .cloud, let reason = cloudRefusal() {
                progress.route.append("\(step) (skipped: \(reason))")
                failures.append("\(model.name): skipped, \(reason)")
                continue
            }
            guard model.isAvailable else {
                progress.route.append("\(step) (cooling down)")
                failures.append("\(model.name): cooling down after recent failures")
                continue
            }
            var grant: SpendingGrant?
            if model.tier == .cloud {
                guard let spending = skill.spending else {
                    progress.route.append("\(step) (skipped: no budget ledger)")
                    failures.append("\(model.name): skipped, no budget ledger")
                    continue
                }
                let left = costCap - progress.usage.costUSD
                do {
                    guard left > 0 else {
                        throw BudgetRefusal(
                            message: "the run's cost cap of \(Self.dollars(costCap)) is spent",
                            data: ["max_cost_usd": JSONValue(costCap)])
                    }
                    grant = try spending.authorize(
                        model: model.name, promptTokens: TokenEstimate.upperBound(in: progress.turns),
                        maxTokens: skill.limits.maxTokens, requestMaxUSD: left)
                } catch let error as BudgetRefusal {
                    progress.route.append("\(step) (budget: \(error.message))")
                    refusal = error
                    continue
                } catch {
                    progress.route.append("\(step) (budget error)")
                    failures.append("\(model.name): budget ledger failed: \(error)")
                    continue
                }
            }
            do {
                let completion = try await model.complete(
                    progress.turns, maxTokens: grant?.maxTokens ?? skill.limits.maxTokens, onDelta: nil)
                progress.route.append(step)
                progress.usage.tokensIn += completion.usage?.input ?? promptTokens
                progress.usage.tokensOut += completion.usage?.output ?? TokenEstimate.tokens(in: completion.text)
                if let grant, let spending = skill.spending {
                    let settled = spending.settle(
                        grant, usage: completion.usage, promptTokens: promptTokens, outputText: completion.text)
                    progress.usage.costUSD += settled.costUSD
                    progress.usage.costEstimated = progress.usage.costEstimated || settled.estimated
                    progress.usage.escalated = true
                }
                return (completion.text, model.name)
            } catch {
                if let grant { skill.spending?.release(grant) }
                if Task.isCancelled {
                    throw stop("timeout", "code: no program from \(model.name) before the deadline", progress)
                }
                let failure = error as? ModelFailure ?? ModelFailure(.failed, "\(error)")
                progress.route.append("\(step) (\(failure.kind.rawValue))")
                failures.append("\(model.name): \(failure.message)")
            }
        }
        let made = progress.attempts.count
        if let refusal {
            // A refusal by the request's cap is a refusal by this run's cap: say so, with the run's figures.
            var reason = refusal.message
            var data = refusal.data
            if refusal.data["cap"]?.stringValue == "request" {
                let left = max(0, costCap - progress.usage.costUSD)
                reason = "the run's cost cap of \(Self.dollars(costCap)) leaves \(Self.dollars(left))"
                if let needed = refusal.data["needed_usd"]?.doubleValue {
                    reason += ", and the next call needs at least \(Self.dollars(needed))"
                }
                data["cap_usd"] = JSONValue(costCap)
                data["remaining_usd"] = JSONValue(left)
            }
            let error = stop("budget_exceeded", "code: stopped after \(Self.attempts(made)): \(reason)", progress)
            for (key, value) in error.data { data[key] = value }
            throw RouterError(code: error.code, message: error.message, route: error.route, data: data)
        }
        throw stop(
            "backend_unavailable",
            "code: no model could write a program (after \(Self.attempts(made))): " + failures.joined(separator: "; "),
            progress)
    }

    /// The most this run may spend: the skill's cap, lowered by the request's `max_cost_usd`.
    private var costCap: Double { min(skill.limits.maxCostUSD, question.maxCostUSD ?? .infinity) }

    /// Why cloud models may not write for this question, or nil when they may.
    private func cloudRefusal() -> String? {
        if question.allowCloud == false { return "the request set allow_cloud to false" }
        if !skill.options.current.cloudEscalation { return "the cloud_escalation option is off" }
        return nil
    }

    /// The error that ends the run, carrying every attempt, the tokens and the cost in its data.
    private func stop(_ code: String, _ message: String, _ progress: Progress) -> RouterError {
        RouterError(
            code: code, message: message, route: progress.route,
            data: [
                "skill": .string(skill.name), "attempts": .array(progress.attempts.map(\.json)),
                "tokens_in": JSONValue(progress.usage.tokensIn), "tokens_out": JSONValue(progress.usage.tokensOut),
                "cost_usd": JSONValue(progress.usage.costUSD), "max_attempts": JSONValue(skill.limits.maxAttempts),
                "max_cost_usd": JSONValue(costCap),
            ])
    }

    /// The program in a model's reply: its fenced code, or the whole reply when it is bare Python.
    static func program(in reply: String) -> FoundCode? {
        let python = CodeBlocks.fences(in: reply).filter { CodeBlocks.language(forTag: $0.tag) == "python" }
            .map { $0.content.trimmingWhitespace() }.filter { !$0.isEmpty }
        if !python.isEmpty { return FoundCode(language: "python", code: python.joined(separator: "\n\n")) }
        if let fenced = CodeBlocks.fencedProgram(in: reply) { return fenced }
        let bare = reply.trimmingWhitespace()
        if !bare.contains("```"), CodeBlocks.isClearlyPython(bare) { return FoundCode(language: "python", code: bare) }
        return nil
    }

    /// What the model is told after a failed run.
    static func feedback(for outcome: CodeOutcome, error: String) -> String {
        var text = "That program failed: \(error)."
        let stderr = outcome.result.stderr.trimmingWhitespace()
        if !stderr.isEmpty { text += "\nStandard error:\n```\n\(String(stderr.suffix(3000)))\n```" }
        text += "\nFix it. Reply with the complete corrected program in one ```python block that prints the answer."
        return text
    }

    /// "1 attempt", "2 attempts".
    static func attempts(_ count: Int) -> String { count == 1 ? "1 attempt" : "\(count) attempts" }

    /// `amount` as dollars for messages, rounded to the hundredth of a cent.
    static func dollars(_ amount: Double) -> String {
        let tenThousandths = Int((amount * 10_000).rounded())
        let fraction = String(tenThousandths % 10_000)
        return "$\(tenThousandths / 10_000)." + String(repeating: "0", count: 4 - fraction.count) + fraction
    }
}
