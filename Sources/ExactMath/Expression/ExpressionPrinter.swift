/// Writes an `Expr` as Unicode math text with as few parentheses as its structure needs:
/// "3.7 × 8.9 − 2.1", "5!/(3! × 2!)", "25% of 80% of 160", "2√3", "log₂(64)", "x² + 2x".
public enum ExpressionPrinter {
    /// The expression as text. In `.decimal` style terminating rational literals print as decimals ("0.25"),
    /// in `.fraction` style as fractions ("1/4").
    public static func text(_ expr: Expr, style: NumberStyle = .decimal) -> String {
        render(expr, style: style).text
    }

    /// Binding strength of printed text, loosest first.
    private enum Level: Int, Comparable {
        case sum = 1, product, unary, power, postfix, atom
        static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    private static func render(_ expr: Expr, style: NumberStyle) -> (text: String, level: Level) {
        switch expr {
        case .number(let value):
            return number(value, style: style)
        case .variable(let name):
            return (name, .atom)
        case .constant(let constant):
            return (constant == .pi ? "π" : "e", .atom)
        case .negate(let operand):
            let inner = render(operand, style: style)
            let needsParentheses = inner.level == .sum || inner.level == .unary
            return ("−" + wrap(inner, needsParentheses), .unary)
        case .add(let a, let b):
            let right = render(b, style: style)
            return (render(a, style: style).text + " + " + wrap(right, right.level == .unary), .sum)
        case .subtract(let a, let b):
            let right = render(b, style: style)
            return (
                render(a, style: style).text + " − " + wrap(right, right.level <= .sum || right.level == .unary),
                .sum
            )
        case .multiply(let a, let b):
            return product(a, b, style: style)
        case .divide(let a, let b):
            let left = render(a, style: style)
            let right = render(b, style: style)
            let tight = isSimpleNumerator(a) && isSimpleDenominator(b)
            let leftText = wrap(left, left.level < .product || left.level == .unary && !tight)
            let rightText = wrap(right, right.level <= .product || right.level == .unary)
            return (leftText + (tight ? "/" : " ÷ ") + rightText, .product)
        case .power(let base, let exponent):
            let baseText = wrap(render(base, style: style), render(base, style: style).level < .atom)
            if case .number(let value) = exponent, value.isInteger, let n = value.numerator.asInt {
                return (baseText + superscript(n), .power)
            }
            if case .negate(.number(let value)) = exponent, value.isInteger, let n = value.numerator.asInt {
                return (baseText + superscript(-n), .power)
            }
            let exponentText = render(exponent, style: style)
            return (baseText + "^" + wrap(exponentText, exponentText.level < .atom), .power)
        case .factorial(let operand):
            let inner = render(operand, style: style)
            return (wrap(inner, inner.level < .atom) + "!", .postfix)
        case .percent(let operand):
            let inner = render(operand, style: style)
            return (wrap(inner, inner.level < .atom) + "%", .postfix)
        case .function(let function, let arguments):
            return call(function, arguments, style: style)
        }
    }

    private static func wrap(_ rendered: (text: String, level: Level), _ parenthesise: Bool) -> String {
        parenthesise ? "(" + rendered.text + ")" : rendered.text
    }

    private static func number(_ value: Rational, style: NumberStyle) -> (text: String, level: Level) {
        if value.signum < 0 {
            let magnitude = number(-value, style: style)
            return ("−" + wrap(magnitude, magnitude.level < .atom), .unary)
        }
        if value.isInteger { return (value.numerator.description, .atom) }
        if style == .decimal && value.terminatesAsDecimal {
            return (value.decimalString(maxFractionDigits: 64), .atom)
        }
        return (value.description, .product)
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

    private static func product(_ a: Expr, _ b: Expr, style: NumberStyle) -> (text: String, level: Level) {
        if case .divide(.constant(.pi), .number(let degrees)) = b, degrees == 180 {
            let inner = render(a, style: style)
            return (wrap(inner, inner.level < .atom) + "°", .postfix)
        }
        let left = render(a, style: style)
        let right = render(b, style: style)
        if case .percent = a {
            return (left.text + " of " + wrap(right, right.level < .product || right.level == .unary), .product)
        }
        if isJuxtaposable(b), left.level == .atom || left.level == .power {
            if case .number = a {
                return (left.text + right.text, .product)
            }
            if isJuxtaposable(a) { return (left.text + right.text, .product) }
        }
        let leftText = wrap(left, left.level < .product)
        let rightText = wrap(right, right.level < .product || right.level == .unary)
        return (leftText + " × " + rightText, .product)
    }

    private static func call(_ function: MathFunction, _ arguments: [Expr], style: NumberStyle)
        -> (text: String, level: Level)
    {
        let rendered = arguments.map { render($0, style: style) }
        let list = rendered.map(\.text).joined(separator: ", ")
        switch function {
        case .sqrt, .cbrt:
            let sign = function == .sqrt ? "√" : "∛"
            let operand = rendered[0]
            return (sign + wrap(operand, operand.level < .postfix), .atom)
        case .root:
            let operand = rendered[1]
            var index = "(" + rendered[0].text + ")"
            if case .number(let n) = arguments[0], n.isInteger, let value = n.numerator.asInt, value > 0 {
                index = superscript(value)
            }
            return (index + "√" + wrap(operand, operand.level < .postfix), .atom)
        case .log:
            var base = "_(" + rendered[0].text + ")"
            if case .number(let b) = arguments[0], b.isInteger, let value = b.numerator.asInt, value > 0 {
                base = subscriptDigits(value)
            }
            return ("log" + base + "(" + rendered[1].text + ")", .atom)
        case .log10:
            return ("log₁₀(" + list + ")", .atom)
        case .abs:
            return ("|" + list + "|", .atom)
        case .nCr:
            return ("C(" + list + ")", .atom)
        case .nPr:
            return ("P(" + list + ")", .atom)
        case .ln, .exp, .gcd, .lcm, .sin, .cos, .tan:
            return (function.rawValue + "(" + list + ")", .atom)
        }
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
