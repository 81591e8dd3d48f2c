/// Miller–Rabin primality testing: machine-word arithmetic below 2^64, big integers above.
internal enum Primality {
    /// The primes below 100, used for quick trial division and as Miller–Rabin witnesses.
    static let smallPrimes: [UInt64] = [
        2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97,
    ]

    /// Witnesses that make Miller–Rabin deterministic below 3.317e24 (the first 13 primes, Sorenson & Webster).
    static let deterministicBases = Array(smallPrimes.prefix(13))

    /// (a × b) mod m without overflow.
    @inline(__always)
    static func multiplyModulo(_ a: UInt64, _ b: UInt64, _ m: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return m.dividingFullWidth((high: product.high, low: product.low)).remainder
    }

    /// (base^exponent) mod m.
    static func powerModulo(_ base: UInt64, _ exponent: UInt64, _ m: UInt64) -> UInt64 {
        var result: UInt64 = 1 % m
        var b = base % m
        var e = exponent
        while e > 0 {
            if e & 1 == 1 { result = multiplyModulo(result, b, m) }
            b = multiplyModulo(b, b, m)
            e >>= 1
        }
        return result
    }

    /// Deterministic primality for any 64-bit value.
    static func isPrime(_ n: UInt64) -> Bool {
        if n < 2 { return false }
        for p in smallPrimes {
            if n == p { return true }
            if n % p == 0 { return false }
        }
        if n < 97 * 97 { return true }
        let shift = (n - 1).trailingZeroBitCount
        let odd = (n - 1) >> UInt64(shift)
        witnessLoop: for base in deterministicBases.prefix(12) {
            var x = powerModulo(base, odd, n)
            if x == 1 || x == n - 1 { continue }
            for _ in 1..<max(shift, 1) {
                x = multiplyModulo(x, x, n)
                if x == n - 1 { continue witnessLoop }
            }
            return false
        }
        return true
    }

    /// Miller–Rabin for n ≥ 2^64 with the given witnesses (strong probable prime for every witness).
    static func isStrongProbablePrime(_ n: BigInt, bases: [UInt64]) -> Bool {
        for p in smallPrimes where (n % BigInt(Int(p))).isZero { return false }
        let nMinusOne = n - 1
        let shift = nMinusOne.trailingZeroBitCount
        let odd = nMinusOne.shiftedRight(by: shift)
        witnessLoop: for base in bases {
            var x = BigInt(Int(base)).power(odd, modulo: n)
            if x == 1 || x == nMinusOne { continue }
            for _ in 1..<max(shift, 1) {
                x = (x * x) % n
                if x == nMinusOne { continue witnessLoop }
            }
            return false
        }
        return true
    }

    /// The value as a UInt64 when it is non-negative and fits.
    static func asUInt64(_ n: BigInt) -> UInt64? {
        switch n.storage {
        case .small(let value): return value >= 0 ? UInt64(value) : nil
        case .large(let negative, let magnitude): return !negative && magnitude.count == 1 ? UInt64(magnitude[0]) : nil
        }
    }

    /// A BigInt from a UInt64.
    static func bigInt(_ value: UInt64) -> BigInt {
        value <= UInt64(Int.max) ? BigInt(Int(value)) : BigInt(negative: false, magnitude: [UInt(value)])
    }
}
