import ArgumentParser
import Council
import Glibc
import Memory
import Providers
import Store

/// The state database's fact store and conversations, opened the way the daemon opens them, for the `memory` and
/// `knowledge` commands (which may run while the daemon does: SQLite's WAL lets both write, and the daemon catches
/// up through the change log).
struct MemoryAccess {
    let store: MemoryStore
    let conversations: ConversationMemory

    /// Loads the configuration, creates the state folder if needed and opens (migrating) the database.
    static func open(_ options: ConfigOptions, stateDirectory: String?) async throws -> MemoryAccess {
        let config = try loadConfiguration(options, stateDirectory: stateDirectory)
        let settings = memorySettings(config)
        guard settings.problems.isEmpty else {
            for problem in settings.problems { printError("council: \(problem)") }
            throw ExitCode(78)  // EX_CONFIG
        }
        let path = DaemonSettings(config: config).databasePath
        do {
            try makeFolder(config.node.stateDirectory)
            let database = try StoreSchema.open(path: path)
            let embedder = try await makeEmbedder(settings, config: config)
            return MemoryAccess(
                store: try MemoryStore(database: database, embedder: embedder, options: settings.storeOptions),
                conversations: try ConversationMemory(database: database, options: settings.conversationOptions))
        } catch let error as ExitCode {
            throw error
        } catch {
            printError("council: cannot open the memory in '\(path)': \(error)")
            throw ExitCode.failure
        }
    }

    /// The `[memory]` settings.
    static func memorySettings(_ config: CouncilConfig) -> MemorySettings { config.memory.settings }

    /// The built-in embedder, or the `[[models]]` entry named by `memory.embedder` through its `/embeddings`
    /// endpoint.
    static func makeEmbedder(_ settings: MemorySettings, config: CouncilConfig) async throws -> any Embedder {
        if settings.usesBuiltInEmbedder { return settings.hashingEmbedder }
        guard let model = config.models.first(where: { $0.name == settings.embedder }) else {
            printError(
                "council: memory.embedder is '\(settings.embedder)', which is neither \"hashing\" nor the name of a "
                    + "[[models]] entry")
            throw ExitCode(78)
        }
        return try await EndpointEmbedder.connect(client: EmbeddingClient(endpoint: ModelEndpoint(config: model)))
    }

    private static func makeFolder(_ path: String) throws {
        var partial = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            partial += "/" + component
            if mkdir(partial, 0o750) != 0 && errno != EEXIST {
                throw MemoryError(
                    .invalidFact, "cannot create folder '\(partial)': \(String(cString: strerror(errno)))")
            }
        }
    }
}

/// Runs `body`, turning the errors a user can act on into one line on stderr and a failing exit status.
func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as ExitCode {
        throw error
    } catch let error as MemoryError {
        printError("council: \(error.message)")
        throw ExitCode.failure
    } catch let error as KnowledgeFileError {
        printError("council: \(error)")
        throw ExitCode.failure
    } catch {
        printError("council: \(error)")
        throw ExitCode.failure
    }
}

/// A one-line progress bar on stderr, drawn only when stderr is a terminal.
struct ProgressBar {
    let total: Int
    let label: String
    private let enabled = isatty(STDERR_FILENO) == 1
    private let started = monotonicSeconds()

    init(total: Int, label: String) {
        self.total = total
        self.label = label
    }

    func update(_ done: Int) {
        guard enabled, total > 0 else { return }
        let width = 30
        let filled = min(width, done * width / total)
        let rate = Double(done) / max(0.001, monotonicSeconds() - started)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        var line = "\r[\(bar)] \(done)/\(total) \(label) \(Int(rate))/s"
        if done >= total { line += "\n" }
        line.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
    }

    var elapsedSeconds: Double { monotonicSeconds() - started }
}

func monotonicSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}
