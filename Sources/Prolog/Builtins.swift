/// Predicates implemented in Swift.
enum Builtin: Int {
    case none = 0
    // Control.
    case call, catchGoal, throwBall, findall, halt, succeed, fail
    // Type tests (the inline test number follows `Compiler.typeTests`).
    case typeTest
    // Unification and comparison.
    case unify, notUnify, identical, notIdentical, standardOrder, compare, variant, notVariant, unifyOccursCheck
    // Arithmetic.
    case isBuiltin, arithmeticComparison, succ, plus
    // Terms.
    case functor, arg, univ, copyTerm, termVariables, termVariables3, freeVariableSet
    // Atoms and strings.
    case atomCodes, atomChars, charCode, atomLength, atomNumber, numberCodes, numberChars, atomString
    case atomConcat, subAtom, subString, atomicListConcat2, atomicListConcat3, upcaseAtom, downcaseAtom
    case termToAtom, termString, stringConcat, stringChars, stringCodes, stringToAtom, stringLength
    case numberString, stringLower, stringUpper, splitString, stringCode, charType, codeType, atomToTerm
    case textConcat, numberVars, readTerm, string
    // Database.
    case assertz, asserta, retract, retractall, abolish, clause, dynamic
    // Lists.
    case length, msort, sort2, sort4, keysort, between, numlist, isList, memberchk, nth, sumList
    case maxList, minList
    // Output.
    case write, print, writeq, writeCanonical, writeln, nl, writeTerm, tab, putChar, format1, format2, format3
    case write2, writeq2, nl1, print2, writeTerm3
    // System.
    case op, currentOp, setGlobal, getGlobal, setFlag, currentFlag, statistics, garbageCollect
    case definedPredicates, tabling, ground

    /// Name, arity and builtin of every Swift predicate.
    static let table: [(String, Int, Builtin)] = {
        var table: [(String, Int, Builtin)] = []
        for n in 1...8 { table.append(("call", n, .call)) }
        table += [
            ("catch", 3, .catchGoal), ("throw", 1, .throwBall), ("findall", 3, .findall), ("findall", 4, .findall),
            ("halt", 0, .halt), ("halt", 1, .halt), ("true", 0, .succeed), ("otherwise", 0, .succeed),
            ("fail", 0, .fail), ("false", 0, .fail),
            ("=", 2, .unify), ("\\=", 2, .notUnify), ("==", 2, .identical), ("\\==", 2, .notIdentical),
            ("@<", 2, .standardOrder), ("@>", 2, .standardOrder), ("@=<", 2, .standardOrder),
            ("@>=", 2, .standardOrder), ("compare", 3, .compare), ("=@=", 2, .variant), ("\\=@=", 2, .notVariant),
            ("unify_with_occurs_check", 2, .unifyOccursCheck),
            ("is", 2, .isBuiltin), ("<", 2, .arithmeticComparison), (">", 2, .arithmeticComparison),
            ("=<", 2, .arithmeticComparison), (">=", 2, .arithmeticComparison), ("=:=", 2, .arithmeticComparison),
            ("=\\=", 2, .arithmeticComparison), ("succ", 2, .succ), ("plus", 3, .plus),
            ("functor", 3, .functor), ("arg", 3, .arg), ("=..", 2, .univ), ("copy_term", 2, .copyTerm),
            ("term_variables", 2, .termVariables), ("term_variables", 3, .termVariables3),
            ("$free_variable_set", 3, .freeVariableSet),
            ("atom_codes", 2, .atomCodes), ("atom_chars", 2, .atomChars), ("char_code", 2, .charCode),
            ("atom_length", 2, .atomLength), ("atom_number", 2, .atomNumber), ("number_codes", 2, .numberCodes),
            ("number_chars", 2, .numberChars), ("atom_string", 2, .atomString), ("atom_concat", 3, .atomConcat),
            ("sub_atom", 5, .subAtom), ("sub_string", 5, .subString),
            ("atomic_list_concat", 2, .atomicListConcat2), ("atomic_list_concat", 3, .atomicListConcat3),
            ("upcase_atom", 2, .upcaseAtom), ("downcase_atom", 2, .downcaseAtom), ("term_to_atom", 2, .termToAtom),
            ("term_string", 2, .termString), ("string_concat", 3, .stringConcat), ("string_chars", 2, .stringChars),
            ("string_codes", 2, .stringCodes), ("string_to_atom", 2, .stringToAtom),
            ("string_length", 2, .stringLength), ("number_string", 2, .numberString),
            ("string_lower", 2, .stringLower), ("string_upper", 2, .stringUpper),
            ("split_string", 4, .splitString), ("string_code", 3, .stringCode), ("char_type", 2, .charType),
            ("code_type", 2, .codeType), ("atom_to_term", 3, .atomToTerm), ("text_concat", 3, .textConcat),
            ("numbervars", 3, .numberVars), ("read_term", 2, .readTerm), ("read", 1, .readTerm),
            ("assert", 1, .assertz), ("assertz", 1, .assertz), ("asserta", 1, .asserta), ("retract", 1, .retract),
            ("retractall", 1, .retractall), ("abolish", 1, .abolish), ("clause", 2, .clause),
            ("dynamic", 1, .dynamic), ("discontiguous", 1, .succeed),
            ("length", 2, .length), ("msort", 2, .msort), ("sort", 2, .sort2), ("sort", 4, .sort4),
            ("keysort", 2, .keysort), ("between", 3, .between), ("numlist", 3, .numlist), ("is_list", 1, .isList),
            ("memberchk", 2, .memberchk), ("$nth", 4, .nth), ("sum_list", 2, .sumList),
            ("sumlist", 2, .sumList), ("max_list", 2, .maxList), ("min_list", 2, .minList),
            ("write", 1, .write), ("print", 1, .print), ("writeq", 1, .writeq),
            ("write_canonical", 1, .writeCanonical), ("writeln", 1, .writeln), ("nl", 0, .nl),
            ("write_term", 2, .writeTerm), ("tab", 1, .tab), ("put_char", 1, .putChar), ("format", 1, .format1),
            ("format", 2, .format2), ("format", 3, .format3), ("write", 2, .write2), ("writeq", 2, .writeq2),
            ("nl", 1, .nl1), ("print", 2, .print2), ("write_term", 3, .writeTerm3),
            ("op", 3, .op), ("$current_op", 1, .currentOp), ("nb_setval", 2, .setGlobal),
            ("b_setval", 2, .setGlobal), ("nb_getval", 2, .getGlobal), ("b_getval", 2, .getGlobal),
            ("set_prolog_flag", 2, .setFlag), ("current_prolog_flag", 2, .currentFlag),
            ("statistics", 2, .statistics), ("garbage_collect", 0, .garbageCollect),
            ("$defined_predicates", 1, .definedPredicates), ("table", 1, .tabling), ("ground", 1, .ground),
            ("string", 1, .string),
        ]
        for (name, number) in Compiler.typeTests where name != "ground" && name != "string" {
            table.append((name, 1, .typeTest))
            _ = number
        }
        return table
    }()
}

extension ProgramState {
    /// Registers the Swift builtins and the evaluable functors.
    mutating func registerBuiltins() {
        for (name, arity, builtin) in Builtin.table {
            builtins[functor(name, arity)] = builtin.rawValue
        }
        var table: [Int] = []
        for (name, arity, function) in ArithmeticFunction.signatures {
            let number = functor(name, arity)
            if number >= table.count { table += repeatElement(0, count: number + 1 - table.count) }
            table[number] = function.rawValue
        }
        arithmetic = table
    }
}

extension Machine {
    /// Runs builtin `builtin` for the call of `functor` whose `n` arguments are in the argument registers.
    mutating func callBuiltin(_ raw: Int, _ functor: Int, _ n: Int) -> BuiltinResult {
        currentBuiltin = functor
        let name = state.functors.name(functor)
        switch Builtin(rawValue: raw) ?? .none {
        case .none: return .fail
        case .call: return callN(n)
        case .catchGoal: return catchGoal()
        case .throwBall:
            let ball = deref(A[0])
            if ball & 7 == Cell.ref { return instantiationError() }
            return throwBall(ball)
        case .findall: return findall(n)
        case .halt:
            failure = .refused("halt/0 is not allowed in a query")
            return .fail
        case .succeed: return .proceed
        case .fail: return .fail
        case .typeTest:
            let kind = Compiler.typeTests[state.atoms[name]] ?? 0
            return typeTest(kind, A[0]) ? .proceed : .fail
        case .ground: return typeTest(11, A[0]) ? .proceed : .fail
        case .string: return typeTest(10, A[0]) ? .proceed : .fail
        case .unify: return unify(A[0], A[1]) ? .proceed : .fail
        case .notUnify: return notUnifiable(A[0], A[1]) ? .proceed : .fail
        case .identical: return compareTerms(A[0], A[1]) == 0 ? .proceed : .fail
        case .notIdentical: return compareTerms(A[0], A[1]) != 0 ? .proceed : .fail
        case .standardOrder:
            let order = compareTerms(A[0], A[1])
            if failure != nil { return .fail }
            let holds: Bool
            switch state.atoms[name] {
            case "@<": holds = order < 0
            case "@>": holds = order > 0
            case "@=<": holds = order <= 0
            default: holds = order >= 0
            }
            return holds ? .proceed : .fail
        case .compare: return compareBuiltin()
        case .variant: return isVariant(A[0], A[1]) ? .proceed : .fail
        case .notVariant: return isVariant(A[0], A[1]) ? .fail : .proceed
        case .unifyOccursCheck: return unifyWithOccursCheck(A[0], A[1]) ? .proceed : .fail
        case .isBuiltin:
            guard let number = evaluate(A[1]), let cell = numberCell(number) else { return raisePending() }
            return unify(A[0], cell) ? .proceed : .fail
        case .arithmeticComparison:
            guard let a = evaluate(A[0]), let b = evaluate(A[1]) else { return raisePending() }
            let kind = Compiler.comparisons[state.atoms[name]] ?? 0
            return comparisonHolds(kind, compareNumbers(a, b)) ? .proceed : .fail
        case .succ: return succBuiltin()
        case .plus: return plusBuiltin()
        case .functor: return functorBuiltin()
        case .arg: return argBuiltin()
        case .univ: return univBuiltin()
        case .copyTerm: return copyTermBuiltin()
        case .termVariables: return termVariablesBuiltin(tail: nil)
        case .termVariables3: return termVariablesBuiltin(tail: A[2])
        case .freeVariableSet: return freeVariableSet()
        case .atomCodes, .atomChars, .charCode, .atomLength, .atomNumber, .numberCodes, .numberChars, .atomString,
            .upcaseAtom, .downcaseAtom, .termToAtom, .termString, .stringChars, .stringCodes, .stringToAtom,
            .stringLength, .numberString, .stringLower, .stringUpper, .splitString, .stringCode, .charType,
            .codeType, .atomToTerm, .atomicListConcat2, .atomicListConcat3, .textConcat, .stringConcat,
            .atomConcat, .subAtom, .subString:
            return textBuiltin(Builtin(rawValue: raw)!)
        case .numberVars: return numberVarsBuiltin()
        case .readTerm: return unify(A[0], Cell.atom(Atoms.endOfFile)) ? .proceed : .fail
        case .assertz: return assertBuiltin(atEnd: true)
        case .asserta: return assertBuiltin(atEnd: false)
        case .retract: return retractBuiltin()
        case .retractall: return retractAllBuiltin()
        case .abolish: return abolishBuiltin()
        case .clause: return clauseBuiltin()
        case .dynamic: return dynamicBuiltin(A[0])
        case .length: return lengthBuiltin()
        case .msort: return sortBuiltin(key: 0, order: "@=<")
        case .sort2: return sortBuiltin(key: 0, order: "@<")
        case .sort4: return sort4Builtin()
        case .keysort: return keysortBuiltin()
        case .between: return betweenBuiltin()
        case .numlist: return numlistBuiltin()
        case .isList: return typeTest(9, A[0]) ? .proceed : .fail
        case .memberchk: return memberchkBuiltin()
        case .nth: return nthBuiltin()
        case .sumList, .maxList, .minList: return listArithmeticBuiltin(Builtin(rawValue: raw)!)
        case .write, .print, .writeq, .writeCanonical, .writeln, .nl, .writeTerm, .tab, .putChar, .format1,
            .format2, .format3, .write2, .writeq2, .nl1, .print2, .writeTerm3:
            return outputBuiltin(Builtin(rawValue: raw)!)
        case .op: return opBuiltin()
        case .currentOp: return currentOpBuiltin()
        case .setGlobal: return setGlobalBuiltin()
        case .getGlobal: return getGlobalBuiltin()
        case .setFlag: return setFlagBuiltin()
        case .currentFlag: return currentFlagBuiltin()
        case .statistics: return statisticsBuiltin()
        case .garbageCollect, .tabling: return .proceed
        case .definedPredicates: return definedPredicatesBuiltin()
        }
    }

    /// Resumes a nondeterministic builtin from its choicepoint.
    mutating func redoBuiltin(_ record: Int) -> Bool {
        let functor = cps[record + ChoicePoint.functor]
        let n = arity(functor)
        let base = cps[record + ChoicePoint.argBase]
        for index in 0..<n { A[index] = argStack[base + index] }
        CE = cps[record + ChoicePoint.continuationEnv]
        CPC = cps[record + ChoicePoint.continuationCode]
        let state = cps[record + ChoicePoint.extra]
        let generation = cps[record + ChoicePoint.generation]
        popChoicePoint()
        currentBuiltin = functor
        let result: BuiltinResult
        switch Builtin(rawValue: self.state.builtins[functor]) ?? .none {
        case .between: result = betweenRedo(state)
        case .clause: result = clauseRedo(state, generation: generation)
        case .retract: result = retractRedo(state, generation: generation)
        case .atomConcat, .stringConcat, .textConcat, .subAtom, .subString:
            result = textRedo(Builtin(rawValue: self.state.builtins[functor])!, state)
        case .length: result = lengthRedo(state)
        default: result = .fail
        }
        switch result {
        case .proceed:
            proceed()
            return true
        case .jumped: return true
        case .fail: return false
        }
    }

    /// Leaves a choicepoint to call `functor`'s redo with `state` on backtracking (arguments saved as they are).
    mutating func pushRedo(_ functor: Int, state redoState: Int, generation: Int = 0) -> Bool {
        guard let record = pushChoicePoint(ChoicePoint.builtinRedo, arguments: arity(functor)) else { return false }
        cps[record + ChoicePoint.functor] = functor
        cps[record + ChoicePoint.extra] = redoState
        cps[record + ChoicePoint.generation] = generation
        return true
    }
}
