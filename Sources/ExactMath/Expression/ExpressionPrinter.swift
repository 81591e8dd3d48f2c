/// Writes an `Expr` as Unicode math text with as few parentheses as its structure needs:
/// "3.7 × 8.9 − 2.1", "5!/(3! × 2!)", "25% of 80% of 160", "2√3", "log₂(64)", "x² + 2x".
public enum ExpressionPrinter {
    /// The expression as text. In `.decimal` style terminating rational literals print as decimals ("0.25"),
    /// in `.fraction` style as fractions ("1/4").
    public static func text(_ expr: Expr, style: NumberStyle = .decimal) -> String {
        var text = ""
        write(expr, style: style, into: &text)
        return text
    }

    /// Appends the text of `expr` to `text`: the whole expression is written into one buffer, parentheses decided
    /// from the binding strength of each part (`level(of:style:)`) before it is written.
    static func write(_ expr: Expr, style: NumberStyle, into text: inout String) {
        switch expr {
        case .number(let value):
            writeNumber(value, style: style, into: &text)
        case .variable(let name):
            text += name
        case .constant(let constant):
            text += constant == .pi ? "π" : "e"
        case .negate(let operand):
            text += "−"
            let level = level(of: operand, style: style)
            write(operand, style: style, into: &text, parenthesised: level == .sum || level == .unary)
        case .add(let a, let b):
            write(a, style: style, into: &text)
            text += " + "
            write(b, style: style, into: &text, parenthesised: level(of: b, style: style) == .unary)
        case .subtract(let a, let b):
            write(a, style: style, into: &text)
            text += " − "
            let right = level(of: b, style: style)
            write(b, style: style, into: &text, parenthesised: right <= .sum || right == .unary)
        case .multiply(let a, let b):
            writeProduct(a, b, style: style, into: &text)
        case .divide(let a, let b):
            let left = level(of: a, style: style)
            let right = level(of: b, style: style)
            let tight = isSimpleNumerator(a) && isSimpleDenominator(b)
            write(a, style: style, into: &text, parenthesised: left < .product || left == .unary && !tight)
            text += tight ? "/" : " ÷ "
            write(b, style: style, into: &text, parenthesised: right <= .product || right == .unary)
        case .power(let base, let exponent):
            write(base, style: style, into: &text, parenthesised: level(of: base, style: style) < .atom)
            if case .number(let value) = exponent, value.isInteger, let n = value.numerator.asInt {
                text += superscript(n)
            } else if case .negate(.number(let value)) = exponent, value.isInteger, let n = value.numerator.asInt {
                text += superscript(-n)
            } else {
                text += "^"
                write(exponent, style: style, into: &text, parenthesised: level(of: exponent, style: style) < .atom)
            }
        case .factorial(let operand):
            write(operand, style: style, into: &text, parenthesised: level(of: operand, style: style) < .atom)
            text += "!"
        case .percent(let operand):
            write(operand, style: style, into: &text, parenthesised: level(of: operand, style: style) < .atom)
            text += "%"
        case .function(let function, let arguments):
            writeCall(function, arguments, style: style, into: &text)
        }
    }

    /// Binding strength of printed text, loosest first.
    private enum Level: Int, Comparable {
        case sum = 1, product, unary, power, postfix, atom
        static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    /// How tightly the text `write` gives for `expr` binds, known from its outermost operation.
    private static func level(of expr: Expr, style: NumberStyle) -> Level {
        switch expr {
        case .number(let value): return numberLevel(value, style: style)
        case .variable, .constant, .function: return .atom
        case .negate: return .unary
        case .add, .subtract: return .sum
        case .multiply(_, let b): return isDegrees(b) ? .postfix : .product
        case .divide: return .product
        case .power: return .power
        case .factorial, .percent: return .postfix
        }
    }

    private static func write(_ expr: Expr, style: NumberStyle, into text: inout String, parenthesised: Bool) {
        if parenthesised { text += "(" }
        write(expr, style: style, into: &text)
        if parenthesised { text += ")" }
    }

    private static func numberLevel(_ value: Rational, style: NumberStyle) -> Level {
        if value.signum < 0 { return .unary }
        if value.isInteger || style == .decimal && value.terminatesAsDecimal { return .atom }
        return .product
    }

    private static func writeNumber(_ value: Rational, style: NumberStyle, into text: inout String) {
        if value.signum < 0 {
            let magnitude = -value
            text += "−"
            let parenthesised = numberLevel(magnitude, style: style) < .atom
            if parenthesised { text += "(" }
            writeNumber(magnitude, style: style, into: &text)
            if parenthesised { text += ")" }
        } else if value.isInteger {
            text += value.numerator.description
        } else if style == .decimal && value.terminatesAsDecimal {
            text += value.decimalString(maxFractionDigits: 64)
        } else {
            text += value.description
        }
    }

    /// True for the factors that read well written against a number: 2π, 2√3, 3x, 2e.
    private static func isJuxtaposable(_ expr: Expr) -> Bool {
        switch expr {
        case .constant, .variable: return true
        case .function(.sqrt, _), .function(.cbrt, _): return true
        case .power(let base, _):
            if case .constant = base { return true }
            if case .variable = base { return true }
            return false
        case .multiply(let a, let b): return isJuxtaposable(a) && isJuxtaposable(b)
        default: return false
        }
    }

    private static func isSimpleNumerator(_ expr: Expr) -> Bool {
        switch expr {
        case .number(let value): return value.isInteger && value.signum >= 0
        case .constant, .variable, .function(.sqrt, _): return true
        case .power(let base, _): return isJuxtaposable(.power(base, .number(1)))
        case .multiply(let a, let b):
            if case .number(let value) = a, value.isInteger, value.signum > 0 { return isJuxtaposable(b) }
            return isJuxtaposable(a) && isJuxtaposable(b)
        default: return false
        }
    }

    private static func isSimpleDenominator(_ expr: Expr) -> Bool {
        switch expr {
        case .number(let value): return value.isInteger && value.signum > 0
        case .constant: return true
        case .power(.constant, _): return true
        default: return false
        }
    }

    /// "x × π/180": an angle in degrees, printed "x°".
    private static func isDegrees(_ expr: Expr) -> Bool {
        if case .divide(.constant(.pi), .number(let degrees)) = expr, degrees == 180 { return true }
        return false
    }

    private static func writeProduct(_ a: Expr, _ b: Expr, style: NumberStyle, into text: inout String) {
        let left = level(of: a, style: style)
        if isDegrees(b) {
            write(a, style: style, into: &text, parenthesised: left < .atom)
            text += "°"
            return
        }
        let right = level(of: b, style: style)
        if case .percent = a {
            write(a, style: style, into: &text)
            text += " of "
            write(b, style: style, into: &text, parenthesised: right < .product || right == .unary)
            return
        }
        if isJuxtaposable(b), left == .atom || left == .power {
            var juxtaposed = false
            if case .number = a { juxtaposed = true }
            if juxtaposed || isJuxtaposable(a) {
                write(a, style: style, into: &text)
                write(b, style: style, into: &text)
                return
            }
        }
        write(a, style: style, into: &text, parenthesised: left < .product)
        text += " × "
        write(b, style: style, into: &text, parenthesised: right < .product || right == .unary)
    }

    private static func writeCall(
        _ function: MathFunction, _ arguments: [Expr], style: NumberStyle,
        into text: inout String
    ) {
        switch function {
        case .sqrt, .cbrt:
            text += function == .sqrt ? "√" : "∛"
            write(
                arguments[0], style: style, into: &text,
                parenthesised: level(of: arguments[0], style: style) < .postfix)
        case .root:
            if case .number(let n) = arguments[0], n.isInteger, let value = n.numerator.asInt, value > 0 {
                text += superscript(value)
            } else {
                write(arguments[0], style: style, into: &text, parenthesised: true)
            }
            text += "√"
            write(
                arguments[1], style: style, into: &text,
                parenthesised: level(of: arguments[1], style: style) < .postfix)
        case .log:
            text += "log"
            if case .number(let b) = arguments[0], b.isInteger, let value = b.numerator.asInt, value > 0 {
                text += subscriptDigits(value)
            } else {
                text += "_"
                write(arguments[0], style: style, into: &text, parenthesised: true)
            }
            write(arguments[1], style: style, into: &text, parenthesised: true)
        case .log10:
            writeList(arguments, style: style, into: &text, opening: "log₁₀(", closing: ")")
        case .abs:
            writeList(arguments, style: style, into: &text, opening: "|", closing: "|")
        case .nCr:
            writeList(arguments, style: style, into: &text, opening: "C(", closing: ")")
        case .nPr:
            writeList(arguments, style: style, into: &text, opening: "P(", closing: ")")
        case .ln, .exp, .gcd, .lcm, .sin, .cos, .tan:
            text += function.rawValue
            writeList(arguments, style: style, into: &text, opening: "(", closing: ")")
        }
    }

    /// The arguments separated by ", " between `opening` and `closing`.
    private static func writeList(
        _ arguments: [Expr], style: NumberStyle, into text: inout String,
        opening: String, closing: String
    ) {
        text += opening
        for (index, argument) in arguments.enumerated() {
            if index > 0 { text += ", " }
            write(argument, style: style, into: &text)
        }
        text += closing
    }

    /// Superscript digits with a superscript minus: -1 → "⁻¹".
    static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        var text = n < 0 ? "⁻" : ""
        for char in String(n.magnitude) { text.append(digits[char.wholeNumberValue!]) }
        return text
    }

    /// Subscript digits: 2 → "₂".
    static func subscriptDigits(_ n: Int) -> String {
        let digits: [Character] = ["₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"]
        var text = ""
        for char in String(n) { text.append(digits[char.wholeNumberValue!]) }
        return text
    }
}
