/// List builtins written in Swift for speed: length, sorting, between, and friends.
extension Machine {
    mutating func lengthBuiltin() -> BuiltinResult {
        var count = 0
        var rest = deref(A[0])
        while rest & 7 == Cell.list {
            count += 1
            if !countWork() { return .fail }
            rest = deref(heap[(rest >> 3) + 1])
        }
        let size = deref(A[1])
        if size & 7 != Cell.ref && size & 7 != Cell.int {
            if isBigInt(size) { return resourceFail() }
            return typeError(Atoms.integer, size)
        }
        if size & 7 == Cell.int && size >> 3 < 0 { return domainError(Atoms.notLessThanZero, size) }
        if rest == Cell.nilAtom { return unify(size, Cell.int(count)) ? .proceed : .fail }
        guard rest & 7 == Cell.ref else { return typeError(Atoms.list, deref(A[0])) }
        if size & 7 == Cell.int {
            let wanted = size >> 3
            guard wanted >= count else { return .fail }
            guard let tail = freshList(wanted - count) else { return .fail }
            return unify(rest, tail) ? .proceed : .fail
        }
        if rest == size { return .fail }
        return lengthRedo(0)
    }

    private mutating func resourceFail() -> BuiltinResult {
        failure = .limitExceeded(.memory)
        return .fail
    }

    /// A list of `count` fresh variables.
    private mutating func freshList(_ count: Int) -> Int? {
        guard ensureHeap(2 * count), countWork(count) else { return nil }
        var list = Cell.nilAtom
        for _ in 0..<count {
            let address = H
            H += 2
            heap[address] = Cell.ref(address)
            heap[address + 1] = list
            list = Cell.list(address)
        }
        return list
    }

    /// `length(-Partial, -N)`: the open tail gets 0, 1, 2, ... more elements on each solution.
    mutating func lengthRedo(_ extra: Int) -> BuiltinResult {
        var count = 0
        var rest = deref(A[0])
        while rest & 7 == Cell.list {
            count += 1
            rest = deref(heap[(rest >> 3) + 1])
        }
        guard pushRedo(currentBuiltin, state: extra + 1) else { return .fail }
        guard let tail = freshList(extra) else { return .fail }
        return unify(rest, tail) && unify(A[1], Cell.int(count + extra)) ? .proceed : .fail
    }

    // MARK: Sorting

    /// A stable merge sort by the standard order (or `precedes`), iterative and bounded by the work limit.
    mutating func mergeSort(_ items: [Int], descending: Bool = false, key: (inout Machine, Int) -> Int) -> [Int]? {
        if items.count < 2 { return items }
        var source = items
        var keys = items.map { key(&self, $0) }
        var target = source
        var targetKeys = keys
        var width = 1
        while width < source.count {
            var start = 0
            while start < source.count {
                let middle = min(start + width, source.count)
                let end = min(start + 2 * width, source.count)
                var left = start
                var right = middle
                var out = start
                while left < middle && right < end {
                    let order = compareTerms(keys[right], keys[left])
                    if descending ? order > 0 : order < 0 {
                        target[out] = source[right]
                        targetKeys[out] = keys[right]
                        right += 1
                    } else {
                        target[out] = source[left]
                        targetKeys[out] = keys[left]
                        left += 1
                    }
                    out += 1
                }
                while left < middle {
                    target[out] = source[left]
                    targetKeys[out] = keys[left]
                    left += 1
                    out += 1
                }
                while right < end {
                    target[out] = source[right]
                    targetKeys[out] = keys[right]
                    right += 1
                    out += 1
                }
                start = end
            }
            swap(&source, &target)
            swap(&keys, &targetKeys)
            width *= 2
            if failure != nil { return nil }
        }
        return source
    }

    /// The elements of a list argument, raising instantiation or type errors for partial or non-lists.
    private mutating func requireList(_ cell: Int) -> [Int]? {
        if let elements = listElements(cell) { return elements }
        var rest = deref(cell)
        while rest & 7 == Cell.list { rest = deref(heap[(rest >> 3) + 1]) }
        if rest & 7 == Cell.ref {
            raise(Cell.atom(Atoms.instantiationError))
        } else if ensureHeap(8) {
            raise(makeStructure(Functors.typeError, [Cell.atom(Atoms.list), deref(cell)]))
        }
        return nil
    }

    /// `msort/2` (`@=<`), `sort/2` (`@<`, duplicates removed) and the `sort/4` orders on key `key` (0: whole).
    mutating func sortBuiltin(key: Int, order: String, input: Int? = nil, output: Int? = nil) -> BuiltinResult {
        guard let elements = requireList(input ?? A[0]) else { return raisePending() }
        let extract: (inout Machine, Int) -> Int = { machine, cell in
            guard key > 0 else { return cell }
            let value = machine.deref(cell)
            let (_, arguments) = machine.compoundParts(value)
            return machine.heap[arguments + key - 1]
        }
        if key > 0 {
            for element in elements {
                let value = deref(element)
                guard value & 7 == Cell.str || value & 7 == Cell.list, arity(compoundParts(value).0) >= key else {
                    if value & 7 == Cell.ref { return instantiationError() }
                    return typeError(Atoms.compound, value)
                }
            }
        }
        let descending = order == "@>" || order == "@>="
        guard var sorted = mergeSort(elements, descending: descending, key: extract) else { return .fail }
        if order == "@<" || order == "@>" {
            var unique: [Int] = []
            var previous: Int?
            for element in sorted {
                let current = extract(&self, element)
                if let previous, compareTerms(previous, current) == 0 { continue }
                unique.append(element)
                previous = current
            }
            sorted = unique
        }
        guard let list = makeList(sorted) else { return .fail }
        return unify(output ?? A[1], list) ? .proceed : .fail
    }

    mutating func sort4Builtin() -> BuiltinResult {
        guard let key = integerArgument(A[0]), let keyIndex = key else { return raisePending() }
        if keyIndex < 0 { return domainError(Atoms.notLessThanZero, Cell.int(keyIndex)) }
        let order = deref(A[1])
        if order & 7 == Cell.ref { return instantiationError() }
        guard order & 7 == Cell.atom, ["@<", "@>", "@=<", "@>="].contains(state.atoms[order >> 3]) else {
            return domainError(Atoms.order, order)
        }
        return sortBuiltin(key: keyIndex, order: state.atoms[order >> 3], input: A[2], output: A[3])
    }

    mutating func keysortBuiltin() -> BuiltinResult {
        guard let elements = requireList(A[0]) else { return raisePending() }
        for element in elements {
            let value = deref(element)
            if value & 7 == Cell.ref { return instantiationError() }
            guard value & 7 == Cell.str, heap[value >> 3] == Cell.functor(Functors.pair) else {
                return typeError(Atoms.pair, value)
            }
        }
        return sortBuiltin(key: 1, order: "@=<")
    }

    // MARK: Numbers and lists

    mutating func betweenBuiltin() -> BuiltinResult {
        let low = deref(A[0])
        let high = deref(A[1])
        let value = deref(A[2])
        if low & 7 == Cell.ref || high & 7 == Cell.ref { return instantiationError() }
        guard low & 7 == Cell.int else { return typeError(Atoms.integer, low) }
        let infinite = high & 7 == Cell.atom && ["inf", "infinite"].contains(state.atoms[high >> 3])
        guard infinite || high & 7 == Cell.int else { return typeError(Atoms.integer, high) }
        let upper = infinite ? Int.max : high >> 3
        if value & 7 == Cell.int {
            let x = value >> 3
            return x >= low >> 3 && x <= upper ? .proceed : .fail
        }
        guard value & 7 == Cell.ref else { return typeError(Atoms.integer, value) }
        return betweenRedo(low >> 3)
    }

    mutating func betweenRedo(_ next: Int) -> BuiltinResult {
        let high = deref(A[1])
        let upper = high & 7 == Cell.int ? high >> 3 : Int.max
        guard next <= upper else { return .fail }
        if next < upper {
            guard pushRedo(currentBuiltin, state: next + 1) else { return .fail }
        }
        return unify(A[2], Cell.int(next)) ? .proceed : .fail
    }

    mutating func numlistBuiltin() -> BuiltinResult {
        guard let low = integerArgument(A[0]), let high = integerArgument(A[1]), let from = low, let to = high else {
            return raisePending()
        }
        guard from <= to else { return .fail }
        guard ensureHeap(2 * (to - from + 1)) else { return .fail }
        var list = Cell.nilAtom
        for number in stride(from: to, through: from, by: -1) { list = makeList(Cell.int(number), list) }
        return unify(A[2], list) ? .proceed : .fail
    }

    mutating func memberchkBuiltin() -> BuiltinResult {
        var rest = deref(A[1])
        while rest & 7 == Cell.list {
            if !countWork() { return .fail }
            let savedHB = HB
            HB = H
            let mark = TR
            if unify(A[0], heap[rest >> 3]) {
                HB = savedHB
                return .proceed
            }
            undoTrail(to: mark)
            HB = savedHB
            rest = deref(heap[(rest >> 3) + 1])
        }
        if rest & 7 == Cell.ref {
            // An open list: memberchk/2 extends it, as member/2 would.
            return unify(rest, makeListChecked(A[0])) ? .proceed : .fail
        }
        return .fail
    }

    private mutating func makeListChecked(_ element: Int) -> Int {
        guard ensureHeap(2) else { return Cell.nilAtom }
        let address = H
        H += 2
        heap[address] = element
        heap[address + 1] = Cell.ref(address + 1)
        return Cell.list(address)
    }

    mutating func reverseBuiltin() -> BuiltinResult {
        guard let elements = requireList(A[0]) else { return raisePending() }
        guard let list = makeList(elements.reversed()) else { return .fail }
        return unify(A[1], list) ? .proceed : .fail
    }

    /// `'$nth'(Base, Index, List, Element)` with an integer index.
    mutating func nthBuiltin() -> BuiltinResult {
        guard let base = integerArgument(A[0]), let index = integerArgument(A[1]), let first = base,
            let position = index
        else { return raisePending() }
        var offset = position - first
        if offset < 0 { return .fail }
        var rest = deref(A[2])
        while rest & 7 == Cell.list {
            if offset == 0 { return unify(A[3], heap[rest >> 3]) ? .proceed : .fail }
            offset -= 1
            rest = deref(heap[(rest >> 3) + 1])
        }
        return .fail
    }

    mutating func listArithmeticBuiltin(_ builtin: Builtin) -> BuiltinResult {
        guard let elements = requireList(A[0]) else { return raisePending() }
        if builtin == .sumList {
            var total = Numeric.int(0)
            for element in elements {
                guard let value = evaluate(element), let sum = apply(state.functor(Atoms.plus, 2), total, value)
                else { return raisePending() }
                total = sum
            }
            guard let cell = numberCell(total) else { return .fail }
            return unify(A[1], cell) ? .proceed : .fail
        }
        guard !elements.isEmpty else { return .fail }
        guard var best = evaluate(elements[0]) else { return raisePending() }
        for element in elements.dropFirst() {
            guard let value = evaluate(element) else { return raisePending() }
            let order = compareNumbers(value, best)
            if builtin == .maxList ? order > 0 : order < 0 { best = value }
        }
        guard let cell = numberCell(best) else { return .fail }
        return unify(A[1], cell) ? .proceed : .fail
    }

    mutating func lastBuiltin() -> BuiltinResult {
        guard let elements = listElements(A[0]), let last = elements.last else { return .fail }
        return unify(A[1], last) ? .proceed : .fail
    }
}
