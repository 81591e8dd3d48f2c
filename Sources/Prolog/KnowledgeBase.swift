/// A compiled Prolog program: the library and every text consulted into it. It is an immutable value once built;
/// each query runs on its own copy, so queries never change it (`assert/1` in a query lasts for that query).
public struct KnowledgeBase: Sendable {
    var state: ProgramState
    /// How many clauses were consulted from program text (the library not counted).
    public private(set) var clauseCount = 0

    /// The library alone.
    public init() {
        state = KnowledgeBase.library
    }

    /// The library plus `text`.
    /// - Throws: ``PrologSyntaxError`` with the line and column of the first problem.
    public init(consulting text: String) throws(PrologSyntaxError) {
        self.init()
        try consult(text)
    }

    /// The compiled library, built once.
    static let library: ProgramState = {
        var state = ProgramState()
        var base = KnowledgeBase(state: state)
        do {
            try base.load(Prelude.source, asLibrary: true)
        } catch {
            preconditionFailure("the Prolog library does not compile: \(error)")
        }
        state = base.state
        return state
    }()

    private init(state: ProgramState) {
        self.state = state
    }

    /// Adds the clauses of `text`; returns how many it had. Directives `dynamic/1`, `discontiguous/1` and `op/3`
    /// take effect; `initialization/1`, `module/2`, `use_module/1,2` and `ensure_loaded/1` are accepted and ignored;
    /// other directive goals run once, as queries would. DCG rules (`-->`) are translated.
    /// - Throws: ``PrologSyntaxError`` for text that does not read, clauses that cannot be compiled (a head that
    ///   is not callable, a builtin redefined) and directives that raise an error.
    @discardableResult
    public mutating func consult(_ text: String) throws(PrologSyntaxError) -> Int {
        var copy = self
        let added = try LargeStack.run { () throws(PrologSyntaxError) -> Int in
            try copy.load(text, asLibrary: false)
        }
        self = copy
        clauseCount += added
        return added
    }

    /// Checks that `text` consults; returns its clause count without keeping anything.
    public static func validate(_ text: String) throws(PrologSyntaxError) -> Int {
        var scratch = KnowledgeBase()
        return try scratch.consult(text)
    }

    /// Predicate indicators (`name/arity`) the consulted text defined.
    public var definedPredicates: [String] {
        var result: [String] = []
        for functor in 0..<state.predicates.count where state.predicates[functor].isUser {
            result.append("\(state.atoms[state.functors.name(functor)])/\(state.functors.arity(functor))")
        }
        return result
    }

    // MARK: Loading

    @discardableResult
    private mutating func load(_ text: String, asLibrary: Bool) throws(PrologSyntaxError) -> Int {
        var reader = Reader(text, operators: state.operators)
        var added = 0
        var replaced = Set<Int>()
        while let read = try reader.next() {
            try Self.checkDepth(read)
            var term = read.term
            var variables = read.variableNames.count
            if case .compound(let neck, let parts) = term, parts.count == 1, neck == ":-" || neck == "?-" {
                try directive(parts[0], read: read)
                reader.operators = state.operators
                continue
            }
            if case .compound("-->", let parts) = term, parts.count == 2 {
                var translator = DCGTranslator(nextVariable: variables)
                guard let translated = translator.translate(head: parts[0], body: parts[1]) else {
                    throw PrologSyntaxError("cannot translate the grammar rule", line: read.line, column: 1)
                }
                term = translated
                variables = translator.nextVariable
            }
            try addClause(term, variables: variables, line: read.line, asLibrary: asLibrary, replaced: &replaced)
            added += 1
        }
        return added
    }

    private static func checkDepth(_ read: ReadClause) throws(PrologSyntaxError) {
        var pending: [(Term, Int)] = [(read.term, 0)]
        while let (term, depth) = pending.popLast() {
            if depth > Parser.maxNesting {
                throw PrologSyntaxError("term nested too deeply", line: read.line, column: 1)
            }
            switch term {
            case .compound(_, let arguments):
                for argument in arguments { pending.append((argument, depth + 1)) }
            case .list(let elements, let tail):
                for element in elements { pending.append((element, depth + 1)) }
                pending.append((tail, depth))
            default:
                break
            }
        }
    }

    private mutating func addClause(
        _ term: Term, variables: Int, line: Int, asLibrary: Bool, replaced: inout Set<Int>
    ) throws(PrologSyntaxError) {
        let compiled: (code: [Int], info: ClauseInfo)
        do {
            compiled = try Compiler.compileClause(term, variables: variables, base: state.code.count, state: &state)
        } catch {
            throw PrologSyntaxError(Self.describe(error), line: line, column: 1)
        }
        let functor = compiled.info.functor
        if !asLibrary && state.predicates[functor].isLibrary && !replaced.contains(functor) {
            // A user definition replaces the library's.
            state.predicates[functor].clauses = []
            state.predicates[functor].index = nil
            state.predicates[functor].isLibrary = false
            replaced.insert(functor)
        }
        state.code += compiled.code
        let id = state.clauses.count
        state.clauses.append(compiled.info)
        state.predicates[functor].clauses.append(id)
        state.predicates[functor].index = nil
        if asLibrary {
            state.predicates[functor].isLibrary = true
        } else {
            state.predicates[functor].isUser = true
        }
    }

    private static func describe(_ error: CompileError) -> String {
        switch error.kind {
        case .headNotCallable: "the head of a clause must be an atom or a compound term"
        case .bodyNotCallable: "a goal in the body is not callable"
        case .builtinRedefined:
            if case .compound("/", let parts) = error.culprit, case .atom(let name) = parts[0],
                case .int(let arity) = parts[1]
            {
                "no permission to modify the builtin predicate \(name)/\(arity)"
            } else {
                "no permission to modify a builtin predicate"
            }
        }
    }

    private mutating func directive(_ goal: Term, read: ReadClause) throws(PrologSyntaxError) {
        switch goal {
        case .compound("dynamic", let parts) where parts.count == 1:
            try declareDynamic(parts[0], line: read.line)
        case .compound("discontiguous", _), .compound("initialization", _), .compound("module", _),
            .compound("use_module", _), .compound("ensure_loaded", _), .compound("set_prolog_flag", _),
            .compound("style_check", _), .compound("table", _):
            break
        default:
            try runDirective(goal, read: read)
        }
    }

    private mutating func declareDynamic(_ spec: Term, line: Int) throws(PrologSyntaxError) {
        switch spec {
        case .compound(",", let parts) where parts.count == 2:
            try declareDynamic(parts[0], line: line)
            try declareDynamic(parts[1], line: line)
        case .list(let elements, _):
            for element in elements { try declareDynamic(element, line: line) }
        case .emptyList:
            break
        case .compound("/", let parts) where parts.count == 2:
            guard case .atom(let name) = parts[0], case .int(let arity) = parts[1], arity >= 0 else {
                throw PrologSyntaxError("dynamic/1 expects Name/Arity", line: line, column: 1)
            }
            let functor = state.functor(name, arity)
            if state.builtins[functor] != 0 {
                throw PrologSyntaxError(
                    "no permission to modify the builtin predicate \(name)/\(arity)", line: line, column: 1)
            }
            if state.predicates[functor].isLibrary {
                state.predicates[functor].clauses = []
                state.predicates[functor].index = nil
                state.predicates[functor].isLibrary = false
            }
            state.predicates[functor].isDynamic = true
            state.predicates[functor].isUser = true
        default:
            throw PrologSyntaxError("dynamic/1 expects Name/Arity", line: line, column: 1)
        }
    }

    /// Runs a directive goal once against the program so far; its changes (assert, op) are kept.
    private mutating func runDirective(_ goal: Term, read: ReadClause) throws(PrologSyntaxError) {
        var machine = Machine(state: state, limits: PrologLimits(), cancellation: nil)
        do {
            _ = try machine.start(goal, variableNames: read.variableNames)
        } catch {
            throw PrologSyntaxError("the directive cannot run: \(error)", line: read.line, column: 1)
        }
        switch machine.run() {
        case .solution, .failed:
            break
        case .stopped:
            let reason = machine.failure.map { "\($0)" } ?? "stopped"
            throw PrologSyntaxError("the directive raised an error: \(reason)", line: read.line, column: 1)
        }
        state = machine.exportState()
    }
}
