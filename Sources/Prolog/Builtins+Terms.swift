/// Type tests, comparison and term construction.
extension Machine {
    // MARK: Type tests

    /// Type test `kind` (see `Compiler.typeTests`) on a heap cell.
    mutating func typeTest(_ kind: Int, _ cell: Int) -> Bool {
        let value = deref(cell)
        let tag = value & 7
        switch kind {
        case 0: return tag == Cell.ref
        case 1: return tag != Cell.ref
        case 2: return tag == Cell.atom
        case 3: return tag == Cell.int || tag == Cell.float || isBigInt(value)
        case 4: return tag == Cell.int || isBigInt(value)
        case 5: return tag == Cell.float
        case 6: return tag == Cell.atom || tag == Cell.int || tag == Cell.float || tag == Cell.object
        case 7: return tag == Cell.str || tag == Cell.list
        case 8: return tag == Cell.atom || tag == Cell.str || tag == Cell.list
        case 9: return properListLength(value) != nil
        case 10: return tag == Cell.object && !isBigInt(value)
        default: return isGround(value)
        }
    }

    func isBigInt(_ value: Int) -> Bool {
        guard value & 7 == Cell.object else { return false }
        if case .bigInt = state.objects[value >> 3] { return true }
        return false
    }

    /// The length of a proper list, or nil (partial list, cyclic, or not a list).
    func properListLength(_ cell: Int) -> Int? {
        var count = 0
        var rest = deref(cell)
        while rest & 7 == Cell.list {
            count += 1
            if count > heapLimit { return nil }
            rest = deref(heap[(rest >> 3) + 1])
        }
        return rest == Cell.nilAtom ? count : nil
    }

    /// The elements of a proper list, or nil.
    func listElements(_ cell: Int) -> [Int]? {
        var elements: [Int] = []
        var rest = deref(cell)
        while rest & 7 == Cell.list {
            elements.append(heap[rest >> 3])
            if elements.count > heapLimit { return nil }
            rest = deref(heap[(rest >> 3) + 1])
        }
        return rest == Cell.nilAtom ? elements : nil
    }

    mutating func isGround(_ cell: Int) -> Bool {
        var pending = [cell]
        while let next = pending.popLast() {
            if !countWork() { return false }
            let value = deref(next)
            switch value & 7 {
            case Cell.ref: return false
            case Cell.str:
                let address = value >> 3
                let n = arity(heap[address] >> 3)
                for index in 1...n { pending.append(heap[address + index]) }
            case Cell.list:
                pending.append(heap[value >> 3])
                pending.append(heap[(value >> 3) + 1])
            default: break
            }
        }
        return true
    }

    /// `\=`: whether the terms do not unify (bindings are undone either way).
    mutating func notUnifiable(_ a: Int, _ b: Int) -> Bool {
        let savedHB = HB
        HB = H
        let mark = TR
        let unifies = unify(a, b)
        undoTrail(to: mark)
        HB = savedHB
        if failure != nil { return false }
        return !unifies
    }

    // MARK: Standard order

    /// The standard order of terms: -1, 0 or 1.
    mutating func compareTerms(_ a: Int, _ b: Int) -> Int {
        var top = 0
        var x = a
        var y = b
        while true {
            if !countWork() { return 0 }
            x = deref(x)
            y = deref(y)
            if x != y {
                let rankX = typeRank(x)
                let rankY = typeRank(y)
                if rankX != rankY { return rankX < rankY ? -1 : 1 }
                switch rankX {
                case 0:
                    return x < y ? -1 : 1
                case 1:
                    let order = compareNumbers(numeric(x), numeric(y))
                    if order != 0 { return order }
                    let floatX = x & 7 == Cell.float
                    let floatY = y & 7 == Cell.float
                    if floatX != floatY { return floatX ? -1 : 1 }
                    if floatX {
                        let bitsX = heap[x >> 3]
                        let bitsY = heap[y >> 3]
                        if bitsX != bitsY { return bitsX < bitsY ? -1 : 1 }
                    }
                case 4:
                    let order = compareText(state.atoms[x >> 3], state.atoms[y >> 3])
                    if order != 0 { return order }
                    return x < y ? -1 : 1
                case 3:
                    let order = compareText(stringValue(x), stringValue(y))
                    if order != 0 { return order }
                default:
                    let (functorX, argumentsX) = compoundParts(x)
                    let (functorY, argumentsY) = compoundParts(y)
                    let n = arity(functorX)
                    let m = arity(functorY)
                    if n != m { return n < m ? -1 : 1 }
                    if functorX != functorY {
                        let order = compareText(
                            state.atoms[state.functors.name(functorX)], state.atoms[state.functors.name(functorY)])
                        if order != 0 { return order }
                        return functorX < functorY ? -1 : 1
                    }
                    ensurePDL(top + 2 * n)
                    var index = n
                    while index > 1 {
                        pdl[top] = heap[argumentsX + index - 1]
                        pdl[top + 1] = heap[argumentsY + index - 1]
                        top += 2
                        index -= 1
                    }
                    x = heap[argumentsX]
                    y = heap[argumentsY]
                    continue
                }
            }
            if top == 0 { return 0 }
            top -= 2
            x = pdl[top]
            y = pdl[top + 1]
        }
    }

    /// The functor and the address of the first argument of a compound (lists included).
    func compoundParts(_ value: Int) -> (Int, Int) {
        if value & 7 == Cell.list { return (Functors.list, value >> 3) }
        return (heap[value >> 3] >> 3, (value >> 3) + 1)
    }

    private func typeRank(_ value: Int) -> Int {
        switch value & 7 {
        case Cell.ref: 0
        case Cell.int, Cell.float: 1
        case Cell.atom: 4
        case Cell.object: isBigInt(value) ? 1 : 3
        default: 5
        }
    }

    func numeric(_ value: Int) -> Numeric {
        switch value & 7 {
        case Cell.int: return .int(value >> 3)
        case Cell.float: return .float(Double(bitPattern: UInt64(UInt(bitPattern: heap[value >> 3]))))
        default:
            if case .bigInt(let big) = state.objects[value >> 3] { return .big(big) }
            return .int(0)
        }
    }

    func stringValue(_ value: Int) -> String {
        if case .string(let text) = state.objects[value >> 3] { return text }
        return ""
    }

    func compareText(_ a: String, _ b: String) -> Int {
        var left = a.unicodeScalars.makeIterator()
        var right = b.unicodeScalars.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let x?, let y?): if x != y { return x.value < y.value ? -1 : 1 }
            }
        }
    }

    mutating func compareBuiltin() -> BuiltinResult {
        let order = deref(A[0])
        if order & 7 != Cell.ref {
            guard order & 7 == Cell.atom else { return typeError(Atoms.atom, order) }
            let text = state.atoms[order >> 3]
            guard text == "<" || text == ">" || text == "=" else { return domainError(Atoms.order, order) }
        }
        let result = compareTerms(A[1], A[2])
        if failure != nil { return .fail }
        let atom = result < 0 ? Atoms.less : result > 0 ? Atoms.greater : Atoms.equals
        return unify(A[0], Cell.atom(atom)) ? .proceed : .fail
    }

    /// `=@=`: the terms are equal up to a consistent renaming of variables.
    mutating func isVariant(_ a: Int, _ b: Int) -> Bool {
        var left: [Int: Int] = [:]
        var right: [Int: Int] = [:]
        var pending = [(a, b)]
        while let (first, second) = pending.popLast() {
            if !countWork() { return false }
            let x = deref(first)
            let y = deref(second)
            let tagX = x & 7
            let tagY = y & 7
            if tagX == Cell.ref || tagY == Cell.ref {
                guard tagX == Cell.ref && tagY == Cell.ref else { return false }
                if let mapped = left[x] { if mapped != y { return false } } else { left[x] = y }
                if let mapped = right[y] { if mapped != x { return false } } else { right[y] = x }
                continue
            }
            if tagX != tagY { return false }
            switch tagX {
            case Cell.str, Cell.list:
                let (functorX, argumentsX) = compoundParts(x)
                let (functorY, argumentsY) = compoundParts(y)
                if functorX != functorY { return false }
                for index in 0..<arity(functorX) {
                    pending.append((heap[argumentsX + index], heap[argumentsY + index]))
                }
            case Cell.float:
                if heap[x >> 3] != heap[y >> 3] { return false }
            case Cell.object:
                if !objectsEqual(x, y) { return false }
            default:
                if x != y { return false }
            }
        }
        return true
    }

    /// Unification that refuses to bind a variable to a term containing it.
    mutating func unifyWithOccursCheck(_ a: Int, _ b: Int) -> Bool {
        var pending = [(a, b)]
        while let (first, second) = pending.popLast() {
            if !countWork() { return false }
            let x = deref(first)
            let y = deref(second)
            if x == y { continue }
            if x & 7 == Cell.ref || y & 7 == Cell.ref {
                let (variable, term) = x & 7 == Cell.ref ? (x, y) : (y, x)
                if term & 7 != Cell.ref && occurs(variable, in: term) { return false }
                if !unify(variable, term) { return false }
                continue
            }
            if x & 7 != y & 7 { return false }
            switch x & 7 {
            case Cell.str, Cell.list:
                let (functorX, argumentsX) = compoundParts(x)
                let (functorY, argumentsY) = compoundParts(y)
                if functorX != functorY { return false }
                for index in 0..<arity(functorX) {
                    pending.append((heap[argumentsX + index], heap[argumentsY + index]))
                }
            default:
                if !unify(x, y) { return false }
            }
        }
        return true
    }

    private mutating func occurs(_ variable: Int, in term: Int) -> Bool {
        var pending = [term]
        while let next = pending.popLast() {
            if !countWork() { return true }
            let value = deref(next)
            if value == variable { return true }
            if value & 7 == Cell.str || value & 7 == Cell.list {
                let (functor, arguments) = compoundParts(value)
                for index in 0..<arity(functor) { pending.append(heap[arguments + index]) }
            }
        }
        return false
    }

    // MARK: Numbers

    /// An integer argument: its value, or nil after raising the right error (in `pendingError`).
    mutating func integerArgument(_ cell: Int, allowVariable: Bool = false) -> Int?? {
        let value = deref(cell)
        switch value & 7 {
        case Cell.int: return .some(value >> 3)
        case Cell.ref:
            if allowVariable { return .some(nil) }
            raise(Cell.atom(Atoms.instantiationError))
            return nil
        default:
            guard ensureHeap(8) else { return nil }
            raise(makeStructure(Functors.typeError, [Cell.atom(Atoms.integer), value]))
            return nil
        }
    }

    mutating func succBuiltin() -> BuiltinResult {
        guard let x = integerArgument(A[0], allowVariable: true), let y = integerArgument(A[1], allowVariable: true)
        else { return raisePending() }
        if let x {
            if x < 0 { return domainError(Atoms.notLessThanZero, Cell.int(x)) }
            return unify(A[1], makeInteger(x + 1)) ? .proceed : .fail
        }
        guard let y else { return instantiationError() }
        if y < 0 { return domainError(Atoms.notLessThanZero, Cell.int(y)) }
        if y == 0 { return .fail }
        return unify(A[0], Cell.int(y - 1)) ? .proceed : .fail
    }

    mutating func plusBuiltin() -> BuiltinResult {
        guard let x = integerArgument(A[0], allowVariable: true), let y = integerArgument(A[1], allowVariable: true),
            let z = integerArgument(A[2], allowVariable: true)
        else { return raisePending() }
        if let x, let y { return unify(A[2], makeInteger(x + y)) ? .proceed : .fail }
        if let x, let z { return unify(A[1], makeInteger(z - x)) ? .proceed : .fail }
        if let y, let z { return unify(A[0], makeInteger(z - y)) ? .proceed : .fail }
        return instantiationError()
    }

    // MARK: Term construction

    mutating func functorBuiltin() -> BuiltinResult {
        let term = deref(A[0])
        switch term & 7 {
        case Cell.ref:
            let name = deref(A[1])
            let size = deref(A[2])
            if name & 7 == Cell.ref || size & 7 == Cell.ref { return instantiationError() }
            guard size & 7 == Cell.int else { return typeError(Atoms.integer, size) }
            let n = size >> 3
            if n < 0 { return domainError(Atoms.notLessThanZero, size) }
            if n == 0 { return unify(term, name) ? .proceed : .fail }
            if name & 7 == Cell.str || name & 7 == Cell.list { return typeError(Atoms.atomic, name) }
            guard name & 7 == Cell.atom else { return typeError(Atoms.atom, name) }
            if n >= Machine.maxArity { return representationError(Atoms.maxArity) }
            guard ensureHeap(n + 1) else { return .fail }
            if name == Cell.atom(Atoms.dotList) && n == 2 {
                let address = H
                H += 2
                heap[address] = Cell.ref(address)
                heap[address + 1] = Cell.ref(address + 1)
                return unify(term, Cell.list(address)) ? .proceed : .fail
            }
            let address = H
            H += n + 1
            heap[address] = Cell.functor(state.functor(name >> 3, n))
            for index in 1...n { heap[address + index] = Cell.ref(address + index) }
            return unify(term, Cell.str(address)) ? .proceed : .fail
        case Cell.str, Cell.list:
            let (functor, _) = compoundParts(term)
            return unify(A[1], Cell.atom(state.functors.name(functor))) && unify(A[2], Cell.int(arity(functor)))
                ? .proceed : .fail
        default:
            return unify(A[1], term) && unify(A[2], Cell.int(0)) ? .proceed : .fail
        }
    }

    mutating func argBuiltin() -> BuiltinResult {
        let number = deref(A[0])
        let term = deref(A[1])
        guard term & 7 == Cell.str || term & 7 == Cell.list else {
            if term & 7 == Cell.ref { return instantiationError() }
            return typeError(Atoms.compound, term)
        }
        let (functor, arguments) = compoundParts(term)
        let n = arity(functor)
        if number & 7 == Cell.int {
            let index = number >> 3
            guard index >= 1 && index <= n else { return .fail }
            return unify(A[2], heap[arguments + index - 1]) ? .proceed : .fail
        }
        guard number & 7 == Cell.ref else { return typeError(Atoms.integer, number) }
        return enumerateArguments(from: 1, arguments: arguments, count: n)
    }

    /// Unifies argument number `from`.. with A[2] and A[0], one per solution, via a body alternative chain.
    private mutating func enumerateArguments(from first: Int, arguments: Int, count: Int) -> BuiltinResult {
        // Build the disjunction (N = I, A = Arg_I ; ...) and call it: simple and backtrackable.
        guard ensureHeap(12 * (count - first + 1)) else { return .fail }
        var goal = -1
        for index in stride(from: count, through: first, by: -1) {
            let pair = makeStructure(
                Functors.conjunction,
                [
                    makeStructure(Functors.equals, [A[0], Cell.int(index)]),
                    makeStructure(Functors.equals, [A[2], heap[arguments + index - 1]]),
                ])
            goal = goal < 0 ? pair : makeStructure(Functors.disjunction, [pair, goal])
        }
        return callTerm(goal)
    }

    mutating func univBuiltin() -> BuiltinResult {
        let term = deref(A[0])
        switch term & 7 {
        case Cell.ref:
            let list = deref(A[1])
            if list & 7 == Cell.ref { return instantiationError() }
            guard let elements = listElements(list) else {
                if properListLength(list) == nil && list & 7 == Cell.list {
                    // A partial list: instantiation error, as SWI-Prolog.
                    return instantiationError()
                }
                return typeError(Atoms.list, list)
            }
            guard let first = elements.first else { return domainError(Atoms.nonEmptyList, list) }
            let name = deref(first)
            if elements.count == 1 {
                if name & 7 == Cell.ref { return instantiationError() }
                if name & 7 == Cell.str || name & 7 == Cell.list { return typeError(Atoms.atomic, name) }
                return unify(term, name) ? .proceed : .fail
            }
            if name & 7 == Cell.ref { return instantiationError() }
            guard name & 7 == Cell.atom else {
                if name & 7 == Cell.str || name & 7 == Cell.list { return typeError(Atoms.atomic, name) }
                return typeError(Atoms.atom, name)
            }
            let n = elements.count - 1
            if n >= Machine.maxArity { return representationError(Atoms.maxArity) }
            guard ensureHeap(n + 1) else { return .fail }
            if name == Cell.atom(Atoms.dotList) && n == 2 {
                return unify(term, makeList(elements[1], elements[2])) ? .proceed : .fail
            }
            return unify(term, makeStructure(state.functor(name >> 3, n), Array(elements.dropFirst())))
                ? .proceed : .fail
        case Cell.str, Cell.list:
            let (functor, arguments) = compoundParts(term)
            var elements = [Cell.atom(state.functors.name(functor))]
            for index in 0..<arity(functor) { elements.append(heap[arguments + index]) }
            guard let list = makeList(elements) else { return .fail }
            return unify(A[1], list) ? .proceed : .fail
        default:
            guard let list = makeList([term]) else { return .fail }
            return unify(A[1], list) ? .proceed : .fail
        }
    }

    mutating func copyTermBuiltin() -> BuiltinResult {
        guard let copy = relocatableCopy(A[0]), let cell = copyIn(copy) else { return .fail }
        return unify(A[1], cell) ? .proceed : .fail
    }

    /// The distinct variables of a term, depth-first, left to right.
    mutating func termVariables(_ cell: Int) -> [Int]? {
        var seen = Set<Int>()
        var variables: [Int] = []
        var pending = [cell]
        while let next = pending.popLast() {
            if !countWork() { return nil }
            let value = deref(next)
            switch value & 7 {
            case Cell.ref:
                if seen.insert(value).inserted { variables.append(value) }
            case Cell.str, Cell.list:
                let (functor, arguments) = compoundParts(value)
                for index in stride(from: arity(functor) - 1, through: 0, by: -1) {
                    pending.append(heap[arguments + index])
                }
            default: break
            }
        }
        return variables
    }

    mutating func termVariablesBuiltin(tail: Int?) -> BuiltinResult {
        guard let variables = termVariables(A[0]), let list = makeList(variables, tail: tail ?? Cell.nilAtom) else {
            return .fail
        }
        return unify(A[1], list) ? .proceed : .fail
    }

    /// `'$free_variable_set'(Template^Goal, Goal1, v(Free...))` for `bagof/3` and `setof/3`.
    mutating func freeVariableSet() -> BuiltinResult {
        let whole = deref(A[0])
        guard whole & 7 == Cell.str, heap[whole >> 3] == Cell.functor(Functors.caret) else { return .fail }
        let template = heap[(whole >> 3) + 1]
        var goal = deref(heap[(whole >> 3) + 2])
        guard var bound = termVariables(template) else { return .fail }
        while goal & 7 == Cell.str && heap[goal >> 3] == Cell.functor(Functors.caret) {
            guard let quantified = termVariables(heap[(goal >> 3) + 1]) else { return .fail }
            bound += quantified
            goal = deref(heap[(goal >> 3) + 2])
        }
        while goal & 7 == Cell.str && heap[goal >> 3] == Cell.functor(Functors.colon) {
            goal = deref(heap[(goal >> 3) + 2])
        }
        guard let all = termVariables(goal) else { return .fail }
        let boundSet = Set(bound)
        let free = all.filter { !boundSet.contains($0) }
        guard ensureHeap(free.count + 1) else { return .fail }
        let witness =
            free.isEmpty ? Cell.atom(Atoms.v) : makeStructure(state.functor(Atoms.v, free.count), free)
        return unify(A[1], goal) && unify(A[2], witness) ? .proceed : .fail
    }

    mutating func numberVarsBuiltin() -> BuiltinResult {
        guard let start = integerArgument(A[1]), var next = start else { return raisePending() }
        guard let variables = termVariables(A[0]) else { return .fail }
        guard ensureHeap(2 * variables.count) else { return .fail }
        for variable in variables {
            bind(variable >> 3, makeStructure(Functors.dollarVar, [Cell.int(next)]))
            next += 1
        }
        return unify(A[2], Cell.int(next)) ? .proceed : .fail
    }
}
