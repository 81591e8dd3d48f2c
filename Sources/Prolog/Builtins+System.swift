/// Operators, global variables, flags and statistics.
extension Machine {
    mutating func opBuiltin() -> BuiltinResult {
        let priority = deref(A[0])
        let type = deref(A[1])
        let names = deref(A[2])
        if priority & 7 == Cell.ref || type & 7 == Cell.ref || names & 7 == Cell.ref { return instantiationError() }
        guard priority & 7 == Cell.int else { return typeError(Atoms.integer, priority) }
        guard (0...1200).contains(priority >> 3) else { return domainError(Atoms.operatorPriority, priority) }
        guard type & 7 == Cell.atom else { return typeError(Atoms.atom, type) }
        guard let operatorType = OperatorType(rawValue: state.atoms[type >> 3]) else {
            return domainError(Atoms.operatorSpecifier, type)
        }
        var targets: [Int] = []
        if names & 7 == Cell.atom {
            targets = [names]
        } else if let elements = listElements(names) {
            targets = elements.map { deref($0) }
        } else {
            return typeError(Atoms.list, names)
        }
        for target in targets {
            if target & 7 == Cell.ref { return instantiationError() }
            guard target & 7 == Cell.atom else { return typeError(Atoms.atom, target) }
            let name = state.atoms[target >> 3]
            if name == "," || (name == "|" && (priority >> 3 < 1001 && priority >> 3 != 0)) {
                return permissionError(Atoms.modify, Atoms.operatorAtom, target)
            }
            state.operators.define(name, priority: priority >> 3, type: operatorType)
        }
        return .proceed
    }

    /// `'$current_op'(List)`: every operator as `op(Priority, Type, Name)`.
    mutating func currentOpBuiltin() -> BuiltinResult {
        var cells: [Int] = []
        let operatorFunctor = state.functor(Atoms.op, 3)
        for (name, definition) in state.operators.all.sorted(by: { $0.name < $1.name }) {
            guard ensureHeap(4) else { return .fail }
            cells.append(
                makeStructure(
                    operatorFunctor,
                    [Cell.int(definition.priority), makeAtom(definition.type.rawValue), makeAtom(name)]))
        }
        guard let list = makeList(cells) else { return .fail }
        return unify(A[0], list) ? .proceed : .fail
    }

    mutating func setGlobalBuiltin() -> BuiltinResult {
        let key = deref(A[0])
        if key & 7 == Cell.ref { return instantiationError() }
        guard key & 7 == Cell.atom else { return typeError(Atoms.atom, key) }
        guard let copy = relocatableCopy(A[1]) else { return .fail }
        state.globals[key >> 3] = copy
        return .proceed
    }

    mutating func getGlobalBuiltin() -> BuiltinResult {
        let key = deref(A[0])
        if key & 7 == Cell.ref { return instantiationError() }
        guard key & 7 == Cell.atom else { return typeError(Atoms.atom, key) }
        guard let copy = state.globals[key >> 3] else {
            guard ensureHeap(8) else { return .fail }
            return existenceError(makeAtomNumber("variable"), key)
        }
        guard let cell = copyIn(copy) else { return .fail }
        return unify(A[1], cell) ? .proceed : .fail
    }

    private mutating func makeAtomNumber(_ name: String) -> Int { state.atoms.intern(name) }

    mutating func setFlagBuiltin() -> BuiltinResult {
        let flag = deref(A[0])
        let value = deref(A[1])
        if flag & 7 == Cell.ref || value & 7 == Cell.ref { return instantiationError() }
        guard flag & 7 == Cell.atom else { return typeError(Atoms.atom, flag) }
        switch state.atoms[flag >> 3] {
        case "unknown":
            guard value & 7 == Cell.atom else { return typeError(Atoms.atom, value) }
            state.unknownFails = state.atoms[value >> 3] == "fail"
        case "double_quotes", "occurs_check", "prefer_rationals":
            break
        default:
            guard ensureHeap(8) else { return .fail }
            return domainError(makeAtomNumber("prolog_flag"), flag)
        }
        return .proceed
    }

    mutating func currentFlagBuiltin() -> BuiltinResult {
        let flag = deref(A[0])
        guard flag & 7 == Cell.atom else { return flag & 7 == Cell.ref ? instantiationError() : .fail }
        let value: Int
        switch state.atoms[flag >> 3] {
        case "bounded": value = makeAtom("false")
        case "max_integer": value = makeInteger(Int.max)
        case "min_integer": value = makeInteger(Int.min)
        case "max_tagged_integer": value = Cell.int(Cell.maxInt)
        case "min_tagged_integer": value = Cell.int(Cell.minInt)
        case "unknown": value = makeAtom(state.unknownFails ? "fail" : "error")
        case "double_quotes": value = makeAtom("codes")
        case "max_arity": value = makeAtom("unbounded")
        default: return .fail
        }
        return unify(A[1], value) ? .proceed : .fail
    }

    mutating func statisticsBuiltin() -> BuiltinResult {
        let key = deref(A[0])
        guard key & 7 == Cell.atom else { return key & 7 == Cell.ref ? instantiationError() : .fail }
        let elapsed = ContinuousClock.now - (deadline - limits.timeout)
        let milliseconds = Int(
            elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        guard ensureHeap(8) else { return .fail }
        let value: Int
        switch state.atoms[key >> 3] {
        case "runtime", "cputime", "process_cputime", "real_time", "walltime":
            value = makeList([Cell.int(milliseconds), Cell.int(0)]) ?? Cell.nilAtom
        case "inferences": value = makeInteger(inferences)
        default:
            return domainError(makeAtomNumber("statistics_key"), key)
        }
        return unify(A[1], value) ? .proceed : .fail
    }

    /// `'$defined_predicates'(List)`: `Name/Arity` of every predicate with clauses or declared dynamic.
    mutating func definedPredicatesBuiltin() -> BuiltinResult {
        var cells: [Int] = []
        for functor in 0..<state.predicates.count {
            let predicate = state.predicates[functor]
            guard !predicate.isLibrary, predicate.isDynamic || !predicate.clauses.isEmpty else { continue }
            let name = state.atoms[state.functors.name(functor)]
            if name.hasPrefix("$") { continue }
            guard ensureHeap(4) else { return .fail }
            cells.append(indicator(functor))
        }
        guard let list = makeList(cells) else { return .fail }
        return unify(A[0], list) ? .proceed : .fail
    }
}
