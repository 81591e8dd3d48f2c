#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Evaluates constant expressions exactly (see `ExactValue`), recording the intermediate steps.
public enum ExpressionEvaluator {
    /// Results whose numerator or denominator would need more bits than this are refused (10^10^10 is not computed).
    public static let maxResultBits = 100_000

    /// One evaluated operation: the operation with its operands replaced by their values, and its result.
    public struct Step: Sendable, Hashable {
        /// The operation as written in the input ("3.7 × 8.9").
        public let original: Expr
        /// The operation with each operand replaced by its exact value when it has one ("32.93 − 2.1").
        public let reduced: Expr
        /// The result of the operation.
        public let value: ExactValue
    }

    /// The exact (or honestly approximate) value of a constant expression. Throws for undefined or unrepresentable
    /// results: division by zero, 0 to a negative power, factorials of negative or fractional numbers, even roots and
    /// logarithms of negative numbers ("not a real number"), variables, and results beyond ``maxResultBits``.
    public static func evaluate(_ expr: Expr) throws(ExpressionError) -> ExactValue {
        var steps: [Step]? = nil
        return try value(of: expr, steps: &steps)
    }

    /// Like ``evaluate(_:)``, also returning each operation in evaluation order (innermost first).
    public static func evaluateWithSteps(_ expr: Expr) throws(ExpressionError) -> (value: ExactValue, steps: [Step]) {
        var steps: [Step]? = []
        let result = try value(of: expr, steps: &steps)
        return (result, steps ?? [])
    }

    /// The value written back as an expression, when it is exact.
    public static func expression(for value: ExactValue) -> Expr? {
        guard case .exact(let term) = value else { return nil }
        return expression(for: term)
    }

    /// An exact term as an expression: 3√2/4 → (3·√2)/4, π/6, e², −5.
    public static func expression(for term: ExactTerm) -> Expr {
        let magnitude = term.coefficient.magnitude
        var factors: [Expr] = []
        var divisors: [Expr] = []
        if term.radicand != 1 { factors.append(.function(.sqrt, [.number(Rational(term.radicand))])) }
        if term.piPower > 0 {
            factors.append(term.piPower == 1 ? .constant(.pi) : .power(.constant(.pi), .number(Rational(term.piPower))))
        } else if term.piPower < 0 {
            divisors.append(
                term.piPower == -1 ? .constant(.pi) : .power(.constant(.pi), .number(Rational(-term.piPower))))
        }
        if !term.ePower.isZero {
            factors.append(term.ePower == .one ? .constant(.e) : .power(.constant(.e), numberExpr(term.ePower)))
        }
        var numerator: Expr
        if factors.isEmpty {
            numerator = .number(divisors.isEmpty ? magnitude : Rational(magnitude.numerator))
            if divisors.isEmpty { return term.coefficient.signum < 0 ? .negate(numerator) : numerator }
        } else {
            numerator = factors.dropFirst().reduce(factors[0]) { .multiply($0, $1) }
            if magnitude.numerator != 1 { numerator = .multiply(.number(Rational(magnitude.numerator)), numerator) }
        }
        if magnitude.denominator != 1 { divisors.insert(.number(Rational(magnitude.denominator)), at: 0) }
        var result = numerator
        if let first = divisors.first {
            let divisor = divisors.dropFirst().reduce(first) { .multiply($0, $1) }
            result = .divide(numerator, divisor)
        }
        return term.coefficient.signum < 0 ? .negate(result) : result
    }

    private static func numberExpr(_ value: Rational) -> Expr {
        value.signum < 0 ? .negate(.number(-value)) : .number(value)
    }

    // MARK: - The tree walk

    private static func value(of expr: Expr, steps: inout [Step]?) throws(ExpressionError) -> ExactValue {
        switch expr {
        case .number(let value):
            return .rational(value)
        case .constant(.pi):
            return .exact(ExactTerm(.one, piPower: 1))
        case .constant(.e):
            return .exact(ExactTerm(.one, ePower: .one))
        case .variable(let name):
            throw ExpressionError(message: "'\(name)' has no value here", reason: .unsupported)
        default:
            break
        }
        var operands: [ExactValue] = []
        let children = childExpressions(of: expr)
        for child in children { operands.append(try value(of: child, steps: &steps)) }
        let result = try apply(expr, operands)
        if steps != nil {
            let reduced = replacingChildren(
                of: expr,
                with: zip(children, operands).map { child, value in
                    isLiteral(child) ? child : expression(for: value) ?? child
                })
            steps!.append(Step(original: expr, reduced: reduced, value: result))
        }
        return result
    }

    /// Operands that already read as values ("25%", "−3") are shown as written in the steps.
    private static func isLiteral(_ expr: Expr) -> Bool {
        switch expr {
        case .number, .constant, .percent(.number), .negate(.number): return true
        default: return false
        }
    }

    private static func childExpressions(of expr: Expr) -> [Expr] {
        switch expr {
        case .number, .variable, .constant: return []
        case .negate(let a), .factorial(let a), .percent(let a): return [a]
        case .add(let a, let b), .subtract(let a, let b), .multiply(let a, let b), .divide(let a, let b),
            .power(let a, let b):
            return [a, b]
        case .function(_, let arguments): return arguments
        }
    }

    private static func replacingChildren(of expr: Expr, with children: [Expr]) -> Expr {
        switch expr {
        case .number, .variable, .constant: return expr
        case .negate: return .negate(children[0])
        case .factorial: return .factorial(children[0])
        case .percent: return .percent(children[0])
        case .add: return .add(children[0], children[1])
        case .subtract: return .subtract(children[0], children[1])
        case .multiply: return .multiply(children[0], children[1])
        case .divide: return .divide(children[0], children[1])
        case .power: return .power(children[0], children[1])
        case .function(let function, _): return .function(function, children)
        }
    }

    private static func apply(_ expr: Expr, _ operands: [ExactValue]) throws(ExpressionError) -> ExactValue {
        let text = { ExpressionPrinter.text(expr) }
        switch expr {
        case .negate:
            return try ExactArithmetic.negate(operands[0], text: text)
        case .add:
            return try ExactArithmetic.add(operands[0], operands[1], text: text)
        case .subtract:
            return try ExactArithmetic.add(operands[0], try ExactArithmetic.negate(operands[1], text: text), text: text)
        case .multiply:
            return try ExactArithmetic.multiply(operands[0], operands[1], text: text)
        case .divide:
            return try ExactArithmetic.divide(operands[0], operands[1], text: text)
        case .power:
            return try ExactArithmetic.power(operands[0], operands[1], text: text)
        case .percent:
            return try ExactArithmetic.multiply(operands[0], .rational(Rational(1, 100)), text: text)
        case .factorial:
            return try ExactFunctions.factorial(operands[0])
        case .function(let function, _):
            return try ExactFunctions.apply(function, operands, text: text)
        case .number, .variable, .constant:
            throw ExpressionError(message: "nothing to evaluate")
        }
    }
}
