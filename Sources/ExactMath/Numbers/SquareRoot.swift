/// √(q) written as coefficient·√radicand with radicand a square-free integer (1 when q is a perfect square).
public struct SquareRoot: Sendable, Hashable {
    /// The rational factor in front of the root: √50 has coefficient 5.
    public let coefficient: Rational
    /// The square-free integer under the root: √50 has radicand 2; 1 when the root is rational.
    public let radicand: BigInt

    /// Simplifies √value for value ≥ 0: √(a/b) = √(ab)/b, then square factors are pulled out of ab.
    /// For huge ab whose factorisation is out of reach, square factors with primes below 10⁴ and a perfect-square
    /// remainder are still pulled out; a larger repeated prime could then stay under the root.
    public init(of value: Rational) {
        precondition(value.signum >= 0, "square root of a negative number")
        if value.isZero {
            coefficient = .zero
            radicand = 1
            return
        }
        let product = value.numerator * value.denominator
        let (outside, inside) = SquareRoot.splitSquareFactor(product)
        coefficient = Rational(outside, value.denominator)
        radicand = inside
    }

    /// Builds a root from parts the caller already simplified.
    public init(coefficient: Rational, radicand: BigInt) {
        self.coefficient = coefficient
        self.radicand = radicand
    }

    /// True when the root is rational (radicand 1).
    public var isRational: Bool { radicand == 1 }

    /// The nearest double to coefficient·√radicand.
    public var doubleValue: Double {
        coefficient.doubleValue * radicand.doubleValue.squareRoot()
    }

    /// n = outside² × inside with inside square-free (as far as factorisation allows).
    internal static func splitSquareFactor(_ n: BigInt) -> (outside: BigInt, inside: BigInt) {
        let root = n.integerSquareRoot()
        if root * root == n { return (root, 1) }
        if n.bitWidth <= 128, let factors = NumberTheory.factorize(n) {
            var outside: BigInt = 1
            var inside: BigInt = 1
            for (prime, exponent) in factors {
                outside *= prime.power(exponent / 2)
                if exponent & 1 == 1 { inside *= prime }
            }
            return (outside, inside)
        }
        var outside: BigInt = 1
        var rest = n
        for p in Factorization.trialPrimes {
            let prime = BigInt(p)
            let square = prime * prime
            if square > rest { break }
            while true {
                let (quotient, remainder) = rest.quotientAndRemainder(dividingBy: square)
                guard remainder.isZero else { break }
                outside *= prime
                rest = quotient
            }
        }
        let restRoot = rest.integerSquareRoot()
        if restRoot * restRoot == rest { return (outside * restRoot, 1) }
        return (outside, rest)
    }
}
