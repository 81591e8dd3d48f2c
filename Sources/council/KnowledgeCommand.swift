import ArgumentParser
import Council
import Memory

/// `council knowledge ...`: bulk facts for the knowledge skill and memory search.
struct KnowledgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "knowledge", abstract: "Import facts in bulk.", subcommands: [Import.self])

    /// `council knowledge import FILE`.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a JSONL file ({\"text\", \"source\", \"tags\"} per line) or plain text (passages).")

        @Argument(help: "The file to import.")
        var file: String

        @Option(help: "How to read the file: jsonl or text (default: from the extension or the first character).")
        var format: KnowledgeFile.Format?

        @Option(help: "Source for facts that name none (default: the file's name).")
        var source: String?

        @Option(name: .customLong("tag"), help: "A tag added to every fact (repeat for several).")
        var tags: [String] = []

        @OptionGroup var location: MemoryCommand.Location

        func run() async throws {
            try await reportingErrors {
                let name = file.split(separator: "/").last.map(String.init) ?? file
                let facts = try KnowledgeFile.facts(
                    path: file, format: format, defaultSource: source ?? name, tags: tags)
                guard !facts.isEmpty else {
                    printError("council: '\(file)' holds no facts")
                    throw ExitCode.failure
                }
                let memory = try await location.open()
                let bar = ProgressBar(total: facts.count, label: "facts")
                let outcomes = try await memory.store.add(facts) { bar.update($0) }
                let deduplicated = outcomes.filter(\.deduplicated).count
                let seconds = bar.elapsedSeconds
                print(
                    "imported \(facts.count) facts from \(name): \(facts.count - deduplicated) added, "
                        + "\(deduplicated) deduplicated (\((seconds * 10).rounded() / 10) s)")
            }
        }
    }
}

extension KnowledgeFile.Format: ExpressibleByArgument {}
