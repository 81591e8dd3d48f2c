import JSON
import Skills
import Synchronization

/// The LLM tiers of the cascade: local models first; cloud models only when the local tier is unavailable, fails,
/// times out, or the request asks for the cloud tier — and only when the request's `allow_cloud` is not false, the
/// `cloud_escalation` option is on, and the budget allows.
public struct ModelCascade: Sendable {
    /// Called with each routing decision (`type`, `data`) for the `<base>/<node>/event` topic.
    public typealias EventSink = @Sendable (_ type: String, _ data: JSONObject) -> Void

    /// Models in the order written in the configuration; local ones are tried before cloud ones.
    public let models: [any LanguageModel]
    /// Guards paid calls; nil means no paid model may be called.
    public var spending: (any SpendingGate)?
    /// Run-time switches.
    public let options: RouterOptions
    /// The answer length asked of models.
    public let maxTokens: Int
    /// The system prompt put before every conversation (an agent profile replaces it for its questions).
    public var systemPrompt: String
    /// Conversation memory and facts; nil for none.
    public let context: (any AnswerContext)?
    private let events: EventSink

    /// Creates the tiers.
    public init(
        models: [any LanguageModel], spending: (any SpendingGate)?, options: RouterOptions, maxTokens: Int = 512,
        systemPrompt: String = ModelCascade.defaultSystemPrompt, context: (any AnswerContext)? = nil,
        events: @escaping EventSink = { _, _ in }
    ) {
        self.context = context
        self.models = models.filter { $0.tier == .local } + models.filter { $0.tier == .cloud }
        self.spending = spending
        self.options = options
        self.maxTokens = maxTokens
        self.systemPrompt = systemPrompt
        self.events = events
    }

    /// The default system prompt.
    public static let defaultSystemPrompt =
        "You are Council, a helpful assistant running in a home lab. Answer concisely and accurately. "
        + "If you do not know, say so."

    /// Whether any model is configured.
    public var isEmpty: Bool { models.isEmpty }

    /// The route names of the models, in the order they would be tried.
    public var routeNames: [String] { models.map { "\($0.tier.rawValue):\($0.name)" } }

    /// Answers `question` with the first model that can, following the escalation rules.
    /// - Throws: `RouterError` with `backend_unavailable` (naming what failed), `budget_exceeded` (with what is left),
    ///   or `timeout` when the task was cancelled.
    public func answer(_ question: Question) async throws(RouterError) -> SkillAnswer {
        let prepared = await context?.prepare(question) ?? PreparedContext()
        let system = prepared.systemAddition.isEmpty ? systemPrompt : systemPrompt + "\n\n" + prepared.systemAddition
        let turns = [ChatTurn(.system, system)] + prepared.turns + [ChatTurn(.user, question.prompt)]
        let promptTokens = TokenEstimate.tokens(in: turns)
        let cloudVerdict = cloudPermission(for: question)
        var route: [String] = []
        var failures: [String] = []
        var refusal: BudgetRefusal?
        let skipLocal = question.preferredTier == ModelTier.cloud.rawValue && cloudVerdict == nil
        for model in models {
            let step = "\(model.tier.rawValue):\(model.name)"
            if model.tier == .local && skipLocal {
                continue
            }
            if model.tier == .cloud, let reason = cloudVerdict {
                route.append("\(step) (skipped: \(reason))")
                failures.append("\(model.name): skipped, \(reason)")
                continue
            }
            guard model.isAvailable else {
                route.append("\(step) (cooling down)")
                failures.append("\(model.name): cooling down after recent failures")
                continue
            }
            let escalated = model.tier == .cloud
            var grant: SpendingGrant?
            var maxTokens = self.maxTokens
            if model.tier == .cloud {
                guard let spending else {
                    route.append("\(step) (skipped: no budget ledger)")
                    continue
                }
                do {
                    grant = try spending.authorize(
                        model: model.name, promptTokens: TokenEstimate.upperBound(in: turns), maxTokens: maxTokens,
                        requestMaxUSD: question.maxCostUSD)
                    maxTokens = grant!.maxTokens
                } catch let error as BudgetRefusal {
                    route.append("\(step) (budget: \(error.message))")
                    refusal = error
                    events(
                        "route",
                        [
                            "model": .string(model.name), "decision": "budget_refused",
                            "reason": .string(error.message),
                        ])
                    continue
                } catch {
                    route.append("\(step) (budget error)")
                    failures.append("\(model.name): budget ledger failed: \(error)")
                    continue
                }
            }
            let streamed = StreamedText(forwardingTo: question.stream)
            do {
                let completion = try await model.complete(
                    turns, maxTokens: maxTokens, onDelta: question.stream == nil ? nil : streamed.append)
                route.append(step)
                var usage = AnswerUsage()
                usage.escalated = escalated
                usage.tokensIn = completion.usage?.input ?? promptTokens
                usage.tokensOut = completion.usage?.output ?? TokenEstimate.tokens(in: completion.text)
                if let grant, let spending {
                    let settled = spending.settle(
                        grant, usage: completion.usage, promptTokens: promptTokens, outputText: completion.text)
                    usage.costUSD = settled.costUSD
                    usage.costEstimated = settled.estimated
                }
                // Published beside the reply rather than ahead of it: nothing waits for the event.
                let (events, tried, name, tier) = (self.events, route, model.name, model.tier.rawValue)
                Task {
                    events(
                        "route",
                        [
                            "decision": "answered", "model": .string(name), "tier": .string(tier),
                            "escalated": .bool(escalated), "tried": .array(tried.map { .string($0) }),
                        ])
                }
                let text = completion.text.trimmingWhitespace()
                var answer = SkillAnswer(
                    text: text, answer: text, skill: "llm", confidence: model.tier == .local ? 0.6 : 0.7,
                    model: model.name)
                answer.usage = usage
                answer.route = route
                if let reason = completion.finishReason { answer.details["finish_reason"] = .string(reason) }
                if !prepared.sources.isEmpty {
                    answer.details["sources"] = .array(prepared.sources.map { .string($0) })
                }
                await context?.record(question, answer: text)
                return answer
            } catch {
                if let grant, let spending {
                    // Text already streamed was generated, and billed: settle it at an estimate rather than release.
                    let partial = streamed.text
                    if partial.isEmpty {
                        spending.release(grant)
                    } else {
                        _ = spending.settle(grant, usage: nil, promptTokens: promptTokens, outputText: partial)
                    }
                }
                if Task.isCancelled {
                    throw RouterError(
                        code: "timeout", message: "no answer from \(model.name) before the deadline",
                        route: route + [step])
                }
                let failure = error as? ModelFailure ?? ModelFailure(.failed, "\(error)")
                route.append("\(step) (\(failure.kind.rawValue))")
                failures.append("\(model.name): \(failure.message)")
                events(
                    "route",
                    [
                        "decision": "fallback", "model": .string(model.name),
                        "reason": .string(failure.kind.rawValue), "message": .string(failure.message),
                    ])
            }
        }
        if let refusal {
            // The budget stopped the last model that could have answered: that is what the requester can act on.
            let local = failures.isEmpty ? "" : " (" + failures.joined(separator: "; ") + ")"
            throw RouterError(
                code: "budget_exceeded", message: refusal.message + local, route: route, data: refusal.data)
        }
        var message = "no model could answer: " + failures.joined(separator: "; ")
        if let reason = cloudVerdict, models.contains(where: { $0.tier == .cloud }) {
            message += " (cloud models were not tried: \(reason))"
        }
        throw RouterError(code: "backend_unavailable", message: message, route: route)
    }

    /// Why cloud models may not be used for `question`, or nil when they may.
    private func cloudPermission(for question: Question) -> String? {
        if question.allowCloud == false { return "the request set allow_cloud to false" }
        if !options.current.cloudEscalation { return "the cloud_escalation option is off" }
        return nil
    }
}

/// Forwards streamed text to the requester and keeps it, so that a call failing mid-stream can still be billed.
final class StreamedText: Sendable {
    private let forward: (@Sendable (String) -> Void)?
    private let collected = Mutex("")

    init(forwardingTo forward: (@Sendable (String) -> Void)?) {
        self.forward = forward
    }

    /// The text streamed so far.
    var text: String { collected.withLock { $0 } }

    /// Keeps and forwards one delta.
    @Sendable func append(_ delta: String) {
        collected.withLock { $0 += delta }
        forward?(delta)
    }
}
