/// Control: calling goal terms, exceptions, and `findall/3`.
extension Machine {
    // MARK: Calling terms

    /// Calls the goal in `A[0]` with `A[1..<n]` as extra arguments (`call/N`). Cut inside the goal is local to it.
    mutating func callN(_ n: Int) -> BuiltinResult {
        var goal = deref(A[0])
        while goal & 7 == Cell.str && heap[goal >> 3] == Cell.functor(Functors.colon) {
            goal = deref(heap[(goal >> 3) + 2])
        }
        let extra = n - 1
        let name: Int
        let own: Int
        switch goal & 7 {
        case Cell.ref: return instantiationError()
        case Cell.atom:
            name = goal >> 3
            own = 0
        case Cell.str:
            let functor = heap[goal >> 3] >> 3
            name = state.functors.name(functor)
            own = arity(functor)
        case Cell.list:
            name = Atoms.dotList
            own = 2
        default:
            return typeError(Atoms.callable, goal)
        }
        let total = own + extra
        if total >= Machine.maxArity { return representationError(Atoms.maxArity) }
        if isControl(name, total) {
            return callControl(goal, name: name, own: own, extra: extra)
        }
        // Move the extra arguments up, then the goal's own arguments in front of them.
        if own > 1 {
            var index = extra
            while index >= 1 {
                A[own - 1 + index] = A[index]
                index -= 1
            }
        } else if own == 0 {
            var index = 1
            while index <= extra {
                A[index - 1] = A[index]
                index += 1
            }
        }
        if own > 0 {
            if goal & 7 == Cell.list {
                A[0] = heap[goal >> 3]
                A[1] = heap[(goal >> 3) + 1]
            } else {
                let address = goal >> 3
                var index = 0
                while index < own {
                    A[index] = heap[address + 1 + index]
                    index += 1
                }
            }
        }
        let functor = state.functor(name, total)
        return callPredicate(functor, total) ? .jumped : .fail
    }

    /// Calls a goal term: `call/1` semantics (cut is local).
    mutating func callTerm(_ goal: Int) -> BuiltinResult {
        A[0] = goal
        return callN(1)
    }

    private func isControl(_ name: Int, _ arity: Int) -> Bool {
        switch arity {
        case 0: return name == Atoms.cut
        case 1: return name == Atoms.notProvable
        case 2:
            return name == Atoms.comma || name == Atoms.semicolon || name == Atoms.arrow || name == Atoms.softArrow
                || name == Atoms.bar
        default: return false
        }
    }

    /// Compiles a control construct (`(A, B)`, `(C -> T ; E)`, ...) and runs it as an anonymous clause body.
    private mutating func callControl(_ goal: Int, name: Int, own: Int, extra: Int) -> BuiltinResult {
        var term = goal
        if extra > 0 {
            // Build the goal with its extra arguments.
            let total = own + extra
            guard ensureHeap(total + 1) else { return .fail }
            let address = H
            H += total + 1
            heap[address] = Cell.functor(state.functor(name, total))
            for index in 0..<own { heap[address + 1 + index] = heap[(goal >> 3) + 1 + index] }
            for index in 0..<extra { heap[address + 1 + own + index] = A[1 + index] }
            term = Cell.str(address)
        }
        var variables: [Int] = []
        var numbers: [Int: Int] = [:]
        guard let ast = toTerm(term, &variables, &numbers) else {
            if failure == nil { failure = .limitExceeded(.depth) }
            return .fail
        }
        let compiled: (code: [Int], start: Int, frameSize: Int)
        do {
            compiled = try Compiler.compileGoal(ast, variables: variables.count, base: codeTop, state: &state)
        } catch {
            return typeError(Atoms.callable, term)
        }
        appendCode(compiled.code)
        guard ensureHeap(compiled.frameSize) else { return .fail }
        let frame = H
        H += compiled.frameSize
        for index in 0..<compiled.frameSize {
            heap[frame + index] = index < variables.count ? Cell.ref(variables[index]) : 0
        }
        FR = frame
        CB = B
        E = CE
        pc = compiled.start
        return .jumped
    }

    // MARK: Exceptions

    /// `catch(Goal, Catcher, Recovery)`.
    mutating func catchGoal() -> BuiltinResult {
        guard ensureHeap(1) else { return .fail }
        let active = newVariable() >> 3
        guard let record = pushChoicePoint(ChoicePoint.catchMarker, arguments: 3) else { return .fail }
        cps[record + ChoicePoint.extra] = active
        let continuation = cps[record + ChoicePoint.envTop]
        guard continuation + Environment.size <= envCapacity else {
            failure = .limitExceeded(.depth)
            return .fail
        }
        env[continuation] = B - 1
        env[continuation + 1] = active
        env[continuation + 2] = CE
        env[continuation + 3] = CPC
        CE = continuation
        CPC = SystemCode.catchExit
        return callTerm(A[0])
    }

    /// The goal of a `catch/3` succeeded: the catch stops being active (unless backtracking re-enters the goal).
    mutating func exitCatch() {
        let record = E
        let index = env[record]
        let active = env[record + 1]
        if index < B {
            let choicepoint = index * ChoicePoint.size
            if cps[choicepoint + ChoicePoint.kind] == ChoicePoint.catchMarker
                && cps[choicepoint + ChoicePoint.extra] == active
            {
                if index == B - 1 {
                    popChoicePoint()
                } else {
                    bind(active, Cell.trueAtom)
                }
            }
        }
        E = env[record + 2]
        pc = env[record + 3]
        FR = env[E]
        CB = env[E + 1]
    }

    /// Throws `ball`: unwinds to the newest active `catch/3` whose catcher unifies with a copy of it, and runs its
    /// recovery goal. When none does, the query stops with the ball.
    mutating func throwBall(_ ball: Int) -> BuiltinResult {
        guard let copy = relocatableCopy(ball) else { return .fail }
        var candidates: [Int] = []
        var index = B - 1
        while index >= 0 {
            let record = index * ChoicePoint.size
            if cps[record + ChoicePoint.kind] == ChoicePoint.catchMarker {
                let active = cps[record + ChoicePoint.extra]
                if deref(Cell.ref(active)) & 7 == Cell.ref { candidates.append(index) }
            }
            index -= 1
        }
        for candidate in candidates {
            let record = candidate * ChoicePoint.size
            undoTrail(to: cps[record + ChoicePoint.trailTop])
            H = cps[record + ChoicePoint.heapTop]
            let mark = cps[record + ChoicePoint.codeMark]
            codeTop = mark > codeFloor ? mark : codeFloor
            dropBags(above: candidate)
            cut(to: candidate + 1)
            popChoicePoint()
            let base = cps[record + ChoicePoint.argBase]
            let catcher = argStack[base + 1]
            let recovery = argStack[base + 2]
            guard let copied = copyIn(copy) else { return .fail }
            let savedHB = HB
            HB = H
            let trailMark = TR
            if unify(catcher, copied) {
                HB = savedHB
                CE = cps[record + ChoicePoint.continuationEnv]
                CPC = cps[record + ChoicePoint.continuationCode]
                return callTerm(recovery)
            }
            undoTrail(to: trailMark)
            HB = savedHB
        }
        if failure == nil {
            let written = copyIn(copy).map { TermWriter.format($0, machine: self, quoted: true) } ?? "?"
            failure = .uncaught(written)
        }
        return .fail
    }

    /// Releases the `findall/3` collections of choicepoints from `height` up.
    mutating func dropBags(above height: Int) {
        var index = height
        while index < B {
            let record = index * ChoicePoint.size
            if cps[record + ChoicePoint.kind] == ChoicePoint.findall {
                let bag = cps[record + ChoicePoint.extra]
                if bag < bags.count { bags.removeSubrange(bag...) }
                return
            }
            index += 1
        }
    }

    // MARK: findall

    /// `findall(Template, Goal, List)` and `findall/4`.
    mutating func findall(_ n: Int) -> BuiltinResult {
        let bag = bags.count
        bags.append([])
        guard let record = pushChoicePoint(ChoicePoint.findall, arguments: n) else { return .fail }
        cps[record + ChoicePoint.extra] = bag
        cps[record + ChoicePoint.functor] = n
        let continuation = cps[record + ChoicePoint.envTop]
        guard continuation + Environment.size <= envCapacity else {
            failure = .limitExceeded(.depth)
            return .fail
        }
        env[continuation] = bag
        env[continuation + 1] = A[0]
        CE = continuation
        CPC = SystemCode.findallCollect
        return callTerm(A[1])
    }

    /// One solution of a `findall/3` goal: copy the template's instance, then look for the next.
    mutating func collectFindallSolution() -> Bool {
        let bag = env[E]
        guard let copy = relocatableCopy(env[E + 1]) else { return false }
        bags[bag].append(copy.count)
        bags[bag].append(contentsOf: copy)
        return true
    }

    /// The `findall/3` goal has no more solutions: build the list and unify it.
    mutating func finishFindall(_ record: Int) -> Bool {
        let bag = cps[record + ChoicePoint.extra]
        let n = cps[record + ChoicePoint.functor]
        let base = cps[record + ChoicePoint.argBase]
        let solutions = bags[bag]
        bags.removeSubrange(bag...)
        CE = cps[record + ChoicePoint.continuationEnv]
        CPC = cps[record + ChoicePoint.continuationCode]
        var count = 0
        var offset = 0
        while offset < solutions.count {
            count += 1
            offset += solutions[offset] + 1
        }
        guard ensureHeap(solutions.count + 2 * count) else { return false }
        let tail = n == 4 ? argStack[base + 3] : Cell.nilAtom
        var list = tail
        var elements: [Int] = []
        elements.reserveCapacity(count)
        offset = 0
        while offset < solutions.count {
            let size = solutions[offset]
            elements.append(copyIn(solutions, from: offset + 1, count: size))
            offset += size + 1
        }
        for element in elements.reversed() {
            let address = H
            H += 2
            heap[address] = element
            heap[address + 1] = list
            list = Cell.list(address)
        }
        if unify(argStack[base + 2], list) {
            proceed()
            return true
        }
        return false
    }

    // MARK: Copies

    /// Marks the raw bits of a float in a relocatable copy (a functor cell no functor has).
    static let rawFloatMarker = Cell.functor(-1)

    /// A self-contained copy of a heap term: addresses are offsets into the copy; cell 0 holds the root.
    mutating func relocatableCopy(_ root: Int) -> [Int]? {
        var out: [Int] = [0]
        var variables: [Int: Int] = [:]
        var pending: [(Int, Int)] = [(0, root)]
        while let (slot, cell) = pending.popLast() {
            if !countWork() { return nil }
            let value = deref(cell)
            switch value & 7 {
            case Cell.ref:
                let address = value >> 3
                if let offset = variables[address] {
                    out[slot] = Cell.ref(offset)
                } else {
                    variables[address] = slot
                    out[slot] = Cell.ref(slot)
                }
            case Cell.float:
                // The raw bits follow a marker, so that relocating the copy leaves them alone.
                out.append(Machine.rawFloatMarker)
                out[slot] = Cell.float(out.count)
                out.append(heap[value >> 3])
            case Cell.str:
                let address = value >> 3
                let functor = heap[address]
                let n = arity(functor >> 3)
                let offset = out.count
                out.append(functor)
                out.append(contentsOf: repeatElement(0, count: n))
                out[slot] = Cell.str(offset)
                var index = n
                while index >= 1 {
                    pending.append((offset + index, heap[address + index]))
                    index -= 1
                }
            case Cell.list:
                let address = value >> 3
                let offset = out.count
                out.append(contentsOf: [0, 0])
                out[slot] = Cell.list(offset)
                pending.append((offset + 1, heap[address + 1]))
                pending.append((offset, heap[address]))
            default:
                out[slot] = value
            }
            if out.count > heapLimit {
                failure = .limitExceeded(.memory)
                return nil
            }
        }
        return out
    }

    /// Places a relocatable copy on the heap and returns its root cell.
    mutating func copyIn(_ copy: [Int]) -> Int? {
        guard ensureHeap(copy.count) else { return nil }
        return copyIn(copy, from: 0, count: copy.count)
    }

    /// Places `count` cells of a relocatable copy starting at `from` on the heap (room must be ensured).
    mutating func copyIn(_ copy: [Int], from start: Int, count: Int) -> Int {
        let base = H
        let shift = base << 3
        H += count
        var index = 0
        while index < count {
            let cell = copy[start + index]
            if cell == Machine.rawFloatMarker && index + 1 < count {
                heap[base + index] = cell
                heap[base + index + 1] = copy[start + index + 1]
                index += 2
                continue
            }
            switch cell & 7 {
            case Cell.ref, Cell.str, Cell.list, Cell.float: heap[base + index] = cell + shift
            default: heap[base + index] = cell
            }
            index += 1
        }
        return heap[base]
    }

    /// A heap term as a `Term` tree; variables are numbered in `variables` (by heap address). Nil when the term is
    /// too deeply nested.
    mutating func toTerm(_ cell: Int, _ variables: inout [Int], _ numbers: inout [Int: Int], depth: Int = 0) -> Term? {
        if depth > 2_000 || !countWork() { return nil }
        let value = deref(cell)
        switch value & 7 {
        case Cell.ref:
            let address = value >> 3
            if let number = numbers[address] { return .variable(number) }
            numbers[address] = variables.count
            variables.append(address)
            return .variable(variables.count - 1)
        case Cell.atom:
            return value == Cell.nilAtom ? .emptyList : .atom(state.atoms[value >> 3])
        case Cell.int: return .int(value >> 3)
        case Cell.float: return .float(Double(bitPattern: UInt64(UInt(bitPattern: heap[value >> 3]))))
        case Cell.object:
            switch state.objects[value >> 3] {
            case .bigInt(let big): return .bigInt(big)
            case .string(let text): return .string(text)
            }
        case Cell.list:
            var elements: [Term] = []
            var rest = value
            while rest & 7 == Cell.list {
                guard let head = toTerm(heap[rest >> 3], &variables, &numbers, depth: depth + 1) else { return nil }
                elements.append(head)
                rest = deref(heap[(rest >> 3) + 1])
            }
            guard let tail = toTerm(rest, &variables, &numbers, depth: depth + 1) else { return nil }
            return .list(elements, tail: tail)
        default:
            let address = value >> 3
            let functor = heap[address] >> 3
            let n = arity(functor)
            var arguments: [Term] = []
            arguments.reserveCapacity(n)
            for index in 1...n {
                guard let argument = toTerm(heap[address + index], &variables, &numbers, depth: depth + 1) else {
                    return nil
                }
                arguments.append(argument)
            }
            return .compound(state.atoms[state.functors.name(functor)], arguments)
        }
    }

    /// Builds a `Term` on the heap; `variables` maps its variable numbers to heap cells (created as needed).
    mutating func fromTerm(_ term: Term, _ variables: inout [Int: Int]) -> Int {
        switch term {
        case .atom(let name): return Cell.atom(state.atoms.intern(name))
        case .emptyList: return Cell.nilAtom
        case .int(let value):
            if Cell.fitsSmall(value) { return Cell.int(value) }
            return makeInteger(.init(value))
        case .bigInt(let value): return makeInteger(value)
        case .float(let value): return makeFloat(value)
        case .string(let text): return makeString(text)
        case .variable(let number):
            if let cell = variables[number] { return cell }
            let cell = newVariable()
            variables[number] = cell
            return cell
        case .list(let elements, let tail):
            let cells = elements.map { fromTerm($0, &variables) }
            var list = fromTerm(tail, &variables)
            for cell in cells.reversed() {
                let address = H
                H += 2
                heap[address] = cell
                heap[address + 1] = list
                list = Cell.list(address)
            }
            return list
        case .compound(let name, let arguments):
            let cells = arguments.map { fromTerm($0, &variables) }
            if name == "[|]" && cells.count == 2 {
                let address = H
                H += 2
                heap[address] = cells[0]
                heap[address + 1] = cells[1]
                return Cell.list(address)
            }
            let address = H
            H += cells.count + 1
            heap[address] = Cell.functor(state.functor(name, cells.count))
            for (index, cell) in cells.enumerated() { heap[address + 1 + index] = cell }
            return Cell.str(address)
        }
    }
}
