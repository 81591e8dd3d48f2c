/// A polynomial in one variable with exact rational coefficients.
public struct Polynomial: Sendable, Hashable, CustomStringConvertible {
    /// Coefficients by power: `coefficients[k]` multiplies xᵏ. No trailing zeros; empty for the zero polynomial.
    public let coefficients: [Rational]
    /// The variable's name as printed ("x").
    public let variable: String

    /// The largest degree `init?(_:variable:)` builds; larger powers are refused rather than expanded.
    public static let maximumDegree = 200

    /// A polynomial from its coefficients by power (trailing zeros are dropped).
    public init(coefficients: [Rational], variable: String = "x") {
        var coefficients = coefficients
        while let last = coefficients.last, last.isZero { coefficients.removeLast() }
        self.coefficients = coefficients
        self.variable = variable
    }

    /// The constant polynomial `value`.
    public init(constant value: Rational, variable: String = "x") {
        self.init(coefficients: [value], variable: variable)
    }

    /// Builds the polynomial an expression denotes in `variable`, expanding products and whole powers; nil when
    /// the expression is not a polynomial in that variable (another variable, π, functions, division by a
    /// non-constant, negative or fractional powers, degree above `maximumDegree`).
    public init?(_ expression: Expr, variable: String = "x") {
        guard let polynomial = Polynomial.build(expression, variable) else { return nil }
        self = polynomial
    }

    /// True for the zero polynomial.
    public var isZero: Bool { coefficients.isEmpty }

    /// The degree; 0 for constants including zero.
    public var degree: Int { max(coefficients.count - 1, 0) }

    /// The coefficient of xᵏ (zero beyond the degree).
    public func coefficient(_ power: Int) -> Rational {
        power >= 0 && power < coefficients.count ? coefficients[power] : .zero
    }

    /// The leading coefficient (zero for the zero polynomial).
    public var leadingCoefficient: Rational { coefficients.last ?? .zero }

    /// The value at `point`, by Horner's rule.
    public func evaluate(at point: Rational) -> Rational {
        var value = Rational.zero
        for coefficient in coefficients.reversed() {
            value = value * point + coefficient
        }
        return value
    }

    /// The first derivative.
    public var derivative: Polynomial {
        guard coefficients.count > 1 else { return Polynomial(coefficients: [], variable: variable) }
        let derived = (1..<coefficients.count).map { coefficients[$0] * Rational($0) }
        return Polynomial(coefficients: derived, variable: variable)
    }

    /// The antiderivative whose constant term is zero.
    public var antiderivative: Polynomial {
        var integrated: [Rational] = [.zero]
        for (power, coefficient) in coefficients.enumerated() {
            integrated.append(coefficient.dividing(by: Rational(power + 1)) ?? .zero)
        }
        return Polynomial(coefficients: integrated, variable: variable)
    }

    /// ∫ from `lower` to `upper`.
    public func definiteIntegral(from lower: Rational, to upper: Rational) -> Rational {
        let primitive = antiderivative
        return primitive.evaluate(at: upper) - primitive.evaluate(at: lower)
    }

    /// The sum of two polynomials in the same variable.
    public static func + (a: Polynomial, b: Polynomial) -> Polynomial {
        let count = max(a.coefficients.count, b.coefficients.count)
        return Polynomial(coefficients: (0..<count).map { a.coefficient($0) + b.coefficient($0) }, variable: a.variable)
    }

    /// The difference of two polynomials in the same variable.
    public static func - (a: Polynomial, b: Polynomial) -> Polynomial { a + (-b) }

    /// The negated polynomial.
    public static prefix func - (a: Polynomial) -> Polynomial {
        Polynomial(coefficients: a.coefficients.map { -$0 }, variable: a.variable)
    }

    /// The product of two polynomials in the same variable.
    public static func * (a: Polynomial, b: Polynomial) -> Polynomial {
        guard !a.isZero, !b.isZero else { return Polynomial(coefficients: [], variable: a.variable) }
        var product = [Rational](repeating: .zero, count: a.coefficients.count + b.coefficients.count - 1)
        for (i, x) in a.coefficients.enumerated() where !x.isZero {
            for (j, y) in b.coefficients.enumerated() where !y.isZero {
                product[i + j] = product[i + j] + x * y
            }
        }
        return Polynomial(coefficients: product, variable: a.variable)
    }

    /// The polynomial multiplied by a rational.
    public func scaled(by factor: Rational) -> Polynomial {
        Polynomial(coefficients: coefficients.map { $0 * factor }, variable: variable)
    }

    /// Long division: self = quotient · divisor + remainder with deg(remainder) < deg(divisor); nil for a zero
    /// divisor.
    public func divided(by divisor: Polynomial) -> (quotient: Polynomial, remainder: Polynomial)? {
        guard !divisor.isZero, let leadInverse = divisor.leadingCoefficient.reciprocal else { return nil }
        var remainder = coefficients
        let divisorDegree = divisor.coefficients.count - 1
        guard remainder.count > divisorDegree else {
            return (Polynomial(coefficients: [], variable: variable), self)
        }
        var quotient = [Rational](repeating: .zero, count: remainder.count - divisorDegree)
        for shift in stride(from: remainder.count - 1 - divisorDegree, through: 0, by: -1) {
            let factor = remainder[shift + divisorDegree] * leadInverse
            quotient[shift] = factor
            if factor.isZero { continue }
            for (k, c) in divisor.coefficients.enumerated() {
                remainder[shift + k] = remainder[shift + k] - factor * c
            }
        }
        return (
            Polynomial(coefficients: quotient, variable: variable),
            Polynomial(coefficients: remainder, variable: variable)
        )
    }

    /// Printed with Unicode minus and superscripts, highest power first: "3x² + 4x − 5", "x³/3 + C"-style
    /// fractions "2x³/3", and decimals "0.5x²" in `.decimal` style.
    public func formatted(style: NumberStyle = .fraction) -> String {
        guard !isZero else { return "0" }
        var terms: [(negative: Bool, magnitude: String)] = []
        for power in stride(from: coefficients.count - 1, through: 0, by: -1) {
            let coefficient = coefficients[power]
            if coefficient.isZero { continue }
            terms.append((coefficient.signum < 0, Polynomial.termText(coefficient, power, variable, style)))
        }
        return Format.signedSum(terms)
    }

    /// The polynomial as `formatted()` prints it.
    public var description: String { formatted() }

    /// One term's magnitude: "3x²", "x", "2x³/3", "5", "1/2".
    static func termText(_ coefficient: Rational, _ power: Int, _ variable: String, _ style: NumberStyle) -> String {
        let magnitude = coefficient.signum < 0 ? -coefficient : coefficient
        if power == 0 { return Format.rational(magnitude, style: style) }
        let symbol = variable + (power == 1 ? "" : Format.superscript(power))
        if magnitude == .one { return symbol }
        if magnitude.isInteger || (style == .decimal && magnitude.terminatesAsDecimal) {
            return Format.rational(magnitude, style: style) + symbol
        }
        let numerator = magnitude.numerator == 1 ? "" : magnitude.numerator.description
        return numerator + symbol + "/" + magnitude.denominator.description
    }

    // MARK: - Building from expressions

    private static func build(_ expression: Expr, _ variable: String) -> Polynomial? {
        switch expression {
        case .number(let value):
            return Polynomial(constant: value, variable: variable)
        case .variable(let name):
            guard name == variable else { return nil }
            return Polynomial(coefficients: [.zero, .one], variable: variable)
        case .negate(let inner):
            return build(inner, variable).map { -$0 }
        case .add(let a, let b):
            guard let a = build(a, variable), let b = build(b, variable) else { return nil }
            return a + b
        case .subtract(let a, let b):
            guard let a = build(a, variable), let b = build(b, variable) else { return nil }
            return a - b
        case .multiply(let a, let b):
            guard let a = build(a, variable), let b = build(b, variable),
                a.degree + b.degree <= maximumDegree
            else { return nil }
            return a * b
        case .divide(let a, let b):
            guard let a = build(a, variable), let b = build(b, variable), b.degree == 0,
                let inverse = b.coefficient(0).reciprocal
            else { return nil }
            return a.scaled(by: inverse)
        case .power(let base, let exponent):
            guard let base = build(base, variable), let exponent = build(exponent, variable), exponent.degree == 0,
                exponent.coefficient(0).isInteger, let n = exponent.coefficient(0).numerator.asInt, n >= 0
            else { return nil }
            if base.degree == 0 {
                guard Polynomial.powerIsSmall(base.coefficient(0), n), let value = base.coefficient(0).power(n) else {
                    return nil
                }
                return Polynomial(constant: value, variable: variable)
            }
            guard base.degree * n <= maximumDegree else { return nil }
            var result = Polynomial(constant: .one, variable: variable)
            for _ in 0..<n { result = result * base }
            return result
        case .constant, .factorial, .percent, .function:
            return nil
        }
    }

    /// True when value^n stays below about 20,000 bits, so expanding it cannot take noticeable time or memory.
    static func powerIsSmall(_ value: Rational, _ n: Int) -> Bool {
        if n <= 1 || value.isZero || value == .one || value == -Rational.one { return true }
        func bits(_ x: BigInt) -> Double {
            let double = x.magnitude.doubleValue
            return double.isFinite ? (double < 2 ? 1 : double.log2Estimate) : Double(x.description.count) * 3.33
        }
        return Double(n) * max(bits(value.numerator), bits(value.denominator)) <= 20_000
    }
}

extension Double {
    /// ⌈log₂(self)⌉ for self >= 1, from the exponent alone.
    var log2Estimate: Double { Double(exponent) + 1 }
}
