import ExactMath

/// Atoms, strings, characters and codes.
extension Machine {
    // MARK: Conversions

    /// The text of a number as `write/1` writes it.
    func numberText(_ value: Int) -> String? {
        switch value & 7 {
        case Cell.int: return String(value >> 3)
        case Cell.float:
            return TermWriter.formatFloat(Double(bitPattern: UInt64(UInt(bitPattern: heap[value >> 3]))))
        case Cell.object:
            if case .bigInt(let big) = state.objects[value >> 3] { return big.description }
            return nil
        default: return nil
        }
    }

    /// The text of an atomic term or a code/char list; nil when the term is not text (or is partial).
    func textOf(_ cell: Int) -> String? {
        let value = deref(cell)
        switch value & 7 {
        case Cell.atom: return state.atoms[value >> 3]
        case Cell.int, Cell.float: return numberText(value)
        case Cell.object:
            switch state.objects[value >> 3] {
            case .string(let text): return text
            case .bigInt(let big): return big.description
            }
        case Cell.list:
            var text = ""
            var rest = value
            while rest & 7 == Cell.list {
                let element = deref(heap[rest >> 3])
                if element & 7 == Cell.int, let scalar = Unicode.Scalar(UInt32(clamping: element >> 3)) {
                    text.unicodeScalars.append(scalar)
                } else if element & 7 == Cell.atom {
                    let name = state.atoms[element >> 3]
                    guard name.unicodeScalars.count == 1 else { return nil }
                    text += name
                } else {
                    return nil
                }
                rest = deref(heap[(rest >> 3) + 1])
            }
            return rest == Cell.nilAtom ? text : nil
        default:
            return value == Cell.nilAtom ? "[]" : nil
        }
    }

    /// The text of a required text argument; raises instantiation or type errors (pending) when it is not text.
    mutating func requireText(_ cell: Int, type: Int = Atoms.atom) -> String? {
        let value = deref(cell)
        if value & 7 == Cell.ref {
            raise(Cell.atom(Atoms.instantiationError))
            return nil
        }
        if let text = textOf(value) { return text }
        if value & 7 == Cell.list, properListLength(value) == nil {
            raise(Cell.atom(Atoms.instantiationError))
            return nil
        }
        guard ensureHeap(8) else { return nil }
        raise(makeStructure(Functors.typeError, [Cell.atom(type), value]))
        return nil
    }

    func codes(_ text: String) -> [Int] { text.unicodeScalars.map { Cell.int(Int($0.value)) } }

    mutating func chars(_ text: String) -> [Int] { text.unicodeScalars.map { makeAtom(String($0)) } }

    /// Parses a number the way `number_codes/2` does: optional layout, an optional sign, one number token.
    func parseNumber(_ text: String) -> Term? {
        var trimmed = Substring(text)
        while let first = trimmed.unicodeScalars.first, first.properties.isWhitespace { trimmed = trimmed.dropFirst() }
        var negative = false
        if trimmed.hasPrefix("-") {
            negative = true
            trimmed = trimmed.dropFirst()
        } else if trimmed.hasPrefix("+") {
            trimmed = trimmed.dropFirst()
        }
        guard let first = trimmed.unicodeScalars.first, CharClass.isDigit(first) else { return nil }
        var lexer = Lexer(String(trimmed))
        guard let token = try? lexer.next(), lexer.isExhausted else { return nil }
        switch token.kind {
        case .int(let value): return negative ? .int(-value) : .int(value)
        case .bigInt(let value): return .integer(negative ? -value : value)
        case .float(let value): return .float(negative ? -value : value)
        default: return nil
        }
    }

    mutating func numberCell(_ term: Term) -> Int? {
        var variables: [Int: Int] = [:]
        guard ensureHeap(4) else { return nil }
        return fromTerm(term, &variables)
    }

    private mutating func syntaxError(_ message: String) -> BuiltinResult {
        guard ensureHeap(8) else { return .fail }
        return throwError(makeStructure(Functors.syntaxError, [makeAtom(message)]))
    }

    // MARK: Dispatch

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    mutating func textBuiltin(_ builtin: Builtin) -> BuiltinResult {
        switch builtin {
        case .atomCodes, .atomChars, .stringChars, .stringCodes:
            let first = deref(A[0])
            let isString = builtin == .stringChars || builtin == .stringCodes
            let asCodes = builtin == .atomCodes || builtin == .stringCodes
            if first & 7 != Cell.ref {
                guard let text = requireText(first) else { return raisePending() }
                let elements = asCodes ? codes(text) : chars(text)
                guard let list = makeList(elements) else { return .fail }
                return unify(A[1], list) ? .proceed : .fail
            }
            guard let text = requireText(A[1], type: Atoms.list) else { return raisePending() }
            return unify(first, isString ? makeString(text) : makeAtom(text)) ? .proceed : .fail
        case .charCode:
            let char = deref(A[0])
            if char & 7 == Cell.atom {
                let name = state.atoms[char >> 3]
                guard name.unicodeScalars.count == 1, let scalar = name.unicodeScalars.first else {
                    return typeError(Atoms.character, char)
                }
                return unify(A[1], Cell.int(Int(scalar.value))) ? .proceed : .fail
            }
            let code = deref(A[1])
            if code & 7 == Cell.ref { return instantiationError() }
            guard code & 7 == Cell.int, let scalar = Unicode.Scalar(UInt32(clamping: code >> 3)) else {
                return representationError(Atoms.characterCode)
            }
            return unify(char, makeAtom(String(scalar))) ? .proceed : .fail
        case .atomLength, .stringLength:
            guard let text = requireText(A[0]) else { return raisePending() }
            let length = deref(A[1])
            if length & 7 != Cell.ref && length & 7 != Cell.int { return typeError(Atoms.integer, length) }
            if length & 7 == Cell.int && length >> 3 < 0 { return domainError(Atoms.notLessThanZero, length) }
            return unify(length, Cell.int(text.unicodeScalars.count)) ? .proceed : .fail
        case .atomNumber:
            let atom = deref(A[0])
            if atom & 7 == Cell.ref {
                let number = deref(A[1])
                if number & 7 == Cell.ref { return instantiationError() }
                guard let text = numberText(number) else { return typeError(Atoms.number, number) }
                return unify(atom, makeAtom(text)) ? .proceed : .fail
            }
            guard let text = textOf(atom), atom & 7 == Cell.atom || atom & 7 == Cell.object else {
                return typeError(Atoms.atom, atom)
            }
            guard let term = parseNumber(text), let cell = numberCell(term) else { return .fail }
            return unify(A[1], cell) ? .proceed : .fail
        case .numberCodes, .numberChars, .numberString:
            let stringFirst = builtin == .numberString
            let numberArgument = deref(A[0])
            let textArgument = deref(A[1])
            if textArgument & 7 != Cell.ref && (stringFirst || numberArgument & 7 == Cell.ref) {
                guard let text = requireText(textArgument, type: Atoms.list) else { return raisePending() }
                guard let term = parseNumber(text), let cell = numberCell(term) else {
                    // number_string/2 fails where number_codes/2 raises a syntax error.
                    return stringFirst ? .fail : syntaxError("illegal_number")
                }
                return unify(numberArgument, cell) ? .proceed : .fail
            }
            if numberArgument & 7 == Cell.ref { return instantiationError() }
            guard let text = numberText(numberArgument) else { return typeError(Atoms.number, numberArgument) }
            let result: Int?
            switch builtin {
            case .numberCodes: result = makeList(codes(text))
            case .numberChars: result = makeList(chars(text))
            default: result = makeString(text)
            }
            guard let result else { return .fail }
            return unify(textArgument, result) ? .proceed : .fail
        case .atomString, .stringToAtom:
            let (atomIndex, stringIndex) = builtin == .atomString ? (0, 1) : (1, 0)
            let atom = deref(A[atomIndex])
            if atom & 7 != Cell.ref {
                guard let text = requireText(atom) else { return raisePending() }
                return unify(A[stringIndex], makeString(text)) ? .proceed : .fail
            }
            guard let text = requireText(A[stringIndex], type: Atoms.string) else { return raisePending() }
            return unify(atom, makeAtom(text)) ? .proceed : .fail
        case .upcaseAtom, .downcaseAtom, .stringLower, .stringUpper:
            guard let text = requireText(A[0]) else { return raisePending() }
            let upper = builtin == .upcaseAtom || builtin == .stringUpper
            let converted = upper ? text.uppercased() : text.lowercased()
            let result =
                builtin == .upcaseAtom || builtin == .downcaseAtom ? makeAtom(converted) : makeString(converted)
            return unify(A[1], result) ? .proceed : .fail
        case .termToAtom, .termString:
            let text = deref(A[1])
            if text & 7 != Cell.ref {
                guard let source = requireText(text) else { return raisePending() }
                return parseAndUnify(source, A[0], bindings: nil)
            }
            let written = TermWriter.format(A[0], machine: self, quoted: true)
            return unify(text, builtin == .termToAtom ? makeAtom(written) : makeString(written)) ? .proceed : .fail
        case .atomToTerm:
            guard let source = requireText(A[0]) else { return raisePending() }
            return parseAndUnify(source, A[1], bindings: A[2])
        case .splitString:
            return splitStringBuiltin()
        case .stringCode:
            guard let index = integerArgument(A[0]), let position = index else { return raisePending() }
            guard let text = requireText(A[1], type: Atoms.string) else { return raisePending() }
            let scalars = Array(text.unicodeScalars)
            guard position >= 1 && position <= scalars.count else { return .fail }
            return unify(A[2], Cell.int(Int(scalars[position - 1].value))) ? .proceed : .fail
        case .charType, .codeType:
            return charTypeBuiltin(codes: builtin == .codeType)
        case .atomicListConcat2:
            guard let elements = listElements(A[0]) else { return instantiationError() }
            var text = ""
            for element in elements {
                let value = deref(element)
                if value & 7 == Cell.ref { return instantiationError() }
                guard value & 7 != Cell.str && value & 7 != Cell.list, let part = textOf(value) else {
                    return typeError(Atoms.atomic, value)
                }
                text += part
            }
            return unify(A[1], makeAtom(text)) ? .proceed : .fail
        case .atomicListConcat3:
            return atomicListConcat3()
        case .textConcat, .atomConcat, .stringConcat:
            return concatBuiltin(builtin)
        case .subAtom, .subString:
            return textRedo(builtin, 0)
        default:
            return .fail
        }
    }

    private mutating func parseAndUnify(_ source: String, _ target: Int, bindings: Int?) -> BuiltinResult {
        let read: ReadClause
        do {
            read = try Reader.readTerm(source, operators: state.operators)
        } catch {
            return syntaxError(error.message)
        }
        var variables: [Int: Int] = [:]
        guard ensureHeap(4 * source.utf8.count + 16) else { return .fail }
        let term = fromTerm(read.term, &variables)
        guard unify(target, term) else { return .fail }
        if let bindings {
            var pairs: [Int] = []
            for (number, name) in read.variableNames.enumerated() where name != "_" {
                guard let cell = variables[number] else { continue }
                pairs.append(makeStructure(Functors.equals, [makeAtom(name), cell]))
            }
            guard let list = makeList(pairs) else { return .fail }
            return unify(bindings, list) ? .proceed : .fail
        }
        return .proceed
    }

    private mutating func atomicListConcat3() -> BuiltinResult {
        guard let separator = requireText(A[1]) else { return raisePending() }
        if let elements = listElements(A[0]) {
            var parts: [String] = []
            var complete = true
            for element in elements {
                let value = deref(element)
                if value & 7 == Cell.ref {
                    complete = false
                    break
                }
                guard value & 7 != Cell.str && value & 7 != Cell.list, let part = textOf(value) else {
                    return typeError(Atoms.atomic, value)
                }
                parts.append(part)
            }
            if complete { return unify(A[2], makeAtom(parts.joined(separator: separator))) ? .proceed : .fail }
        }
        // Split mode.
        let whole = deref(A[2])
        if whole & 7 == Cell.ref { return instantiationError() }
        guard !separator.isEmpty else { return domainError(Atoms.nonEmptyAtom, deref(A[1])) }
        guard let text = requireText(whole) else { return raisePending() }
        let parts = Machine.split(text, by: separator).map { makeAtom($0) }
        guard let list = makeList(parts) else { return .fail }
        return unify(A[0], list) ? .proceed : .fail
    }

    /// Splits `text` at every occurrence of `separator` (compared by code points).
    static func split(_ text: String, by separator: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        let pattern = Array(separator.unicodeScalars)
        var parts: [String] = []
        var current = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if index + pattern.count <= scalars.count && Array(scalars[index..<(index + pattern.count)]) == pattern {
                parts.append(String(current))
                current = String.UnicodeScalarView()
                index += pattern.count
            } else {
                current.append(scalars[index])
                index += 1
            }
        }
        parts.append(String(current))
        return parts
    }

    private mutating func splitStringBuiltin() -> BuiltinResult {
        guard let text = requireText(A[0], type: Atoms.string), let separators = requireText(A[1], type: Atoms.string),
            let padding = requireText(A[2], type: Atoms.string)
        else { return raisePending() }
        let separatorSet = Set(separators.unicodeScalars)
        let paddingSet = Set(padding.unicodeScalars)
        var fields: [String.UnicodeScalarView] = [String.UnicodeScalarView()]
        for scalar in text.unicodeScalars {
            if separatorSet.contains(scalar) {
                fields.append(String.UnicodeScalarView())
            } else {
                fields[fields.count - 1].append(scalar)
            }
        }
        var cells: [Int] = []
        for field in fields {
            var scalars = Array(field)
            while let first = scalars.first, paddingSet.contains(first) { scalars.removeFirst() }
            while let last = scalars.last, paddingSet.contains(last) { scalars.removeLast() }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars)
            cells.append(makeString(String(view)))
        }
        guard let list = makeList(cells) else { return .fail }
        return unify(A[3], list) ? .proceed : .fail
    }

    private mutating func charTypeBuiltin(codes: Bool) -> BuiltinResult {
        let subject = deref(A[0])
        if subject & 7 == Cell.ref { return instantiationError() }
        let scalar: Unicode.Scalar
        if subject & 7 == Cell.int, let code = Unicode.Scalar(UInt32(clamping: subject >> 3)) {
            scalar = code
        } else if subject & 7 == Cell.atom, state.atoms[subject >> 3].unicodeScalars.count == 1 {
            scalar = state.atoms[subject >> 3].unicodeScalars.first!
        } else {
            return typeError(Atoms.character, subject)
        }
        let type = deref(A[1])
        let properties = scalar.properties
        let isDigit = CharClass.isDigit(scalar)
        let isLetter = properties.isAlphabetic
        func convert(_ result: Unicode.Scalar) -> Int {
            codes ? Cell.int(Int(result.value)) : Cell.atom(state.atoms.lookup(String(result)) ?? Atoms.empty)
        }
        if type & 7 == Cell.atom {
            let holds: Bool
            switch state.atoms[type >> 3] {
            case "alpha": holds = isLetter || isDigit || scalar == "_"
            case "alnum": holds = isLetter || isDigit
            case "digit": holds = isDigit
            case "space", "white": holds = properties.isWhitespace
            case "upper": holds = properties.isUppercase
            case "lower": holds = properties.isLowercase
            case "punct": holds = scalar.isASCII && !isLetter && !isDigit && scalar.value > 32 && scalar.value < 127
            case "csym": holds = isLetter || isDigit || scalar == "_"
            case "csymf": holds = isLetter || scalar == "_"
            case "graph": holds = !properties.isWhitespace && scalar.value > 32 && scalar.value != 127
            case "end_of_line": holds = scalar == "\n" || scalar == "\r"
            case "ascii": holds = scalar.isASCII
            default: holds = false
            }
            return holds ? .proceed : .fail
        }
        guard type & 7 == Cell.str else { return .fail }
        let name = state.atoms[state.functors.name(heap[type >> 3] >> 3)]
        let argument = heap[(type >> 3) + 1]
        switch name {
        case "digit":
            guard isDigit else { return .fail }
            return unify(argument, Cell.int(Int(scalar.value) - 48)) ? .proceed : .fail
        case "to_lower", "to_upper", "upper", "lower":
            let text = String(scalar)
            let other = name == "to_lower" || name == "upper" ? text.lowercased() : text.uppercased()
            if name == "upper" && !properties.isUppercase { return .fail }
            if name == "lower" && !properties.isLowercase { return .fail }
            guard let result = other.unicodeScalars.first else { return .fail }
            let cell = codes ? Cell.int(Int(result.value)) : makeAtom(String(result))
            _ = convert
            return unify(argument, cell) ? .proceed : .fail
        default:
            return .fail
        }
    }

    // MARK: Concatenation and substrings

    private mutating func concatBuiltin(_ builtin: Builtin) -> BuiltinResult {
        let first = deref(A[0])
        let second = deref(A[1])
        let makesString = builtin == .stringConcat
        if first & 7 != Cell.ref && second & 7 != Cell.ref {
            guard let left = requireText(first, type: Atoms.atomic), let right = requireText(second, type: Atoms.atomic)
            else { return raisePending() }
            let joined = left + right
            return unify(A[2], makesString ? makeString(joined) : makeAtom(joined)) ? .proceed : .fail
        }
        let whole = deref(A[2])
        if whole & 7 == Cell.ref { return instantiationError() }
        return textRedo(builtin, 0)
    }

    /// The solutions of `atom_concat/3` (mode -,-,+), `sub_atom/5` and `sub_string/5`, from solution `state` on.
    mutating func textRedo(_ builtin: Builtin, _ start: Int) -> BuiltinResult {
        let functor = currentBuiltin
        if builtin == .atomConcat || builtin == .stringConcat || builtin == .textConcat {
            guard let text = requireText(A[2], type: Atoms.atomic) else { return raisePending() }
            let scalars = Array(text.unicodeScalars)
            let split = start
            guard split <= scalars.count else { return .fail }
            if split < scalars.count {
                guard pushRedo(functor, state: split + 1) else { return .fail }
            }
            let left = String(String.UnicodeScalarView(scalars[..<split]))
            let right = String(String.UnicodeScalarView(scalars[split...]))
            let makesString = builtin == .stringConcat
            let leftCell = makesString ? makeString(left) : makeAtom(left)
            let rightCell = makesString ? makeString(right) : makeAtom(right)
            return unify(A[0], leftCell) && unify(A[1], rightCell) ? .proceed : .fail
        }
        // sub_atom(+Atom, ?Before, ?Length, ?After, ?Sub)
        guard let text = requireText(A[0]) else { return raisePending() }
        let scalars = Array(text.unicodeScalars)
        let count = scalars.count
        let makesString = builtin == .subString
        guard let before = integerArgument(A[1], allowVariable: true),
            let length = integerArgument(A[2], allowVariable: true),
            let after = integerArgument(A[3], allowVariable: true)
        else { return raisePending() }
        let sub = deref(A[4])
        var wanted: [Unicode.Scalar]?
        if sub & 7 != Cell.ref {
            guard let subText = textOf(sub) else { return typeError(Atoms.atom, sub) }
            wanted = Array(subText.unicodeScalars)
        }
        var position = start
        while true {
            let b = position / (count + 1)
            let l = position % (count + 1)
            if b > count { return .fail }
            position += 1
            if b + l > count { continue }
            if let before, before != b { continue }
            if let length, length != l { continue }
            if let after, after != count - b - l { continue }
            if let wanted, wanted.count != l || !scalars[b..<(b + l)].elementsEqual(wanted) { continue }
            // Whether another solution can exist decides whether to leave a choicepoint.
            let deterministic = (before != nil && (length != nil || after != nil)) || (length != nil && after != nil)
            if !deterministic {
                guard pushRedo(functor, state: position) else { return .fail }
            }
            let piece = String(String.UnicodeScalarView(scalars[b..<(b + l)]))
            let pieceCell = makesString ? makeString(piece) : makeAtom(piece)
            if unify(A[1], Cell.int(b)) && unify(A[2], Cell.int(l)) && unify(A[3], Cell.int(count - b - l))
                && unify(A[4], pieceCell)
            {
                return .proceed
            }
            return .fail
        }
    }
}
