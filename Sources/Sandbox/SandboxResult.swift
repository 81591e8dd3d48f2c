import JSON

/// How one limit was applied in a run.
public struct AppliedLimit: Sendable, Hashable {
    /// The limit.
    public var limit: SandboxLimit
    /// Its value for the run.
    public var value: Int
    /// The mechanisms that enforced it (`cgroup v1 memory`, `rlimit RLIMIT_NPROC`, ...); empty if none could.
    public var enforcedBy: [String]
    /// Why it could not be enforced, when `enforcedBy` is empty.
    public var reason: String?

    /// Whether anything enforced the limit.
    public var isEnforced: Bool { !enforcedBy.isEmpty }
}

/// The outcome of a run: the `exec` op's reply data.
public struct SandboxResult: Sendable, Hashable {
    /// The exit status, if the program exited (rather than being killed by a signal).
    public var exitCode: Int?
    /// The signal that killed it, if one did.
    public var signal: Int?
    /// Whether the wall-clock limit killed it.
    public var timedOut: Bool
    /// Whether the memory cgroup's OOM killer killed a process of the run.
    public var oomKilled: Bool
    /// Whether stdout or stderr went past the output cap (the rest was dropped and the stream closed).
    public var truncated: Bool
    /// Standard output (invalid UTF-8 replaced).
    public var stdout: String
    /// Standard error (invalid UTF-8 replaced).
    public var stderr: String
    /// Wall-clock time from spawn to reap, milliseconds.
    public var durationMillis: Double
    /// CPU time of the run's processes, milliseconds.
    public var cpuMillis: Double
    /// Largest resident set of a process of the run, KiB.
    public var maxRSSKilobytes: Int
    /// Every limit, how it was enforced or why it could not be.
    public var limits: [AppliedLimit]
    /// Whether the job asked for artifacts and whether they were collected: a run that timed out, or whose init was
    /// killed, returns none (`.missing` says why).
    public var artifactCollection: ArtifactCollection = .off
    /// The files the program left in its workspace (see ``ArtifactPolicy``), by path.
    public var artifacts: [SandboxArtifact] = []
    /// Entries of the workspace that were not returned, and why (links, FIFOs, files over a cap, ...).
    public var skippedArtifacts: [SkippedArtifact] = []
    /// How many more entries were skipped than `skippedArtifacts` lists.
    public var unlistedSkippedArtifacts = 0

    /// The reply object of the `exec` op.
    public var json: JSONObject {
        var limitsObject = JSONObject()
        for applied in limits {
            var entry: JSONObject = ["value": JSONValue(applied.value), "enforced": .bool(applied.isEnforced)]
            if applied.isEnforced {
                entry["by"] = .array(applied.enforcedBy.map { .string($0) })
            } else {
                entry["reason"] = .string(applied.reason ?? "not supported")
            }
            limitsObject[applied.limit.rawValue] = .object(entry)
        }
        var object: JSONObject = [
            "exit_code": exitCode.map { JSONValue($0) } ?? .null,
            "signal": signal.map { JSONValue($0) } ?? .null,
            "timed_out": .bool(timedOut),
            "oom_killed": .bool(oomKilled),
            "truncated": .bool(truncated),
            "stdout": .string(stdout),
            "stderr": .string(stderr),
            "duration_ms": JSONValue((durationMillis * 1000).rounded() / 1000),
            "cpu_ms": JSONValue((cpuMillis * 1000).rounded() / 1000),
            "max_rss_kb": JSONValue(maxRSSKilobytes),
            "limits": .object(limitsObject),
        ]
        switch artifactCollection {
        case .off:
            break
        case .collected:
            object["artifacts_collected"] = true
        case .missing(let reason):
            object["artifacts_collected"] = false
            object["artifacts_error"] = .string(reason)
        }
        if artifactCollection != .off {
            object["artifacts"] = .array(artifacts.map { .object($0.json) })
            object["skipped_artifacts"] = .array(
                skippedArtifacts.map { .object(["path": .string($0.path), "reason": .string($0.reason)]) })
            if unlistedSkippedArtifacts > 0 {
                object["skipped_artifacts_unlisted"] = JSONValue(unlistedSkippedArtifacts)
            }
        }
        return object
    }
}

extension SandboxArtifact {
    /// `{"path", "size", "content", "encoding"}`: the content as text when it is valid UTF-8, else in base64.
    public var json: JSONObject {
        let readable = Base64.readable(contents)
        return [
            "path": .string(path), "size": JSONValue(contents.count), "content": .string(readable.content),
            "encoding": .string(readable.encoding),
        ]
    }
}
