import FoundationEssentials
import Prolog
import Synchronization

/// Where the logic library keeps its programs (the daemon passes its SQLite store).
public protocol LogicProgramStorage: Sendable {
    /// Saves (or replaces) a program; returns when it was saved, UTC ISO 8601.
    func saveProgram(name: String, text: String, clauses: Int) throws -> String
    /// Every stored program.
    func loadPrograms() throws -> [LogicLibrary.Program]
    /// Removes one program, or all when `name` is nil; returns the names removed.
    func forgetPrograms(name: String?) throws -> [String]
}

/// Why a program could not be consulted or forgotten.
public enum LogicLibraryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The program name is empty, too long, or has characters outside `[A-Za-z0-9_.-]`.
    case invalidName(String)
    /// The text does not consult: the reader's or compiler's message and position.
    case invalidProgram(PrologSyntaxError)
    /// The store failed.
    case storage(String)

    public var description: String {
        switch self {
        case .invalidName(let name):
            "invalid program name '\(name)': use 1 to 100 letters, digits, '_', '.' or '-'"
        case .invalidProgram(let error): "the program does not consult: \(error)"
        case .storage(let message): "the logic programs could not be stored: \(message)"
        }
    }
}

/// The loaded logic programs, shared by the `logic/*` ops and the logic skill. Consulting or forgetting replaces
/// the compiled programs at once: a query runs against the programs as they were when it started.
public final class LogicLibrary: Sendable {
    /// One named program.
    public struct Program: Sendable, Equatable {
        /// Its name.
        public var name: String
        /// Its Prolog text.
        public var text: String
        /// How many clauses it has.
        public var clauses: Int
        /// When it was last consulted, UTC ISO 8601.
        public var updatedAt: String

        /// Creates a program description.
        public init(name: String, text: String, clauses: Int, updatedAt: String) {
            self.name = name
            self.text = text
            self.clauses = clauses
            self.updatedAt = updatedAt
        }
    }

    private struct Snapshot: Sendable {
        var programs: [String: Program] = [:]
        /// Every program together, consulted in name order.
        var combined = KnowledgeBase()
        /// Each program alone.
        var separate: [String: KnowledgeBase] = [:]
    }

    private let storage: (any LogicProgramStorage)?
    private let snapshot = Mutex(Snapshot())
    /// Limits for queries (the ops and the skill); each may lower the time limit.
    public let limits: PrologLimits

    /// Creates a library over `storage` (nil: programs live in memory only) and loads what it holds. Stored
    /// programs that no longer consult are skipped and returned in `skipped`.
    public init(storage: (any LogicProgramStorage)?, limits: PrologLimits = PrologLimits(timeout: .seconds(10)))
        throws
    {
        self.storage = storage
        self.limits = limits
        let stored: [Program]
        do {
            stored = try storage?.loadPrograms() ?? []
        } catch {
            throw LogicLibraryError.storage("\(error)")
        }
        var programs: [String: Program] = [:]
        for program in stored { programs[program.name] = program }
        let built = Self.build(programs)
        snapshot.withLock { $0 = built }
    }

    /// Compiles every program, each alone and all together (in name order). Programs that do not consult are left
    /// out.
    private static func build(_ programs: [String: Program]) -> Snapshot {
        var snapshot = Snapshot()
        for name in programs.keys.sorted() {
            guard let program = programs[name] else { continue }
            guard let alone = try? KnowledgeBase(consulting: program.text) else { continue }
            if (try? snapshot.combined.consult(program.text)) == nil { continue }
            snapshot.separate[name] = alone
            snapshot.programs[name] = program
        }
        return snapshot
    }

    /// Whether `name` is a valid program name.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 100
            && name.unicodeScalars.allSatisfy { scalar in
                switch scalar.value {
                case 48...57, 65...90, 97...122, 95, 46, 45: true  // [0-9A-Za-z_.-]
                default: false
                }
            }
    }

    /// Consults `text` as program `name` (replacing a program of that name), stores it, and makes it live.
    /// Returns the program's clause count.
    @discardableResult
    public func consult(name: String, text: String) throws(LogicLibraryError) -> Program {
        guard Self.isValidName(name) else { throw .invalidName(name) }
        let clauses: Int
        do {
            clauses = try KnowledgeBase.validate(text)
        } catch {
            throw .invalidProgram(error)
        }
        var updatedAt = Self.now()
        if let storage {
            do {
                updatedAt = try storage.saveProgram(name: name, text: text, clauses: clauses)
            } catch {
                throw .storage("\(error)")
            }
        }
        let program = Program(name: name, text: text, clauses: clauses, updatedAt: updatedAt)
        var programs = snapshot.withLock { $0.programs }
        programs[name] = program
        let rebuilt = Self.build(programs)
        snapshot.withLock { $0 = rebuilt }
        return program
    }

    /// Forgets program `name`, or every program when nil; returns the names forgotten.
    @discardableResult
    public func forget(name: String?) throws(LogicLibraryError) -> [String] {
        var programs = snapshot.withLock { $0.programs }
        var forgotten: [String]
        if let name {
            forgotten = programs.removeValue(forKey: name) == nil ? [] : [name]
        } else {
            forgotten = programs.keys.sorted()
            programs = [:]
        }
        if let storage {
            do {
                forgotten = Array(Set(forgotten + (try storage.forgetPrograms(name: name)))).sorted()
            } catch {
                throw .storage("\(error)")
            }
        }
        let rebuilt = Self.build(programs)
        snapshot.withLock { $0 = rebuilt }
        return forgotten
    }

    /// The loaded programs, by name.
    public var programs: [Program] {
        snapshot.withLock { state in state.programs.keys.sorted().compactMap { state.programs[$0] } }
    }

    /// The knowledge base of program `name`, or of all programs together when nil; nil for an unknown name.
    public func knowledgeBase(named name: String? = nil) -> KnowledgeBase? {
        snapshot.withLock { state in
            guard let name else { return state.combined }
            return state.separate[name]
        }
    }

    /// Loads every `*.pl` file in `folder` as a program named after the file (without `.pl`). Returns the names
    /// loaded; files that do not read or consult are reported in `problems` and skipped.
    public func loadFolder(_ folder: String) -> (loaded: [String], problems: [String]) {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".pl") }.sorted()
        } catch {
            return ([], ["cannot read the logic programs folder '\(folder)': \(error)"])
        }
        var loaded: [String] = []
        var problems: [String] = []
        for file in files {
            let name = String(file.dropLast(3))
            let path = folder.hasSuffix("/") ? folder + file : folder + "/" + file
            guard let data = FileManager.default.contents(atPath: path) else {
                problems.append("cannot read '\(path)'")
                continue
            }
            do {
                try consult(name: name, text: String(decoding: data, as: UTF8.self))
                loaded.append(name)
            } catch {
                problems.append("'\(path)': \(error)")
            }
        }
        return (loaded, problems)
    }

    private static func now() -> String {
        Date().formatted(.iso8601)
    }
}
