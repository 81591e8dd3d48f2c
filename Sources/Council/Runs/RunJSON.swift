import JSON
import Store

/// How runs look in replies (`run`, `run/get`, `run/list`, `run/cancel`) and on their log topic.
enum RunJSON {
    /// A run: `id`, `task`, `agent`, `state`, `answer`, `code`, `error`, `error_code`, `attempts`, `max_attempts`,
    /// `max_cost_usd`, `tokens_in`, `tokens_out`, `cost_usd`, `created_at`, `finished_at`, `duration_ms`,
    /// `log_topic`; with `steps` and `artifacts` when given.
    static func run(
        _ record: RunRecord, steps: [RunStepRecord]? = nil, artifacts: [RunArtifactRecord]? = nil,
        logTopic: String? = nil, now: Int64
    ) -> JSONObject {
        var object: JSONObject = [
            "id": .string(record.id), "task": .string(record.task),
            "agent": record.agent.map { .string($0) } ?? .null, "state": .string(record.state.rawValue),
            "answer": record.answer.map { .string($0) } ?? .null, "code": record.code.map { .string($0) } ?? .null,
            "attempts": JSONValue(record.attempts), "max_attempts": JSONValue(record.maxAttempts),
            "max_cost_usd": JSONValue(record.maxCostUSD), "tokens_in": JSONValue(record.tokensIn),
            "tokens_out": JSONValue(record.tokensOut), "cost_usd": JSONValue(record.costUSD),
            "created_at": .string(MetricsCalendar.iso8601UTC(unixMillis: record.createdAtMillis)),
            "finished_at": record.finishedAtMillis.map { .string(MetricsCalendar.iso8601UTC(unixMillis: $0)) } ?? .null,
            "duration_ms": JSONValue((record.finishedAtMillis ?? now) - record.createdAtMillis),
        ]
        if let error = record.error {
            object["error"] = .string(error)
            object["error_code"] = record.errorCode.map { .string($0) } ?? .null
        }
        if let logTopic { object["log_topic"] = .string(logTopic) }
        if let steps { object["steps"] = .array(steps.map { .object(step($0)) }) }
        if let artifacts { object["artifacts"] = .array(artifacts.map { .object(artifact($0, now: now)) }) }
        return object
    }

    /// A step: `seq`, `kind`, `status`, `message`, `data`, `time_ms`.
    static func step(_ step: RunStepRecord) -> JSONObject {
        let data = (try? JSONParser.parse(Array(step.detail.utf8))) ?? .object([:])
        return [
            "seq": JSONValue(step.seq), "kind": .string(step.kind), "status": .string(step.status),
            "message": .string(step.message), "data": data, "time_ms": JSONValue(step.atMillis),
        ]
    }

    /// A line of `<base>/<node>/runs/<id>/log`: the step with its run and attempt.
    static func logLine(_ step: RunStepRecord, run: String, attempt: Int, detail: JSONObject) -> JSONObject {
        [
            "run": .string(run), "seq": JSONValue(step.seq), "kind": .string(step.kind),
            "status": .string(step.status), "message": .string(step.message), "attempt": JSONValue(attempt),
            "data": .object(detail), "time_ms": JSONValue(step.atMillis),
        ]
    }

    /// A file a run left, listed: `path`, `size`, `attempt`, `available` (false once its retention ended),
    /// `expires_at`.
    static func artifact(_ artifact: RunArtifactRecord, now: Int64) -> JSONObject {
        [
            "path": .string(artifact.path), "size": JSONValue(artifact.size), "attempt": JSONValue(artifact.attempt),
            "available": .bool(artifact.isAvailable(at: now)),
            "expires_at": .string(MetricsCalendar.iso8601UTC(unixMillis: artifact.expiresAtMillis)),
        ]
    }
}
