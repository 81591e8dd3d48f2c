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

    /// Handles one request and returns the reply's `data`, or the error to send.
    public func handle(_ request: Request) async -> Result<JSONObject, RequestError> {
        if let immediate = answerImmediately(request) { return immediate }
        guard request.op == "ask", case .success(let question) = askQuestion(request.body) else {
            return .failure(RequestError(.internal, "\(request.op) could not be answered"))
        }
        let started = monotonicMillis()
        do {
            let routed = try await cascade.route(question)
            return .success(Self.askData(routed, durationMillis: monotonicMillis() - started))
        } catch let error as RouterError {
            return .failure(Self.requestError(error))
        } catch {
            return .failure(RequestError(.internal, "ask failed: \(error)"))
        }
    }

    /// Answers at once when no I/O is needed: `info`, `health`, invalid requests, questions an exact skill answers
    /// while claiming. Nil when the answer must be awaited with `handle`.
    public func answerImmediately(_ request: Request) -> Result<JSONObject, RequestError>? {
        switch request.op {
        case "ask":
            let started = monotonicMillis()
            let question: Question
            switch askQuestion(request.body) {
            case .failure(let error): return .failure(error)
            case .success(let valid): question = valid
            }
            switch cascade.routeImmediately(question) {
            case .success(let routed):
                return .success(Self.askData(routed, durationMillis: monotonicMillis() - started))
            case .failure(let error): return .failure(Self.requestError(error))
            case nil: return nil
            }
        case "info": return .success(status.info())
        case "health": return .success(status.health())
        default:
            return .failure(
                RequestError(
                    .unknownOp, "unknown op '\(request.op)'; this node serves: \(Self.ops.joined(separator: ", "))"))
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

    private static func askData(_ routed: Routed, durationMillis: Double) -> JSONObject {
        let answer = routed.answer
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
            "route": .array(routed.route.map { .string($0) }),
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
