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
        // Unary and binary operations, the common case, keep their operands in locals (no arrays); the result of
        // each operation is recorded as a step after its operands' steps.
        switch expr {
        case .number(let value):
            return .rational(value)
        case .constant(.pi):
            return .exact(ExactTerm(.one, piPower: 1))
        case .constant(.e):
            return .exact(ExactTerm(.one, ePower: .one))
        case .variable(let name):
            throw ExpressionError(message: "'\(name)' has no value here", reason: .unsupported)
        case .negate(let a), .factorial(let a), .percent(let a):
            let operand = try value(of: a, steps: &steps)
            let result = try applyUnary(expr, operand)
            if steps != nil {
                let reduced = replacingOperand(of: expr, with: shown(a, operand))
                steps!.append(Step(original: expr, reduced: reduced, value: result))
            }
            return result
        case .add(let a, let b), .subtract(let a, let b), .multiply(let a, let b), .divide(let a, let b),
            .power(let a, let b):
            let left = try value(of: a, steps: &steps)
            let right = try value(of: b, steps: &steps)
            let result = try applyBinary(expr, left, right)
            if steps != nil {
                let reduced = replacingOperands(of: expr, with: shown(a, left), shown(b, right))
                steps!.append(Step(original: expr, reduced: reduced, value: result))
            }
            return result
        case .function(let function, let arguments):
            var operands: [ExactValue] = []
            operands.reserveCapacity(arguments.count)
            for argument in arguments { operands.append(try value(of: argument, steps: &steps)) }
            let result = try ExactFunctions.apply(function, operands, text: { ExpressionPrinter.text(expr) })
            if steps != nil {
                let reduced = Expr.function(function, zip(arguments, operands).map { shown($0, $1) })
                steps!.append(Step(original: expr, reduced: reduced, value: result))
            }
            return result
        }
    }

    /// An operand as a step shows it: as written when it already reads as a value, else its value when exact.
    private static func shown(_ operand: Expr, _ value: ExactValue) -> Expr {
        isLiteral(operand) ? operand : expression(for: value) ?? operand
    }

    /// Operands that already read as values ("25%", "−3") are shown as written in the steps.
    private static func isLiteral(_ expr: Expr) -> Bool {
        switch expr {
        case .number, .constant, .percent(.number), .negate(.number): return true
        default: return false
        }
    }

    /// `expr` (a unary operation) with its operand replaced.
    private static func replacingOperand(of expr: Expr, with operand: Expr) -> Expr {
        switch expr {
        case .negate: return .negate(operand)
        case .factorial: return .factorial(operand)
        default: return .percent(operand)
        }
    }

    /// `expr` (a binary operation) with its operands replaced.
    private static func replacingOperands(of expr: Expr, with a: Expr, _ b: Expr) -> Expr {
        switch expr {
        case .add: return .add(a, b)
        case .subtract: return .subtract(a, b)
        case .multiply: return .multiply(a, b)
        case .divide: return .divide(a, b)
        default: return .power(a, b)
        }
    }

    /// The value of a unary operation (negate, factorial, percent) on its operand's value.
    private static func applyUnary(_ expr: Expr, _ operand: ExactValue) throws(ExpressionError) -> ExactValue {
        let text = { ExpressionPrinter.text(expr) }
        switch expr {
        case .negate: return try ExactArithmetic.negate(operand, text: text)
        case .factorial: return try ExactFunctions.factorial(operand)
        default: return try ExactArithmetic.multiply(operand, .rational(Rational(1, 100)), text: text)
        }
    }

    /// The value of a binary operation (add, subtract, multiply, divide, power) on its operands' values.
    private static func applyBinary(_ expr: Expr, _ a: ExactValue, _ b: ExactValue) throws(ExpressionError)
        -> ExactValue
    {
        let text = { ExpressionPrinter.text(expr) }
        switch expr {
        case .add: return try ExactArithmetic.add(a, b, text: text)
        case .subtract: return try ExactArithmetic.add(a, try ExactArithmetic.negate(b, text: text), text: text)
        case .multiply: return try ExactArithmetic.multiply(a, b, text: text)
        case .divide: return try ExactArithmetic.divide(a, b, text: text)
        default: return try ExactArithmetic.power(a, b, text: text)
        }
    }
}
