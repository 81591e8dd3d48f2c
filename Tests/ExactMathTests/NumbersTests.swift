import Testing

@testable import ExactMath

/// A seeded generator so random-operand tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A random big integer of up to `maxLimbs` 64-bit limbs, either sign, biased toward edge-case limbs.
func randomBigInt(_ generator: inout SplitMix64, maxLimbs: Int) -> BigInt {
    let count = Int.random(in: 1...maxLimbs, using: &generator)
    var value: BigInt = 0
    for _ in 0..<count {
        let limb: UInt64
        switch Int.random(in: 0..<6, using: &generator) {
        case 0: limb = UInt64.max
        case 1: limb = 0
        case 2: limb = 1 << 63
        default: limb = generator.next()
        }
        value = value.shiftedLeft(by: 64) + BigInt(Int(limb >> 1)).shiftedLeft(by: 1) + BigInt(Int(limb & 1))
    }
    return Bool.random(using: &generator) ? -value : value
}

@Suite("BigInt")
struct BigIntTests {
    @Test("known powers and factorials print exactly")
    func knownValues() {
        #expect(
            BigInt(2).power(200).description
                == "1606938044258990275541962092341162602522202993782792835301376")
        #expect(NumberTheory.factorial(30)?.description == "265252859812191058636308480000000")
        let thousand = NumberTheory.factorial(1000)!.description
        #expect(thousand.count == 2568)
        #expect(thousand.hasPrefix("402387260077093773543702433923003985719374864210"))
        #expect(thousand.hasSuffix(String(repeating: "0", count: 249)))
        #expect(BigInt(-7).power(3) == -343)
        #expect(BigInt(10).power(40).description == "1" + String(repeating: "0", count: 40))
    }

    @Test("decimal text round-trips through parsing")
    func decimalRoundTrip() {
        var generator = SplitMix64(state: 1)
        for _ in 0..<500 {
            let value = randomBigInt(&generator, maxLimbs: 6)
            #expect(BigInt(Substring(value.description)) == value)
        }
        #expect(BigInt("-0"[...]) == 0)
        #expect(BigInt("+42"[...]) == 42)
        #expect(BigInt("12a"[...]) == nil)
        #expect(BigInt(""[...]) == nil)
        #expect(BigInt("-"[...]) == nil)
        #expect(BigInt("9223372036854775808"[...])!.asInt == nil)
        #expect(BigInt("-9223372036854775808"[...])!.asInt == Int.min)
    }

    @Test("division satisfies a = q·b + r with |r| < |b| and r taking a's sign")
    func divisionIdentity() {
        var generator = SplitMix64(state: 2)
        for _ in 0..<3000 {
            let a = randomBigInt(&generator, maxLimbs: 8)
            var b = randomBigInt(&generator, maxLimbs: 5)
            if b.isZero { b = 3 }
            let (q, r) = a.quotientAndRemainder(dividingBy: b)
            #expect(q * b + r == a)
            #expect(r.magnitude < b.magnitude)
            #expect(r.isZero || r.signum == a.signum)
        }
    }

    @Test("ring identities hold across the small and large representations")
    func ringIdentities() {
        var generator = SplitMix64(state: 3)
        for _ in 0..<2000 {
            let a = randomBigInt(&generator, maxLimbs: 4)
            let b = randomBigInt(&generator, maxLimbs: 4)
            let c = randomBigInt(&generator, maxLimbs: 3)
            #expect((a + b) - b == a)
            #expect(a * (b + c) == a * b + a * c)
            #expect(a * b == b * a)
            #expect(-(-a) == a)
            #expect((a < b) == ((a - b).signum < 0))
        }
    }

    @Test("Karatsuba products agree with distributing over a split operand")
    func largeMultiplication() {
        var generator = SplitMix64(state: 4)
        for _ in 0..<20 {
            let a = randomBigInt(&generator, maxLimbs: 150)
            let b = randomBigInt(&generator, maxLimbs: 150)
            let c = randomBigInt(&generator, maxLimbs: 150)
            #expect(a * (b + c) == a * b + a * c)
            if !b.isZero { #expect((a * b).quotientAndRemainder(dividingBy: b) == (a, 0)) }
        }
    }

    @Test("overflow at the edges of Int moves to limbs and back")
    func intEdges() {
        let max = BigInt(Int.max)
        #expect((max + 1).asInt == nil)
        #expect((max + 1 - 1).asInt == Int.max)
        #expect((-BigInt(Int.min)).description == "9223372036854775808")
        #expect(BigInt(Int.min).magnitude.description == "9223372036854775808")
        #expect((BigInt(Int.min) / -1).description == "9223372036854775808")
        #expect((max * max).description == "85070591730234615847396907784232501249")
        #expect(BigInt(Int.min).quotientAndRemainder(dividingBy: 7) == (BigInt(Int.min / 7), BigInt(Int.min % 7)))
    }

    @Test("gcd, roots and doubles")
    func gcdRootsDoubles() {
        #expect(BigInt.gcd(48, 18) == 6)
        #expect(BigInt.gcd(-48, 18) == 6)
        #expect(BigInt.gcd(0, 0) == 0)
        let big = BigInt(2).power(100) * 3
        #expect(BigInt.gcd(big, BigInt(2).power(90) * 9) == BigInt(2).power(90) * 3)
        #expect(BigInt(144).integerSquareRoot() == 12)
        #expect(BigInt(143).integerSquareRoot() == 11)
        #expect(BigInt(Int.max).integerSquareRoot() == 3_037_000_499)
        let square = BigInt(10).power(40) + 12345
        #expect(square.power(2).integerSquareRoot() == square)
        #expect((square.power(2) - 1).integerSquareRoot() == square - 1)
        #expect(BigInt(-27).integerRoot(3) == (-3, true))
        #expect(BigInt(28).integerRoot(3) == (3, false))
        #expect(BigInt(3).power(150).integerRoot(5) == (BigInt(3).power(30), true))
        #expect(BigInt(2).power(200).doubleValue == 0x1p200)
        #expect((BigInt(2).power(64) + 1).doubleValue == 0x1p64)
        #expect(NumberTheory.factorial(1000)!.doubleValue == .infinity)
        #expect(BigInt(5).power(3, modulo: 13) == 8)
    }
}

@Suite("Rational")
struct RationalTests {
    @Test("decimal literals are exact")
    func decimalsAreExact() {
        let sum = Rational(decimal: "0.1")! + Rational(decimal: "0.2")!
        #expect(sum == Rational(3, 10))
        #expect(
            Rational(decimal: "3.7")! * Rational(decimal: "8.9")! - Rational(decimal: "2.1")!
                == Rational(3083, 100))
        #expect(Rational(decimal: "-0.25") == Rational(-1, 4))
        #expect(Rational(decimal: "1e3") == Rational(1000))
        #expect(Rational(decimal: "2.5E-2") == Rational(1, 40))
        #expect(Rational(decimal: ".5") == Rational(1, 2))
        #expect(Rational(decimal: "12345678901234567890.5")!.description == "24691357802469135781/2")
        #expect(Rational(decimal: ".") == nil)
        #expect(Rational(decimal: "1e") == nil)
        #expect(Rational(decimal: "1.2.3") == nil)
        #expect(Rational(decimal: "1e99999") == nil)
    }

    @Test("normalisation keeps lowest terms and a positive denominator")
    func normalisation() {
        let value = Rational(6, -8)
        #expect(value.numerator == -3 && value.denominator == 4)
        #expect(value.description == "-3/4")
        #expect(Rational(10, 5).description == "2")
        #expect(Rational(1, 3) + Rational(1, 6) == Rational(1, 2))
        #expect(Rational(2, 3).dividing(by: .zero) == nil)
        #expect(Rational.zero.power(-1) == nil)
        #expect(Rational(2, 3).power(-2) == Rational(9, 4))
        #expect(Rational(-8, 27).exactRoot(3) == Rational(-2, 3))
        #expect(Rational(-4).exactRoot(2) == nil)
        #expect(Rational(2).exactRoot(2) == nil)
        #expect(Rational(1, 3) < Rational(1, 2))
    }

    @Test("decimal text rounds half away from zero and trims zeros")
    func decimalText() {
        #expect(Rational(1, 8).decimalString(maxFractionDigits: 6) == "0.125")
        #expect(Rational(2, 3).decimalString(maxFractionDigits: 6) == "0.666667")
        #expect(Rational(3083, 100).decimalString(maxFractionDigits: 6) == "30.83")
        #expect(Rational(-1, 8).decimalString(maxFractionDigits: 2) == "-0.13")
        #expect(Rational(1, 8).decimalString(maxFractionDigits: 2) == "0.13")
        #expect(Rational(5, 2).decimalString(maxFractionDigits: 0) == "3")
        #expect(Rational(-1, 1000).decimalString(maxFractionDigits: 2) == "0")
        #expect(Rational(7).decimalString(maxFractionDigits: 6) == "7")
        #expect(Rational(1, 40).terminatesAsDecimal)
        #expect(!Rational(1, 3).terminatesAsDecimal)
        #expect(Rational(1, 3).doubleValue == 1.0 / 3.0)
    }
}

@Suite("NumberTheory")
struct NumberTheoryTests {
    @Test("primality agrees with a sieve and with known large primes")
    func primality() {
        var sieved = Set<Int>()
        PrimeSieve.forEachPrime(upTo: 20_000) {
            sieved.insert($0); return true
        }
        for n in -5...20_000 { #expect(NumberTheory.isPrime(BigInt(n)) == sieved.contains(n), "\(n)") }
        #expect(NumberTheory.isPrime(BigInt(2).power(61) - 1))
        #expect(NumberTheory.isPrime(BigInt(2).power(127) - 1))
        #expect(!NumberTheory.isPrime(BigInt(2).power(67) - 1))  // 193707721 × 761838257287
        #expect(!NumberTheory.isPrime(BigInt(3_215_031_751)))  // strong pseudoprime to bases 2, 3, 5, 7
        #expect(!NumberTheory.isPrime(BigInt("3825123056546413051"[...])!))  // spsp to bases 2..23
    }

    @Test("the n-th prime and lists of primes")
    func nthPrimes() {
        #expect(NumberTheory.nthPrime(1) == 2)
        #expect(NumberTheory.nthPrime(10) == 29)
        #expect(NumberTheory.nthPrime(1000) == 7919)
        #expect(NumberTheory.nthPrime(100_000) == 1_299_709)
        #expect(NumberTheory.nthPrime(0) == nil)
        #expect(NumberTheory.firstPrimes(10) == [2, 3, 5, 7, 11, 13, 17, 19, 23, 29])
        #expect(NumberTheory.sumOfFirstPrimes(10) == 129)
        #expect(NumberTheory.sumOfFirstPrimes(1000) == 3_682_913)
    }

    @Test("factorisations multiply back to the number and use primes")
    func factorisation() {
        #expect(NumberTheory.factorize(360)!.map { "\($0.prime)^\($0.exponent)" } == ["2^3", "3^2", "5^1"])
        #expect(NumberTheory.factorize(1) == nil)
        #expect(NumberTheory.factorize(-12)!.map(\.prime) == [2, 3])
        var generator = SplitMix64(state: 5)
        var samples: [BigInt] = [BigInt("1000000016000000063"[...])!, BigInt(2).power(67) - 1]
        for _ in 0..<200 { samples.append(randomBigInt(&generator, maxLimbs: 1).magnitude + 2) }
        for n in samples {
            let factors = NumberTheory.factorize(n)!
            let product = factors.reduce(BigInt(1)) { $0 * $1.prime.power($1.exponent) }
            #expect(product == n)
            #expect(factors.allSatisfy { NumberTheory.isPrime($0.prime) })
        }
    }

    @Test("factorials, binomials, permutations and lcm")
    func counting() {
        #expect(NumberTheory.factorial(0) == 1)
        #expect(NumberTheory.factorial(-1) == nil)
        #expect(NumberTheory.factorial(100_001) == nil)
        #expect(NumberTheory.binomial(10, 3) == 120)
        #expect(NumberTheory.binomial(52, 5) == 2_598_960)
        #expect(NumberTheory.binomial(3, 5) == 0)
        #expect(NumberTheory.binomial(100, 50)?.description == "100891344545564193334812497256")
        #expect(NumberTheory.binomial(-1, 2) == nil)
        #expect(NumberTheory.permutations(5, 2) == 20)
        #expect(NumberTheory.permutations(10, 0) == 1)
        #expect(NumberTheory.lcm(4, 6) == 12)
        #expect(NumberTheory.lcm(-4, 6) == 12)
        #expect(NumberTheory.lcm(0, 6) == 0)
    }

    @Test("square roots are simplified to a square-free radicand")
    func squareRoots() {
        let fifty = SquareRoot(of: 50)
        #expect(fifty.coefficient == 5 && fifty.radicand == 2)
        let half = SquareRoot(of: Rational(1, 2))
        #expect(half.coefficient == Rational(1, 2) && half.radicand == 2)
        let square = SquareRoot(of: 144)
        #expect(square.coefficient == 12 && square.radicand == 1)
        let large = SquareRoot(of: Rational(BigInt(10).power(30) * 12))
        #expect(large.coefficient == Rational(BigInt(10).power(15) * 2) && large.radicand == 3)
    }
}
