/// The two conjugate roots p ± q√m (real) or p ± q·i√m (complex) of an irreducible quadratic factor.
struct ConjugatePair: Sendable, Hashable {
    /// The real part p.
    var center: Rational
    /// q > 0.
    var offset: Rational
    /// Square-free m >= 1 (1 only for complex pairs such as −1 ± 2i).
    var radicand: BigInt
    /// True for p ± q·i√m.
    var isComplex: Bool

    /// The two roots as exact text, the "−" one first: ("2 − √3", "2 + √3"), ("(1 − √5)/2", "(1 + √5)/2"),
    /// ("−1 − 2i", "−1 + 2i").
    var texts: (lower: String, upper: String) {
        let denominator = NumberTheory.lcm(center.denominator, offset.denominator)
        let scale = Rational(denominator)
        let whole = (center * scale).numerator
        let coefficient = (offset * scale).numerator
        var irrational = coefficient == 1 ? "" : coefficient.description
        if isComplex { irrational += "i" }
        if radicand != 1 { irrational += "√" + radicand.description }
        var lower: String
        var upper: String
        if whole.isZero {
            lower = Format.minus + irrational
            upper = irrational
            if denominator != 1 {
                lower += "/" + denominator.description
                upper += "/" + denominator.description
            }
        } else {
            let real = Format.unicodeMinus(whole.description)
            lower = real + " − " + irrational
            upper = real + " + " + irrational
            if denominator != 1 {
                lower = "(" + lower + ")/" + denominator.description
                upper = "(" + upper + ")/" + denominator.description
            }
        }
        return (lower, upper)
    }

    /// Decimal approximations of the two roots, the "−" one first.
    var approximations: (lower: String, upper: String) {
        let size = offset.doubleValue * radicand.doubleValue.squareRoot()
        if isComplex {
            let real = center.isZero ? "" : Format.decimal(center.doubleValue) + " "
            let imaginary = Format.decimal(size) + "i"
            return center.isZero
                ? (Format.minus + imaginary, imaginary)
                : (real + "− " + imaginary, real + "+ " + imaginary)
        }
        return (Format.decimal(center.doubleValue - size), Format.decimal(center.doubleValue + size))
    }
}

/// All roots of a polynomial equation, found exactly.
enum PolynomialSolution: Sendable, Equatable {
    /// Every value of the variable satisfies the equation (0 = 0).
    case everyValue
    /// No value satisfies it (a non-zero constant equals zero).
    case noSolution
    /// The roots: rational ones with multiplicities, and conjugate pairs from irreducible quadratic factors.
    case roots(rational: [RationalRoot], pairs: [ConjugatePair])
}

/// A rational root and how many times it repeats.
struct RationalRoot: Sendable, Hashable {
    var value: Rational
    var multiplicity: Int
}

/// Exact roots of polynomials: degree ≤ 2 directly, higher degrees through the rational-root theorem when what is
/// left after removing rational roots has degree ≤ 2.
enum PolynomialRootFinder {
    /// The largest |coefficient| the rational-root search factors (larger ones make the search unreliable).
    static let searchLimit = BigInt(1_000_000_000_000)

    /// All roots of `polynomial` = 0, or nil when they cannot all be found exactly.
    static func solve(_ polynomial: Polynomial) -> PolynomialSolution? {
        if polynomial.isZero { return .everyValue }
        if polynomial.degree == 0 { return .noSolution }
        var rational: [RationalRoot] = []
        var pairs: [ConjugatePair] = []
        var remaining = polynomial
        // Roots at zero.
        var zeroCount = 0
        while remaining.coefficient(0).isZero && remaining.degree > 0 {
            remaining = Polynomial(
                coefficients: Array(remaining.coefficients.dropFirst()), variable: remaining.variable)
            zeroCount += 1
        }
        if zeroCount > 0 { rational.append(RationalRoot(value: .zero, multiplicity: zeroCount)) }
        if remaining.degree > 2 {
            guard let candidates = candidates(for: remaining) else { return nil }
            for candidate in candidates where remaining.degree > 0 {
                var multiplicity = 0
                let factor = Polynomial(coefficients: [-candidate, .one], variable: remaining.variable)
                while remaining.degree > 0, remaining.evaluate(at: candidate).isZero,
                    let division = remaining.divided(by: factor)
                {
                    remaining = division.quotient
                    multiplicity += 1
                }
                if multiplicity > 0 { rational.append(RationalRoot(value: candidate, multiplicity: multiplicity)) }
            }
            if remaining.degree > 2 { return nil }
        }
        switch remaining.degree {
        case 1:
            let root = (-remaining.coefficient(0)).dividing(by: remaining.coefficient(1)) ?? .zero
            merge(root, multiplicity: 1, into: &rational)
        case 2:
            switch quadratic(remaining) {
            case .rational(let first, let second):
                merge(first, multiplicity: 1, into: &rational)
                merge(second, multiplicity: 1, into: &rational)
            case .double(let root):
                merge(root, multiplicity: 2, into: &rational)
            case .pair(let pair):
                pairs.append(pair)
            }
        default:
            break
        }
        rational.sort { $0.value < $1.value }
        return .roots(rational: rational, pairs: pairs)
    }

    /// The roots of a quadratic ax² + bx + c.
    enum QuadraticRoots: Sendable, Equatable {
        case rational(Rational, Rational)
        case double(Rational)
        case pair(ConjugatePair)
    }

    /// b² − 4ac of a quadratic.
    static func discriminant(_ quadratic: Polynomial) -> Rational {
        let a = quadratic.coefficient(2)
        let b = quadratic.coefficient(1)
        let c = quadratic.coefficient(0)
        return b * b - Rational(4) * a * c
    }

    /// Solves a degree-2 polynomial by the quadratic formula.
    static func quadratic(_ quadratic: Polynomial) -> QuadraticRoots {
        let a = quadratic.coefficient(2)
        let b = quadratic.coefficient(1)
        let twoA = Rational(2) * a
        let center = (-b).dividing(by: twoA) ?? .zero
        let delta = discriminant(quadratic)
        if delta.isZero { return .double(center) }
        let root = SquareRoot(of: delta.signum < 0 ? -delta : delta)
        let twoAMagnitude = twoA.signum < 0 ? -twoA : twoA
        let offset = root.coefficient.dividing(by: twoAMagnitude) ?? .zero
        if delta.signum > 0, root.radicand == 1 {
            let first = center - offset
            let second = center + offset
            return .rational(min(first, second), max(first, second))
        }
        return .pair(
            ConjugatePair(center: center, offset: offset, radicand: root.radicand, isComplex: delta.signum < 0))
    }

    /// Candidate rational roots ±p/q (p divides the constant term, q the leading coefficient of the polynomial with
    /// integer coefficients), smallest magnitude first; nil when the coefficients are too large to search.
    static func candidates(for polynomial: Polynomial) -> [Rational]? {
        var scale = BigInt(1)
        for coefficient in polynomial.coefficients {
            scale = NumberTheory.lcm(scale, coefficient.denominator)
        }
        let constant = (polynomial.coefficient(0) * Rational(scale)).numerator.magnitude
        let leading = (polynomial.leadingCoefficient * Rational(scale)).numerator.magnitude
        guard constant <= searchLimit, leading <= searchLimit,
            let numerators = divisors(of: constant), let denominators = divisors(of: leading),
            numerators.count * denominators.count <= 20_000
        else { return nil }
        var seen: Set<Rational> = []
        var values: [Rational] = []
        for p in numerators {
            for q in denominators {
                let value = Rational(p, q)
                if seen.insert(value).inserted { values.append(value) }
            }
        }
        values.sort()
        return values.flatMap { [$0, -$0] }
    }

    /// The positive divisors of n >= 1.
    static func divisors(of n: BigInt) -> [BigInt]? {
        if n == 1 { return [1] }
        guard let factors = NumberTheory.factorize(n) else { return nil }
        var divisors: [BigInt] = [1]
        for (prime, exponent) in factors {
            var next: [BigInt] = []
            for divisor in divisors {
                var power = BigInt(1)
                for _ in 0...exponent {
                    next.append(divisor * power)
                    power *= prime
                }
            }
            divisors = next
        }
        return divisors
    }

    private static func merge(_ value: Rational, multiplicity: Int, into roots: inout [RationalRoot]) {
        if let index = roots.firstIndex(where: { $0.value == value }) {
            roots[index].multiplicity += multiplicity
        } else {
            roots.append(RationalRoot(value: value, multiplicity: multiplicity))
        }
    }
}
