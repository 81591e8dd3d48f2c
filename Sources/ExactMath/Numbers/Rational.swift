/// An exact fraction of big integers, always in lowest terms with a positive denominator.
public struct Rational: Sendable, Hashable {
    /// The numerator; it carries the sign.
    public let numerator: BigInt
    /// The denominator: positive and coprime to the numerator.
    public let denominator: BigInt

    /// Builds numerator/denominator reduced to lowest terms. The denominator must not be zero.
    public init(_ numerator: BigInt, _ denominator: BigInt = 1) {
        precondition(!denominator.isZero, "Rational with a zero denominator")
        if denominator == 1 {
            self.numerator = numerator
            self.denominator = 1
            return
        }
        var top = numerator
        var bottom = denominator
        if bottom.signum < 0 {
            top = -top
            bottom = -bottom
        }
        let divisor = BigInt.gcd(top, bottom)
        if divisor != 1 && !divisor.isZero {
            top = top / divisor
            bottom = bottom / divisor
        }
        self.numerator = top
        self.denominator = bottom
    }

    /// Creates the integer `value`.
    public init(_ value: Int) {
        numerator = BigInt(value)
        denominator = 1
    }

    /// Trusts the caller that the parts are already normalised.
    private init(normalisedNumerator: BigInt, denominator: BigInt) {
        self.numerator = normalisedNumerator
        self.denominator = denominator
    }

    /// Zero.
    public static let zero = Rational(0)
    /// One.
    public static let one = Rational(1)

    /// True when the denominator is 1.
    public var isInteger: Bool { denominator == 1 }

    /// True when the value is zero.
    public var isZero: Bool { numerator.isZero }

    /// -1, 0 or 1.
    public var signum: Int { numerator.signum }

    /// The absolute value.
    public var magnitude: Rational {
        Rational(normalisedNumerator: numerator.magnitude, denominator: denominator)
    }

    /// The nearest `Double` to the exact value (within one ulp; exact when both parts are small).
    public var doubleValue: Double {
        if isInteger { return numerator.doubleValue }
        let numeratorBits = numerator.bitWidth
        let denominatorBits = denominator.bitWidth
        if numeratorBits <= 53 && denominatorBits <= 53 {
            return numerator.doubleValue / denominator.doubleValue
        }
        // Scale so the integer quotient keeps 64 significant bits, then divide out the scale.
        let scale = 64 - (numeratorBits - denominatorBits)
        let scaledNumerator = scale >= 0 ? numerator.shiftedLeft(by: scale) : numerator
        let scaledDenominator = scale >= 0 ? denominator : denominator.shiftedLeft(by: -scale)
        let quotient = scaledNumerator / scaledDenominator
        return quotient.doubleValue * Double(sign: .plus, exponent: -scale, significand: 1)
    }

    /// The integer part, rounded toward zero.
    public var truncated: BigInt { numerator / denominator }

    /// The largest integer not above the value.
    public var floor: BigInt {
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        return remainder.signum < 0 ? quotient - 1 : quotient
    }
}

extension Rational: ExpressibleByIntegerLiteral {
    /// Creates a rational from an integer literal.
    public init(integerLiteral value: Int) {
        self.init(value)
    }
}

extension Rational: Comparable {
    /// Orders rationals numerically.
    public static func < (a: Rational, b: Rational) -> Bool {
        if a.denominator == b.denominator { return a.numerator < b.numerator }
        return a.numerator * b.denominator < b.numerator * a.denominator
    }
}

extension Rational: CustomStringConvertible {
    /// "3", "-1/2", "22/7".
    public var description: String {
        isInteger ? numerator.description : "\(numerator)/\(denominator)"
    }
}

extension Rational {
    /// The exact sum.
    public static func + (a: Rational, b: Rational) -> Rational {
        if a.denominator == 1 && b.denominator == 1 {
            return Rational(normalisedNumerator: a.numerator + b.numerator, denominator: 1)
        }
        if a.denominator == b.denominator {
            return Rational(a.numerator + b.numerator, a.denominator)
        }
        return Rational(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)
    }

    /// The exact difference.
    public static func - (a: Rational, b: Rational) -> Rational {
        a + (-b)
    }

    /// The exact product.
    public static func * (a: Rational, b: Rational) -> Rational {
        if a.denominator == 1 && b.denominator == 1 {
            return Rational(normalisedNumerator: a.numerator * b.numerator, denominator: 1)
        }
        // Cross-reduce first so intermediate values stay small.
        let g1 = BigInt.gcd(a.numerator, b.denominator)
        let g2 = BigInt.gcd(b.numerator, a.denominator)
        let numerator =
            (g1 == 1 || g1.isZero ? a.numerator : a.numerator / g1)
            * (g2 == 1 || g2.isZero ? b.numerator : b.numerator / g2)
        let denominator =
            (g2 == 1 || g2.isZero ? a.denominator : a.denominator / g2)
            * (g1 == 1 || g1.isZero ? b.denominator : b.denominator / g1)
        if numerator.isZero { return .zero }
        return Rational(normalisedNumerator: numerator, denominator: denominator)
    }

    /// The negation.
    public static prefix func - (a: Rational) -> Rational {
        Rational(normalisedNumerator: -a.numerator, denominator: a.denominator)
    }

    /// Adds `b` to `a`.
    public static func += (a: inout Rational, b: Rational) { a = a + b }
    /// Subtracts `b` from `a`.
    public static func -= (a: inout Rational, b: Rational) { a = a - b }
    /// Multiplies `a` by `b`.
    public static func *= (a: inout Rational, b: Rational) { a = a * b }

    /// The exact quotient, or nil when `other` is zero.
    public func dividing(by other: Rational) -> Rational? {
        guard let inverse = other.reciprocal else { return nil }
        return self * inverse
    }

    /// 1/self, or nil for zero.
    public var reciprocal: Rational? {
        if isZero { return nil }
        if numerator.signum < 0 { return Rational(normalisedNumerator: -denominator, denominator: -numerator) }
        return Rational(normalisedNumerator: denominator, denominator: numerator)
    }

    /// self^exponent for any integer exponent; nil for zero raised to a negative power. 0^0 is 1.
    public func power(_ exponent: Int) -> Rational? {
        if exponent >= 0 {
            return Rational(normalisedNumerator: numerator.power(exponent), denominator: denominator.power(exponent))
        }
        guard let inverse = reciprocal, exponent != Int.min else { return nil }
        return inverse.power(-exponent)
    }

    /// The exact n-th root (n ≥ 1) when numerator and denominator are both perfect n-th powers; nil otherwise,
    /// including even roots of negative values.
    public func exactRoot(_ n: Int) -> Rational? {
        guard n >= 1 else { return nil }
        if n == 1 { return self }
        if signum < 0 && n & 1 == 0 { return nil }
        let top = numerator.integerRoot(n)
        guard top.exact else { return nil }
        let bottom = denominator.integerRoot(n)
        guard bottom.exact else { return nil }
        return Rational(normalisedNumerator: top.root, denominator: bottom.root)
    }
}
