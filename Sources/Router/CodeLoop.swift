import JSON
import Sandbox
import Skills

/// One step of a code run as it happens: `plan`, `write`, `run`, `check` or `fix`.
public struct CodeStep: Sendable {
    /// What the step did.
    public var kind: String
    /// `ok` or `failed`.
    public var status: String
    /// One line for a person.
    public var message: String
    /// The step's data: `model`, `code`, `exit_code`, `stdout`, `stderr`, `error`, ...
    public var detail: JSONObject
    /// For `run` steps, what the sandbox reported (with any files the program left).
    public var result: SandboxResult?
    /// The attempt the step belongs to (0 for `plan`).
    public var attempt: Int
}

/// One write → run → fix run of the code skill: a model writes a Python program, the sandbox runs it, a failure is
/// fed back, until the program prints an answer, the attempts are used up, or the run's cost cap is reached. Agent
/// runs (the `run` op) have a model plan first, and watch every step as it happens.
struct CodeLoop: Sendable {
    let skill: CodeSkill
    let question: Question
    /// Whether a model first writes a short plan that the programs then follow.
    var plans = false
    /// Instructions put before the coding ones (an agent's system prompt).
    var preamble: String?
    /// Told of every step as it happens, in order.
    var observe: @Sendable (CodeStep) -> Void = { _ in }

    /// What the models are told.
    static let systemPrompt = """
        You write Python 3 programs that compute answers. Council runs your program in an isolated sandbox: \
        standard library only, no network, no input, a few seconds of CPU. Reply with exactly one fenced \
        ```python code block holding a complete program that prints the final answer to standard output, and \
        nothing else. Print only the answer.
        """

    /// What the model is told when it plans.
    static let planPrompt = """
        You plan how to solve a task with one Python 3 program that Council runs in an isolated sandbox: standard \
        library only, no network, no input. Reply with a short numbered plan of at most five steps, without code.
        """

    /// The run's state as it goes.
    private struct Progress {
        var turns: [ChatTurn]
        var attempts: [CodeAttempt] = []
        var tally = CodeTally()
    }

    /// A run that ended with a working program.
    struct Finished: Sendable {
        /// The working program's run.
        var outcome: CodeOutcome
        /// The model that wrote it.
        var model: String
        /// Every attempt, the working one last.
        var attempts: [CodeAttempt]
        /// Tokens, cost and route of the whole run.
        var tally: CodeTally
    }

    /// Runs the loop and replies with the working program's answer.
    /// - Throws: `RouterError`: `code_failed` when every attempt failed, `budget_exceeded` when the run's cost cap
    ///   (or the budget) stopped it, `backend_unavailable` when no model could write, `sandbox_disabled`,
    ///   `timeout` (cancelled); each carries the attempts made, tokens and cost in its data.
    func run() async throws(RouterError) -> SkillAnswer {
        let finished = try await finish()
        var answer = SkillAnswer(
            text: finished.outcome.text, answer: finished.outcome.answer, skill: skill.name, confidence: 0.9,
            model: finished.model, details: finished.outcome.details(attempts: finished.attempts))
        answer.usage = finished.tally.usage
        answer.route = finished.tally.route
        answer.details["max_attempts"] = JSONValue(skill.limits.maxAttempts)
        return answer
    }

    /// Runs the loop until a program works.
    /// - Throws: as ``run()``.
    func finish() async throws(RouterError) -> Finished {
        let system = preamble.map { $0 + "\n\n" + Self.systemPrompt } ?? Self.systemPrompt
        var progress = Progress(turns: [ChatTurn(.system, system), ChatTurn(.user, question.prompt)])
        if plans { try await plan(&progress) }
        let maxAttempts = skill.limits.maxAttempts
        while progress.attempts.count < maxAttempts {
            let number = progress.attempts.count + 1
            if Task.isCancelled { throw stop("timeout", "code: cancelled before attempt \(number)", progress) }
            let written = try await write(&progress)
            progress.turns.append(ChatTurn(.assistant, written.text))
            guard let program = Self.program(in: written.text) else {
                let error = "the reply held no ```python code block"
                progress.attempts.append(
                    CodeAttempt(
                        code: "", language: "python", exitCode: nil, stderr: "", timedOut: false, model: written.model,
                        error: error))
                progress.tally.route.append("attempt \(number): no code in the reply")
                report(
                    "write", "failed", "\(written.model) replied without code", number,
                    ["model": .string(written.model)])
                let fix =
                    "Your reply held no ```python code block. Reply with the complete program in one ```python "
                    + "block that prints the answer."
                progress.turns.append(ChatTurn(.user, fix))
                if number < maxAttempts { report("fix", "ok", "asked for the program again", number, [:]) }
                continue
            }
            report(
                "write", "ok", "\(written.model) wrote a \(program.code.split(separator: "\n").count)-line program",
                number, ["model": .string(written.model), "code": .string(program.code)])
            let outcome: CodeOutcome
            do {
                outcome = try await skill.execute(program)
            } catch {
                report("run", "failed", error.message, number, error.data)
                // Refused before it ran (the network, more memory than any profile): the model may rewrite it.
                guard error.code == "bad_request" else { throw stop(error.code, error.message, progress) }
                progress.attempts.append(
                    CodeAttempt(
                        code: program.code, language: program.language, exitCode: nil, stderr: "", timedOut: false,
                        model: written.model, error: error.message))
                progress.tally.route.append("sandbox:\(program.language) (attempt \(number): refused)")
                progress.turns.append(
                    ChatTurn(
                        .user,
                        "Council refused to run that program: \(error.message). Rewrite it so that it needs none of "
                            + "that, and reply with the complete program in one ```python block."))
                if number < maxAttempts { report("fix", "ok", "the refusal goes back to the model", number, [:]) }
                continue
            }
            report(
                "run", "ok", Self.summary(of: outcome.result), number, Self.runDetail(outcome.result),
                result: outcome.result)
            let attempt = outcome.attempt(model: written.model, requireOutput: true)
            progress.attempts.append(attempt)
            guard let error = attempt.error else {
                progress.tally.route.append("sandbox:\(program.language) (attempt \(number): ok)")
                report("check", "ok", "the program exited 0 and printed an answer", number, [:])
                return Finished(
                    outcome: outcome, model: written.model, attempts: progress.attempts, tally: progress.tally)
            }
            report("check", "failed", error, number, ["error": .string(error)])
            progress.tally.route.append("sandbox:\(program.language) (attempt \(number): \(attempt.shortStatus))")
            progress.turns.append(ChatTurn(.user, Self.feedback(for: outcome, error: error)))
            if number < maxAttempts {
                report("fix", "ok", "the error goes back to the model for attempt \(number + 1)", number, [:])
            }
        }
        let last = progress.attempts.last?.error ?? "no program"
        throw stop(
            "code_failed", "code: no working program after \(maxAttempts) attempts; the last one failed: \(last)",
            progress)
    }

    /// Has a model write a short plan, which the conversation then carries to the programs.
    private func plan(_ progress: inout Progress) async throws(RouterError) {
        let turns = [ChatTurn(.system, Self.planPrompt), ChatTurn(.user, question.prompt)]
        let planned: (text: String, model: String)
        do {
            planned = try await models.reply(to: turns, tally: &progress.tally)
        } catch {
            report("plan", "failed", "no model could plan", 0, [:])
            throw failure(error, doing: "plan", progress)
        }
        let text = planned.text.trimmingWhitespace()
        report(
            "plan", "ok", "\(planned.model) planned the work", 0,
            ["model": .string(planned.model), "plan": .string(text)])
        progress.turns[1] = ChatTurn(.user, question.prompt + "\n\nFollow this plan:\n" + text)
    }

    private func report(
        _ kind: String, _ status: String, _ message: String, _ attempt: Int, _ detail: JSONObject,
        result: SandboxResult? = nil
    ) {
        observe(
            CodeStep(kind: kind, status: status, message: message, detail: detail, result: result, attempt: attempt))
    }

    /// "exit 0 in 31 ms", "timed out after 5000 ms", ...
    static func summary(of result: SandboxResult) -> String {
        let time = "\(Int(result.durationMillis.rounded())) ms"
        if result.timedOut { return "stopped at the time limit after \(time)" }
        if result.oomKilled { return "ran out of memory after \(time)" }
        if let signal = result.signal { return "killed by signal \(signal) after \(time)" }
        return "exit \(result.exitCode ?? -1) in \(time)"
    }

    /// A run step's data: the sandbox's figures and the ends of its output.
    static func runDetail(_ result: SandboxResult) -> JSONObject {
        var detail: JSONObject = [
            "exit_code": result.exitCode.map { JSONValue($0) } ?? .null, "timed_out": .bool(result.timedOut),
            "stdout": .string(String(result.stdout.suffix(4000))),
            "stderr": .string(String(result.stderr.suffix(4000))),
            "duration_ms": JSONValue((result.durationMillis * 1000).rounded() / 1000),
            "max_rss_kb": JSONValue(result.maxRSSKilobytes),
        ]
        if result.artifactCollection != .off {
            detail["artifacts"] = .array(
                result.artifacts.map { .object(["path": .string($0.path), "size": JSONValue($0.contents.count)]) })
            detail["skipped_artifacts"] = .array(
                result.skippedArtifacts.map { .object(["path": .string($0.path), "reason": .string($0.reason)]) })
        }
        return detail
    }

    /// Asks the models for the next program; a failure ends the run with the attempts made so far.
    private func write(_ progress: inout Progress) async throws(RouterError) -> (text: String, model: String) {
        do {
            return try await models.reply(to: progress.turns, tally: &progress.tally)
        } catch {
            throw failure(error, doing: "write a program", progress)
        }
    }

    /// The error that ends the run when no model replied.
    private func failure(_ error: CodeModels.Failure, doing work: String, _ progress: Progress) -> RouterError {
        let made = Self.attempts(progress.attempts.count)
        switch error {
        case .cancelled(let model):
            return stop("timeout", "code: cancelled while \(model) was asked to \(work)", progress)
        case .unavailable(let failures):
            return stop(
                "backend_unavailable",
                "code: no model could \(work) (after \(made)): " + failures.joined(separator: "; "), progress)
        case .budget(let reason, let data):
            let stopped = stop("budget_exceeded", "code: stopped after \(made): \(reason)", progress)
            var merged = data
            for (key, value) in stopped.data { merged[key] = value }
            return RouterError(code: stopped.code, message: stopped.message, route: stopped.route, data: merged)
        }
    }

    /// The models, asked in order within the run's cost cap.
    private var models: CodeModels { CodeModels(skill: skill, question: question) }

    /// The most this run may spend: the skill's cap, lowered by the request's `max_cost_usd`.
    private var costCap: Double { models.costCap }

    /// The error that ends the run, carrying every attempt, the tokens and the cost in its data.
    private func stop(_ code: String, _ message: String, _ progress: Progress) -> RouterError {
        RouterError(
            code: code, message: message, route: progress.tally.route,
            data: [
                "skill": .string(skill.name), "attempts": .array(progress.attempts.map(\.json)),
                "tokens_in": JSONValue(progress.tally.usage.tokensIn),
                "tokens_out": JSONValue(progress.tally.usage.tokensOut),
                "cost_usd": JSONValue(progress.tally.usage.costUSD),
                "max_attempts": JSONValue(skill.limits.maxAttempts),
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
