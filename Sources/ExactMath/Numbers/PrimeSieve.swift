#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A segmented sieve of Eratosthenes over odd numbers that streams primes in increasing order.
internal enum PrimeSieve {
    /// An upper bound for the n-th prime (n ≥ 1): p_n < n(ln n + ln ln n) for n ≥ 6 (Rosser).
    static func upperBoundForNthPrime(_ n: Int) -> Int {
        if n < 6 { return 13 }
        let x = Double(n)
        return Int(x * (log(x) + log(log(x)))) + 3
    }

    /// Calls `visit` with each prime up to `limit` in increasing order until it returns false.
    static func forEachPrime(upTo limit: Int, _ visit: (Int) -> Bool) {
        guard limit >= 2 else { return }
        if !visit(2) { return }
        guard limit >= 3 else { return }
        let root = Int(Double(limit).squareRoot()) + 1
        // Odd base primes up to √limit, from a small plain sieve.
        var isComposite = [Bool](repeating: false, count: root + 1)
        var basePrimes = [Int]()
        var candidate = 3
        while candidate <= root {
            if !isComposite[candidate] {
                basePrimes.append(candidate)
                var multiple = candidate * candidate
                while multiple <= root {
                    isComposite[multiple] = true
                    multiple += 2 * candidate
                }
            }
            candidate += 2
        }
        // Segments of odd numbers: index i stands for low + 2i.
        let segmentLength = 1 << 15
        var segment = [Bool](repeating: false, count: segmentLength)
        var low = 3
        while low <= limit {
            let high = min(low + 2 * segmentLength - 2, limit | 1)
            let count = (high - low) / 2 + 1
            for index in 0..<count { segment[index] = false }
            for p in basePrimes {
                let square = p * p
                if square > high { break }
                var start = square >= low ? square : ((low + p - 1) / p) * p
                if start & 1 == 0 { start += p }
                var index = (start - low) / 2
                while index < count {
                    segment[index] = true
                    index += p
                }
            }
            for index in 0..<count where !segment[index] {
                let value = low + 2 * index
                if value > limit { return }
                if !visit(value) { return }
            }
            low = high + 2
        }
    }
}
