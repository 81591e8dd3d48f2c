import ArgumentParser
import Council

/// `council config ...`
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Inspect the configuration.", subcommands: [Check.self])

    /// `council config check`: validate, then print the effective configuration with secrets masked.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate the configuration and print the effective values, secrets masked.")

        @OptionGroup var options: ConfigOptions

        @Option(name: .customLong("state-dir"), help: "Folder for the SQLite database, overriding node.state_dir.")
        var stateDirectory: String?

        func run() throws {
            let config = try loadConfiguration(options, stateDirectory: stateDirectory)
            print(config.renderEffective(), terminator: "")
            printError("configuration OK\(config.sourcePath.map { " (\($0))" } ?? " (defaults)")")
        }
    }
}
