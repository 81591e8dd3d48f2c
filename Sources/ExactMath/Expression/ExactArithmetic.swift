#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The four operations and powers on `ExactValue`s, staying exact whenever the result has an exact form.
/// `text` renders the expression being evaluated, used as the exact form of an approximate result.
internal enum ExactArithmetic {
    static var maxBits: Int { ExpressionEvaluator.maxResultBits }

    static let tooLarge = ExpressionError(
        message: "the result is too large to compute exactly (more than \(ExpressionEvaluator.maxResultBits) bits)",
        reason: .tooLarge)

    /// Refuses terms whose coefficient has grown beyond the size cap.
    static func checked(_ term: ExactTerm) throws(ExpressionError) -> ExactValue {
        if term.coefficient.numerator.bitWidth > maxBits || term.coefficient.denominator.bitWidth > maxBits
            || term.radicand.bitWidth > maxBits
        {
            throw tooLarge
        }
        return .exact(term)
    }

    /// An approximate result, refusing infinities and NaNs.
    static func approximate(_ value: Double, text: () -> String) throws(ExpressionError) -> ExactValue {
        if value.isNaN { throw ExpressionError(message: "the result is not a real number", reason: .unsupported) }
        if value.isInfinite {
            throw ExpressionError(message: "the result is too large to approximate", reason: .tooLarge)
        }
        return .approximate(value, text: text())
    }

    static func negate(_ a: ExactValue, text: () -> String) throws(ExpressionError) -> ExactValue {
        switch a {
        case .exact(let term):
            return .exact(
                ExactTerm(
                    -term.coefficient, radicand: term.radicand, piPower: term.piPower,
                    ePower: term.ePower))
        case .approximate(let value, _):
            return try approximate(-value, text: text)
        }
    }

    static func add(_ a: ExactValue, _ b: ExactValue, text: () -> String) throws(ExpressionError) -> ExactValue {
        if a.isZero { return b }
        if b.isZero { return a }
        if case .exact(let x) = a, case .exact(let y) = b, x.isLike(y) {
            return try checked(
                ExactTerm(
                    x.coefficient + y.coefficient, radicand: x.radicand, piPower: x.piPower,
                    ePower: x.ePower))
        }
        return try approximate(a.doubleValue + b.doubleValue, text: text)
    }

    static func multiply(_ a: ExactValue, _ b: ExactValue, text: () -> String) throws(ExpressionError) -> ExactValue {
        if a.isZero || b.isZero { return .rational(.zero) }
        guard case .exact(let x) = a, case .exact(let y) = b else {
            return try approximate(a.doubleValue * b.doubleValue, text: text)
        }
        return try checked(try multiply(x, y))
    }

    static func multiply(_ x: ExactTerm, _ y: ExactTerm) throws(ExpressionError) -> ExactTerm {
        if x.coefficient.numerator.bitWidth + y.coefficient.numerator.bitWidth > 2 * maxBits + 2 { throw tooLarge }
        var coefficient = x.coefficient * y.coefficient
        var radicand: BigInt = 1
        if x.radicand != 1 || y.radicand != 1 {
            if x.radicand == y.radicand {
                coefficient *= Rational(x.radicand)
            } else {
                let (outside, inside) = SquareRoot.splitSquareFactor(x.radicand * y.radicand)
                coefficient *= Rational(outside)
                radicand = inside
            }
        }
        let (piPower, overflow) = x.piPower.addingReportingOverflow(y.piPower)
        if overflow || Swift.abs(piPower) > maxBits { throw tooLarge }
        return ExactTerm(coefficient, radicand: radicand, piPower: piPower, ePower: x.ePower + y.ePower)
    }

    /// 1/x for a non-zero term: 1/(c√m·πᵖ·eᵠ) = √m/(c·m)·π⁻ᵖ·e⁻ᵠ.
    static func reciprocal(_ x: ExactTerm) -> ExactTerm {
        let scaled = x.coefficient * Rational(x.radicand)
        return ExactTerm(scaled.reciprocal!, radicand: x.radicand, piPower: -x.piPower, ePower: -x.ePower)
    }

    static func divide(_ a: ExactValue, _ b: ExactValue, text: () -> String) throws(ExpressionError) -> ExactValue {
        if b.isZero { throw ExpressionError(message: "undefined (division by zero)", reason: .undefined) }
        if a.isZero { return .rational(.zero) }
        guard case .exact(let x) = a, case .exact(let y) = b else {
            return try approximate(a.doubleValue / b.doubleValue, text: text)
        }
        return try checked(try multiply(x, reciprocal(y)))
    }

    static func power(_ base: ExactValue, _ exponent: ExactValue, text: () -> String) throws(ExpressionError)
        -> ExactValue
    {
        if let e = exponent.rationalValue {
            if case .exact(let term) = base {
                if e.isInteger {
                    guard let n = e.numerator.asInt, n.magnitude <= UInt(maxBits) * 64 else { throw tooLarge }
                    return try checked(try integerPower(term, n))
                }
                if let result = try rationalPower(term, e) { return result }
            }
            if base.signum < 0 && !e.isInteger {
                if e.denominator.isEven {
                    throw ExpressionError(
                        message: "an even root of a negative number is not a real number", reason: .notReal)
                }
                // An odd root of a negative number is real: −(|b|^e).
                let magnitude = pow(-base.doubleValue, e.doubleValue)
                return try approximate(e.numerator.isEven ? magnitude : -magnitude, text: text)
            }
        }
        if base.isZero && exponent.signum < 0 {
            throw ExpressionError(
                message: "undefined (0 to a negative power is a division by zero)", reason: .undefined)
        }
        if base.signum < 0 {
            throw ExpressionError(
                message: "a negative number to an irrational power is not a real number", reason: .notReal)
        }
        return try approximate(pow(base.doubleValue, exponent.doubleValue), text: text)
    }

    /// term^n for any integer n.
    static func integerPower(_ term: ExactTerm, _ n: Int) throws(ExpressionError) -> ExactTerm {
        if term.coefficient.isZero {
            if n < 0 {
                throw ExpressionError(
                    message: "undefined (0 to a negative power is a division by zero)", reason: .undefined)
            }
            return ExactTerm(n == 0 ? .one : .zero)
        }
        let magnitude = n.magnitude
        let bits = max(
            term.coefficient.numerator.bitWidth, term.coefficient.denominator.bitWidth,
            term.radicand.bitWidth)
        if bits > 1 {
            // bits − 1 ≤ log₂ of the largest part, so this underestimates the result's size: a safe refusal.
            let (estimate, overflow) = UInt(bits - 1).multipliedReportingOverflow(by: magnitude)
            if overflow || estimate > UInt(maxBits) { throw tooLarge }
        }
        var coefficient = term.coefficient.power(n)!
        var radicand = term.radicand
        if radicand != 1 {
            // (√m)^n = m^(n/2) when n is even, m^((n−1)/2)·√m when odd (floor division keeps it right for n < 0).
            let half = n >= 0 ? n / 2 : -((-n + 1) / 2)
            coefficient *= Rational(radicand).power(half)!
            if n & 1 == 0 { radicand = 1 }
        }
        let (piPower, overflow) = term.piPower.multipliedReportingOverflow(by: n)
        if overflow || Swift.abs(piPower) > maxBits { throw tooLarge }
        let ePower = term.ePower * Rational(n)
        if ePower.numerator.bitWidth > 32 { throw tooLarge }
        return ExactTerm(coefficient, radicand: radicand, piPower: piPower, ePower: ePower)
    }

    /// term^(p/q) for a non-integer rational exponent, when it has an exact form; nil to fall back to a double.
    static func rationalPower(_ term: ExactTerm, _ e: Rational) throws(ExpressionError) -> ExactValue? {
        // e^a raised to any rational power stays a power of e.
        if term.coefficient == .one && term.radicand == 1 && term.piPower == 0 {
            return try checked(ExactTerm(.one, ePower: term.ePower * e))
        }
        guard let base = term.rationalValue, let q = e.denominator.asInt, let p = e.numerator.asInt,
            q <= 1_000, p.magnitude <= UInt(maxBits)
        else { return nil }
        if base.signum < 0 && q & 1 == 0 {
            throw ExpressionError(message: "an even root of a negative number is not a real number", reason: .notReal)
        }
        if base.isZero {
            if p < 0 {
                throw ExpressionError(
                    message: "undefined (0 to a negative power is a division by zero)", reason: .undefined)
            }
            return .rational(.zero)
        }
        if let root = base.exactRoot(q) {
            return try checked(try integerPower(ExactTerm(root), p))
        }
        if q == 2 {
            let root = SquareRoot(of: base)
            return try checked(try integerPower(ExactTerm(root.coefficient, radicand: root.radicand), p))
        }
        return nil
    }
}
