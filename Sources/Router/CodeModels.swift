import JSON
import Skills

/// What a run of the code skill has used so far: tokens, cost, and the route its calls took.
struct CodeTally: Sendable {
    var usage = AnswerUsage()
    var route: [String] = []
}

/// Asks the code skill's models, in order, for one reply: local ones first, cloud ones when the request and the
/// `cloud_escalation` option allow, each paid call reserved against what is left of the run's cost cap.
struct CodeModels: Sendable {
    /// Why no model replied.
    enum Failure: Error {
        /// The budget, the run's cost cap, or the request's refused the last possible call: the reason (phrased with
        /// the run's figures) and the refusal's data.
        case budget(reason: String, data: JSONObject)
        /// Every model failed or was skipped: one "model: why" each.
        case unavailable([String])
        /// The task was cancelled (deadline, `run/cancel`) while `model` was writing.
        case cancelled(model: String)
    }

    let skill: CodeSkill
    let question: Question
    /// The most the whole run may spend.
    let costCap: Double

    /// The run's cost cap: the skill's, lowered by the request's `max_cost_usd`.
    init(skill: CodeSkill, question: Question) {
        self.skill = skill
        self.question = question
        costCap = min(skill.limits.maxCostUSD, question.maxCostUSD ?? .infinity)
    }

    /// The first reply a model gives to `turns`, adding its tokens, cost and route step to `tally`.
    func reply(to turns: [ChatTurn], tally: inout CodeTally) async throws(Failure) -> (text: String, model: String) {
        let promptTokens = TokenEstimate.tokens(in: turns)
        var failures: [String] = []
        var refusal: BudgetRefusal?
        for model in skill.models {
            let step = "\(model.tier.rawValue):\(model.name)"
            if model.tier == .cloud, let reason = cloudRefusal() {
                tally.route.append("\(step) (skipped: \(reason))")
                failures.append("\(model.name): skipped, \(reason)")
                continue
            }
            guard model.isAvailable else {
                tally.route.append("\(step) (cooling down)")
                failures.append("\(model.name): cooling down after recent failures")
                continue
            }
            var grant: SpendingGrant?
            if model.tier == .cloud {
                guard let spending = skill.spending else {
                    tally.route.append("\(step) (skipped: no budget ledger)")
                    failures.append("\(model.name): skipped, no budget ledger")
                    continue
                }
                let left = costCap - tally.usage.costUSD
                do {
                    guard left > 0 else {
                        throw BudgetRefusal(
                            message: "the run's cost cap of \(CodeLoop.dollars(costCap)) is spent",
                            data: ["max_cost_usd": JSONValue(costCap)])
                    }
                    grant = try spending.authorize(
                        model: model.name, promptTokens: TokenEstimate.upperBound(in: turns),
                        maxTokens: skill.limits.maxTokens, requestMaxUSD: left)
                } catch let error as BudgetRefusal {
                    tally.route.append("\(step) (budget: \(error.message))")
                    refusal = error
                    continue
                } catch {
                    tally.route.append("\(step) (budget error)")
                    failures.append("\(model.name): budget ledger failed: \(error)")
                    continue
                }
            }
            do {
                let completion = try await model.complete(
                    turns, maxTokens: grant?.maxTokens ?? skill.limits.maxTokens, onDelta: nil)
                tally.route.append(step)
                tally.usage.tokensIn += completion.usage?.input ?? promptTokens
                tally.usage.tokensOut += completion.usage?.output ?? TokenEstimate.tokens(in: completion.text)
                if let grant, let spending = skill.spending {
                    let settled = spending.settle(
                        grant, usage: completion.usage, promptTokens: promptTokens, outputText: completion.text)
                    tally.usage.costUSD += settled.costUSD
                    tally.usage.costEstimated = tally.usage.costEstimated || settled.estimated
                    tally.usage.escalated = true
                }
                return (completion.text, model.name)
            } catch {
                if let grant { skill.spending?.release(grant) }
                if Task.isCancelled { throw .cancelled(model: model.name) }
                let failure = error as? ModelFailure ?? ModelFailure(.failed, "\(error)")
                tally.route.append("\(step) (\(failure.kind.rawValue))")
                failures.append("\(model.name): \(failure.message)")
            }
        }
        if let refusal { throw budgetFailure(refusal, spent: tally.usage.costUSD) }
        throw .unavailable(failures)
    }

    /// A refusal by the request's cap is a refusal by this run's cap: say so, with the run's figures.
    private func budgetFailure(_ refusal: BudgetRefusal, spent: Double) -> Failure {
        var reason = refusal.message
        var data = refusal.data
        if refusal.data["cap"]?.stringValue == "request" {
            let left = max(0, costCap - spent)
            reason = "the run's cost cap of \(CodeLoop.dollars(costCap)) leaves \(CodeLoop.dollars(left))"
            if let needed = refusal.data["needed_usd"]?.doubleValue {
                reason += ", and the next call needs at least \(CodeLoop.dollars(needed))"
            }
            data["cap_usd"] = JSONValue(costCap)
            data["remaining_usd"] = JSONValue(left)
        }
        return .budget(reason: reason, data: data)
    }

    /// Why cloud models may not write for this question, or nil when they may.
    private func cloudRefusal() -> String? {
        if question.allowCloud == false { return "the request set allow_cloud to false" }
        if !skill.options.current.cloudEscalation { return "the cloud_escalation option is off" }
        return nil
    }
}
