/// Integer factorisation: trial division by small primes, then Pollard's rho (Brent's variant) with a work cap.
internal enum Factorization {
    /// Trial division covers every prime below this bound.
    static let trialDivisionLimit = 10_000
    /// The total number of rho iterations spent on one number before giving up.
    static let rhoIterationBudget = 4_000_000

    static let trialPrimes: [Int] = {
        var primes = [Int]()
        PrimeSieve.forEachPrime(upTo: trialDivisionLimit) {
            primes.append($0); return true
        }
        return primes
    }()

    /// The prime factors of n ≥ 2 with multiplicity (unsorted), or nil when the work cap was reached.
    static func primeFactors(of n: BigInt) -> [BigInt]? {
        var factors = [BigInt]()
        var rest = n
        for p in trialPrimes {
            let prime = BigInt(p)
            if prime * prime > rest { break }
            while true {
                let (quotient, remainder) = rest.quotientAndRemainder(dividingBy: prime)
                guard remainder.isZero else { break }
                factors.append(prime)
                rest = quotient
            }
        }
        if rest == 1 { return factors }
        var budget = rhoIterationBudget
        var pending = [rest]
        while let m = pending.popLast() {
            if m < BigInt(trialDivisionLimit) * BigInt(trialDivisionLimit) || NumberTheory.isPrime(m) {
                // Everything below the square of the trial bound with no small factor is prime.
                factors.append(m)
                continue
            }
            guard let divisor = findDivisor(of: m, budget: &budget) else { return nil }
            pending.append(divisor)
            pending.append(m / divisor)
        }
        return factors
    }

    /// A non-trivial divisor of the odd composite m, or nil when the budget runs out.
    private static func findDivisor(of m: BigInt, budget: inout Int) -> BigInt? {
        if let small = Primality.asUInt64(m) {
            for c in 1...UInt64(40) {
                if let divisor = rho64(small, c: c, budget: &budget) { return Primality.bigInt(divisor) }
                if budget <= 0 { return nil }
            }
            return nil
        }
        for c in 1...20 {
            if let divisor = rhoBig(m, c: BigInt(c), budget: &budget) { return divisor }
            if budget <= 0 { return nil }
        }
        return nil
    }

    private static func gcd64(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var (u, v) = (a, b)
        while v != 0 { (u, v) = (v, u % v) }
        return u
    }

    private static func rho64(_ n: UInt64, c: UInt64, budget: inout Int) -> UInt64? {
        func step(_ x: UInt64) -> UInt64 {
            let square = Primality.multiplyModulo(x, x, n)
            let (sum, overflow) = square.addingReportingOverflow(c)
            return overflow || sum >= n ? sum &- n : sum
        }
        var y: UInt64 = 2
        var x: UInt64 = 2
        var saved: UInt64 = 2
        var q: UInt64 = 1
        var g: UInt64 = 1
        var r = 1
        let batch = 64
        while g == 1 {
            x = y
            for _ in 0..<r { y = step(y) }
            var k = 0
            while k < r && g == 1 {
                saved = y
                for _ in 0..<min(batch, r - k) {
                    y = step(y)
                    q = Primality.multiplyModulo(q, x > y ? x - y : y - x, n)
                }
                g = gcd64(q, n)
                k += batch
                budget -= batch
                if budget <= 0 && g == 1 { return nil }
            }
            r *= 2
        }
        if g == n {
            repeat {
                saved = step(saved)
                g = gcd64(x > saved ? x - saved : saved - x, n)
            } while g == 1
        }
        return g == n ? nil : g
    }

    private static func rhoBig(_ n: BigInt, c: BigInt, budget: inout Int) -> BigInt? {
        func step(_ x: BigInt) -> BigInt { (x * x + c) % n }
        var y: BigInt = 2
        var x: BigInt = 2
        var saved: BigInt = 2
        var q: BigInt = 1
        var g: BigInt = 1
        var r = 1
        let batch = 64
        while g == 1 {
            x = y
            for _ in 0..<r { y = step(y) }
            var k = 0
            while k < r && g == 1 {
                saved = y
                for _ in 0..<min(batch, r - k) {
                    y = step(y)
                    q = (q * (x - y).magnitude) % n
                }
                g = BigInt.gcd(q, n)
                k += batch
                budget -= batch * 32
                if budget <= 0 && g == 1 { return nil }
            }
            r *= 2
        }
        if g == n {
            repeat {
                saved = step(saved)
                g = BigInt.gcd((x - saved).magnitude, n)
            } while g == 1
        }
        return g == n ? nil : g
    }
}
