#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One exact real number of the form coefficient · √radicand · π^piPower · e^ePower.
public struct ExactTerm: Sendable, Hashable {
    /// The rational factor.
    public let coefficient: Rational
    /// A square-free integer ≥ 1 under the square root (1 means no root).
    public let radicand: BigInt
    /// The power of π (0 means no π).
    public let piPower: Int
    /// The power of e (0 means no e).
    public let ePower: Rational

    /// Creates a term; the caller guarantees `radicand` is square-free and ≥ 1.
    public init(_ coefficient: Rational, radicand: BigInt = 1, piPower: Int = 0, ePower: Rational = .zero) {
        let isZero = coefficient.isZero
        self.coefficient = coefficient
        self.radicand = isZero ? 1 : radicand
        self.piPower = isZero ? 0 : piPower
        self.ePower = isZero ? .zero : ePower
    }

    /// True when the term is just a rational number.
    public var isRational: Bool { radicand == 1 && piPower == 0 && ePower.isZero }

    /// The rational value, when the term is rational.
    public var rationalValue: Rational? { isRational ? coefficient : nil }

    /// True when two terms differ only in their coefficient (so they can be added exactly).
    func isLike(_ other: ExactTerm) -> Bool {
        radicand == other.radicand && piPower == other.piPower && ePower == other.ePower
    }

    /// The nearest double.
    public var doubleValue: Double {
        var value = coefficient.doubleValue
        if radicand != 1 { value *= radicand.doubleValue.squareRoot() }
        if piPower != 0 { value *= pow(Double.pi, Double(piPower)) }
        if !ePower.isZero { value *= exp(ePower.doubleValue) }
        return value
    }
}

/// The value of an evaluated expression: exact whenever the arithmetic allows, otherwise an approximation that
/// keeps the exact expression it approximates as text (log₂(10), sin(1), √2 + √3). An approximation is never
/// presented as exact.
public enum ExactValue: Sendable, Hashable {
    /// An exact value c·√m·π^p·e^q.
    case exact(ExactTerm)
    /// A value known only approximately, with the exact expression it stands for written out.
    case approximate(Double, text: String)

    /// An exact rational value.
    public static func rational(_ value: Rational) -> ExactValue { .exact(ExactTerm(value)) }

    /// The exact rational value, when the value is rational.
    public var rationalValue: Rational? {
        if case .exact(let term) = self { return term.rationalValue }
        return nil
    }

    /// The exact value, when there is one.
    public var exactTerm: ExactTerm? {
        if case .exact(let term) = self { return term }
        return nil
    }

    /// True when the value is exact.
    public var isExact: Bool { exactTerm != nil }

    /// The nearest double (or the approximation).
    public var doubleValue: Double {
        switch self {
        case .exact(let term): return term.doubleValue
        case .approximate(let value, _): return value
        }
    }

    /// True when the value is exactly zero.
    public var isZero: Bool { exactTerm?.coefficient.isZero ?? false }

    /// -1, 0 or 1 (from the double for approximations).
    public var signum: Int {
        switch self {
        case .exact(let term): return term.coefficient.signum
        case .approximate(let value, _): return value > 0 ? 1 : (value < 0 ? -1 : 0)
        }
    }
}
