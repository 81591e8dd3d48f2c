import JSON
import Router
import Skills

/// `ask`: a question for the cascade of skills and models.
public struct AskOperation: Operation {
    public let name = "ask"
    private let cascade: Cascade
    private let agents: AgentDirectory?

    /// Creates the op over a cascade; `agents` applies the profile a request names in `agent`.
    public init(cascade: Cascade, agents: AgentDirectory? = nil) {
        self.cascade = cascade
        self.agents = agents
    }

    public func plan(_ body: JSONObject, context: OperationContext) -> OperationPlan {
        let started = monotonicMillis()
        var question: Question
        switch Self.question(from: body) {
        case .failure(let error): return .ready(.failure(error))
        case .success(let valid): question = valid
        }
        var cascade = self.cascade
        if let agents {
            do { (question, cascade) = try agents.applying(question, to: cascade) } catch {
                return .ready(.failure(Self.requestError(error)))
            }
        }
        if case .bool(true)? = body["stream"] {
            let partials = context.partials
            question.stream = { partials.send($0) }
        }
        do {
            switch try cascade.decide(question) {
            case .answered(let routed):
                return .ok(Self.data(routed.answer, route: routed.route, durationMillis: monotonicMillis() - started))
            case .pending(let claim, let route):
                return .pending {
                    do {
                        let answer = try await claim.resolve()
                        return .success(
                            Self.data(answer, route: route, durationMillis: monotonicMillis() - started))
                    } catch let error as RouterError {
                        return .failure(Self.requestError(error))
                    } catch {
                        return .failure(RequestError(.internal, "ask failed: \(error)"))
                    }
                }
            }
        } catch {
            return .ready(.failure(Self.requestError(error)))
        }
    }

    /// Validates an `ask` body.
    static func question(from body: JSONObject) -> Result<Question, RequestError> {
        guard case .string(let prompt)? = body["prompt"] else {
            let problem = body["prompt"] == nil ? "is missing" : "must be a string"
            return .failure(RequestError(.badRequest, "ask: 'prompt' \(problem)"))
        }
        guard !prompt.unicodeScalars.allSatisfy(\.properties.isWhitespace) else {
            return .failure(RequestError(.badRequest, "ask: 'prompt' is empty"))
        }
        for (field, kind) in optionalFields {
            if let value = body[field], !kind.matches(value) {
                return .failure(RequestError(.badRequest, "ask: '\(field)' must be a \(kind.rawValue)"))
            }
        }
        if case .number(let cost)? = body["max_cost_usd"], cost.doubleValue < 0 {
            return .failure(RequestError(.badRequest, "ask: 'max_cost_usd' must not be negative"))
        }
        if case .string(let tier)? = body["tier"], !["local", "cloud"].contains(tier) {
            return .failure(RequestError(.badRequest, "ask: 'tier' must be \"local\" or \"cloud\""))
        }
        var question = Question(prompt: prompt, session: body["session"]?.stringValue)
        question.agent = body["agent"]?.stringValue
        if case .bool(let allow)? = body["allow_cloud"] { question.allowCloud = allow }
        question.preferredTier = body["tier"]?.stringValue
        question.maxCostUSD = body["max_cost_usd"]?.doubleValue
        return .success(question)
    }

    /// The optional fields of an `ask` body and their JSON kinds.
    private static let optionalFields: [(String, JSONKind)] = [
        ("session", .string), ("agent", .string), ("allow_cloud", .bool), ("stream", .bool),
        ("max_cost_usd", .number), ("tier", .string),
    ]

    private static func requestError(_ error: RouterError) -> RequestError {
        var data = error.data
        data["route"] = .array(error.route.map { .string($0) })
        return RequestError(ErrorCode(rawValue: error.code) ?? .internal, error.message, data: data)
    }

    private static func data(_ answer: SkillAnswer, route: [String], durationMillis: Double) -> JSONObject {
        var data: JSONObject = [
            "text": .string(answer.text),
            "answer": .string(answer.answer),
            "skill": .string(answer.skill),
            "confidence": JSONValue(answer.confidence),
            "model": answer.model.map { .string($0) } ?? .null,
            "escalated": .bool(answer.usage.escalated),
            "tokens_in": JSONValue(answer.usage.tokensIn),
            "tokens_out": JSONValue(answer.usage.tokensOut),
            "cost_usd": JSONValue(answer.usage.costUSD),
            "duration_ms": JSONValue((durationMillis * 1000).rounded() / 1000),
            "route": .array((route + answer.route).map { .string($0) }),
        ]
        if answer.usage.costEstimated { data["cost_estimated"] = true }
        for (key, value) in answer.details { data[key] = value }
        return data
    }
}
