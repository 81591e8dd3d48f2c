/// Options of `write_term/2` that the engine supports.
struct WriteOptions {
    var quoted = false
    var ignoreOps = false
    var numberVars = true
    /// `write_canonical/1`: variables named `A`, `B`, ... and `_` for singletons.
    var canonicalVariables = false
    var maxDepth = 0
}

/// Writes heap terms as SWI-Prolog does: operators with the same spacing and brackets, quoting, float format.
struct TermWriter {
    private(set) var output = ""
    let options: WriteOptions
    /// The last character written, for deciding whether two tokens need a space between them.
    private var last: Unicode.Scalar?
    private var prefixSign = false
    private var prefixOperator = false
    private var infixOperator = false
    private var variableNames: [Int: String] = [:]
    /// Set when the output limit or a limit was reached.
    private(set) var truncated = false
    private let limit: Int

    init(options: WriteOptions, limit: Int = 10_000_000) {
        self.options = options
        self.limit = limit
    }

    /// Formats a heap term.
    static func format(_ cell: Int, machine: borrowing Machine, quoted: Bool) -> String {
        var writer = TermWriter(options: WriteOptions(quoted: quoted))
        writer.write(cell, machine: machine)
        return writer.output
    }

    mutating func write(_ cell: Int, machine: borrowing Machine, priority: Int = 1200) {
        if options.canonicalVariables { nameVariables(cell, machine: machine) }
        writeTerm(cell, priority, machine, operatorArgument: false, depth: 0)
    }

    // MARK: Tokens

    private mutating func putRaw(_ text: String) {
        guard !truncated else { return }
        output += text
        if let scalar = text.unicodeScalars.last {
            last = scalar
            prefixSign = false
            prefixOperator = false
            infixOperator = false
        }
        if output.utf8.count > limit { truncated = true }
    }

    private func needsSpace(before next: Unicode.Scalar) -> Bool {
        guard let last else { return false }
        if prefixSign && (CharClass.isDigit(next) || CharClass.isSymbol(next)) { return true }
        if prefixOperator && (next == "(" || next == "{") { return true }
        if infixOperator && next == "(" { return false }
        let lastIdentifier = CharClass.isAlnum(last)
        if lastIdentifier && CharClass.isAlnum(next) { return true }
        if CharClass.isSymbol(last) && CharClass.isSymbol(next) { return true }
        if next == "(" && !"()[]{},|".unicodeScalars.contains(last) && !last.properties.isWhitespace { return true }
        if next == "'" && CharClass.isDigit(last) { return true }
        if (next == "'" || next == "\"") && last == next { return true }
        return false
    }

    /// Writes a token, with a space before it when it would otherwise join the previous one; returns whether a
    /// space was written.
    @discardableResult
    private mutating func putToken(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first else { return false }
        let space = needsSpace(before: first)
        if space { putRaw(" ") }
        putRaw(text)
        return space
    }

    private mutating func putOpenBracket() {
        if needsSpace(before: "(") { putRaw(" ") }
        putRaw("(")
    }

    // MARK: Atoms

    /// Whether an atom's text can be written without quotes.
    static func isUnquotedAtom(_ text: String, isNil: Bool) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.first else { return false }
        if isNil { return true }
        if text == "{}" || text == "!" || text == ";" { return true }
        if first.isASCII
            ? (first.value >= 97 && first.value <= 122)
            : (CharClass.isAlpha(first)
                && !CharClass.isUpper(first) && first != "_")
        {
            return scalars.dropFirst().allSatisfy { CharClass.isAlnum($0) }
        }
        if CharClass.isSymbol(first) {
            if text == "." { return false }
            if scalars.count >= 2 && scalars[0] == "/" && scalars[1] == "*" { return false }
            return scalars.allSatisfy { CharClass.isSymbol($0) }
        }
        return false
    }

    /// The text of a quoted atom or string, with escapes as SWI-Prolog writes them.
    static func quote(_ text: String, with quote: Unicode.Scalar) -> String {
        var result = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case quote: result += "\\" + String(quote)
            case "\\": result += "\\\\"
            case "\u{7}": result += "\\a"
            case "\u{8}": result += "\\b"
            case "\t": result += "\\t"
            case "\n": result += "\\n"
            case "\u{B}": result += "\\v"
            case "\r": result += "\\r"
            case "\u{C}": result += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
                    result += "\\x" + String(scalar.value, radix: 16, uppercase: true) + "\\"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        result.unicodeScalars.append(quote)
        return result
    }

    /// Writes an atom; returns whether a space was put before it.
    @discardableResult
    private mutating func writeAtom(_ atom: Int, _ machine: borrowing Machine) -> Bool {
        let text = machine.state.atoms[atom]
        if options.quoted && !Self.isUnquotedAtom(text, isNil: atom == Atoms.nilAtom) {
            let space = needsSpace(before: "'")
            if space { putRaw(" ") }
            putRaw(Self.quote(text, with: "'"))
            return space
        }
        return putToken(text)
    }

    // MARK: Numbers

    /// A float as SWI-Prolog writes it: the shortest digits that read back, always with a dot or an exponent.
    static func formatFloat(_ value: Double) -> String {
        if value.isNaN { return "1.5NaN" }
        if value.isInfinite { return value < 0 ? "-1.0Inf" : "1.0Inf" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description holds the shortest round-trip digits; take them apart.
        let description = Swift.abs(value).description
        var mantissa = Substring(description)
        var exponent = 0
        if let e = description.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = description[..<e]
            exponent = Int(description[description.index(after: e)...]) ?? 0
        }
        var digits = ""
        var pointPosition = mantissa.count
        if let dot = mantissa.firstIndex(of: ".") {
            pointPosition = mantissa.distance(from: mantissa.startIndex, to: dot)
            digits = String(mantissa[..<dot]) + String(mantissa[mantissa.index(after: dot)...])
        } else {
            digits = String(mantissa)
        }
        // Normalise: no leading or trailing zeros; `decimalPoint` as dtoa's decpt.
        var decimalPoint = pointPosition + exponent
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            decimalPoint -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        let count = digits.count
        var result = value < 0 ? "-" : ""
        if decimalPoint <= 0 {
            if decimalPoint <= -4 {
                result += String(digits.first!) + "."
                result += count > 1 ? String(digits.dropFirst()) : "0"
                result += "e\(decimalPoint - 1)"
            } else {
                result += "0." + String(repeating: "0", count: -decimalPoint) + digits
            }
        } else if count > decimalPoint {
            result += String(digits.prefix(decimalPoint)) + "." + String(digits.dropFirst(decimalPoint))
        } else if decimalPoint > 15 {
            result += String(digits.first!) + "."
            result += count > 1 ? String(digits.dropFirst()) : "0"
            result += "e+\(decimalPoint - 1)"
        } else {
            result += digits + String(repeating: "0", count: decimalPoint - count) + ".0"
        }
        return result
    }

    // MARK: Terms

    private mutating func nameVariables(_ root: Int, machine: borrowing Machine) {
        var counts: [Int: Int] = [:]
        var order: [Int] = []
        var pending = [root]
        var steps = 0
        while let cell = pending.popLast() {
            steps += 1
            if steps > 1_000_000 { break }
            let value = machine.deref(cell)
            switch value & 7 {
            case Cell.ref:
                if counts[value] == nil { order.append(value) }
                counts[value, default: 0] += 1
            case Cell.str:
                let address = value >> 3
                let n = machine.arity(machine.heap[address] >> 3)
                for index in stride(from: n, through: 1, by: -1) { pending.append(machine.heap[address + index]) }
            case Cell.list:
                pending.append(machine.heap[(value >> 3) + 1])
                pending.append(machine.heap[value >> 3])
            default: break
            }
        }
        var next = 0
        for variable in order {
            if counts[variable] == 1 {
                variableNames[variable] = "_"
            } else {
                variableNames[variable] = Self.variableLetterName(next)
                next += 1
            }
        }
    }

    static func variableLetterName(_ number: Int) -> String {
        let letter = String(UnicodeScalar(UInt8(65 + number % 26)))
        return number >= 26 ? letter + String(number / 26) : letter
    }

    private mutating func writeTerm(
        _ cell: Int, _ priority: Int, _ machine: borrowing Machine, operatorArgument: Bool, depth: Int
    ) {
        if truncated { return }
        if depth > 10_000 {
            putToken("...")
            return
        }
        let value = machine.deref(cell)
        switch value & 7 {
        case Cell.ref:
            putToken(variableNames[value] ?? "_\(value >> 3)")
        case Cell.atom:
            let atom = value >> 3
            if operatorArgument && machine.state.operators.isOperator(machine.state.atoms[atom]) {
                putOpenBracket()
                writeAtom(atom, machine)
                putRaw(")")
            } else {
                writeAtom(atom, machine)
            }
        case Cell.int:
            putToken(String(value >> 3))
        case Cell.float:
            putToken(Self.formatFloat(Double(bitPattern: UInt64(UInt(bitPattern: machine.heap[value >> 3])))))
        case Cell.object:
            switch machine.state.objects[value >> 3] {
            case .bigInt(let big): putToken(big.description)
            case .string(let text):
                if options.quoted {
                    putRaw(Self.quote(text, with: "\""))
                } else if !text.isEmpty {
                    putRaw(text)
                }
            }
        case Cell.list:
            writeList(value, machine, depth: depth)
        default:
            writeCompound(value, priority, machine, depth: depth)
        }
    }

    private mutating func writeList(_ list: Int, _ machine: borrowing Machine, depth: Int) {
        putRaw("[")
        var rest = list
        var first = true
        while true {
            if !first { putRaw(",") }
            first = false
            writeTerm(machine.heap[rest >> 3], 999, machine, operatorArgument: false, depth: depth + 1)
            if truncated { return }
            let tail = machine.deref(machine.heap[(rest >> 3) + 1])
            if tail & 7 == Cell.list {
                rest = tail
                continue
            }
            if tail != Cell.nilAtom {
                putRaw("|")
                writeTerm(tail, 999, machine, operatorArgument: false, depth: depth + 1)
            }
            break
        }
        putRaw("]")
    }

    private mutating func writeCompound(_ term: Int, _ priority: Int, _ machine: borrowing Machine, depth: Int) {
        let address = term >> 3
        let functor = machine.heap[address] >> 3
        let name = machine.state.functors.name(functor)
        let n = machine.arity(functor)
        let heap = machine.heap
        let argument = { (index: Int) -> Int in heap[address + index] }
        if options.numberVars && name == Atoms.dollarVar && n == 1 {
            let number = machine.deref(argument(1))
            if number & 7 == Cell.int && number >> 3 >= 0 {
                putToken(Self.variableLetterName(number >> 3))
                return
            }
            if number & 7 == Cell.atom {
                putToken(machine.state.atoms[number >> 3])
                return
            }
        }
        if name == Atoms.curly && n == 1 && !options.ignoreOps {
            putToken("{")
            writeTerm(argument(1), 1200, machine, operatorArgument: false, depth: depth + 1)
            putRaw("}")
            return
        }
        let text = machine.state.atoms[name]
        if !options.ignoreOps {
            let operators = machine.state.operators
            if n == 1, let definition = operators.prefix[text] {
                let embrace = definition.priority > priority
                if embrace { putOpenBracket() }
                writeAtom(name, machine)
                prefixOperator = true
                if name == Atoms.minus { prefixSign = true }
                let argumentPriority = definition.type == .fx ? definition.priority - 1 : definition.priority
                writeTerm(argument(1), argumentPriority, machine, operatorArgument: true, depth: depth + 1)
                if embrace { putRaw(")") }
                return
            }
            if n == 1, let definition = operators.postfix[text] {
                let embrace = definition.priority > priority
                if embrace { putOpenBracket() }
                let argumentPriority = definition.type == .xf ? definition.priority - 1 : definition.priority
                writeTerm(argument(1), argumentPriority, machine, operatorArgument: true, depth: depth + 1)
                writeAtom(name, machine)
                if embrace { putRaw(")") }
                return
            }
            if n == 2, let definition = operators.infix[text] {
                let embrace = definition.priority > priority
                if embrace { putOpenBracket() }
                let leftPriority =
                    definition.type == .xfx || definition.type == .xfy ? definition.priority - 1 : definition.priority
                let rightPriority =
                    definition.type == .xfx || definition.type == .yfx ? definition.priority - 1 : definition.priority
                writeTerm(argument(1), leftPriority, machine, operatorArgument: true, depth: depth + 1)
                if name == Atoms.comma {
                    putRaw(",")
                } else if name == Atoms.bar {
                    putRaw("|")
                } else if writeAtom(name, machine) {
                    putRaw(" ")
                }
                infixOperator = true
                writeTerm(argument(2), rightPriority, machine, operatorArgument: true, depth: depth + 1)
                if embrace { putRaw(")") }
                return
            }
        }
        writeAtom(name, machine)
        putRaw("(")
        for index in 1...n {
            if index > 1 { putRaw(",") }
            writeTerm(argument(index), 999, machine, operatorArgument: false, depth: depth + 1)
        }
        putRaw(")")
    }
}
