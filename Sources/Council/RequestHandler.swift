import JSON
import Router
import Skills

/// What the `info` and `health` ops report about the running node.
public protocol NodeStatus: Sendable {
    /// The node's description (also published retained on `<base>/<node>/info`).
    func info() -> JSONObject
    /// Live health: broker connection, journal depth, uptime.
    func health() -> JSONObject
}

/// Answers well-formed requests, one op at a time. It never throws: every failure becomes a `RequestError`.
public struct RequestHandler: Sendable {
    /// The ops this build serves.
    public static let ops = ["ask", "info", "health"]

    private let cascade: Cascade
    private let status: any NodeStatus

    /// Creates a handler.
    public init(cascade: Cascade, status: any NodeStatus) {
        self.cascade = cascade
        self.status = status
    }

    /// A request turned into its reply, or into the work still to await.
    public enum Plan: Sendable {
        /// The reply is known: `info`, `health`, invalid requests, questions an exact skill answered while claiming.
        case ready(Result<JSONObject, RequestError>)
        /// A skill claimed the question and must be awaited (`finish`).
        case pending(PendingAnswer)
    }

    /// A claimed question whose answer still has to be produced.
    public struct PendingAnswer: Sendable {
        fileprivate let claim: Claim
        fileprivate let route: [String]
        fileprivate let startedMillis: Double
    }

    /// Validates and routes a request without waiting for anything: the daemon replies at once when the plan is
    /// ready, and awaits `finish` on a task of its own otherwise.
    public func plan(_ request: Request) -> Plan {
        switch request.op {
        case "ask":
            let started = monotonicMillis()
            let question: Question
            switch askQuestion(request.body) {
            case .failure(let error): return .ready(.failure(error))
            case .success(let valid): question = valid
            }
            do {
                switch try cascade.decide(question) {
                case .answered(let routed):
                    return .ready(
                        .success(
                            Self.askData(
                                routed.answer, route: routed.route, durationMillis: monotonicMillis() - started)))
                case .pending(let claim, let route):
                    return .pending(PendingAnswer(claim: claim, route: route, startedMillis: started))
                }
            } catch {
                return .ready(.failure(Self.requestError(error)))
            }
        case "info": return .ready(.success(status.info()))
        case "health": return .ready(.success(status.health()))
        default:
            return .ready(
                .failure(
                    RequestError(
                        .unknownOp,
                        "unknown op '\(request.op)'; this node serves: \(Self.ops.joined(separator: ", "))")))
        }
    }

    /// Produces the answer a plan left pending.
    public func finish(_ pending: PendingAnswer) async -> Result<JSONObject, RequestError> {
        do {
            let answer = try await pending.claim.resolve()
            return .success(
                Self.askData(answer, route: pending.route, durationMillis: monotonicMillis() - pending.startedMillis))
        } catch let error as RouterError {
            return .failure(Self.requestError(error))
        } catch {
            return .failure(RequestError(.internal, "ask failed: \(error)"))
        }
    }

    /// Handles one request from start to end: `plan`, then `finish` when needed.
    public func handle(_ request: Request) async -> Result<JSONObject, RequestError> {
        switch plan(request) {
        case .ready(let result): return result
        case .pending(let pending): return await finish(pending)
        }
    }

    /// Validates an `ask` body.
    private func askQuestion(_ body: JSONObject) -> Result<Question, RequestError> {
        guard case .string(let prompt)? = body["prompt"] else {
            let problem = body["prompt"] == nil ? "is missing" : "must be a string"
            return .failure(RequestError(.badRequest, "ask: 'prompt' \(problem)"))
        }
        guard !prompt.allSatisfy(\.isWhitespace) else {
            return .failure(RequestError(.badRequest, "ask: 'prompt' is empty"))
        }
        for (field, kind) in [
            ("session", "string"), ("agent", "string"), ("allow_cloud", "bool"),
            ("stream", "bool"), ("max_cost_usd", "number"),
        ] {
            if let value = body[field], !Self.value(value, is: kind) {
                return .failure(RequestError(.badRequest, "ask: '\(field)' must be a \(kind)"))
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

    private static func askData(_ answer: SkillAnswer, route: [String], durationMillis: Double) -> JSONObject {
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

    private static func value(_ value: JSONValue, is kind: String) -> Bool {
        switch (kind, value) {
        case ("string", .string), ("bool", .bool), ("number", .number): true
        default: false
        }
    }
}
