import JSON
import Sandbox

/// `exec`: code run in Council's sandbox. Request: `language`, `code`, `stdin?`, `files?` (name → text),
/// `limits?` (each may only lower the profile's), `profile?`, `artifacts?` (`true`, or an object of caps that only
/// lower the defaults: `max_files` 64, `max_file_bytes` 1 MiB, `max_total_bytes` 4 MiB (never past the workspace),
/// `max_depth` 8). Reply data: `exit_code`, `signal`, `timed_out`, `oom_killed`, `truncated`, `stdout`, `stderr`,
/// `duration_ms`, `cpu_ms`, `max_rss_kb`, `limits`; with `artifacts` asked for, also `artifacts` (the regular files
/// the program left in its workspace: `[{"path", "size", "content", "encoding": "utf8"|"base64"}]`, sorted by path;
/// the code's file and the request's `files` only if the program changed them), `skipped_artifacts` (`[{"path",
/// "reason"}]`: links, FIFOs, sockets, files past a cap), and `artifacts_collected` (false, with `artifacts_error`,
/// when the run timed out: no artifacts then).
public struct ExecOperation: Operation {
    public let name = "exec"
    private let sandbox: Sandbox

    /// Creates the op over a sandbox (its configuration holds the profiles and the concurrency limit).
    public init(sandbox: Sandbox) {
        self.sandbox = sandbox
    }

    public func plan(_ body: JSONObject, context: OperationContext) -> OperationPlan {
        guard sandbox.isEnabled else {
            return .failure(.sandboxDisabled, "exec: the sandbox is disabled on this node (sandbox.enabled)")
        }
        let job: SandboxJob
        do throws(SandboxError) {
            job = try sandbox.job(from: body)
        } catch {
            return .ready(.failure(Self.requestError(error)))
        }
        let sandbox = self.sandbox
        return .pending {
            do throws(SandboxError) {
                return .success(try await sandbox.run(job).json)
            } catch {
                return .failure(Self.requestError(error))
            }
        }
    }

    /// The contract's code for a sandbox failure.
    static func requestError(_ error: SandboxError) -> RequestError {
        let code: ErrorCode =
            switch error.code {
            case .disabled: .sandboxDisabled
            case .badRequest: .badRequest
            case .cancelled: .timeout
            default: .internal
            }
        return RequestError(code, error.code == .badRequest ? error.message : "exec: \(error.description)")
    }
}
