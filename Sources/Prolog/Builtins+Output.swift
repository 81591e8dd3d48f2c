#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Output: `write/1` and friends and `format/1,2,3`, into the query's output buffer.
extension Machine {
    /// Appends text to the output; false (with a limit failure) past the output limit.
    mutating func emit(_ text: String) -> Bool {
        output.append(contentsOf: text.utf8)
        if output.count > limits.maxOutput {
            failure = .limitExceeded(.output)
            return false
        }
        return true
    }

    /// The current column of the output (characters since the last newline).
    var outputColumn: Int {
        var column = 0
        var index = output.count - 1
        while index >= 0 && output[index] != 10 {
            if output[index] & 0xC0 != 0x80 { column += 1 }
            index -= 1
        }
        return column
    }

    func formatted(_ cell: Int, _ options: WriteOptions) -> String {
        var writer = TermWriter(options: options, limit: limits.maxOutput)
        writer.write(cell, machine: self)
        return writer.output
    }

    /// Whether a stream argument names standard output (true), standard error (false), or is an error (nil).
    private mutating func stream(_ cell: Int) -> Bool? {
        let value = deref(cell)
        if value & 7 == Cell.ref {
            raise(Cell.atom(Atoms.instantiationError))
            return nil
        }
        if value & 7 == Cell.atom {
            switch state.atoms[value >> 3] {
            case "user_output", "current_output": return true
            case "user_error": return false
            default: break
            }
        }
        guard ensureHeap(8) else { return nil }
        raise(makeStructure(Functors.existenceError, [makeAtom("stream"), value]))
        return nil
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    mutating func outputBuiltin(_ builtin: Builtin) -> BuiltinResult {
        var target = true
        var argument = A[0]
        switch builtin {
        case .write2, .writeq2, .print2, .nl1, .writeTerm3:
            guard let stream = stream(A[0]) else { return raisePending() }
            target = stream
            argument = A[1]
        default: break
        }
        var text: String
        switch builtin {
        case .write, .write2: text = formatted(argument, WriteOptions())
        case .writeln: text = formatted(argument, WriteOptions()) + "\n"
        case .print, .writeq, .writeq2, .print2: text = formatted(argument, WriteOptions(quoted: true))
        case .writeCanonical:
            text = formatted(
                argument, WriteOptions(quoted: true, ignoreOps: true, numberVars: false, canonicalVariables: true))
        case .nl, .nl1: text = "\n"
        case .writeTerm, .writeTerm3:
            let optionsCell = builtin == .writeTerm ? A[1] : A[2]
            guard let options = writeOptions(optionsCell) else { return raisePending() }
            text = formatted(argument, options)
        case .tab:
            guard let count = evaluate(A[0]) else { return raisePending() }
            guard case .int(let spaces) = count, spaces >= 0 else { return typeError(Atoms.integer, deref(A[0])) }
            text = String(repeating: " ", count: min(spaces, limits.maxOutput + 1))
        case .putChar:
            let char = deref(A[0])
            if char & 7 == Cell.ref { return instantiationError() }
            guard char & 7 == Cell.atom, state.atoms[char >> 3].unicodeScalars.count == 1 else {
                return typeError(Atoms.character, char)
            }
            text = state.atoms[char >> 3]
        case .format1, .format2, .format3:
            let formatIndex = builtin == .format3 ? 1 : 0
            guard let formatText = requireText(A[formatIndex], type: Atoms.text) else { return raisePending() }
            var arguments: [Int] = []
            if builtin != .format1 {
                let list = deref(A[formatIndex + 1])
                if let elements = listElements(list) {
                    arguments = elements
                } else {
                    arguments = [list]
                }
            }
            if builtin == .format3 {
                return formatToSink(formatText, arguments)
            }
            guard let result = format(formatText, arguments, startColumn: outputColumn) else { return raisePending() }
            text = result
        default:
            return .fail
        }
        if !target { return .proceed }
        return emit(text) ? .proceed : .fail
    }

    private mutating func writeOptions(_ cell: Int) -> WriteOptions? {
        guard let elements = listElements(cell) else {
            raise(Cell.atom(Atoms.instantiationError))
            return nil
        }
        var options = WriteOptions(numberVars: false)
        for element in elements {
            let value = deref(element)
            guard value & 7 == Cell.str, arity(heap[value >> 3] >> 3) == 1 else { continue }
            let name = state.atoms[state.functors.name(heap[value >> 3] >> 3)]
            let flag = deref(heap[(value >> 3) + 1]) == Cell.trueAtom
            switch name {
            case "quoted": options.quoted = flag
            case "ignore_ops": options.ignoreOps = flag
            case "numbervars": options.numberVars = flag
            case "max_depth":
                let depth = deref(heap[(value >> 3) + 1])
                if depth & 7 == Cell.int { options.maxDepth = depth >> 3 }
            default: break
            }
        }
        return options
    }

    /// `format/3` with `atom(A)`, `string(S)`, `codes(C)`, `chars(C)` or a stream as the sink.
    private mutating func formatToSink(_ formatText: String, _ arguments: [Int]) -> BuiltinResult {
        let sink = deref(A[0])
        if sink & 7 == Cell.str {
            let functor = heap[sink >> 3] >> 3
            let name = state.atoms[state.functors.name(functor)]
            guard let text = format(formatText, arguments, startColumn: 0) else { return raisePending() }
            let target = heap[(sink >> 3) + 1]
            let result: Int?
            switch (name, arity(functor)) {
            case ("atom", 1): result = makeAtom(text)
            case ("string", 1): result = makeString(text)
            case ("codes", 1): result = makeList(codes(text))
            case ("codes", 2): result = makeList(codes(text), tail: heap[(sink >> 3) + 2])
            case ("chars", 1): result = makeList(chars(text))
            default: return domainError(Atoms.outputSink, sink)
            }
            guard let result else { return .fail }
            return unify(target, result) ? .proceed : .fail
        }
        guard let stream = stream(sink) else { return raisePending() }
        guard let text = format(formatText, arguments, startColumn: outputColumn) else { return raisePending() }
        if !stream { return .proceed }
        return emit(text) ? .proceed : .fail
    }

    private mutating func formatError(_ message: String) {
        guard ensureHeap(8) else { return }
        let formal = makeStructure(state.functor(Atoms.format, 1), [makeString(message)])
        raise(formal)
    }

    /// Runs a format string. Nil after raising an error.
    // swiftlint:disable:next cyclomatic_complexity function_body_length
    mutating func format(_ formatText: String, _ arguments: [Int], startColumn: Int) -> String? {
        var result = ""
        var segment = String.UnicodeScalarView()
        var segmentColumn = startColumn
        var lastStop = startColumn
        var fills: [(position: Int, char: Unicode.Scalar)] = []
        var remaining = arguments[...]
        let scalars = Array(formatText.unicodeScalars)
        var index = 0

        func nextArgument(_ machine: inout Machine) -> Int? {
            guard let argument = remaining.popFirst() else {
                machine.formatError("not enough arguments")
                return nil
            }
            return argument
        }
        func flushSegment() {
            result.unicodeScalars.append(contentsOf: segment)
            segmentColumn += segment.count
            segment = String.UnicodeScalarView()
            fills = []
        }
        func appendText(_ text: String) {
            for scalar in text.unicodeScalars {
                if scalar == "\n" {
                    segment.append(scalar)
                    flushSegment()
                    segmentColumn = 0
                    lastStop = 0
                } else {
                    segment.append(scalar)
                }
            }
        }
        func columnStop(_ target: Int) {
            let width = segment.count
            let pad = target - (segmentColumn + width)
            if pad > 0 {
                var scalarsOut = Array(segment)
                if fills.isEmpty {
                    scalarsOut += Array(repeating: " ", count: pad)
                } else {
                    // Spread the padding over the fill points, the remainder going to the last ones.
                    let share = pad / fills.count
                    var extra = pad % fills.count
                    for fill in fills.reversed() {
                        var count = share
                        if extra > 0 {
                            count += 1
                            extra -= 1
                        }
                        scalarsOut.insert(contentsOf: Array(repeating: fill.char, count: count), at: fill.position)
                    }
                }
                segment = String.UnicodeScalarView(scalarsOut)
            }
            flushSegment()
            lastStop = max(target, segmentColumn)
            segmentColumn = lastStop
        }

        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            guard scalar == "~" else {
                appendText(String(scalar))
                continue
            }
            guard index < scalars.count else {
                formatError("truncated format specification")
                return nil
            }
            var numeric: Int?
            var fillChar: Unicode.Scalar = " "
            if scalars[index] == "*" {
                guard let argument = nextArgument(&self) else { return nil }
                let value = deref(argument)
                guard value & 7 == Cell.int, value >> 3 >= 0 else {
                    formatError("no or negative integer for `*' argument")
                    return nil
                }
                numeric = value >> 3
                index += 1
            } else if scalars[index] == "`" {
                guard index + 1 < scalars.count else {
                    formatError("truncated format specification")
                    return nil
                }
                fillChar = scalars[index + 1]
                numeric = Int(fillChar.value)
                index += 2
            } else {
                var digits = 0
                var sawDigit = false
                while index < scalars.count, CharClass.isDigit(scalars[index]) {
                    digits = digits * 10 + Int(scalars[index].value) - 48
                    sawDigit = true
                    index += 1
                }
                if sawDigit { numeric = digits }
            }
            guard index < scalars.count else {
                formatError("truncated format specification")
                return nil
            }
            let directive = scalars[index]
            index += 1
            switch directive {
            case "~": appendText("~")
            case "n":
                appendText(String(repeating: "\n", count: numeric ?? 1))
            case "w", "p", "q", "a":
                guard let argument = nextArgument(&self) else { return nil }
                if directive == "a" {
                    let value = deref(argument)
                    if value & 7 == Cell.ref {
                        raise(Cell.atom(Atoms.instantiationError))
                        return nil
                    }
                    guard let text = textOf(value), value & 7 != Cell.list else {
                        formatError("~a expects an atomic argument")
                        return nil
                    }
                    appendText(text)
                } else {
                    appendText(formatted(argument, WriteOptions(quoted: directive != "w")))
                }
            case "d", "D":
                guard let argument = nextArgument(&self) else { return nil }
                let value = deref(argument)
                guard value & 7 == Cell.int || isBigInt(value) else {
                    if value & 7 == Cell.ref {
                        raise(Cell.atom(Atoms.instantiationError))
                    } else {
                        formatError("~\(Character(directive)) expects an integer argument")
                    }
                    return nil
                }
                var digits = numberText(value) ?? "0"
                let negative = digits.hasPrefix("-")
                if negative { digits.removeFirst() }
                var fraction = ""
                if let places = numeric, places > 0 {
                    while digits.count <= places { digits = "0" + digits }
                    fraction = "." + String(digits.suffix(places))
                    digits = String(digits.dropLast(places))
                }
                if directive == "D" {
                    var grouped = ""
                    for (offset, char) in digits.reversed().enumerated() {
                        if offset > 0 && offset % 3 == 0 { grouped.append(",") }
                        grouped.append(char)
                    }
                    digits = String(grouped.reversed())
                }
                appendText((negative ? "-" : "") + digits + fraction)
            case "f", "e", "g":
                guard let argument = nextArgument(&self) else { return nil }
                guard let number = evaluate(argument) else { return nil }
                appendText(Machine.printf(number.asDouble, conversion: directive, precision: numeric ?? 6))
            case "s":
                guard let argument = nextArgument(&self) else { return nil }
                guard let text = textOf(argument) else {
                    formatError("~s expects a string or a list of character codes")
                    return nil
                }
                appendText(text)
            case "c":
                guard let argument = nextArgument(&self) else { return nil }
                let value = deref(argument)
                guard value & 7 == Cell.int, let code = Unicode.Scalar(UInt32(clamping: value >> 3)) else {
                    formatError("~c expects a character code")
                    return nil
                }
                appendText(String(repeating: String(code), count: numeric ?? 1))
            case "r", "R":
                guard let argument = nextArgument(&self) else { return nil }
                let value = deref(argument)
                guard let radix = numeric, (2...36).contains(radix), value & 7 == Cell.int else {
                    formatError("~r expects a radix and an integer argument")
                    return nil
                }
                appendText(String(value >> 3, radix: radix, uppercase: directive == "R"))
            case "i":
                guard nextArgument(&self) != nil else { return nil }
            case "t":
                fills.append((segment.count, fillChar))
            case "|":
                columnStop(numeric ?? (segmentColumn + segment.count))
            case "+":
                columnStop(lastStop + (numeric ?? 8))
            default:
                formatError("unknown directive ~\(Character(directive))")
                return nil
            }
        }
        flushSegment()
        if !remaining.isEmpty {
            formatError("too many arguments")
            return nil
        }
        return result
    }

    /// C's `printf` conversion `%.<precision><conversion>` of a double.
    static func printf(_ value: Double, conversion: Unicode.Scalar, precision: Int) -> String {
        let format = "%.\(min(precision, 100))\(Character(conversion))"
        var buffer = [CChar](repeating: 0, count: 512)
        let written = withVaList([value]) { arguments in
            vsnprintf(&buffer, buffer.count, format, arguments)
        }
        if written >= buffer.count {
            buffer = [CChar](repeating: 0, count: Int(written) + 1)
            _ = withVaList([value]) { arguments in vsnprintf(&buffer, buffer.count, format, arguments) }
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
