import ArgumentParser
import Council
import Glibc
import JSON
import Memory
import Store

/// `council memory ...`: the fact store in the state database.
struct MemoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memory", abstract: "Add, search, forget, export and re-embed remembered facts.",
        subcommands: [Add.self, Search.self, Forget.self, Export.self, Reembed.self])

    /// Options every memory command takes.
    struct Location: ParsableArguments {
        @OptionGroup var options: ConfigOptions

        @Option(name: .customLong("state-dir"), help: "Folder of the SQLite database, overriding node.state_dir.")
        var stateDirectory: String?

        func open() async throws -> MemoryAccess {
            try await MemoryAccess.open(options, stateDirectory: stateDirectory)
        }
    }

    /// `council memory add TEXT`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remember a fact.")

        @Argument(help: "The fact (quote it, or pass several words).")
        var text: [String]

        @Option(help: "Where the fact comes from.")
        var source: String?

        @Option(name: .customLong("tag"), help: "A tag (repeat for several).")
        var tags: [String] = []

        @Option(help: "Keep the fact private to this session.")
        var session: String?

        @OptionGroup var location: Location

        func run() async throws {
            try await reportingErrors {
                let memory = try await location.open()
                let fact = NewFact(text: text.joined(separator: " "), source: source, tags: tags, session: session)
                let outcome = try await memory.store.add(fact)
                switch outcome.kind {
                case .inserted: print("added fact \(outcome.id)")
                case .sameText: print("already known as fact \(outcome.id) (tags merged)")
                case .nearDuplicate(let similarity):
                    print("updated fact \(outcome.id), a near duplicate (similarity \(rounded(similarity)))")
                }
            }
        }
    }

    /// `council memory search QUERY`.
    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Search facts (full text and vectors, fused).")

        @Argument(help: "What to look for.")
        var query: [String]

        @Option(name: .short, help: "How many results.")
        var k: Int = 10

        @Option(name: .customLong("tag"), help: "Only facts with this tag (repeat: all of them).")
        var tags: [String] = []

        @Option(help: "Only facts from this source.")
        var source: String?

        @Option(help: "Also search this session's private facts.")
        var session: String?

        @Flag(help: "Print the results as JSON, as the memory/search op returns them.")
        var json = false

        @OptionGroup var location: Location

        func run() async throws {
            try await reportingErrors {
                let memory = try await location.open()
                let hits = try await memory.store.search(
                    query.joined(separator: " "), k: k, filter: FactFilter(session: session, source: source, tags: tags)
                )
                if json {
                    print(JSONValue.array(hits.map { .object(MemoryExport.result($0)) }).encodedString())
                    return
                }
                if hits.isEmpty { printError("no matching facts") }
                for (rank, hit) in hits.enumerated() {
                    var notes: [String] = []
                    if let source = hit.fact.source { notes.append("source: \(source)") }
                    if !hit.fact.tags.isEmpty { notes.append("tags: \(hit.fact.tags.joined(separator: ", "))") }
                    notes.append("id \(hit.fact.id)")
                    print("\(rank + 1). \(hit.fact.text) (\(notes.joined(separator: "; ")))")
                }
            }
        }
    }

    /// `council memory forget --id N | --tag T | --source S | --session S`.
    struct Forget: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Forget facts by id, tag, source or session.")

        @Option(help: "The fact with this id.")
        var id: Int64?

        @Option(help: "Every fact with this tag.")
        var tag: String?

        @Option(help: "Every fact from this source.")
        var source: String?

        @Option(help: "Every fact and conversation turn of this session.")
        var session: String?

        @OptionGroup var location: Location

        func validate() throws {
            let given = [
                id.map { _ in "--id" }, tag.map { _ in "--tag" }, source.map { _ in "--source" },
                session.map { _ in "--session" },
            ].compactMap { $0 }
            guard given.count == 1 else {
                throw ValidationError("give exactly one of --id, --tag, --source or --session")
            }
        }

        func run() async throws {
            try await reportingErrors {
                let memory = try await location.open()
                let selector: FactSelector =
                    if let id { .id(id) } else if let tag { .tag(tag) } else if let source { .source(source) } else {
                        .session(session!)
                    }
                let facts = try memory.store.forget(selector)
                if let session {
                    let turns = try memory.conversations.forget(session: session)
                    print("forgot \(facts) facts and \(turns) conversation turns")
                } else {
                    print("forgot \(facts) facts")
                }
            }
        }
    }

    /// `council memory export`.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every fact as JSONL (text, source, tags, session, id, times), re-importable.")

        @Option(help: "Write to this file instead of stdout.")
        var output: String?

        @OptionGroup var location: Location

        func run() async throws {
            try await reportingErrors {
                let memory = try await location.open()
                let sink = try OutputFile(path: output)
                var count = 0
                try memory.store.forEachFact { fact in
                    try sink.write(JSONValue.object(MemoryExport.line(fact)).encoded() + [0x0a])
                    count += 1
                }
                try sink.close()
                if output != nil { print("exported \(count) facts to \(output!)") }
            }
        }
    }

    /// `council memory reembed`.
    struct Reembed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild stored vectors with the configured embedder (after changing memory.embedder).")

        @Flag(help: "Re-embed every fact, not only those another embedder made.")
        var all = false

        @OptionGroup var location: Location

        func run() async throws {
            try await reportingErrors {
                let memory = try await location.open()
                let pending = all ? try memory.store.count() : try memory.store.otherEmbedderCount()
                let bar = ProgressBar(total: pending, label: "facts")
                let count = try await memory.store.reembed(all: all) { done, _ in bar.update(done) }
                print("re-embedded \(count) facts with \(memory.store.embedder.name)")
            }
        }
    }
}

/// The JSON shapes of exported facts and search results.
enum MemoryExport {
    /// One JSONL line of `council memory export`: what `council knowledge import` reads, plus identity and times.
    static func line(_ fact: StoredFact) -> JSONObject {
        [
            "text": .string(fact.text), "source": fact.source.map { .string($0) } ?? .null,
            "tags": .array(fact.tags.map { .string($0) }), "session": fact.session.map { .string($0) } ?? .null,
            "id": JSONValue(fact.id), "created_at_ms": JSONValue(fact.createdAtMillis),
            "updated_at_ms": JSONValue(fact.updatedAtMillis), "embedder": .string(fact.embedder),
        ]
    }

    /// A search result as the `memory/search` op returns it.
    static func result(_ hit: MemoryHit) -> JSONObject {
        [
            "id": JSONValue(hit.fact.id), "text": .string(hit.fact.text),
            "source": hit.fact.source.map { .string($0) } ?? .null, "tags": .array(hit.fact.tags.map { .string($0) }),
            "score": JSONValue(hit.score), "bm25": hit.bm25.map { JSONValue($0) } ?? .null,
            "similarity": hit.similarity.map { JSONValue((Double($0) * 10_000).rounded() / 10_000) } ?? .null,
        ]
    }
}

/// Four decimals, for printing similarities.
func rounded(_ value: Float) -> Float { (value * 10_000).rounded() / 10_000 }

/// Stdout, or a file created (truncated) for writing.
final class OutputFile {
    private let descriptor: Int32
    private let path: String?

    init(path: String?) throws {
        self.path = path
        guard let path else {
            descriptor = STDOUT_FILENO
            return
        }
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw MemoryError(.invalidFact, "cannot write '\(path)': \(String(cString: strerror(errno)))")
        }
    }

    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw MemoryError(
                    .invalidFact, "cannot write '\(path ?? "stdout")': \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    func close() throws {
        if path != nil, Glibc.close(descriptor) != 0 {
            throw MemoryError(.invalidFact, "cannot close '\(path!)': \(String(cString: strerror(errno)))")
        }
    }
}
