import ExactMath

/// A clause as compiled: where its head templates and body code are, and when it is visible.
struct ClauseInfo: Sendable {
    /// The predicate's functor.
    var functor: Int
    /// Code address of the head's argument templates (one cell per argument).
    var head: Int
    /// Code address of the first body instruction.
    var body: Int
    /// Frame cells the clause needs: its variables plus cut marks.
    var frameSize: Int
    /// First-argument index key: 0 when the first argument is a variable (or there is none).
    var key: Int
    /// The generation from which the clause is visible, and the one from which it is not (logical update view).
    var born: Int
    var died: Int
    /// Code address of a template of the whole clause, `Head :- Body` or `Head`, for `clause/2` and `retract/1`.
    var term: Int
    /// Variables in the clause term template.
    var termVariables: Int
}

/// A predicate: its clauses in order, or the builtin that implements it.
struct Predicate: Sendable {
    var clauses: [Int] = []
    var isDynamic = false
    /// Defined by the library prelude: a user program's own definition replaces it.
    var isLibrary = false
    /// Defined by the user; guards the "replace library definition" step when consulting.
    var isUser = false
    /// Incremented when clause positions move (`asserta`), so a retrying choicepoint re-finds its place.
    var epoch = 0
    /// Positions of the clauses by first-argument key, for predicates with many clauses; built on first use and
    /// dropped when the clause list changes.
    var index: ClauseIndex?
}

/// Clause positions by first-argument key: for each key, the positions of the clauses with that key or with a
/// variable first argument, in order.
final class ClauseIndex: Sendable {
    let byKey: [Int: [Int]]
    /// Positions of clauses whose first argument is a variable (the candidates for a key no clause has).
    let unkeyed: [Int]

    /// Predicates with more clauses than this get an index.
    static let threshold = 8

    init(clauses: [Int], infos: [ClauseInfo]) {
        var unkeyed: [Int] = []
        var keyed: [Int: [Int]] = [:]
        for (position, clause) in clauses.enumerated() {
            let key = infos[clause].key
            if key == 0 { unkeyed.append(position) } else { keyed[key, default: []].append(position) }
        }
        var byKey: [Int: [Int]] = [:]
        for (key, positions) in keyed {
            // Merge the two sorted lists.
            var merged: [Int] = []
            merged.reserveCapacity(positions.count + unkeyed.count)
            var i = 0
            var j = 0
            while i < positions.count || j < unkeyed.count {
                if j >= unkeyed.count || (i < positions.count && positions[i] < unkeyed[j]) {
                    merged.append(positions[i])
                    i += 1
                } else {
                    merged.append(unkeyed[j])
                    j += 1
                }
            }
            byKey[key] = merged
        }
        self.byKey = byKey
        self.unkeyed = unkeyed
    }

    /// The candidate positions for `key`.
    func candidates(_ key: Int) -> [Int] { byKey[key] ?? unkeyed }
}

/// A value too large for a cell: a big integer or a string.
enum HeapObject: Sendable, Equatable {
    case bigInt(BigInt)
    case string(String)
}

/// Everything a compiled program holds: symbols, code, clauses, predicates, operators and flags. A query's machine
/// starts from a copy (arrays are copy-on-write, so starting is cheap) and may change its copy freely.
struct ProgramState: Sendable {
    var atoms = AtomTable()
    var functors = FunctorTable()
    var operators = OperatorTable.standard
    var objects: [HeapObject] = []
    /// The code area: clause templates and body instructions.
    var code: [Int] = []
    var clauses: [ClauseInfo] = []
    /// Indexed by functor number.
    var predicates: [Predicate] = []
    /// Builtin number by functor (0: none).
    var builtins: [Int] = []
    /// `ArithmeticFunction` raw value by functor (for evaluable functors; others are beyond its end or 0).
    var arithmetic: [Int] = []
    /// Global variables (`nb_setval/2`): stored as relocatable term copies.
    var globals: [Int: [Int]] = [:]
    /// Flags set by `set_prolog_flag/2` that change behaviour (`unknown`, `double_quotes`).
    var unknownFails = false
    /// The next generation number for the logical update view.
    var generation = 1

    init() {
        code = SystemCode.block
        for (name, arity) in Functors.wellKnown { _ = functor(name, arity) }
        registerBuiltins()
    }

    /// Interns `name/arity` and makes sure the per-functor tables cover it.
    mutating func functor(_ name: Int, _ arity: Int) -> Int {
        let number = functors.intern(name, arity)
        if number >= predicates.count {
            predicates.append(contentsOf: repeatElement(Predicate(), count: number + 1 - predicates.count))
            builtins.append(contentsOf: repeatElement(0, count: number + 1 - builtins.count))
        }
        return number
    }

    mutating func functor(_ name: String, _ arity: Int) -> Int {
        functor(atoms.intern(name), arity)
    }

    /// Whether `functor` has clauses, is dynamic, or is a builtin.
    func isDefined(_ functor: Int) -> Bool {
        guard functor < predicates.count else { return false }
        return builtins[functor] != 0 || predicates[functor].isDynamic || !predicates[functor].clauses.isEmpty
    }
}

/// Instructions of compiled clause bodies, and the fixed system code at the start of every code area.
enum Op {
    /// `call F, args`: call predicate F with arguments built from the templates at `args`.
    static let call = 1
    /// `execute F, args`: the same as the last goal of a body (the caller's continuation is reused).
    static let execute = 2
    static let allocate = 3
    static let deallocate = 4
    static let proceed = 5
    static let cut = 6
    /// `try_else L`: push a choicepoint that resumes at L.
    static let tryElse = 7
    static let jump = 8
    /// `mark S`: remember the choicepoint height in frame slot S.
    static let mark = 9
    /// `cut_to S`: cut back to the height in frame slot S.
    static let cutTo = 10
    /// `soft_cut S`: disable the choicepoint just above the height in slot S (`*->`).
    static let softCut = 11
    static let fail = 12
    /// `unify A, B`: inline `=/2` on two templates.
    static let unify = 13
    /// `is A, E`: inline `is/2`.
    static let isOp = 14
    /// `compare K, A, B`: inline arithmetic comparison K (0 `<`, 1 `>`, 2 `=<`, 3 `>=`, 4 `=:=`, 5 `=\=`).
    static let arithCompare = 15
    /// `stop`: the query's goal succeeded.
    static let stop = 16
    /// Continuations of control builtins (see `SystemCode`).
    static let catchExit = 17
    static let findallCollect = 18
    static let callCleanupExit = 19
    /// `type T, A`: inline type test T on template A.
    static let typeTest = 20
    /// `unify_var S, A`: bind a fresh frame slot to a template without a general unification.
    static let notUnify = 21
    static let popCatch = 22
}

/// Fixed code at the start of every code area: the continuations the engine jumps to.
enum SystemCode {
    static let stop = 0
    static let catchExit = 1
    static let findallCollect = 2
    static let fail = 3
    static let proceed = 4
    static let callCleanupExit = 5
    static let trueCode = 6
    static let block: [Int] = [
        Op.stop, Op.catchExit, Op.findallCollect, Op.fail, Op.proceed, Op.callCleanupExit,
        Op.proceed, 0,
    ]
}
