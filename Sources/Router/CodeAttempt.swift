import Glibc
import JSON
import Sandbox

/// One try at running a program: the code and how it ended.
public struct CodeAttempt: Sendable, Equatable {
    /// The program (empty when the model's reply held none).
    public var code: String
    /// The sandbox language it ran with.
    public var language: String
    /// The exit status; nil when it did not run, timed out or was killed.
    public var exitCode: Int?
    /// What it wrote to standard error.
    public var stderr: String
    /// Whether the time limit stopped it.
    public var timedOut: Bool
    /// The model that wrote it; nil for code from the question.
    public var model: String?
    /// Why the attempt failed, for a person; nil when it succeeded.
    public var error: String?

    /// How much of each attempt's standard error the reply lists.
    static let keptErrorCharacters = 4000

    /// How the run ended, in a few words, for the reply's `route`.
    public var shortStatus: String {
        if error == nil { return "ok" }
        if timedOut { return "timed out" }
        if let exitCode { return exitCode == 0 ? "no output" : "exit \(exitCode)" }
        return code.isEmpty ? "no code" : "killed"
    }

    /// The attempt as the reply's `attempts` lists it.
    public var json: JSONValue {
        // The end of the error output is where the error is; the whole of it is in the reply's `stderr`.
        var object: JSONObject = [
            "code": .string(code), "exit_code": exitCode.map { JSONValue($0) } ?? .null,
            "stderr": .string(String(stderr.suffix(Self.keptErrorCharacters))),
        ]
        if timedOut { object["timed_out"] = true }
        if let model { object["model"] = .string(model) }
        if let error { object["error"] = .string(error) }
        return .object(object)
    }
}

/// A program's run in the sandbox, judged: did it produce an answer, and if not, why.
struct CodeOutcome: Sendable {
    /// The program that ran.
    var program: FoundCode
    /// What the sandbox reported.
    var result: SandboxResult
    /// How the run was planned (profile, predicted and actual time, reasons); nil without a planner.
    var execution: JSONObject? = nil

    /// Why the run does not count as an answer, or nil when it does (exit 0, within its time).
    var failure: String? {
        if result.timedOut { return "the program was stopped at the time limit" }
        if result.oomKilled { return "the program ran out of memory" }
        // A busy loop may reach its CPU time limit (SIGXCPU) a moment before the wall clock's.
        if result.signal == Int(SIGXCPU) { return "the program was stopped at its CPU time limit" }
        if let signal = result.signal { return "the program was killed by signal \(signal)" }
        if let code = result.exitCode, code != 0 {
            let lastLine = result.stderr.trimmingWhitespace().split(separator: "\n").last.map(String.init)
            return "the program exited with code \(code)" + (lastLine.map { ": \($0)" } ?? "")
        }
        return nil
    }

    /// The longest output `text` shows in full.
    static let readableCharacters = 4000

    /// Standard output without surrounding white space: the answer, for machines.
    var answer: String { result.stdout.trimmingWhitespace() }

    /// The attempt record of this run.
    func attempt(model: String?, requireOutput: Bool = false) -> CodeAttempt {
        var error = failure
        if error == nil, requireOutput, answer.isEmpty { error = "the program printed nothing" }
        return CodeAttempt(
            code: program.code, language: program.language, exitCode: result.exitCode, stderr: result.stderr,
            timedOut: result.timedOut, model: model, error: error)
    }

    /// A readable reply: the output, or what went wrong and the end of the error output.
    var text: String {
        guard let failure else {
            if answer.isEmpty { return "(the program printed nothing)" }
            guard answer.count > Self.readableCharacters else { return answer }
            return String(answer.prefix(Self.readableCharacters))
                + "\n… (output cut at \(Self.readableCharacters) of \(answer.count) characters; all of it is in stdout)"
        }
        var text = "Error: " + failure + "."
        let stderr = result.stderr.trimmingWhitespace()
        if !stderr.isEmpty { text += "\n" + String(stderr.suffix(2000)) }
        if !answer.isEmpty { text += "\nOutput before the error:\n" + String(answer.suffix(2000)) }
        return text
    }

    /// The reply fields every code answer carries, with `attempts` listing each try, and `execution` when the run
    /// was planned.
    func details(attempts: [CodeAttempt]) -> JSONObject {
        var details: JSONObject = [
            "code": .string(program.code), "language": .string(program.language), "stdout": .string(result.stdout),
            "stderr": .string(result.stderr), "exit_code": result.exitCode.map { JSONValue($0) } ?? .null,
            "signal": result.signal.map { JSONValue($0) } ?? .null, "timed_out": .bool(result.timedOut),
            "attempts": .array(attempts.map(\.json)),
        ]
        if let execution { details["execution"] = .object(execution) }
        return details
    }
}
