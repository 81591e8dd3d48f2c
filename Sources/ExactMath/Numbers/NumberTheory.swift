/// Primes, factorisation, factorials and counting functions on big integers.
public enum NumberTheory {
    /// The largest n accepted by ``nthPrime(_:)`` and ``sumOfFirstPrimes(_:)``.
    public static let maxPrimeIndex = 10_000_000
    /// The largest count ``firstPrimes(_:)`` will list.
    public static let maxPrimeListCount = 1_000_000
    /// The largest n accepted by ``factorial(_:)``.
    public static let maxFactorialArgument = 100_000
    /// Binomials and permutations are refused when k × bitWidth(n) exceeds this (the result would be enormous).
    public static let maxCountingWork = 400_000

    /// Whether n is prime: deterministic Miller–Rabin below 3.3e24; above that, a strong probable-prime test with
    /// the first 20 prime bases (no counterexample is known). Negative numbers, 0 and 1 are not prime.
    public static func isPrime(_ n: BigInt) -> Bool {
        if n.signum <= 0 { return false }
        if let small = Primality.asUInt64(n) { return Primality.isPrime(small) }
        return Primality.isStrongProbablePrime(n, bases: Array(Primality.smallPrimes.prefix(20)))
    }

    /// The n-th prime, counting 2 as the first; nil for n < 1 or n > ``maxPrimeIndex``.
    public static func nthPrime(_ n: Int) -> BigInt? {
        guard n >= 1, n <= maxPrimeIndex else { return nil }
        var seen = 0
        var found = 0
        PrimeSieve.forEachPrime(upTo: PrimeSieve.upperBoundForNthPrime(n)) { prime in
            seen += 1
            if seen == n {
                found = prime
                return false
            }
            return true
        }
        return BigInt(found)
    }

    /// The first `count` primes in increasing order; empty when count < 1 or count > ``maxPrimeListCount``.
    public static func firstPrimes(_ count: Int) -> [BigInt] {
        guard count >= 1, count <= maxPrimeListCount else { return [] }
        var primes = [BigInt]()
        primes.reserveCapacity(count)
        PrimeSieve.forEachPrime(upTo: PrimeSieve.upperBoundForNthPrime(count)) { prime in
            primes.append(BigInt(prime))
            return primes.count < count
        }
        return primes
    }

    /// The sum of the first `count` primes; nil when count < 1 or count > ``maxPrimeIndex``.
    public static func sumOfFirstPrimes(_ count: Int) -> BigInt? {
        guard count >= 1, count <= maxPrimeIndex else { return nil }
        var sum = 0
        var seen = 0
        PrimeSieve.forEachPrime(upTo: PrimeSieve.upperBoundForNthPrime(count)) { prime in
            sum += prime
            seen += 1
            return seen < count
        }
        return BigInt(sum)
    }

    /// The prime factorisation of |n| in increasing order of primes, e.g. 360 → [(2, 3), (3, 2), (5, 1)].
    /// Nil when |n| < 2, or when the number has two large prime factors that Pollard's rho cannot separate
    /// within its work cap (it gives up rather than hang).
    public static func factorize(_ n: BigInt) -> [(prime: BigInt, exponent: Int)]? {
        let value = n.magnitude
        guard value >= 2, let factors = Factorization.primeFactors(of: value) else { return nil }
        var result = [(prime: BigInt, exponent: Int)]()
        for prime in factors.sorted() {
            if let last = result.last, last.prime == prime {
                result[result.count - 1].exponent += 1
            } else {
                result.append((prime, 1))
            }
        }
        return result
    }

    /// n! for 0 ≤ n ≤ ``maxFactorialArgument``; nil otherwise.
    public static func factorial(_ n: Int) -> BigInt? {
        guard n >= 0, n <= maxFactorialArgument else { return nil }
        if n < 2 { return 1 }
        return product(from: 2, through: n)
    }

    /// The number of ways to choose k items from n (nCr): 0 when k > n; nil when n or k is negative or the
    /// result would be enormous (see ``maxCountingWork``).
    public static func binomial(_ n: BigInt, _ k: BigInt) -> BigInt? {
        guard n.signum >= 0, k.signum >= 0 else { return nil }
        if k > n { return 0 }
        let smaller = min(k, n - k)
        guard let count = smaller.asInt, count <= maxCountingWork / max(n.bitWidth, 1) else { return nil }
        var result: BigInt = 1
        let offset = n - smaller
        for index in stride(from: 1, through: count, by: 1) {
            // After this step result == C(offset + index, index), always an integer.
            result = (result * (offset + BigInt(index))) / BigInt(index)
        }
        return result
    }

    /// The number of ordered arrangements of k items taken from n (nPr): 0 when k > n; nil when n or k is
    /// negative or the result would be enormous (see ``maxCountingWork``).
    public static func permutations(_ n: BigInt, _ k: BigInt) -> BigInt? {
        guard n.signum >= 0, k.signum >= 0 else { return nil }
        if k > n { return 0 }
        guard let count = k.asInt, count <= maxCountingWork / max(n.bitWidth, 1) else { return nil }
        var result: BigInt = 1
        var factor = n
        for _ in stride(from: 0, to: count, by: 1) {
            result *= factor
            factor -= 1
        }
        return result
    }

    /// The least common multiple, never negative; lcm(0, x) == 0.
    public static func lcm(_ a: BigInt, _ b: BigInt) -> BigInt {
        if a.isZero || b.isZero { return 0 }
        return (a / BigInt.gcd(a, b) * b).magnitude
    }

    /// low × (low+1) × … × high by binary splitting, so the big multiplications are balanced.
    private static func product(from low: Int, through high: Int) -> BigInt {
        if high - low < 16 {
            var result: BigInt = 1
            var chunk = 1
            for factor in low...high {
                let (next, overflow) = chunk.multipliedReportingOverflow(by: factor)
                if overflow {
                    result *= BigInt(chunk)
                    chunk = factor
                } else {
                    chunk = next
                }
            }
            return result * BigInt(chunk)
        }
        let middle = (low + high) / 2
        return product(from: low, through: middle) * product(from: middle + 1, through: high)
    }
}
