import ArgumentParser
import Council
import Glibc

/// Loads the configuration the way every command does: `--config`, else /etc/council/council.toml when it exists,
/// else the defaults; then the flags. Invalid configuration exits with a message naming each bad key.
func loadConfiguration(_ options: ConfigOptions, stateDirectory: String? = nil, applyNode: Bool = true) throws
    -> CouncilConfig
{
    let path = options.config ?? (access(CouncilConfig.defaultPath, F_OK) == 0 ? CouncilConfig.defaultPath : nil)
    let overrides = ConfigOverrides(
        broker: options.broker, node: applyNode ? options.node : nil, stateDirectory: stateDirectory)
    do {
        return try CouncilConfig.load(path: path, overrides: overrides, environment: CouncilConfig.processEnvironment())
    } catch {
        printError("council: invalid configuration\(path.map { " in \($0)" } ?? ""):")
        for problem in error.problems { printError("  \(problem.message)") }
        throw ExitCode(78)  // EX_CONFIG
    }
}

/// Writes a line to stderr.
func printError(_ line: String) {
    var text = line + "\n"
    text.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
}
