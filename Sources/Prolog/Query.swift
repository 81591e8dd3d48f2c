/// One variable of a solution.
public struct PrologBinding: Sendable, Equatable {
    /// The variable's name in the query.
    public var name: String
    /// Its value as `writeq/1` writes it (fresh variables as `_` followed by a number).
    public var text: String
    /// Its value as a term (variables numbered apart).
    public var term: Term
}

/// One solution of a query: the query's named variables, in the order they appear.
public struct PrologSolution: Sendable, Equatable {
    /// The bindings; variables whose names start with `_` are left out, as SWI-Prolog's top level does.
    public var bindings: [PrologBinding]

    /// The `writeq/1` text of variable `name`.
    public subscript(name: String) -> String? {
        bindings.first { $0.name == name }?.text
    }
}

/// What a query produced.
public struct PrologResult: Sendable, Equatable {
    /// Solutions in the order Prolog found them.
    public var solutions: [PrologSolution]
    /// Whether there is at least one solution beyond those returned.
    public var more: Bool
    /// Text the goal wrote (`write/1`, `format/2`, ...).
    public var output: String
    /// Inferences (predicate calls) the query made.
    public var inferences: Int
}

extension KnowledgeBase {
    /// Runs `goal` (a query as text, with or without `?-` and the final `.`) and collects up to `maxSolutions`
    /// solutions.
    /// - Throws: ``PrologError``: `.syntax` for a goal that does not read, `.limitExceeded` or `.cancelled` when
    ///   the query ran out of budget, `.uncaught` for an exception no `catch/3` handled.
    public func solve(
        _ goal: String, maxSolutions: Int = 10, limits: PrologLimits = PrologLimits(),
        cancellation: PrologCancellation? = nil
    ) throws(PrologError) -> PrologResult {
        try LargeStack.run { () throws(PrologError) -> PrologResult in
            try solveHere(goal, maxSolutions: maxSolutions, limits: limits, cancellation: cancellation)
        }
    }

    func solveHere(
        _ goal: String, maxSolutions: Int, limits: PrologLimits, cancellation: PrologCancellation?
    ) throws(PrologError) -> PrologResult {
        var text = goal.trimmingPrefixWhitespace()
        if text.hasPrefix("?-") { text.removeFirst(2) }
        let read: ReadClause
        do {
            read = try Reader.readTerm(String(text), operators: state.operators)
        } catch {
            throw .syntax(error)
        }
        var machine = Machine(state: state, limits: limits, cancellation: cancellation)
        try machine.start(read.term, variableNames: read.variableNames)
        var solutions: [PrologSolution] = []
        var more = false
        var outcome = machine.run()
        while true {
            switch outcome {
            case .solution:
                if solutions.count >= maxSolutions {
                    more = true
                } else {
                    solutions.append(machine.currentSolution())
                    if machine.backtrack() {
                        outcome = machine.run()
                        continue
                    }
                    if let failure = machine.failure { throw failure }
                }
            case .failed:
                break
            case .stopped:
                // Looking for one more solution than asked for may run out of budget: report what was found.
                guard solutions.count >= maxSolutions, maxSolutions > 0, machine.failure != .cancelled else {
                    throw machine.failure ?? .refused("the query stopped")
                }
                more = true
            }
            break
        }
        return PrologResult(
            solutions: solutions, more: more, output: String(decoding: machine.output, as: UTF8.self),
            inferences: machine.inferences)
    }
}

extension String {
    fileprivate func trimmingPrefixWhitespace() -> Substring {
        var text = Substring(self)
        while let first = text.unicodeScalars.first, first.properties.isWhitespace { text = text.dropFirst() }
        while let last = text.unicodeScalars.last, last.properties.isWhitespace { text = text.dropLast() }
        return text
    }
}

extension Machine {
    /// Compiles `goal` as the body of an anonymous clause and sets the registers to run it.
    mutating func start(_ goal: Term, variableNames: [String]) throws(PrologError) {
        let compiled: (code: [Int], start: Int, frameSize: Int)
        do {
            compiled = try Compiler.compileGoal(goal, variables: variableNames.count, base: codeTop, state: &state)
        } catch {
            throw .refused("the goal is not callable")
        }
        appendCode(compiled.code)
        codeFloor = codeTop
        let frame = H
        H += compiled.frameSize
        for index in 0..<compiled.frameSize {
            heap[frame + index] = index < variableNames.count ? Cell.ref(frame + index) : 0
        }
        queryFrame = frame
        queryVariables = variableNames
        FR = frame
        CB = 0
        E = 0
        CE = 0
        CPC = SystemCode.stop
        env[Environment.frame] = frame
        pc = compiled.start
    }

    /// The query's variables as they stand.
    mutating func currentSolution() -> PrologSolution {
        var bindings: [PrologBinding] = []
        var seen = Set<String>()
        for (index, name) in queryVariables.enumerated() where !name.hasPrefix("_") && seen.insert(name).inserted {
            let cell = heap[queryFrame + index]
            var writer = TermWriter(options: WriteOptions(quoted: true), limit: limits.maxOutput)
            writer.write(cell, machine: self)
            var variables: [Int] = []
            var numbers: [Int: Int] = [:]
            let term = toTerm(cell, &variables, &numbers) ?? .atom("...")
            bindings.append(PrologBinding(name: name, text: writer.output, term: term))
        }
        return PrologSolution(bindings: bindings)
    }

    /// The program state after running (clauses asserted by a directive kept), for the knowledge base.
    mutating func exportState() -> ProgramState {
        var exported = state
        exported.code = Array(UnsafeBufferPointer(start: code, count: codeFloor))
        return exported
    }
}
