/// Remainders: "17 mod 5", "2^100 modulo 7", "2^10 (mod 7)", "the remainder when 100 is divided by 7", "the remainder
/// of 100 divided by 7", and "100 % 7" when both sides are whole numbers (a "%" between two plain whole numbers
/// cannot be a percentage of anything). The remainder is the mathematical one, 0 ≤ r < n; a negative operand with
/// "%" abstains because programming languages disagree on its sign. Powers and products are reduced modulo n as
/// they are computed, so "3^1000000 mod 7" is answered without computing 3^1000000.
enum ModuloPhrases {
    private static let remainderLeads = [
        "the remainder when", "remainder when", "the remainder if", "remainder if", "the remainder of",
        "remainder of", "the remainder after", "remainder after",
    ]

    static func remainder(_ text: Substring) -> MathAnswer? {
        if text.mentions("mod") { return modOperator(text) }
        if text.mentions("remainder") { return remainderPhrase(text) }
        if text.contains("%") { return percentSign(text) }
        return nil
    }

    /// "A mod B", "A modulo B", "A (mod B)".
    private static func modOperator(_ text: Substring) -> MathAnswer? {
        for (separator, closing) in [(" (mod ", ")"), (" (modulo ", ")"), (" mod ", ""), (" modulo ", "")] {
            guard let range = text.bytesRange(of: separator) else { continue }
            var right = text[range.upperBound...]
            if !closing.isEmpty {
                guard right.hasBytesSuffix(closing) else { return nil }
                right = right.dropLast()
            }
            guard right.bytesRange(of: " mod") == nil else { return nil }
            return answer(left: text[..<range.lowerBound], right: right, allowNegative: true)
        }
        return nil
    }

    /// "the remainder when A is divided by B", "the remainder of A divided by B", "the remainder of A / B".
    private static func remainderPhrase(_ text: Substring) -> MathAnswer? {
        var rest = text
        guard TextTools.dropPrefix(&rest, remainderLeads) else { return nil }
        _ = TextTools.dropPrefix(&rest, ["dividing"])
        for separator in [" is divided by ", " divided by ", " by ", " ÷ ", " / "] {
            guard let range = rest.bytesRange(of: separator) else { continue }
            return answer(left: rest[..<range.lowerBound], right: rest[range.upperBound...], allowNegative: true)
        }
        return nil
    }

    /// "100 % 7" or "100%7": two plain whole numbers and nothing else.
    private static func percentSign(_ text: Substring) -> MathAnswer? {
        let parts = text.split(separator: "%", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let left = TextTools.trimmed(parts[0])
        let right = TextTools.trimmed(parts[1])
        guard !left.isEmpty, !right.isEmpty, left.allSatisfy({ $0.isASCII && $0.isNumber }),
            right.allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        return answer(left: left, right: right, allowNegative: false)
    }

    private static func answer(left: Substring, right: Substring, allowNegative: Bool) -> MathAnswer? {
        let left = TextTools.trimmed(left)
        let right = TextTools.trimmed(right)
        guard let dividend = ArithmeticRecognizer.parse(left), let divisorExpr = ArithmeticRecognizer.parse(right),
            bindsTightly(dividend, text: left, allowProducts: true),
            bindsTightly(divisorExpr, text: right, allowProducts: false),
            let divisorValue = try? ExpressionEvaluator.evaluate(divisorExpr), let divisor = divisorValue.rationalValue,
            divisor.isInteger
        else { return nil }
        let modulus = divisor.numerator
        var dividendText = ExpressionPrinter.text(dividend, style: .fraction)
        switch dividend {
        case .add, .subtract, .multiply, .divide, .negate: dividendText = "(" + dividendText + ")"
        default: break
        }
        let modulusText = NumberFormatting.integer(modulus)
        if modulus.isZero {
            return MathAnswer(
                answer: "undefined (division by zero)",
                working: ["\(dividendText) mod 0: a remainder after dividing by 0 is undefined."],
                exact: "undefined (division by zero)", topic: .numberTheory)
        }
        guard modulus.signum > 0, let residue = residue(of: dividend, modulo: modulus) else { return nil }
        if !allowNegative, residue.negativeOperand { return nil }
        let result = residue.value.description
        var working: [String]
        if let value = residue.exactDividend {
            let (quotient, _) = (value - residue.value).quotientAndRemainder(dividingBy: modulus)
            let shownValue = NumberFormatting.integer(value)
            working = [
                "Divide \(shownValue) by \(modulusText): \(shownValue) = "
                    + "\(NumberFormatting.integer(quotient)) × \(modulusText) + \(result)",
                "The remainder is \(result), so \(dividendText) mod \(modulusText) = \(result).",
            ]
        } else {
            working = [
                "Reduce modulo \(modulusText) at every step (repeated squaring for powers), never computing "
                    + "\(dividendText) itself.",
                "\(dividendText) mod \(modulusText) = \(result)",
            ]
        }
        return MathAnswer(answer: result, working: working, exact: result, topic: .numberTheory)
    }

    /// False when the text leaves the operator's reach ambiguous: "3 + 17 mod 5" (is it (3 + 17) mod 5?) unless
    /// the sum is in parentheses; on the divisor side, products and quotients are ambiguous too.
    private static func bindsTightly(_ expr: Expr, text: Substring, allowProducts: Bool) -> Bool {
        switch expr {
        case .add, .subtract, .percent:
            return TextTools.isOneParenthesisedGroup(text)
        case .multiply, .divide:
            return allowProducts || TextTools.isOneParenthesisedGroup(text)
        default:
            return true
        }
    }

    /// The dividend's remainder modulo `modulus`, whether a negative number took part, and the dividend itself when
    /// it is small enough to show.
    private struct Residue {
        var value: BigInt
        var negativeOperand: Bool
        var exactDividend: BigInt?
    }

    /// The largest dividend written out in full in the working (in bits).
    private static let shownDividendBits = 64

    private static func residue(of expr: Expr, modulo modulus: BigInt) -> Residue? {
        var negative = false
        guard let value = reduce(expr, modulus, &negative) else { return nil }
        var exact: BigInt? = nil
        if let evaluated = small(expr), evaluated.bitWidth <= shownDividendBits { exact = evaluated }
        return Residue(value: value, negativeOperand: negative, exactDividend: exact)
    }

    /// The exact integer value of an expression built from small numbers and operations, or nil.
    private static func small(_ expr: Expr) -> BigInt? {
        if case .power(_, .number(let exponent)) = expr, exponent > Rational(4096) { return nil }
        guard let value = try? ExpressionEvaluator.evaluate(expr), let rational = value.rationalValue,
            rational.isInteger
        else { return nil }
        return rational.numerator
    }

    /// Reduces an integer expression modulo m: numbers, signs, sums, products, powers and factorials; anything
    /// else is evaluated exactly and must be an integer.
    private static func reduce(_ expr: Expr, _ m: BigInt, _ negative: inout Bool) -> BigInt? {
        switch expr {
        case .number(let value):
            guard value.isInteger else { return nil }
            if value.signum < 0 { negative = true }
            return euclidean(value.numerator, m)
        case .negate(let operand):
            negative = true
            guard let a = reduce(operand, m, &negative) else { return nil }
            return euclidean(-a, m)
        case .add(let a, let b):
            guard let x = reduce(a, m, &negative), let y = reduce(b, m, &negative) else { return nil }
            return euclidean(x + y, m)
        case .subtract(let a, let b):
            guard let x = reduce(a, m, &negative), let y = reduce(b, m, &negative) else { return nil }
            return euclidean(x - y, m)
        case .multiply(let a, let b):
            guard let x = reduce(a, m, &negative), let y = reduce(b, m, &negative) else { return nil }
            return euclidean(x * y, m)
        case .power(let base, let exponent):
            guard let exponentValue = try? ExpressionEvaluator.evaluate(exponent),
                let e = exponentValue.rationalValue, e.isInteger, e.signum >= 0, let count = e.numerator.asInt,
                let b = reduce(base, m, &negative)
            else { return nil }
            return modularPower(b, count, m)
        case .factorial(.number(let n)):
            guard n.isInteger, n.signum >= 0, let count = n.numerator.asInt else { return nil }
            if BigInt(count) >= m { return 0 }
            var product = BigInt(1)
            for factor in stride(from: 2, through: count, by: 1) { product = euclidean(product * BigInt(factor), m) }
            return euclidean(product, m)
        default:
            guard let value = small(expr) else { return nil }
            if value.signum < 0 { negative = true }
            return euclidean(value, m)
        }
    }

    /// The remainder r of a divided by m with 0 ≤ r < m (m > 0).
    static func euclidean(_ a: BigInt, _ m: BigInt) -> BigInt {
        let r = a.quotientAndRemainder(dividingBy: m).remainder
        return r.signum < 0 ? r + m : r
    }

    /// base^exponent mod m by repeated squaring.
    static func modularPower(_ base: BigInt, _ exponent: Int, _ m: BigInt) -> BigInt {
        var result = euclidean(1, m)
        var square = euclidean(base, m)
        var e = exponent
        while e > 0 {
            if e & 1 == 1 { result = euclidean(result * square, m) }
            square = euclidean(square * square, m)
            e >>= 1
        }
        return result
    }
}
