extension BigInt {
    /// ⌊√self⌋ for self ≥ 0.
    public func integerSquareRoot() -> BigInt {
        precondition(signum >= 0, "square root of a negative number")
        if let value = asInt {
            var root = Int(Double(value).squareRoot())
            // The double estimate can be off by one either way near 2^63; settle it with exact integer checks.
            while root > 0 && root.multipliedReportingOverflow(by: root).overflow { root -= 1 }
            while root * root > value { root -= 1 }
            while true {
                let next = root + 1
                let (square, overflow) = next.multipliedReportingOverflow(by: next)
                if overflow || square > value { break }
                root = next
            }
            return BigInt(root)
        }
        return newtonRoot(2)
    }

    /// The n-th root of |self| rounded toward zero, with the sign kept for odd n, and whether it is exact.
    /// Requires n ≥ 1, and self ≥ 0 when n is even.
    public func integerRoot(_ n: Int) -> (root: BigInt, exact: Bool) {
        precondition(n >= 1, "root index must be at least 1")
        precondition(n & 1 == 1 || signum >= 0, "even root of a negative number")
        if n == 1 { return (self, true) }
        let value = magnitude
        let root = n == 2 ? value.integerSquareRoot() : value.newtonRoot(n)
        let exact = root.power(n) == value
        return (signum < 0 ? -root : root, exact)
    }

    /// ⌊self^(1/n)⌋ for self ≥ 0 by Newton's iteration from an overestimate.
    private func newtonRoot(_ n: Int) -> BigInt {
        if isZero { return 0 }
        let bits = bitWidth
        if bits <= n { return 1 }
        // 2^⌈bits/n⌉ ≥ the root, so the iteration decreases monotonically to the floor.
        var x = BigInt(1).shiftedLeft(by: (bits + n - 1) / n)
        let nBig = BigInt(n)
        let nMinusOne = BigInt(n - 1)
        while true {
            let next = (nMinusOne * x + self / x.power(n - 1)) / nBig
            if next >= x { return x }
            x = next
        }
    }
}
