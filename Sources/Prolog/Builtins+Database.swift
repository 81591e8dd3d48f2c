/// `assert/1`, `retract/1`, `clause/2` and friends: changes to the query's own copy of the program.
extension Machine {
    /// The functor of a clause head, or nil after raising the right error.
    private mutating func headFunctor(_ head: Int) -> Int? {
        let value = deref(head)
        switch value & 7 {
        case Cell.ref:
            raise(Cell.atom(Atoms.instantiationError))
            return nil
        case Cell.atom: return state.functor(value >> 3, 0)
        case Cell.str: return heap[value >> 3] >> 3
        case Cell.list: return Functors.list
        default:
            guard ensureHeap(8) else { return nil }
            raise(makeStructure(Functors.typeError, [Cell.atom(Atoms.callable), value]))
            return nil
        }
    }

    /// Splits `Head :- Body` (or a fact) into its parts.
    private func clauseParts(_ cell: Int) -> (head: Int, body: Int) {
        let value = deref(cell)
        if value & 7 == Cell.str && heap[value >> 3] == Cell.functor(Functors.clause) {
            return (heap[(value >> 3) + 1], heap[(value >> 3) + 2])
        }
        return (value, Cell.trueAtom)
    }

    /// Whether clauses of `functor` may be changed; raises a permission error when not.
    private mutating func modifiable(_ functor: Int) -> Bool {
        let predicate = state.predicates[functor]
        if state.builtins[functor] != 0 || isControlFunctor(functor)
            || (!predicate.isDynamic && !predicate.clauses.isEmpty)
        {
            guard ensureHeap(16) else { return false }
            let formal = makeStructure(
                Functors.permissionError,
                [Cell.atom(Atoms.modify), Cell.atom(Atoms.staticProcedure), indicator(functor)])
            raise(formal)
            return false
        }
        return true
    }

    private func isControlFunctor(_ functor: Int) -> Bool {
        Compiler.isControl(state.atoms[state.functors.name(functor)], arity(functor))
    }

    mutating func assertBuiltin(atEnd: Bool) -> BuiltinResult {
        let clause = deref(A[0])
        let (head, body) = clauseParts(clause)
        guard let functor = headFunctor(head) else { return raisePending() }
        guard modifiable(functor) else { return raisePending() }
        let bodyValue = deref(body)
        if bodyValue & 7 == Cell.int || bodyValue & 7 == Cell.float || bodyValue & 7 == Cell.object {
            return typeError(Atoms.callable, bodyValue)
        }
        var variables: [Int] = []
        var numbers: [Int: Int] = [:]
        guard let term = toTerm(clause, &variables, &numbers) else {
            if failure == nil { failure = .limitExceeded(.depth) }
            return .fail
        }
        let compiled: (code: [Int], info: ClauseInfo)
        do {
            compiled = try Compiler.compileClause(term, variables: variables.count, base: codeTop, state: &state)
        } catch {
            return typeError(Atoms.callable, body)
        }
        if compiled.code.count > heapCapacity - heapLimit {
            failure = .limitExceeded(.memory)
            return .fail
        }
        appendCode(compiled.code)
        codeFloor = codeTop
        addClause(compiled.info, atEnd: atEnd)
        return .proceed
    }

    /// Adds a compiled clause to its (dynamic) predicate, visible from the next generation.
    mutating func addClause(_ compiled: ClauseInfo, atEnd: Bool) {
        var info = compiled
        state.generation += 1
        info.born = state.generation
        let id = state.clauses.count
        state.clauses.append(info)
        state.predicates[info.functor].isDynamic = true
        state.predicates[info.functor].index = nil
        if atEnd {
            state.predicates[info.functor].clauses.append(id)
        } else {
            state.predicates[info.functor].clauses.insert(id, at: 0)
            state.predicates[info.functor].epoch += 1
        }
    }

    /// Builds a fresh copy of a clause's `Head :- Body` on the heap.
    mutating func instantiateClause(_ clause: Int) -> (head: Int, body: Int) {
        let info = state.clauses[clause]
        let frame = H
        H += info.termVariables
        for index in 0..<info.termVariables { heap[frame + index] = 0 }
        let savedFR = FR
        FR = frame
        let term = resolve(code[info.term])
        FR = savedFR
        return clauseParts(term)
    }

    /// Tries clauses of `functor` from `position` on (visible at `generation`): the first whose head and body
    /// unify with A[0]'s parts. Leaves a redo choicepoint when more may follow; kills the clause when retracting.
    private mutating func matchClause(
        _ functor: Int, head: Int, body: Int, from position: Int, generation: Int, retracting: Bool
    ) -> BuiltinResult {
        let clauses = state.predicates[functor].clauses
        var index = position
        while index < clauses.count {
            let clause = clauses[index]
            index += 1
            let info = state.clauses[clause]
            guard info.born <= generation && generation < info.died else { continue }
            if retracting && info.died != Int.max { continue }
            guard ensureHeap(0), countWork() else { return .fail }
            let mark = H
            let savedHB = HB
            HB = H
            let trailMark = TR
            let (storedHead, storedBody) = instantiateClause(clause)
            let matches = unify(head, storedHead) && unify(body, storedBody)
            undoTrail(to: trailMark)
            HB = savedHB
            H = mark
            guard matches else { continue }
            guard pushRedo(currentBuiltin, state: index, generation: generation) else { return .fail }
            let (freshHead, freshBody) = instantiateClause(clause)
            guard unify(head, freshHead) && unify(body, freshBody) else { return .fail }
            if retracting {
                state.generation += 1
                state.clauses[clause].died = state.generation
            }
            return .proceed
        }
        return .fail
    }

    mutating func retractBuiltin() -> BuiltinResult {
        retractRedo(0, generation: state.generation)
    }

    mutating func retractRedo(_ position: Int, generation: Int) -> BuiltinResult {
        let (head, body) = clauseParts(A[0])
        guard let functor = headFunctor(head) else { return raisePending() }
        if state.predicates[functor].clauses.isEmpty { return .fail }
        if !state.predicates[functor].isDynamic {
            guard modifiable(functor) else { return raisePending() }
        }
        return matchClause(functor, head: head, body: body, from: position, generation: generation, retracting: true)
    }

    mutating func clauseBuiltin() -> BuiltinResult {
        clauseRedo(0, generation: state.generation)
    }

    mutating func clauseRedo(_ position: Int, generation: Int) -> BuiltinResult {
        let head = A[0]
        guard let functor = headFunctor(head) else { return raisePending() }
        let bodyValue = deref(A[1])
        if bodyValue & 7 == Cell.int || bodyValue & 7 == Cell.float {
            return typeError(Atoms.callable, bodyValue)
        }
        if state.builtins[functor] != 0 || isControlFunctor(functor) {
            guard ensureHeap(16) else { return .fail }
            return permissionError(Atoms.access, Atoms.privateProcedure, indicator(functor))
        }
        return matchClause(functor, head: head, body: A[1], from: position, generation: generation, retracting: false)
    }

    mutating func retractAllBuiltin() -> BuiltinResult {
        let head = A[0]
        guard let functor = headFunctor(head) else { return raisePending() }
        if !state.predicates[functor].isDynamic {
            guard modifiable(functor) else { return raisePending() }
            state.predicates[functor].isDynamic = true
        }
        let generation = state.generation
        for clause in state.predicates[functor].clauses {
            let info = state.clauses[clause]
            guard info.born <= generation && generation < info.died else { continue }
            guard countWork() else { return .fail }
            let mark = H
            let savedHB = HB
            HB = H
            let trailMark = TR
            let (storedHead, _) = instantiateClause(clause)
            let matches = unify(head, storedHead)
            undoTrail(to: trailMark)
            HB = savedHB
            H = mark
            if matches {
                state.generation += 1
                state.clauses[clause].died = state.generation
            }
        }
        return .proceed
    }

    mutating func abolishBuiltin() -> BuiltinResult {
        let spec = deref(A[0])
        guard spec & 7 == Cell.str, heap[spec >> 3] == Cell.functor(Functors.slash) else {
            if spec & 7 == Cell.ref { return instantiationError() }
            return typeError(Atoms.predicateIndicator, spec)
        }
        let name = deref(heap[(spec >> 3) + 1])
        let size = deref(heap[(spec >> 3) + 2])
        if name & 7 == Cell.ref || size & 7 == Cell.ref { return instantiationError() }
        guard name & 7 == Cell.atom else { return typeError(Atoms.atom, name) }
        guard size & 7 == Cell.int else { return typeError(Atoms.integer, size) }
        let functor = state.functor(name >> 3, size >> 3)
        if state.builtins[functor] != 0
            || !state.predicates[functor].isDynamic
                && !state.predicates[functor].clauses.isEmpty
        {
            guard ensureHeap(16) else { return .fail }
            return permissionError(Atoms.modify, Atoms.staticProcedure, indicator(functor))
        }
        state.generation += 1
        for clause in state.predicates[functor].clauses where state.clauses[clause].died == Int.max {
            state.clauses[clause].died = state.generation
        }
        return .proceed
    }

    /// `dynamic(Name/Arity)`, also for `(A, B)` and lists of indicators.
    mutating func dynamicBuiltin(_ cell: Int) -> BuiltinResult {
        let spec = deref(cell)
        if spec & 7 == Cell.ref { return instantiationError() }
        if spec & 7 == Cell.list {
            guard let elements = listElements(spec) else { return typeError(Atoms.list, spec) }
            for element in elements {
                let result = dynamicBuiltin(element)
                if result != .proceed { return result }
            }
            return .proceed
        }
        if spec & 7 == Cell.str && heap[spec >> 3] == Cell.functor(Functors.conjunction) {
            let first = dynamicBuiltin(heap[(spec >> 3) + 1])
            if first != .proceed { return first }
            return dynamicBuiltin(heap[(spec >> 3) + 2])
        }
        guard spec & 7 == Cell.str, heap[spec >> 3] == Cell.functor(Functors.slash) else {
            return typeError(Atoms.predicateIndicator, spec)
        }
        let name = deref(heap[(spec >> 3) + 1])
        let size = deref(heap[(spec >> 3) + 2])
        guard name & 7 == Cell.atom, size & 7 == Cell.int else { return typeError(Atoms.predicateIndicator, spec) }
        let functor = state.functor(name >> 3, size >> 3)
        if state.builtins[functor] != 0 {
            guard ensureHeap(16) else { return .fail }
            return permissionError(Atoms.modify, Atoms.staticProcedure, indicator(functor))
        }
        state.predicates[functor].isDynamic = true
        return .proceed
    }
}
