#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Factorials, roots, logarithms, counting and trigonometric functions on `ExactValue`s.
internal enum ExactFunctions {
    static func apply(_ function: MathFunction, _ arguments: [ExactValue], text: () -> String)
        throws(ExpressionError) -> ExactValue
    {
        switch function {
        case .sqrt: return try squareRoot(arguments[0], text: text)
        case .cbrt: return try root(3, arguments[0], text: text)
        case .root:
            guard let index = arguments[0].rationalValue, index.isInteger, let n = index.numerator.asInt, n >= 1,
                n <= 1_000
            else {
                throw ExpressionError(
                    message: "a root index must be a whole number from 1 to 1000", reason: .unsupported)
            }
            return n == 2 ? try squareRoot(arguments[1], text: text) : try root(n, arguments[1], text: text)
        case .log: return try logarithm(arguments[1], base: arguments[0], text: text)
        case .log10: return try logarithm(arguments[0], base: .rational(10), text: text)
        case .ln: return try naturalLogarithm(arguments[0], text: text)
        case .exp: return try ExactArithmetic.power(.exact(ExactTerm(.one, ePower: .one)), arguments[0], text: text)
        case .abs:
            return arguments[0].signum < 0 ? try ExactArithmetic.negate(arguments[0], text: text) : arguments[0]
        case .gcd, .lcm:
            let name = function == .gcd ? "the GCD" : "the LCM"
            let integers = try arguments.map { (value: ExactValue) throws(ExpressionError) -> BigInt in
                try wholeNumber(value, for: name)
            }
            let result = integers.dropFirst().reduce(integers[0]) { partial, next in
                function == .gcd ? BigInt.gcd(partial, next) : NumberTheory.lcm(partial, next)
            }
            return try ExactArithmetic.checked(ExactTerm(Rational(result.magnitude)))
        case .nCr, .nPr:
            let n = try wholeNumber(arguments[0], for: "n")
            let k = try wholeNumber(arguments[1], for: "k")
            guard n.signum >= 0, k.signum >= 0 else {
                throw ExpressionError(message: "counting needs n and k to be whole numbers ≥ 0", reason: .unsupported)
            }
            let result = function == .nCr ? NumberTheory.binomial(n, k) : NumberTheory.permutations(n, k)
            guard let result else { throw ExactArithmetic.tooLarge }
            return try ExactArithmetic.checked(ExactTerm(Rational(result)))
        case .sin, .cos, .tan:
            return try trigonometric(function, arguments[0], text: text)
        }
    }

    static func wholeNumber(_ value: ExactValue, for name: String) throws(ExpressionError) -> BigInt {
        guard let rational = value.rationalValue, rational.isInteger else {
            throw ExpressionError(message: "\(name) is only defined here for whole numbers", reason: .unsupported)
        }
        return rational.numerator
    }

    static func factorial(_ value: ExactValue) throws(ExpressionError) -> ExactValue {
        guard let rational = value.rationalValue, rational.isInteger else {
            throw ExpressionError(message: "the factorial is only defined here for whole numbers", reason: .unsupported)
        }
        guard rational.signum >= 0 else {
            throw ExpressionError(message: "the factorial of a negative number is undefined", reason: .undefined)
        }
        guard let n = rational.numerator.asInt, n <= NumberTheory.maxFactorialArgument,
            lgamma(Double(n) + 1) / M_LN2 <= Double(ExpressionEvaluator.maxResultBits)
        else { throw ExactArithmetic.tooLarge }
        return try ExactArithmetic.checked(ExactTerm(Rational(NumberTheory.factorial(n)!)))
    }

    static func squareRoot(_ value: ExactValue, text: () -> String) throws(ExpressionError) -> ExactValue {
        if value.signum < 0 {
            throw ExpressionError(
                message: "the square root of a negative number is not a real number", reason: .notReal)
        }
        if case .exact(let term) = value, term.radicand == 1, term.piPower & 1 == 0 {
            let root = SquareRoot(of: term.coefficient)
            return try ExactArithmetic.checked(
                ExactTerm(
                    root.coefficient, radicand: root.radicand,
                    piPower: term.piPower / 2, ePower: term.ePower * Rational(1, 2)))
        }
        return try ExactArithmetic.approximate(value.doubleValue.squareRoot(), text: text)
    }

    static func root(_ n: Int, _ value: ExactValue, text: () -> String) throws(ExpressionError) -> ExactValue {
        if n == 1 { return value }
        if value.signum < 0 && n & 1 == 0 {
            throw ExpressionError(message: "an even root of a negative number is not a real number", reason: .notReal)
        }
        if case .exact(let term) = value, term.radicand == 1, term.piPower % n == 0,
            let root = term.coefficient.exactRoot(n)
        {
            return try ExactArithmetic.checked(
                ExactTerm(
                    root, piPower: term.piPower / n,
                    ePower: term.ePower * Rational(BigInt(1), BigInt(n))))
        }
        let magnitude = pow(Swift.abs(value.doubleValue), 1.0 / Double(n))
        return try ExactArithmetic.approximate(value.signum < 0 ? -magnitude : magnitude, text: text)
    }

    static func naturalLogarithm(_ value: ExactValue, text: () -> String) throws(ExpressionError) -> ExactValue {
        if value.signum <= 0 {
            throw ExpressionError(
                message: "the logarithm of zero or a negative number is undefined", reason: .undefined)
        }
        if case .exact(let term) = value, term.coefficient == .one, term.radicand == 1, term.piPower == 0 {
            return .rational(term.ePower)
        }
        return try ExactArithmetic.approximate(logarithmOfDouble(value), text: text)
    }

    static func logarithm(_ value: ExactValue, base: ExactValue, text: () -> String) throws(ExpressionError)
        -> ExactValue
    {
        if value.signum <= 0 {
            throw ExpressionError(
                message: "the logarithm of zero or a negative number is undefined", reason: .undefined)
        }
        if base.signum <= 0 || base.rationalValue == .one {
            throw ExpressionError(message: "a logarithm base must be positive and not 1", reason: .undefined)
        }
        if let x = value.rationalValue, let b = base.rationalValue, let exact = exactLogarithm(x, base: b) {
            return .rational(exact)
        }
        if case .exact(let x) = value, case .exact(let b) = base, x.coefficient == .one, b.coefficient == .one,
            x.radicand == 1, b.radicand == 1, x.piPower == 0, b.piPower == 0, !b.ePower.isZero
        {
            return .rational(x.ePower.dividing(by: b.ePower)!)
        }
        return try ExactArithmetic.approximate(logarithmOfDouble(value) / logarithmOfDouble(base), text: text)
    }

    /// ln of a positive value, also for exact values beyond Double's range.
    static func logarithmOfDouble(_ value: ExactValue) -> Double {
        let double = value.doubleValue
        if double.isFinite && double > 0 && double.isNormal { return log(double) }
        guard case .exact(let term) = value else { return log(double) }
        let coefficient = term.coefficient
        var result = logOfInteger(coefficient.numerator) - logOfInteger(coefficient.denominator)
        if term.radicand != 1 { result += logOfInteger(term.radicand) / 2 }
        result += Double(term.piPower) * log(Double.pi) + term.ePower.doubleValue
        return result
    }

    private static func logOfInteger(_ n: BigInt) -> Double {
        let shift = max(0, n.bitWidth - 64)
        return log(n.shiftedRight(by: shift).doubleValue) + Double(shift) * M_LN2
    }

    /// log_b(x) as a rational p/q when x^q = b^p exactly (checked with exact arithmetic on the convergents of the
    /// floating-point logarithm); nil otherwise.
    static func exactLogarithm(_ x: Rational, base b: Rational) -> Rational? {
        if x == .one { return .zero }
        if x == b { return .one }
        let estimate = logarithmOfDouble(.rational(x)) / logarithmOfDouble(.rational(b))
        guard estimate.isFinite, Swift.abs(estimate) < 1e6 else { return nil }
        // Continued-fraction convergents h/k of the estimate.
        var (h0, h1) = (0.0, 1.0)
        var (k0, k1) = (1.0, 0.0)
        var remainder = estimate
        let sizeBits = max(
            x.numerator.bitWidth, x.denominator.bitWidth, b.numerator.bitWidth,
            b.denominator.bitWidth)
        for _ in 0..<20 {
            let a = remainder.rounded(.down)
            (h0, h1) = (h1, a * h1 + h0)
            (k0, k1) = (k1, a * k1 + k0)
            guard k1 <= 1_000, Swift.abs(h1) <= 1e6 else { return nil }
            let p = Int(h1)
            let q = Int(k1)
            if q > 0, sizeBits * max(q, Swift.abs(p)) <= 4 * ExpressionEvaluator.maxResultBits,
                let left = x.power(q), let right = b.power(p), left == right
            {
                return Rational(BigInt(p), BigInt(q))
            }
            let fraction = remainder - a
            if fraction < 1e-12 { break }
            remainder = 1 / fraction
        }
        return nil
    }

    /// sin, cos and tan: exact at multiples of π/6 and π/4, otherwise approximate (the argument is in radians).
    static func trigonometric(_ function: MathFunction, _ value: ExactValue, text: () -> String)
        throws(ExpressionError) -> ExactValue
    {
        if case .exact(let term) = value, term.radicand == 1, term.ePower.isZero,
            term.piPower == 1 || term.coefficient.isZero
        {
            // The angle in units of 15° (π/12), when it is a whole number of them.
            let twelfths = term.coefficient * Rational(12)
            if twelfths.isInteger, let units = (twelfths.numerator % 24).asInt {
                let angle = (units + 24) % 24
                let sine = exactSine(angle)
                let cosine = exactSine((angle + 6) % 24)
                switch function {
                case .sin: if let sine { return .exact(sine) }
                case .cos: if let cosine { return .exact(cosine) }
                default:
                    if let sine, let cosine {
                        if cosine.coefficient.isZero {
                            throw ExpressionError(
                                message: "tan is undefined at odd multiples of π/2", reason: .undefined)
                        }
                        return try ExactArithmetic.divide(.exact(sine), .exact(cosine), text: text)
                    }
                }
            }
        }
        let x = value.doubleValue
        switch function {
        case .sin: return try ExactArithmetic.approximate(sin(x), text: text)
        case .cos: return try ExactArithmetic.approximate(cos(x), text: text)
        default: return try ExactArithmetic.approximate(tan(x), text: text)
        }
    }

    /// sin(angle × 15°) for angle in 0..<24 when it has a simple exact form (multiples of 30° and 45°).
    private static func exactSine(_ angle: Int) -> ExactTerm? {
        if angle >= 12 {
            guard let positive = exactSine(angle - 12) else { return nil }
            return ExactTerm(-positive.coefficient, radicand: positive.radicand)
        }
        let reference = angle > 6 ? 12 - angle : angle
        switch reference {
        case 0: return ExactTerm(.zero)
        case 2: return ExactTerm(Rational(1, 2))
        case 3: return ExactTerm(Rational(1, 2), radicand: 2)
        case 4: return ExactTerm(Rational(1, 2), radicand: 3)
        case 6: return ExactTerm(.one)
        default: return nil
        }
    }
}
