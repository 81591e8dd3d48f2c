import ExactMath

/// Building terms on the heap, and ISO error terms.
extension Machine {
    // MARK: Making terms

    /// A structure `functor(arguments...)` on the heap (room must be ensured).
    mutating func makeStructure(_ functor: Int, _ arguments: [Int]) -> Int {
        let address = H
        H += arguments.count + 1
        heap[address] = Cell.functor(functor)
        for (index, argument) in arguments.enumerated() { heap[address + 1 + index] = argument }
        return Cell.str(address)
    }

    /// `[head|tail]` on the heap (room must be ensured).
    mutating func makeList(_ head: Int, _ tail: Int) -> Int {
        let address = H
        H += 2
        heap[address] = head
        heap[address + 1] = tail
        return Cell.list(address)
    }

    /// A proper list of `elements`, or nil when the heap is full.
    mutating func makeList(_ elements: [Int], tail: Int = Cell.nilAtom) -> Int? {
        guard ensureHeap(2 * elements.count) else { return nil }
        var list = tail
        for element in elements.reversed() { list = makeList(element, list) }
        return list
    }

    /// An integer cell (small, or a big integer object).
    mutating func makeInteger(_ value: BigInt) -> Int {
        if let small = value.asInt, Cell.fitsSmall(small) { return Cell.int(small) }
        state.objects.append(.bigInt(value))
        return Cell.object(state.objects.count - 1)
    }

    mutating func makeInteger(_ value: Int) -> Int {
        if Cell.fitsSmall(value) { return Cell.int(value) }
        state.objects.append(.bigInt(BigInt(value)))
        return Cell.object(state.objects.count - 1)
    }

    mutating func makeFloat(_ value: Double) -> Int {
        let address = H
        heap[address] = Int(bitPattern: UInt(value.bitPattern))
        H += 1
        return Cell.float(address)
    }

    mutating func makeString(_ text: String) -> Int {
        state.objects.append(.string(text))
        return Cell.object(state.objects.count - 1)
    }

    mutating func makeAtom(_ text: String) -> Int {
        Cell.atom(state.atoms.intern(text))
    }

    /// `Name/Arity`.
    mutating func indicator(_ functor: Int) -> Int {
        makeStructure(
            Functors.slash, [Cell.atom(state.functors.name(functor)), Cell.int(arity(functor))])
    }

    // MARK: Errors

    /// `context(system:Name/Arity, _)` for the builtin running now.
    private mutating func context() -> Int {
        guard currentBuiltin >= 0 else { return newVariable() }
        let predicate = indicator(currentBuiltin)
        let qualified = makeStructure(Functors.colon, [Cell.atom(Atoms.system), predicate])
        let message = newVariable()
        return makeStructure(Functors.context, [qualified, message])
    }

    /// Throws `error(Formal, Context)`.
    mutating func throwError(_ formal: Int, context: Int? = nil) -> BuiltinResult {
        guard ensureHeap(32) else { return .fail }
        let contextCell = context ?? self.context()
        return throwBall(makeStructure(Functors.error, [formal, contextCell]))
    }

    mutating func instantiationError() -> BuiltinResult {
        throwError(Cell.atom(Atoms.instantiationError))
    }

    mutating func typeError(_ type: Int, _ culprit: Int) -> BuiltinResult {
        guard ensureHeap(8) else { return .fail }
        return throwError(makeStructure(Functors.typeError, [Cell.atom(type), culprit]))
    }

    mutating func domainError(_ domain: Int, _ culprit: Int) -> BuiltinResult {
        guard ensureHeap(8) else { return .fail }
        return throwError(makeStructure(Functors.domainError, [Cell.atom(domain), culprit]))
    }

    mutating func representationError(_ what: Int) -> BuiltinResult {
        guard ensureHeap(8) else { return .fail }
        return throwError(makeStructure(Functors.representationError, [Cell.atom(what)]))
    }

    mutating func evaluationError(_ what: Int) -> BuiltinResult {
        guard ensureHeap(8) else { return .fail }
        return throwError(makeStructure(Functors.evaluationError, [Cell.atom(what)]))
    }

    mutating func permissionError(_ action: Int, _ type: Int, _ culprit: Int) -> BuiltinResult {
        guard ensureHeap(8) else { return .fail }
        return throwError(
            makeStructure(Functors.permissionError, [Cell.atom(action), Cell.atom(type), culprit]))
    }

    mutating func existenceError(_ type: Int, _ culprit: Int) -> BuiltinResult {
        guard ensureHeap(8) else { return .fail }
        return throwError(makeStructure(Functors.existenceError, [Cell.atom(type), culprit]))
    }

    /// An unknown procedure was called: `error(existence_error(procedure, Name/Arity), Name/Arity)`.
    mutating func throwExistenceError(_ functor: Int) -> Bool {
        guard ensureHeap(16) else { return false }
        let predicate = indicator(functor)
        let formal = makeStructure(Functors.existenceError, [Cell.atom(Atoms.procedure), predicate])
        return throwBall(makeStructure(Functors.error, [formal, predicate])) == .jumped
    }

    /// Throws an error raised while evaluating (the pending one), as a builtin result.
    mutating func raisePending() -> BuiltinResult {
        let ball = pendingError
        pendingError = 0
        if ball == 0 { return .fail }
        return throwBall(ball)
    }
}
