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
        switch request.op {
        case "ask": return await ask(request.body)
        case "info": return .success(status.info())
        case "health": return .success(status.health())
        default:
            return .failure(RequestError(
                .unknownOp, "unknown op '\(request.op)'; this node serves: \(Self.ops.joined(separator: ", "))"))
        }
    }

    private func ask(_ body: JSONObject) async -> Result<JSONObject, RequestError> {
        let started = monotonicMillis()
        guard case .string(let prompt)? = body["prompt"] else {
            let problem = body["prompt"] == nil ? "is missing" : "must be a string"
            return .failure(RequestError(.badRequest, "ask: 'prompt' \(problem)"))
        }
        guard !prompt.allSatisfy(\.isWhitespace) else {
            return .failure(RequestError(.badRequest, "ask: 'prompt' is empty"))
        }
        for (field, kind) in [("session", "string"), ("agent", "string"), ("allow_cloud", "bool"),
            ("stream", "bool"), ("max_cost_usd", "number")]
        {
            if let value = body[field], !Self.value(value, is: kind) {
                return .failure(RequestError(.badRequest, "ask: '\(field)' must be a \(kind)"))
            }
        }
        if case .number(let cost)? = body["max_cost_usd"], cost.doubleValue < 0 {
            return .failure(RequestError(.badRequest, "ask: 'max_cost_usd' must not be negative"))
        }
        let question = Question(prompt: prompt, session: body["session"]?.stringValue)
        do {
            let routed = try await cascade.route(question)
            return .success(Self.askData(routed, durationMillis: monotonicMillis() - started))
        } catch let error as RouterError {
            let code = ErrorCode(rawValue: error.code) ?? .internal
            return .failure(RequestError(code, error.message, data: ["route": .array(error.route.map { .string($0) })]))
        } catch {
            return .failure(RequestError(.internal, "ask failed: \(error)"))
        }
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
