/// A parsed mathematical expression. Numbers are exact: "3.7" is the rational 37/10.
public indirect enum Expr: Sendable, Hashable {
    /// An exact number literal.
    case number(Rational)
    /// A single-letter variable such as x, y, z, n or t (never e or i).
    case variable(String)
    /// A named constant: π or e.
    case constant(MathConstant)
    /// −operand.
    case negate(Expr)
    /// lhs + rhs.
    case add(Expr, Expr)
    /// lhs − rhs.
    case subtract(Expr, Expr)
    /// lhs × rhs (also implicit multiplication such as 2x).
    case multiply(Expr, Expr)
    /// lhs ÷ rhs.
    case divide(Expr, Expr)
    /// base ^ exponent.
    case power(Expr, Expr)
    /// operand! (8!).
    case factorial(Expr)
    /// operand % (value/100); "25% of 80" parses as multiply(percent(25), 80).
    case percent(Expr)
    /// A function call. Argument order: root is [n, x] (n-th root of x), log is [base, x]; gcd and lcm take two or
    /// more arguments; nCr and nPr take [n, k]; every other function takes one argument.
    case function(MathFunction, [Expr])
}

/// The named constants an expression may use.
public enum MathConstant: String, Sendable, Hashable {
    /// π, the ratio of a circle's circumference to its diameter.
    case pi
    /// e, the base of the natural logarithm.
    case e
}

/// The functions an expression may call.
public enum MathFunction: String, Sendable, Hashable {
    /// Square root.
    case sqrt
    /// Cube root.
    case cbrt
    /// n-th root: arguments [n, x].
    case root
    /// Logarithm with an explicit base: arguments [base, x].
    case log
    /// Natural logarithm.
    case ln
    /// Base-10 logarithm.
    case log10
    /// e to the power of the argument.
    case exp
    /// Absolute value.
    case abs
    /// Greatest common divisor of two or more integers.
    case gcd
    /// Least common multiple of two or more integers.
    case lcm
    /// Binomial coefficient: arguments [n, k].
    case nCr
    /// Permutations: arguments [n, k].
    case nPr
    /// Sine (radians).
    case sin
    /// Cosine (radians).
    case cos
    /// Tangent (radians).
    case tan
}

/// Why an expression could not be parsed or evaluated, and where (a character offset into the text; 0 when the
/// failure is not tied to one place).
public struct ExpressionError: Error, Sendable, Equatable {
    /// What kind of failure it was, so callers can choose between explaining and abstaining.
    public enum Reason: Sendable, Equatable {
        /// The text is not an expression this parser understands.
        case syntax
        /// The value is mathematically undefined: division by zero, 0⁻¹, (−3)!, log(0), tan(π/2).
        case undefined
        /// The value exists but is not a real number: √−4, log of a negative number's even root.
        case notReal
        /// The exact result would exceed the size caps (10^10^10).
        case tooLarge
        /// Well-defined, but outside what the evaluator handles exactly (2.5!, gcd of fractions, variables).
        case unsupported
    }

    /// A sentence a person can read: "unexpected ')'", "division by zero".
    public let message: String
    /// The character offset the problem was found at.
    public let offset: Int
    /// The kind of failure.
    public let reason: Reason

    /// Creates an error with a message, an offset and a reason.
    public init(message: String, offset: Int = 0, reason: Reason = .syntax) {
        self.message = message
        self.offset = offset
        self.reason = reason
    }
}

extension Expr {
    /// True when the expression contains no variables.
    public var isConstant: Bool {
        switch self {
        case .number, .constant: return true
        case .variable: return false
        case .negate(let operand), .factorial(let operand), .percent(let operand): return operand.isConstant
        case .add(let a, let b), .subtract(let a, let b), .multiply(let a, let b), .divide(let a, let b),
            .power(let a, let b):
            return a.isConstant && b.isConstant
        case .function(_, let arguments): return arguments.allSatisfy(\.isConstant)
        }
    }

    /// The names of the variables the expression uses.
    public var variables: Set<String> {
        switch self {
        case .number, .constant: return []
        case .variable(let name): return [name]
        case .negate(let operand), .factorial(let operand), .percent(let operand): return operand.variables
        case .add(let a, let b), .subtract(let a, let b), .multiply(let a, let b), .divide(let a, let b),
            .power(let a, let b):
            return a.variables.union(b.variables)
        case .function(_, let arguments): return arguments.reduce(into: []) { $0.formUnion($1.variables) }
        }
    }
}
