import ArgumentParser
import Glibc
import JSON
import Sandbox

/// `council exec FILE|-`: runs code in the sandbox on this machine, without a broker; for users and for debugging.
struct Exec: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run code in Council's sandbox on this machine (no broker needed).",
        discussion: """
            Prints the program's stdout and stderr, then a one-line summary on stderr; exits with the program's \
            status (128 + the signal if one killed it). With --json, prints the exec op's reply data instead.
            """)

    @Argument(help: "The file with the code, or - to read it from stdin.")
    var file: String

    @Option(help: "The language (default: from the file's extension; python for -).")
    var language: String?

    @Option(help: "The limits profile (light or heavy).")
    var profile: String?

    @Option(help: "A file whose contents are fed to the program's stdin.")
    var input: String?

    @Flag(help: "Print the result object the exec op replies with.")
    var json = false

    func run() async throws {
        let code: String
        do {
            code = try readText(file == "-" ? nil : file)
        } catch {
            printError("council: cannot read \(file): \(error)")
            throw ExitCode(66)  // EX_NOINPUT
        }
        var body: JSONObject = ["language": .string(language ?? Self.language(forFile: file)), "code": .string(code)]
        if let profile { body["profile"] = .string(profile) }
        if let input {
            do {
                body["stdin"] = .string(try readText(input))
            } catch {
                printError("council: cannot read \(input): \(error)")
                throw ExitCode(66)
            }
        }
        let result: SandboxResult
        switch await Self.run(body) {
        case .success(let ran): result = ran
        case .failure(let error):
            printError("council: \(error.description)")
            throw ExitCode(error.code == .badRequest ? 64 : 70)  // EX_USAGE, EX_SOFTWARE
        }
        if json {
            print(JSONValue.object(result.json).encodedString())
        } else {
            writeAll(STDOUT_FILENO, result.stdout)
            writeAll(STDERR_FILENO, result.stderr)
            printError(Self.summary(result))
        }
        let status = result.exitCode ?? (128 + (result.signal ?? 0))
        if status != 0 { throw ExitCode(Int32(status)) }
    }

    /// Runs an `exec` body in a sandbox of the default configuration.
    static func run(_ body: JSONObject) async -> Result<SandboxResult, SandboxError> {
        do throws(SandboxError) {
            let sandbox = try Sandbox(configuration: SandboxConfiguration(spares: 0))  // one job: spares would be waste
            return .success(try await sandbox.run(try sandbox.job(from: body)))
        } catch {
            return .failure(error)
        }
    }

    /// `python` for .py, `sh` for .sh, ...; python when unknown.
    static func language(forFile file: String) -> String {
        let extensions = ["py": "python", "sh": "sh", "bash": "bash", "pl": "perl", "js": "node", "rb": "ruby"]
        guard let dot = file.lastIndex(of: "."), !file[dot...].contains("/") else { return "python" }
        return extensions[String(file[file.index(after: dot)...])] ?? "python"
    }

    /// "council: exit 0 · 21.3 ms · cpu 12.0 ms · max rss 8.1 MiB", plus what went wrong and the limits not applied.
    static func summary(_ result: SandboxResult) -> String {
        var parts = [result.exitCode.map { "exit \($0)" } ?? "killed by signal \(result.signal ?? 0)"]
        if result.timedOut { parts.append("timed out") }
        if result.oomKilled { parts.append("out of memory") }
        if result.truncated { parts.append("output truncated") }
        parts.append("\(rounded(result.durationMillis)) ms")
        parts.append("cpu \(rounded(result.cpuMillis)) ms")
        parts.append("max rss \(rounded(Double(result.maxRSSKilobytes) / 1024)) MiB")
        let missing = result.limits.filter { !$0.isEnforced }.map(\.limit.rawValue)
        if !missing.isEmpty { parts.append("not enforced here: \(missing.joined(separator: ", "))") }
        return "council: " + parts.joined(separator: " · ")
    }

    private static func rounded(_ value: Double) -> String { String((value * 10).rounded() / 10) }

    private func readText(_ path: String?) throws -> String {
        let fd = path.map { open($0, O_RDONLY | O_CLOEXEC) } ?? STDIN_FILENO
        guard fd >= 0 else { throw SandboxError(.badRequest, String(cString: strerror(errno))) }
        defer { if path != nil { close(fd) } }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { throw SandboxError(.badRequest, String(cString: strerror(errno))) }
            if count == 0 { break }
            bytes += buffer[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func writeAll(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }
}
