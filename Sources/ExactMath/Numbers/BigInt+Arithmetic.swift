extension BigInt {
    /// The sum of two big integers.
    @inlinable
    public static func + (a: BigInt, b: BigInt) -> BigInt {
        if case .small(let x) = a.storage, case .small(let y) = b.storage {
            let (sum, overflow) = x.addingReportingOverflow(y)
            if !overflow { return BigInt(sum) }
        }
        return slowAdd(a, b)
    }

    /// The difference of two big integers.
    @inlinable
    public static func - (a: BigInt, b: BigInt) -> BigInt {
        if case .small(let x) = a.storage, case .small(let y) = b.storage {
            let (difference, overflow) = x.subtractingReportingOverflow(y)
            if !overflow { return BigInt(difference) }
        }
        return slowAdd(a, -b)
    }

    /// The product of two big integers.
    @inlinable
    public static func * (a: BigInt, b: BigInt) -> BigInt {
        if case .small(let x) = a.storage, case .small(let y) = b.storage {
            let (product, overflow) = x.multipliedReportingOverflow(by: y)
            if !overflow { return BigInt(product) }
        }
        return slowMultiply(a, b)
    }

    /// The negation of a big integer.
    @inlinable
    public static prefix func - (a: BigInt) -> BigInt {
        if case .small(let x) = a.storage, x != Int.min { return BigInt(-x) }
        return slowNegate(a)
    }

    /// Adds `b` to `a`.
    @inlinable
    public static func += (a: inout BigInt, b: BigInt) { a = a + b }

    /// Subtracts `b` from `a`.
    @inlinable
    public static func -= (a: inout BigInt, b: BigInt) { a = a - b }

    /// Multiplies `a` by `b`.
    @inlinable
    public static func *= (a: inout BigInt, b: BigInt) { a = a * b }

    @usableFromInline
    internal static func slowAdd(_ a: BigInt, _ b: BigInt) -> BigInt {
        let (aNegative, aMagnitude) = a.signAndMagnitude
        let (bNegative, bMagnitude) = b.signAndMagnitude
        if aNegative == bNegative {
            return BigInt(negative: aNegative, magnitude: Magnitude.add(aMagnitude, bMagnitude))
        }
        let order = Magnitude.compare(aMagnitude, bMagnitude)
        if order == 0 { return 0 }
        if order > 0 {
            return BigInt(negative: aNegative, magnitude: Magnitude.subtract(aMagnitude, bMagnitude))
        }
        return BigInt(negative: bNegative, magnitude: Magnitude.subtract(bMagnitude, aMagnitude))
    }

    @usableFromInline
    internal static func slowMultiply(_ a: BigInt, _ b: BigInt) -> BigInt {
        let (aNegative, aMagnitude) = a.signAndMagnitude
        let (bNegative, bMagnitude) = b.signAndMagnitude
        return BigInt(negative: aNegative != bNegative, magnitude: Magnitude.multiply(aMagnitude, bMagnitude))
    }

    @usableFromInline
    internal static func slowNegate(_ a: BigInt) -> BigInt {
        let (negative, magnitude) = a.signAndMagnitude
        return BigInt(negative: !negative && !magnitude.isEmpty, magnitude: magnitude)
    }

    /// Truncating division: `self == quotient * d + remainder`, `|remainder| < |d|`, and the remainder takes the sign
    /// of `self`. Requires `d != 0`.
    public func quotientAndRemainder(dividingBy d: BigInt) -> (quotient: BigInt, remainder: BigInt) {
        precondition(!d.isZero, "BigInt division by zero")
        if case .small(let x) = storage, case .small(let y) = d.storage, !(x == Int.min && y == -1) {
            let (quotient, remainder) = x.quotientAndRemainder(dividingBy: y)
            return (BigInt(quotient), BigInt(remainder))
        }
        let (aNegative, aMagnitude) = signAndMagnitude
        let (bNegative, bMagnitude) = d.signAndMagnitude
        let (quotient, remainder) = Magnitude.divide(aMagnitude, bMagnitude)
        return (
            BigInt(negative: aNegative != bNegative, magnitude: quotient),
            BigInt(negative: aNegative, magnitude: remainder)
        )
    }

    /// The truncating quotient (`d != 0`).
    public static func / (a: BigInt, d: BigInt) -> BigInt {
        a.quotientAndRemainder(dividingBy: d).quotient
    }

    /// The truncating remainder, with the sign of `a` (`d != 0`).
    public static func % (a: BigInt, d: BigInt) -> BigInt {
        a.quotientAndRemainder(dividingBy: d).remainder
    }

    /// The value shifted left by `bits` (multiplied by 2^bits).
    public func shiftedLeft(by bits: Int) -> BigInt {
        precondition(bits >= 0)
        if bits == 0 || isZero { return self }
        if case .small(let x) = storage, bits < Int.bitWidth - 1 {
            let shifted = x << bits
            if shifted >> bits == x { return BigInt(shifted) }
        }
        let (negative, magnitude) = signAndMagnitude
        return BigInt(negative: negative, magnitude: Magnitude.shiftLeft(magnitude, bits))
    }

    /// The magnitude shifted right by `bits` with the sign kept (truncates toward zero).
    public func shiftedRight(by bits: Int) -> BigInt {
        precondition(bits >= 0)
        if bits == 0 { return self }
        if case .small(let x) = storage {
            // |x| >> bits is below 2^63 for bits ≥ 1, so the result fits in `Int`.
            let shifted = bits >= UInt.bitWidth ? 0 : Int(x.magnitude >> UInt(bits))
            return BigInt(x < 0 ? -shifted : shifted)
        }
        let (negative, magnitude) = signAndMagnitude
        return BigInt(negative: negative, magnitude: Magnitude.shiftRight(magnitude, bits))
    }

    /// `self` raised to a non-negative power.
    public func power(_ exponent: Int) -> BigInt {
        precondition(exponent >= 0, "negative exponent")
        if exponent == 0 { return 1 }
        if case .small(let x) = storage {
            if x == 0 || x == 1 { return self }
            if x == -1 { return exponent & 1 == 0 ? 1 : -1 }
            if x == 2 && exponent < Int.bitWidth - 1 { return BigInt(1 << exponent) }
            if x.magnitude.nonzeroBitCount == 1 {
                let bits = x.magnitude.trailingZeroBitCount * exponent
                let result = BigInt(1).shiftedLeft(by: bits)
                return x < 0 && exponent & 1 == 1 ? -result : result
            }
        }
        var result: BigInt = 1
        var base = self
        var remaining = exponent
        while true {
            if remaining & 1 == 1 { result *= base }
            remaining >>= 1
            if remaining == 0 { break }
            base *= base
        }
        return result
    }

    /// The greatest common divisor of `a` and `b`, never negative; gcd(0, 0) == 0.
    public static func gcd(_ a: BigInt, _ b: BigInt) -> BigInt {
        if case .small(let x) = a.storage, case .small(let y) = b.storage {
            var u = x.magnitude
            var v = y.magnitude
            while v != 0 { (u, v) = (v, u % v) }
            return u <= UInt(Int.max) ? BigInt(Int(u)) : BigInt(negative: false, magnitude: [u])
        }
        var u = a.magnitude
        var v = b.magnitude
        while !v.isZero {
            if case .small = u.storage, case .small = v.storage { return gcd(u, v) }
            (u, v) = (v, u.quotientAndRemainder(dividingBy: v).remainder)
        }
        return u
    }

    /// (self^exponent) mod modulus for exponent ≥ 0 and modulus > 0; the result is in 0..<modulus.
    public func power(_ exponent: BigInt, modulo modulus: BigInt) -> BigInt {
        precondition(exponent.signum >= 0 && modulus.signum > 0)
        var result: BigInt = 1 % modulus
        var base = self % modulus
        if base.signum < 0 { base += modulus }
        let (_, bits) = exponent.signAndMagnitude
        for limbIndex in 0..<bits.count {
            var limb = bits[limbIndex]
            let limbBits = limbIndex == bits.count - 1 ? UInt.bitWidth - limb.leadingZeroBitCount : UInt.bitWidth
            for _ in 0..<limbBits {
                if limb & 1 == 1 { result = (result * base) % modulus }
                base = (base * base) % modulus
                limb >>= 1
            }
        }
        return result
    }
}
