import JSON
import Prolog
import Skills
import Store

/// The `logic/*` ops over a shared ``LogicLibrary``.
public enum LogicOperations {
    /// `logic/consult`, `logic/query`, `logic/list` and `logic/forget`.
    public static func all(library: LogicLibrary) -> [any Operation] {
        [
            LogicConsultOperation(library: library), LogicQueryOperation(library: library),
            LogicListOperation(library: library), LogicForgetOperation(library: library),
        ]
    }

    /// A library whose programs persist in `database` (migrated with ``StoreSchema``), loaded now.
    public static func library(database: Database) throws -> LogicLibrary {
        try LogicLibrary(storage: StoredLogicPrograms(programs: LogicPrograms(database: database)))
    }

    static func requestError(_ op: String, _ error: LogicLibraryError) -> RequestError {
        switch error {
        case .invalidName:
            return RequestError(.badRequest, "\(op): 'name' is invalid: \(error)")
        case .invalidProgram(let syntax):
            return RequestError(
                .badRequest,
                "\(op): 'program' does not consult: \(syntax.message) at line \(syntax.line), column \(syntax.column)",
                data: ["line": JSONValue(syntax.line), "column": JSONValue(syntax.column)])
        case .storage:
            return RequestError(.internal, "\(op): \(error)")
        }
    }

    /// An optional string field; a failure names the field.
    static func optionalString(_ body: JSONObject, _ field: String, op: String) -> Result<String?, RequestError> {
        guard let value = body[field], value != .null else { return .success(nil) }
        guard case .string(let text) = value else {
            return .failure(RequestError(.badRequest, "\(op): '\(field)' must be a string"))
        }
        return .success(text)
    }

    /// A required, non-empty string field.
    static func requiredString(_ body: JSONObject, _ field: String, op: String) -> Result<String, RequestError> {
        guard let value = body[field] else {
            return .failure(RequestError(.badRequest, "\(op): '\(field)' is missing"))
        }
        guard case .string(let text) = value else {
            return .failure(RequestError(.badRequest, "\(op): '\(field)' must be a string"))
        }
        guard !text.allSatisfy(\.isWhitespace) else {
            return .failure(RequestError(.badRequest, "\(op): '\(field)' is empty"))
        }
        return .success(text)
    }
}

/// Adapts the SQLite store to the library's storage.
public struct StoredLogicPrograms: LogicProgramStorage {
    /// The table of programs.
    public let programs: LogicPrograms

    /// Creates the adapter.
    public init(programs: LogicPrograms) {
        self.programs = programs
    }

    public func saveProgram(name: String, text: String, clauses: Int) throws -> String {
        try programs.save(name: name, text: text, clauses: clauses).updatedAt
    }

    public func loadPrograms() throws -> [LogicLibrary.Program] {
        try programs.loadAll().map {
            LogicLibrary.Program(name: $0.name, text: $0.text, clauses: $0.clauses, updatedAt: $0.updatedAt)
        }
    }

    public func forgetPrograms(name: String?) throws -> [String] {
        try programs.forget(name: name)
    }
}

/// `logic/consult`: `name`, `program` → `name`, `clauses`.
public struct LogicConsultOperation: Operation {
    public let name = "logic/consult"
    let library: LogicLibrary

    /// Creates the op.
    public init(library: LogicLibrary) { self.library = library }

    public func plan(_ body: JSONObject, context: OperationContext) -> OperationPlan {
        let programName: String
        let text: String
        switch (
            LogicOperations.requiredString(body, "name", op: name),
            LogicOperations.requiredString(body, "program", op: name)
        ) {
        case (.failure(let error), _), (_, .failure(let error)): return .ready(.failure(error))
        case (.success(let validName), .success(let validText)): (programName, text) = (validName, validText)
        }
        let library = self.library
        let op = name
        return .pending {
            do throws(LogicLibraryError) {
                let program = try library.consult(name: programName, text: text)
                return .success(["name": .string(program.name), "clauses": JSONValue(program.clauses)])
            } catch {
                return .failure(LogicOperations.requestError(op, error))
            }
        }
    }
}

/// `logic/query`: `goal`, `name?`, `max_solutions?` → `solutions`, `more`, `output?`.
public struct LogicQueryOperation: Operation {
    public let name = "logic/query"
    let library: LogicLibrary
    /// The most solutions one query may ask for.
    public static let maxSolutionsCap = 1000

    /// Creates the op.
    public init(library: LogicLibrary) { self.library = library }

    public func plan(_ body: JSONObject, context: OperationContext) -> OperationPlan {
        let goal: String
        switch LogicOperations.requiredString(body, "goal", op: name) {
        case .failure(let error): return .ready(.failure(error))
        case .success(let valid): goal = valid
        }
        let programName: String?
        switch LogicOperations.optionalString(body, "name", op: name) {
        case .failure(let error): return .ready(.failure(error))
        case .success(let valid): programName = valid
        }
        var maxSolutions = 10
        if let value = body["max_solutions"], value != .null {
            guard case .number(let number) = value, let count = number.intValue, count >= 1 else {
                return .failure(.badRequest, "\(name): 'max_solutions' must be a positive integer")
            }
            maxSolutions = min(count, Self.maxSolutionsCap)
        }
        guard let knowledgeBase = library.knowledgeBase(named: programName) else {
            return .failure(.badRequest, "\(name): no program named '\(programName ?? "")' is loaded")
        }
        var limits = library.limits
        if let expiry = context.expiresAtMillis {
            let remaining = max(1, expiry - unixMillis())
            limits.timeout = min(limits.timeout, .milliseconds(remaining))
        }
        let op = name
        let queryLimits = limits
        let solutionCount = maxSolutions
        return .pending {
            do throws(PrologError) {
                let result = try await knowledgeBase.solveDetached(
                    goal, maxSolutions: solutionCount, limits: queryLimits)
                return .success(Self.data(result))
            } catch {
                return .failure(Self.requestError(op, error))
            }
        }
    }

    static func data(_ result: PrologResult) -> JSONObject {
        var data: JSONObject = [
            "solutions": .array(
                result.solutions.map { solution in
                    var object = JSONObject()
                    for binding in solution.bindings { object[binding.name] = .string(binding.text) }
                    return .object(object)
                }),
            "more": .bool(result.more),
        ]
        if !result.output.isEmpty { data["output"] = .string(result.output) }
        return data
    }

    static func requestError(_ op: String, _ error: PrologError) -> RequestError {
        switch error {
        case .syntax(let syntax):
            return RequestError(
                .badRequest, "\(op): 'goal' does not read: \(syntax.message) at column \(syntax.column)",
                data: ["line": JSONValue(syntax.line), "column": JSONValue(syntax.column)])
        case .limitExceeded(let limit):
            return RequestError(.timeout, "\(op): \(error)", data: ["limit": .string(limit.rawValue)])
        case .cancelled:
            return RequestError(.timeout, "\(op): \(error)")
        case .uncaught, .refused:
            return RequestError(.badRequest, "\(op): \(error)")
        }
    }
}

/// `logic/list` → `programs`: [{`name`, `clauses`, `updated_at`}].
public struct LogicListOperation: Operation {
    public let name = "logic/list"
    let library: LogicLibrary

    /// Creates the op.
    public init(library: LogicLibrary) { self.library = library }

    public func plan(_ body: JSONObject, context: OperationContext) -> OperationPlan {
        let programs = library.programs.map { program -> JSONValue in
            .object([
                "name": .string(program.name), "clauses": JSONValue(program.clauses),
                "updated_at": .string(program.updatedAt),
            ])
        }
        return .ok(["programs": .array(programs)])
    }
}

/// `logic/forget`: `name?` (all programs when absent) → `forgotten`: [names].
public struct LogicForgetOperation: Operation {
    public let name = "logic/forget"
    let library: LogicLibrary

    /// Creates the op.
    public init(library: LogicLibrary) { self.library = library }

    public func plan(_ body: JSONObject, context: OperationContext) -> OperationPlan {
        let programName: String?
        switch LogicOperations.optionalString(body, "name", op: name) {
        case .failure(let error): return .ready(.failure(error))
        case .success(let valid): programName = valid
        }
        do throws(LogicLibraryError) {
            let forgotten = try library.forget(name: programName)
            return .ok(["forgotten": .array(forgotten.map { .string($0) })])
        } catch {
            return .ready(.failure(LogicOperations.requestError(name, error)))
        }
    }
}
