/// How a run of the machine ended.
enum RunOutcome {
    /// The query's goal succeeded; its variables hold a solution.
    case solution
    /// No (more) solutions.
    case failed
    /// A limit, cancellation or uncaught exception; see `Machine.failure`.
    case stopped
}

/// What a builtin did.
enum BuiltinResult {
    /// Succeeded: continue with the caller's continuation.
    case proceed
    /// Failed: backtrack.
    case fail
    /// Set the registers itself (control builtins, caught exceptions).
    case jumped
}

extension Machine {
    /// Runs from the current instruction until a solution, failure, or a stop.
    mutating func run() -> RunOutcome {
        while true {
            switch code[pc] {
            case Op.call:
                let functor = code[pc + 1]
                let n = arity(functor)
                var index = 0
                while index < n {
                    A[index] = resolve(code[pc + 2 + index])
                    index += 1
                }
                CE = E
                CPC = pc + 2 + n
                if callPredicate(functor, n) { continue }
            case Op.execute:
                let functor = code[pc + 1]
                let n = arity(functor)
                var index = 0
                while index < n {
                    A[index] = resolve(code[pc + 2 + index])
                    index += 1
                }
                if callPredicate(functor, n) { continue }
            case Op.allocate:
                var newEnv = CE + Environment.size
                if B > 0 {
                    let protected = cps[(B - 1) * ChoicePoint.size + ChoicePoint.envTop]
                    if protected > newEnv { newEnv = protected }
                }
                if newEnv + Environment.size > envCapacity {
                    failure = .limitExceeded(.depth)
                    return .stopped
                }
                env[newEnv] = FR
                env[newEnv + 1] = CB
                env[newEnv + 2] = CE
                env[newEnv + 3] = CPC
                E = newEnv
                pc += 1
                continue
            case Op.deallocate:
                CE = env[E + 2]
                CPC = env[E + 3]
                pc += 1
                continue
            case Op.proceed:
                E = CE
                pc = CPC
                FR = env[E]
                CB = env[E + 1]
                continue
            case Op.unify:
                if unifyHead(code[pc + 1], resolve(code[pc + 2])) {
                    pc += 3
                    continue
                }
            case Op.isOp:
                if let value = evaluateTemplate(code[pc + 2]), unifyHead(code[pc + 1], value) {
                    pc += 3
                    continue
                }
            case Op.arithCompare:
                if compareTemplates(code[pc + 1], code[pc + 2], code[pc + 3]) {
                    pc += 4
                    continue
                }
            case Op.typeTest:
                if typeTest(code[pc + 1], resolve(code[pc + 2])) {
                    pc += 3
                    continue
                }
            case Op.notUnify:
                if notUnifiable(resolve(code[pc + 1]), resolve(code[pc + 2])) {
                    pc += 3
                    continue
                }
            case Op.cut:
                cut(to: CB)
                pc += 1
                continue
            case Op.cutTo:
                cut(to: heap[FR + code[pc + 1]] >> 3)
                pc += 2
                continue
            case Op.mark:
                heap[FR + code[pc + 1]] = Cell.int(B)
                pc += 2
                continue
            case Op.softCut:
                let index = heap[FR + code[pc + 1]] >> 3
                if index < B { cps[index * ChoicePoint.size + ChoicePoint.kind] = ChoicePoint.disabled }
                pc += 2
                continue
            case Op.tryElse:
                var top = E + Environment.size
                if B > 0 {
                    let protected = cps[(B - 1) * ChoicePoint.size + ChoicePoint.envTop]
                    if protected > top { top = protected }
                }
                guard let record = pushChoicePoint(ChoicePoint.bodyAlternative, envTop: top) else {
                    return .stopped
                }
                cps[record + ChoicePoint.env] = E
                cps[record + ChoicePoint.alternative] = code[pc + 1]
                pc += 2
                continue
            case Op.jump:
                pc = code[pc + 1]
                continue
            case Op.fail:
                break
            case Op.stop:
                return .solution
            case Op.catchExit:
                exitCatch()
                continue
            case Op.findallCollect:
                if !collectFindallSolution() { return .stopped }
            default:
                failure = .refused("internal error: bad instruction \(code[pc]) at \(pc)")
                return .stopped
            }
            // The goal failed, raised an error, or hit a limit.
            if pendingError != 0, failure == nil, raisePending() == .jumped { continue }
            if failure != nil { return .stopped }
            if !backtrack() { return failure == nil ? .failed : .stopped }
        }
    }

    /// Returns to the caller's continuation (after a deterministic builtin).
    @inline(__always)
    mutating func proceed() {
        E = CE
        pc = CPC
        FR = env[E]
        CB = env[E + 1]
    }

    /// Calls predicate `functor` with its `n` arguments in the argument registers. Returns false to backtrack.
    @inline(__always)
    mutating func callPredicate(_ functor: Int, _ n: Int) -> Bool {
        inferences &+= 1
        if inferences >= nextCheck && !checkLimits() { return false }
        if H > heapLimit {
            failure = .limitExceeded(.memory)
            return false
        }
        let builtin = state.builtins[functor]
        if builtin != 0 {
            switch callBuiltin(builtin, functor, n) {
            case .proceed:
                proceed()
                return true
            case .fail: return false
            case .jumped: return true
            }
        }
        return callClauses(functor, n)
    }

    /// The position of the first clause at or after `start` that may match `key` and is visible at `generation`.
    @inline(__always)
    func nextClause(_ clauses: UnsafeBufferPointer<Int>, from start: Int, key: Int, generation: Int) -> Int {
        var position = start
        let count = clauses.count
        while position < count {
            let clause = clauses[position]
            let info = state.clauses[clause]
            if (key == 0 || info.key == 0 || info.key == key) && info.born <= generation && generation < info.died {
                return position
            }
            position += 1
        }
        return -1
    }

    /// The next candidate position from `start` through the predicate's index (for predicates with many clauses).
    func nextIndexedClause(_ functor: Int, from start: Int, key: Int, generation: Int) -> Int {
        guard let index = state.predicates[functor].index else { return -1 }
        let candidates = index.candidates(key)
        // Binary search for the first candidate at or after `start`.
        var low = 0
        var high = candidates.count
        while low < high {
            let middle = (low + high) / 2
            if candidates[middle] < start { low = middle + 1 } else { high = middle }
        }
        let clauses = state.predicates[functor].clauses
        while low < candidates.count {
            let info = state.clauses[clauses[candidates[low]]]
            if info.born <= generation && generation < info.died { return candidates[low] }
            low += 1
        }
        return -1
    }

    /// Whether calls of `functor` with `key` go through the index (built now when due).
    @inline(__always)
    private mutating func usesIndex(_ functor: Int, key: Int) -> Bool {
        guard key != 0, state.predicates[functor].clauses.count > ClauseIndex.threshold else { return false }
        return prepareIndex(functor)
    }

    private mutating func prepareIndex(_ functor: Int) -> Bool {
        if state.predicates[functor].index == nil {
            state.predicates[functor].index = ClauseIndex(
                clauses: state.predicates[functor].clauses, infos: state.clauses)
        }
        return true
    }

    mutating func callClauses(_ functor: Int, _ n: Int) -> Bool {
        let key = n > 0 ? indexKey(A[0]) : 0
        let generation = state.generation
        let first: Int
        let second: Int
        let count: Int
        if usesIndex(functor, key: key) {
            first = nextIndexedClause(functor, from: 0, key: key, generation: generation)
            second = first < 0 ? -1 : nextIndexedClause(functor, from: first + 1, key: key, generation: generation)
            count = state.predicates[functor].clauses.count
        } else {
            (first, second, count) = state.predicates[functor].clauses.withUnsafeBufferPointer { clauses in
                let first = nextClause(clauses, from: 0, key: key, generation: generation)
                let second = first < 0 ? -1 : nextClause(clauses, from: first + 1, key: key, generation: generation)
                return (first, second, clauses.count)
            }
        }
        if first < 0 {
            if count == 0 && !state.predicates[functor].isDynamic && !state.unknownFails {
                return throwExistenceError(functor)
            }
            return false
        }
        CB = B
        if second >= 0 {
            guard let record = pushChoicePoint(ChoicePoint.clauseRetry, arguments: n) else { return false }
            cps[record + ChoicePoint.functor] = functor
            cps[record + ChoicePoint.alternative] = second
            cps[record + ChoicePoint.generation] = generation
            cps[record + ChoicePoint.extra] = state.predicates[functor].epoch
            cps[record + ChoicePoint.env] = state.predicates[functor].clauses[second]
        }
        return tryClause(state.predicates[functor].clauses[first], n)
    }

    /// Allocates the clause's frame and unifies its head with the arguments.
    @inline(__always)
    mutating func tryClause(_ clause: Int, _ n: Int) -> Bool {
        let info = state.clauses[clause]
        let frame = H
        H += info.frameSize
        var slot = frame
        while slot < H {
            heap[slot] = 0
            slot += 1
        }
        FR = frame
        var index = 0
        while index < n {
            if !unifyHead(code[info.head + index], A[index]) { return false }
            index += 1
        }
        pc = info.body
        return true
    }

    /// Pushes a choicepoint saving the machine state and `arguments` argument registers; returns its offset.
    mutating func pushChoicePoint(_ kind: Int, arguments: Int = 0, envTop: Int? = nil) -> Int? {
        if B >= cpCapacity || argTop + arguments > argCapacity {
            failure = .limitExceeded(.depth)
            return nil
        }
        let record = B * ChoicePoint.size
        var top = envTop ?? (CE + Environment.size)
        if B > 0 {
            let protected = cps[record - ChoicePoint.size + ChoicePoint.envTop]
            if protected > top { top = protected }
        }
        cps[record + ChoicePoint.kind] = kind
        cps[record + ChoicePoint.heapTop] = H
        cps[record + ChoicePoint.trailTop] = TR
        cps[record + ChoicePoint.envTop] = top
        cps[record + ChoicePoint.continuationEnv] = CE
        cps[record + ChoicePoint.continuationCode] = CPC
        cps[record + ChoicePoint.argBase] = argTop
        cps[record + ChoicePoint.codeMark] = codeTop
        var index = 0
        while index < arguments {
            argStack[argTop + index] = A[index]
            index += 1
        }
        argTop += arguments
        cps[record + ChoicePoint.argEnd] = argTop
        B += 1
        HB = H
        return record
    }

    /// Removes the newest choicepoint.
    @inline(__always)
    mutating func popChoicePoint() {
        B -= 1
        argTop = cps[B * ChoicePoint.size + ChoicePoint.argBase]
        HB = B > 0 ? cps[(B - 1) * ChoicePoint.size + ChoicePoint.heapTop] : 0
    }

    /// Removes the choicepoints above height `height`.
    @inline(__always)
    mutating func cut(to height: Int) {
        if B > height {
            B = height
            if height > 0 {
                let record = (height - 1) * ChoicePoint.size
                argTop = cps[record + ChoicePoint.argEnd]
                HB = cps[record + ChoicePoint.heapTop]
            } else {
                argTop = 0
                HB = 0
            }
        }
    }

    /// Resumes at the newest alternative; false when there is none.
    mutating func backtrack() -> Bool {
        while B > 0 {
            if failure != nil { return false }
            if inferences >= nextCheck && !checkLimits() { return false }
            let record = (B - 1) * ChoicePoint.size
            undoTrail(to: cps[record + ChoicePoint.trailTop])
            H = cps[record + ChoicePoint.heapTop]
            let mark = cps[record + ChoicePoint.codeMark]
            codeTop = mark > codeFloor ? mark : codeFloor
            switch cps[record + ChoicePoint.kind] {
            case ChoicePoint.clauseRetry:
                if retryClause(record) { return true }
            case ChoicePoint.bodyAlternative:
                E = cps[record + ChoicePoint.env]
                pc = cps[record + ChoicePoint.alternative]
                FR = env[E]
                CB = env[E + 1]
                popChoicePoint()
                return true
            case ChoicePoint.findall:
                popChoicePoint()
                if finishFindall(record) { return true }
            case ChoicePoint.builtinRedo:
                inferences &+= 1
                if redoBuiltin(record) { return true }
            default:
                popChoicePoint()
            }
        }
        return false
    }

    private mutating func retryClause(_ record: Int) -> Bool {
        let functor = cps[record + ChoicePoint.functor]
        let n = arity(functor)
        let base = cps[record + ChoicePoint.argBase]
        var index = 0
        while index < n {
            A[index] = argStack[base + index]
            index += 1
        }
        CE = cps[record + ChoicePoint.continuationEnv]
        CPC = cps[record + ChoicePoint.continuationCode]
        let generation = cps[record + ChoicePoint.generation]
        var position = cps[record + ChoicePoint.alternative]
        let clauseID = cps[record + ChoicePoint.env]
        if cps[record + ChoicePoint.extra] != state.predicates[functor].epoch {
            // Clauses moved (asserta): find the clause this choicepoint was to try.
            guard let found = state.predicates[functor].clauses.firstIndex(of: clauseID) else {
                popChoicePoint()
                return false
            }
            position = found
            cps[record + ChoicePoint.extra] = state.predicates[functor].epoch
        }
        let key = n > 0 ? indexKey(A[0]) : 0
        let next =
            usesIndex(functor, key: key)
            ? nextIndexedClause(functor, from: position + 1, key: key, generation: generation)
            : state.predicates[functor].clauses.withUnsafeBufferPointer { clauses in
                nextClause(clauses, from: position + 1, key: key, generation: generation)
            }
        CB = B - 1
        if next < 0 {
            popChoicePoint()
        } else {
            cps[record + ChoicePoint.alternative] = next
            cps[record + ChoicePoint.env] = state.predicates[functor].clauses[next]
            HB = H
        }
        inferences &+= 1
        return tryClause(clauseID, n)
    }
}
