import Glibc

extension PythonAnalyzer {
    /// The value of a constant expression: numbers (`10**8`, `2 * 1024**3`, `1e6`, `0x10`, `1_000`), names
    /// assigned a constant once, `len` of a literal or a sized name, and a few pure functions (`int`, `min`,
    /// `math.sqrt`, ...). Nil when the source does not fix it.
    func constant(_ range: Range<Int>) -> Double? {
        guard !range.isEmpty, range.count <= 96 else { return nil }
        var parser = ConstantParser(analyzer: self, index: range.lowerBound, end: range.upperBound)
        guard let value = parser.bitOr(), parser.index == range.upperBound, !value.isNaN else { return nil }
        return value
    }
}

/// A precedence-climbing evaluator over Python tokens, for constant expressions only.
struct ConstantParser {
    let analyzer: PythonAnalyzer
    var index: Int
    let end: Int

    private var source: PythonTokenizer { analyzer.source }

    private func at(_ word: StaticString) -> Bool { index < end && source.isText(index, word) }

    mutating func bitOr() -> Double? {
        guard var value = bitXor() else { return nil }
        while at("|") {
            index += 1
            guard let right = bitXor(), let result = Self.bitwise(value, right, |) else { return nil }
            value = result
        }
        return value
    }

    private mutating func bitXor() -> Double? {
        guard var value = bitAnd() else { return nil }
        while at("^") {
            index += 1
            guard let right = bitAnd(), let result = Self.bitwise(value, right, ^) else { return nil }
            value = result
        }
        return value
    }

    private mutating func bitAnd() -> Double? {
        guard var value = shift() else { return nil }
        while at("&") {
            index += 1
            guard let right = shift(), let result = Self.bitwise(value, right, &) else { return nil }
            value = result
        }
        return value
    }

    private mutating func shift() -> Double? {
        guard var value = sum() else { return nil }
        while at("<<") || at(">>") {
            let left = at("<<")
            index += 1
            guard let right = sum(), right >= 0, right < 1100 else { return nil }
            value = left ? value * exp2(right) : (value / exp2(right)).rounded(.down)
        }
        return value
    }

    private mutating func sum() -> Double? {
        guard var value = term() else { return nil }
        while at("+") || at("-") {
            let plus = at("+")
            index += 1
            guard let right = term() else { return nil }
            value = plus ? value + right : value - right
        }
        return value
    }

    private mutating func term() -> Double? {
        guard var value = factor() else { return nil }
        while at("*") || at("/") || at("//") || at("%") {
            let op = source.text(index)
            index += 1
            guard let right = factor() else { return nil }
            switch op {
            case "*": value *= right
            case "/":
                guard right != 0 else { return nil }
                value /= right
            case "//":
                guard right != 0 else { return nil }
                value = (value / right).rounded(.down)
            default:
                guard right != 0 else { return nil }
                value = value - right * (value / right).rounded(.down)
            }
        }
        return value
    }

    private mutating func factor() -> Double? {
        if at("-") || at("+") || at("~") {
            let op = source.text(index)
            index += 1
            guard let value = factor() else { return nil }
            return op == "-" ? -value : op == "~" ? -value - 1 : value
        }
        return power()
    }

    private mutating func power() -> Double? {
        guard let base = atom() else { return nil }
        guard at("**") else { return base }
        index += 1
        guard let exponent = factor() else { return nil }
        return Glibc.pow(base, exponent)
    }

    private mutating func atom() -> Double? {
        guard index < end else { return nil }
        let token = source.tokens[index]
        switch token.kind {
        case .number:
            index += 1
            return Self.number(source.text(index - 1))
        case .string:
            return nil
        case .op:
            guard at("(") else { return nil }
            index += 1
            guard let value = bitOr(), at(")") else { return nil }
            index += 1
            return value
        case .name:
            var name = source.text(index)
            index += 1
            while index + 1 < end, at("."), source.tokens[index + 1].kind == .name {
                name += "." + source.text(index + 1)
                index += 2
            }
            if at("(") { return call(name) }
            if let value = analyzer.constants[name] { return value }
            guard name.contains(".") else { return nil }
            switch qualifiedName(name) {
            case "math.pi": return Double.pi
            case "math.e": return M_E
            case "math.inf": return Double.infinity
            case "sys.maxsize": return 9.223_372_036_854_775_808e18
            default: return nil
            }
        }
    }

    private func qualifiedName(_ name: String) -> String {
        analyzer.qualify(name.split(separator: ".").map(String.init))
    }

    /// `f(...)` for the pure functions it knows.
    private mutating func call(_ name: String) -> Double? {
        let open = index
        let close = analyzer.matching(open, end: end)
        guard close < end, source.isText(close, ")") else { return nil }
        index = close + 1
        let function = name.contains(".") ? qualifiedName(name) : name
        guard Self.pureFunctions.contains(function) else { return nil }
        let parts = analyzer.commaSeparated((open + 1)..<close)
        if function == "len" {
            guard parts.count == 1 else { return nil }
            return analyzer.countOf(parts[0])
        }
        var values: [Double] = []
        for part in parts {
            guard let value = analyzer.constant(part) else { return nil }
            values.append(value)
        }
        guard let first = values.first else { return nil }
        switch function {
        case "int", "math.floor", "math.trunc": return values.count == 1 ? first.rounded(.towardZero) : nil
        case "float": return first
        case "abs": return abs(first)
        case "round": return first.rounded()
        case "min": return values.min()
        case "max": return values.max()
        case "pow", "math.pow": return values.count >= 2 ? Glibc.pow(first, values[1]) : nil
        case "math.sqrt": return first >= 0 ? first.squareRoot() : nil
        case "math.isqrt": return first >= 0 ? first.squareRoot().rounded(.down) : nil
        case "math.ceil": return first.rounded(.up)
        case "math.log2": return first > 0 ? log2(first) : nil
        case "math.log10": return first > 0 ? log10(first) : nil
        case "math.log": return first > 0 ? log(first) / (values.count >= 2 ? log(values[1]) : 1) : nil
        case "math.factorial":
            guard first >= 0, first <= 170 else { return first > 170 ? Double.infinity : nil }
            var product = 1.0
            var k = 2.0
            while k <= first {
                product *= k
                k += 1
            }
            return product
        default: return nil
        }
    }

    /// The functions ``call(_:)`` evaluates.
    static let pureFunctions: Set<String> = [
        "len", "int", "math.floor", "math.trunc", "float", "abs", "round", "min", "max", "pow", "math.pow", "math.sqrt",
        "math.isqrt", "math.ceil", "math.log2", "math.log10", "math.log", "math.factorial",
    ]

    /// A Python number literal: `1_000`, `0x1F`, `0o17`, `0b101`, `1e9`, `2.5`; nil for imaginary ones.
    static func number(_ text: String) -> Double? {
        let plain = text.filter { $0 != "_" }.lowercased()
        if plain.hasSuffix("j") { return nil }
        if plain.hasPrefix("0x") { return UInt64(plain.dropFirst(2), radix: 16).map(Double.init) }
        if plain.hasPrefix("0o") { return UInt64(plain.dropFirst(2), radix: 8).map(Double.init) }
        if plain.hasPrefix("0b") { return UInt64(plain.dropFirst(2), radix: 2).map(Double.init) }
        return Double(plain)
    }

    private static func bitwise(_ left: Double, _ right: Double, _ operation: (Int64, Int64) -> Int64) -> Double? {
        guard abs(left) < 9e18, abs(right) < 9e18, left == left.rounded(), right == right.rounded() else {
            return nil
        }
        return Double(operation(Int64(left), Int64(right)))
    }
}
