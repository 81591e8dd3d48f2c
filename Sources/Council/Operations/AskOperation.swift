import JSON
import Router
import Skills

/// `ask`: a question for the cascade of skills and models.
public struct AskOperation: Operation {
    public let name = "ask"
    private let cascade: Cascade

    /// Creates the op over a cascade.
    public init(cascade: Cascade) {
        self.cascade = cascade
    }

    public func plan(_ body: JSONObject, context: OperationContext) -> OperationPlan {
        let started = monotonicMillis()
        let question: Question
        switch Self.question(from: body) {
        case .failure(let error): return .ready(.failure(error))
        case .success(let valid): question = valid
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
        guard !prompt.allSatisfy(\.isWhitespace) else {
            return .failure(RequestError(.badRequest, "ask: 'prompt' is empty"))
        }
        for (field, kind) in [
            ("session", JSONKind.string), ("agent", .string), ("allow_cloud", .bool), ("stream", .bool),
            ("max_cost_usd", .number),
        ] {
            if let value = body[field], !kind.matches(value) {
                return .failure(RequestError(.badRequest, "ask: '\(field)' must be a \(kind.rawValue)"))
            }
        }
        if case .number(let cost)? = body["max_cost_usd"], cost.doubleValue < 0 {
            return .failure(RequestError(.badRequest, "ask: 'max_cost_usd' must not be negative"))
        }
        return .success(Question(prompt: prompt, session: body["session"]?.stringValue))
    }

    private static func requestError(_ error: RouterError) -> RequestError {
        RequestError(
            ErrorCode(rawValue: error.code) ?? .internal, error.message,
            data: ["route": .array(error.route.map { .string($0) })])
    }

    private static func data(_ answer: SkillAnswer, route: [String], durationMillis: Double) -> JSONObject {
        var data: JSONObject = [
            "text": .string(answer.text),
            "answer": .string(answer.answer),
            "skill": .string(answer.skill),
            "confidence": JSONValue(answer.confidence),
            "model": answer.model.map { .string($0) } ?? .null,
            "escalated": false,
            "tokens_in": 0,
            "tokens_out": 0,
            "cost_usd": 0,
            "duration_ms": JSONValue((durationMillis * 1000).rounded() / 1000),
            "route": .array(route.map { .string($0) }),
        ]
        for (key, value) in answer.details { data[key] = value }
        return data
    }
}
