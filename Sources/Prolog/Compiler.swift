/// Why a clause cannot be compiled.
struct CompileError: Error {
    enum Kind { case headNotCallable, bodyNotCallable, builtinRedefined }
    var kind: Kind
    /// The culprit, for error terms (a head, a body goal, or a predicate indicator).
    var culprit: Term
}

/// Compiles clauses and goals into templates and body instructions.
///
/// Output addresses are absolute: the code is meant to be placed at `base` in a code area. Variables are frame
/// slots numbered as in the `Term`; cut marks take the slots after them.
struct Compiler {
    /// Instructions (and head templates), placed at `base`.
    private var code: [Int] = []
    /// Structures of templates, placed right after the code; cells pointing into it are fixed up at the end.
    private var data: [Int] = []
    private var codeFixups: [Int] = []
    private var dataFixups: [Int] = []
    let base: Int
    private var frameSize: Int
    private var needsEnvironment = false

    init(base: Int, variables: Int) {
        self.base = base
        self.frameSize = variables
    }

    /// A template cell; `inData` when its payload is an offset into `data` still to be relocated.
    struct TemplateCell {
        var cell: Int
        var inData: Bool
    }

    private var here: Int { base + code.count }

    private mutating func emit(_ cells: Int...) {
        code.append(contentsOf: cells)
    }

    private mutating func emit(_ template: TemplateCell) {
        if template.inData { codeFixups.append(code.count) }
        code.append(template.cell)
    }

    private mutating func setData(_ index: Int, _ template: TemplateCell) {
        if template.inData { dataFixups.append(index) }
        data[index] = template.cell
    }

    /// The code and data as one block for `base`, with data pointers relocated.
    private func finished() -> [Int] {
        let shift = (base + code.count) << 3
        var result = code
        for index in codeFixups { result[index] += shift }
        var relocated = data
        for index in dataFixups { relocated[index] += shift }
        result.append(contentsOf: relocated)
        return result
    }

    // MARK: Templates

    /// The cell of `term` as a template, writing its structure into the data.
    mutating func template(_ term: Term, _ state: inout ProgramState) -> TemplateCell {
        switch term {
        case .atom(let name): return TemplateCell(cell: Cell.atom(state.atoms.intern(name)), inData: false)
        case .emptyList: return TemplateCell(cell: Cell.nilAtom, inData: false)
        case .int(let value):
            if Cell.fitsSmall(value) { return TemplateCell(cell: Cell.int(value), inData: false) }
            state.objects.append(.bigInt(.init(value)))
            return TemplateCell(cell: Cell.object(state.objects.count - 1), inData: false)
        case .bigInt(let value):
            if let small = value.asInt, Cell.fitsSmall(small) {
                return TemplateCell(cell: Cell.int(small), inData: false)
            }
            state.objects.append(.bigInt(value))
            return TemplateCell(cell: Cell.object(state.objects.count - 1), inData: false)
        case .float(let value):
            data.append(Int(bitPattern: UInt(value.bitPattern)))
            return TemplateCell(cell: Cell.float(data.count - 1), inData: true)
        case .string(let text):
            state.objects.append(.string(text))
            return TemplateCell(cell: Cell.object(state.objects.count - 1), inData: false)
        case .variable(let slot):
            return TemplateCell(cell: Cell.ref(slot), inData: false)
        case .compound("[|]", let arguments) where arguments.count == 2:
            return template(.list([arguments[0]], tail: arguments[1]), &state)
        case .list(let elements, let tail):
            // Two cells per element, the tail cell of each pointing at the next pair.
            guard !elements.isEmpty else { return template(tail, &state) }
            let first = data.count
            data.append(contentsOf: repeatElement(0, count: 2 * elements.count))
            for (offset, element) in elements.enumerated() {
                let cell = first + 2 * offset
                setData(cell, template(element, &state))
                if offset + 1 < elements.count {
                    setData(cell + 1, TemplateCell(cell: Cell.list(cell + 2), inData: true))
                } else {
                    setData(cell + 1, template(tail, &state))
                }
            }
            return TemplateCell(cell: Cell.list(first), inData: true)
        case .compound(let name, let arguments):
            let functor = state.functor(name, arguments.count)
            let index = data.count
            data.append(Cell.functor(functor))
            data.append(contentsOf: repeatElement(0, count: arguments.count))
            for (offset, argument) in arguments.enumerated() {
                setData(index + 1 + offset, template(argument, &state))
            }
            return TemplateCell(cell: Cell.str(index), inData: true)
        }
    }

    /// The first-argument index key of a head argument, as ``Machine`` computes it for a call.
    static func indexKey(_ term: Term, _ state: inout ProgramState) -> Int {
        switch term {
        case .atom(let name): return Cell.atom(state.atoms.intern(name))
        case .emptyList: return Cell.nilAtom
        case .int(let value): return Cell.fitsSmall(value) ? Cell.int(value) : Cell.object
        case .bigInt(let value):
            if let small = value.asInt, Cell.fitsSmall(small) { return Cell.int(small) }
            return Cell.object
        case .float: return Cell.float
        case .string: return Cell.object
        case .variable: return 0
        case .compound("[|]", let arguments) where arguments.count == 2: return Cell.functor(Functors.list)
        case .list(let elements, let tail):
            return elements.isEmpty ? indexKey(tail, &state) : Cell.functor(Functors.list)
        case .compound(let name, let arguments): return Cell.functor(state.functor(name, arguments.count))
        }
    }

    // MARK: Clauses

    /// Compiles a clause term (`Head :- Body` or a fact) with `variables` variables.
    static func compileClause(
        _ clause: Term, variables: Int, base: Int, state: inout ProgramState
    ) throws(CompileError) -> (code: [Int], info: ClauseInfo) {
        var head = clause
        var body = Term.atom("true")
        if case .compound(":-", let parts) = clause, parts.count == 2 {
            head = parts[0]
            body = parts[1]
        }
        let name: String
        let arguments: [Term]
        switch head {
        case .atom(let atom): (name, arguments) = (atom, [])
        case .compound(let functorName, let args): (name, arguments) = (functorName, args)
        case .emptyList: (name, arguments) = ("[]", [])
        case .list(let elements, let rest) where !elements.isEmpty:
            let tailTerm: Term = elements.count > 1 ? .list(Array(elements.dropFirst()), tail: rest) : rest
            (name, arguments) = ("[|]", [elements[0], tailTerm])
        default: throw CompileError(kind: .headNotCallable, culprit: head)
        }
        let functor =
            head == .emptyList ? state.functor(Atoms.nilAtom, 0) : state.functor(name, arguments.count)
        if state.builtins[functor] != 0 || Compiler.isControl(name, arguments.count) {
            throw CompileError(
                kind: .builtinRedefined, culprit: .compound("/", [.atom(name), .int(arguments.count)]))
        }
        var compiler = Compiler(base: base, variables: variables)
        // Head argument templates come first, at `base`, so the head address is known.
        for argument in arguments { compiler.emit(compiler.template(argument, &state)) }
        let termAddress = compiler.here
        compiler.emit(compiler.template(clause, &state))
        let bodyAddress = compiler.here
        try compiler.compileBody(body, &state)
        let key = arguments.isEmpty ? 0 : indexKey(arguments[0], &state)
        let info = ClauseInfo(
            functor: functor, head: base, body: bodyAddress, frameSize: compiler.frameSize, key: key, born: 0,
            died: Int.max, term: termAddress, termVariables: variables)
        return (compiler.finished(), info)
    }

    /// Compiles a goal to run as the body of an anonymous clause (queries and `call/1` of control constructs).
    static func compileGoal(
        _ goal: Term, variables: Int, base: Int, state: inout ProgramState
    ) throws(CompileError) -> (code: [Int], start: Int, frameSize: Int) {
        var compiler = Compiler(base: base, variables: variables)
        let start = compiler.here
        try compiler.compileBody(goal, &state)
        return (compiler.finished(), start, compiler.frameSize)
    }

    /// Whether `name/arity` is a control construct compiled inline (never a predicate of its own).
    static func isControl(_ name: String, _ arity: Int) -> Bool {
        switch (name, arity) {
        case (",", 2), (";", 2), ("->", 2), ("*->", 2), ("!", 0), ("|", 2): true
        default: false
        }
    }

    private mutating func compileBody(_ body: Term, _ state: inout ProgramState) throws(CompileError) {
        needsEnvironment = Self.needsEnvironment(body)
        if needsEnvironment { emit(Op.allocate) }
        try compileGoal(body, tail: true, cutSlot: nil, &state)
    }

    /// Whether a body needs an environment: anything but inline goals followed by at most one call.
    private static func needsEnvironment(_ body: Term) -> Bool {
        var goals: [Term] = []
        var rest = body
        while case .compound(",", let parts) = rest, parts.count == 2 {
            goals.append(parts[0])
            rest = parts[1]
        }
        goals.append(rest)
        for (index, goal) in goals.enumerated() {
            switch classify(goal) {
            case .control: return true
            case .inline: continue
            case .call: if index != goals.count - 1 { return true }
            }
        }
        return false
    }

    private enum GoalKind { case control, inline, call }

    private static func classify(_ goal: Term) -> GoalKind {
        switch goal {
        case .atom("!"), .atom("true"), .atom("fail"), .atom("false"): return .inline
        case .compound(let name, let arguments):
            switch (name, arguments.count) {
            case (";", 2), ("->", 2), ("*->", 2), ("\\+", 1), ("|", 2), (",", 2): return .control
            case ("=", 2), ("\\=", 2), ("is", 2), ("<", 2), (">", 2), ("=<", 2), (">=", 2), ("=:=", 2),
                ("=\\=", 2):
                return .inline
            case (let test, 1) where typeTests[test] != nil: return .inline
            default: return .call
            }
        default: return .call
        }
    }

    /// Inline type tests and their numbers.
    static let typeTests: [String: Int] = [
        "var": 0, "nonvar": 1, "atom": 2, "number": 3, "integer": 4, "float": 5, "atomic": 6, "compound": 7,
        "callable": 8, "is_list": 9, "string": 10, "ground": 11,
    ]

    static let comparisons: [String: Int] = ["<": 0, ">": 1, "=<": 2, ">=": 3, "=:=": 4, "=\\=": 5]

    private mutating func newSlot() -> Int {
        frameSize += 1
        return frameSize - 1
    }

    /// Leaves the clause: the caller's continuation.
    private mutating func emitExit() {
        if needsEnvironment { emit(Op.deallocate) }
        emit(Op.proceed)
    }

    private mutating func patch(_ address: Int, _ value: Int) {
        code[address - base] = value
    }

    private mutating func compileGoal(
        _ goal: Term, tail: Bool, cutSlot: Int?, _ state: inout ProgramState
    ) throws(CompileError) {
        switch goal {
        case .variable:
            try compileCall("call", [goal], tail: tail, &state)
        case .atom("true"):
            if tail { emitExit() }
        case .atom("fail"), .atom("false"):
            emit(Op.fail)
        case .atom("!"):
            if let slot = cutSlot { emit(Op.cutTo, slot) } else { emit(Op.cut) }
            if tail { emitExit() }
        case .compound(",", let parts) where parts.count == 2:
            try compileGoal(parts[0], tail: false, cutSlot: cutSlot, &state)
            try compileGoal(parts[1], tail: tail, cutSlot: cutSlot, &state)
        case .compound(let name, let parts) where (name == ";" || name == "|") && parts.count == 2:
            if case .compound("->", let branch) = parts[0], branch.count == 2 {
                try compileIfThenElse(branch[0], branch[1], parts[1], soft: false, tail: tail, cutSlot, &state)
            } else if case .compound("*->", let branch) = parts[0], branch.count == 2 {
                try compileIfThenElse(branch[0], branch[1], parts[1], soft: true, tail: tail, cutSlot, &state)
            } else {
                let tryAddress = here
                emit(Op.tryElse, 0)
                try compileGoal(parts[0], tail: tail, cutSlot: cutSlot, &state)
                var jumpAddress: Int?
                if !tail {
                    jumpAddress = here
                    emit(Op.jump, 0)
                }
                patch(tryAddress + 1, here)
                try compileGoal(parts[1], tail: tail, cutSlot: cutSlot, &state)
                if let jump = jumpAddress { patch(jump + 1, here) }
            }
        case .compound("->", let parts) where parts.count == 2:
            try compileIfThenElse(parts[0], parts[1], .atom("fail"), soft: false, tail: tail, cutSlot, &state)
        case .compound("*->", let parts) where parts.count == 2:
            try compileGoal(.compound(",", parts), tail: tail, cutSlot: cutSlot, &state)
        case .compound("\\+", let parts) where parts.count == 1:
            let mark = newSlot()
            emit(Op.mark, mark)
            let tryAddress = here
            emit(Op.tryElse, 0)
            let innerCut = newSlot()
            emit(Op.mark, innerCut)
            try compileGoal(parts[0], tail: false, cutSlot: innerCut, &state)
            emit(Op.cutTo, mark)
            emit(Op.fail)
            patch(tryAddress + 1, here)
            if tail { emitExit() }
        case .compound("=", let parts) where parts.count == 2:
            emitInline(Op.unify, nil, parts, &state)
            if tail { emitExit() }
        case .compound("\\=", let parts) where parts.count == 2:
            emitInline(Op.notUnify, nil, parts, &state)
            if tail { emitExit() }
        case .compound("is", let parts) where parts.count == 2:
            emitInline(Op.isOp, nil, parts, &state)
            if tail { emitExit() }
        case .compound(let name, let parts) where parts.count == 2 && Self.comparisons[name] != nil:
            emitInline(Op.arithCompare, Self.comparisons[name]!, parts, &state)
            if tail { emitExit() }
        case .compound(let name, let parts) where parts.count == 1 && Self.typeTests[name] != nil:
            emitInline(Op.typeTest, Self.typeTests[name]!, parts, &state)
            if tail { emitExit() }
        case .compound(":", let parts) where parts.count == 2:
            // Module-qualified goals run in the one module there is.
            try compileGoal(parts[1], tail: tail, cutSlot: cutSlot, &state)
        case .atom(let name):
            try compileCall(name, [], tail: tail, &state)
        case .emptyList:
            try compileCall("[]", [], tail: tail, &state)
        case .list(let elements, let rest) where !elements.isEmpty:
            let tailTerm: Term = elements.count > 1 ? .list(Array(elements.dropFirst()), tail: rest) : rest
            try compileCall("[|]", [elements[0], tailTerm], tail: tail, &state)
        case .compound(let name, let arguments):
            try compileCall(name, arguments, tail: tail, &state)
        default:
            throw CompileError(kind: .bodyNotCallable, culprit: goal)
        }
    }

    private mutating func compileIfThenElse(
        _ condition: Term, _ then: Term, _ otherwise: Term, soft: Bool, tail: Bool, _ cutSlot: Int?,
        _ state: inout ProgramState
    ) throws(CompileError) {
        let mark = newSlot()
        emit(Op.mark, mark)
        let tryAddress = here
        emit(Op.tryElse, 0)
        let innerCut = newSlot()
        emit(Op.mark, innerCut)
        try compileGoal(condition, tail: false, cutSlot: innerCut, &state)
        emit(soft ? Op.softCut : Op.cutTo, mark)
        try compileGoal(then, tail: tail, cutSlot: cutSlot, &state)
        var jumpAddress: Int?
        if !tail {
            jumpAddress = here
            emit(Op.jump, 0)
        }
        patch(tryAddress + 1, here)
        try compileGoal(otherwise, tail: tail, cutSlot: cutSlot, &state)
        if let jump = jumpAddress { patch(jump + 1, here) }
    }

    private mutating func compileCall(
        _ name: String, _ arguments: [Term], tail: Bool, _ state: inout ProgramState
    ) throws(CompileError) {
        let functor =
            name == "[]" && arguments.isEmpty
            ? state.functor(Atoms.nilAtom, 0)
            : state.functor(
                name, arguments.count)
        var cells: [TemplateCell] = []
        cells.reserveCapacity(arguments.count)
        for argument in arguments { cells.append(template(argument, &state)) }
        if tail && needsEnvironment { emit(Op.deallocate) }
        emit(tail ? Op.execute : Op.call, functor)
        for cell in cells { emit(cell) }
    }

    /// An inline instruction: opcode, an optional operand, then one template per argument.
    private mutating func emitInline(_ op: Int, _ operand: Int?, _ arguments: [Term], _ state: inout ProgramState) {
        var cells: [TemplateCell] = []
        for argument in arguments { cells.append(template(argument, &state)) }
        emit(op)
        if let operand { emit(operand) }
        for cell in cells { emit(cell) }
    }
}
