/// Unsigned arithmetic on little-endian arrays of 64-bit limbs: the engine under `BigInt`'s large representation.
/// Inputs are trimmed (no trailing zero limbs; zero is the empty array) and so are all results.
internal enum Magnitude {
    /// Removes trailing (most significant) zero limbs.
    @inline(__always)
    static func trim(_ limbs: inout [UInt]) {
        while let last = limbs.last, last == 0 { limbs.removeLast() }
    }

    /// The number of significant bits.
    static func bitWidth(_ a: [UInt]) -> Int {
        guard let last = a.last else { return 0 }
        return a.count * UInt.bitWidth - last.leadingZeroBitCount
    }

    /// -1, 0 or 1 as `a` is less than, equal to or greater than `b`.
    static func compare(_ a: [UInt], _ b: [UInt]) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        var index = a.count - 1
        while index >= 0 {
            if a[index] != b[index] { return a[index] < b[index] ? -1 : 1 }
            index -= 1
        }
        return 0
    }

    /// a + b.
    static func add(_ a: [UInt], _ b: [UInt]) -> [UInt] {
        let (long, short) = a.count >= b.count ? (a, b) : (b, a)
        var result = [UInt]()
        result.reserveCapacity(long.count + 1)
        var carry: UInt = 0
        for index in 0..<long.count {
            let (sum1, overflow1) = long[index].addingReportingOverflow(index < short.count ? short[index] : 0)
            let (sum2, overflow2) = sum1.addingReportingOverflow(carry)
            result.append(sum2)
            carry = (overflow1 ? 1 : 0) &+ (overflow2 ? 1 : 0)
        }
        if carry != 0 { result.append(carry) }
        return result
    }

    /// a − b, requiring a ≥ b.
    static func subtract(_ a: [UInt], _ b: [UInt]) -> [UInt] {
        var result = [UInt]()
        result.reserveCapacity(a.count)
        var borrow: UInt = 0
        for index in 0..<a.count {
            let (difference1, overflow1) = a[index].subtractingReportingOverflow(index < b.count ? b[index] : 0)
            let (difference2, overflow2) = difference1.subtractingReportingOverflow(borrow)
            result.append(difference2)
            borrow = (overflow1 ? 1 : 0) &+ (overflow2 ? 1 : 0)
        }
        trim(&result)
        return result
    }

    /// a × b (schoolbook, Karatsuba above a size threshold).
    static func multiply(_ a: [UInt], _ b: [UInt]) -> [UInt] {
        if a.isEmpty || b.isEmpty { return [] }
        if a.count == 1 { return multiply(b, small: a[0]) }
        if b.count == 1 { return multiply(a, small: b[0]) }
        if Swift.min(a.count, b.count) >= karatsubaThreshold { return karatsuba(a, b) }
        return schoolbook(a, b)
    }

    private static let karatsubaThreshold = 48

    private static func schoolbook(_ a: [UInt], _ b: [UInt]) -> [UInt] {
        var result = [UInt](repeating: 0, count: a.count + b.count)
        result.withUnsafeMutableBufferPointer { out in
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    for i in 0..<a.count {
                        let multiplier = a[i]
                        if multiplier == 0 { continue }
                        var carry: UInt = 0
                        for j in 0..<b.count {
                            let product = multiplier.multipliedFullWidth(by: b[j])
                            let (low1, overflow1) = product.low.addingReportingOverflow(out[i + j])
                            let (low2, overflow2) = low1.addingReportingOverflow(carry)
                            out[i + j] = low2
                            carry = product.high &+ (overflow1 ? 1 : 0) &+ (overflow2 ? 1 : 0)
                        }
                        out[i + b.count] = carry
                    }
                }
            }
        }
        trim(&result)
        return result
    }

    private static func karatsuba(_ a: [UInt], _ b: [UInt]) -> [UInt] {
        let half = (Swift.max(a.count, b.count) + 1) / 2
        func split(_ x: [UInt]) -> (low: [UInt], high: [UInt]) {
            if x.count <= half { return (x, []) }
            var low = Array(x[0..<half])
            trim(&low)
            return (low, Array(x[half...]))
        }
        let (a0, a1) = split(a)
        let (b0, b1) = split(b)
        let z0 = multiply(a0, b0)
        let z2 = multiply(a1, b1)
        let z1 = subtract(subtract(multiply(add(a0, a1), add(b0, b1)), z0), z2)
        var result = [UInt](repeating: 0, count: a.count + b.count + 1)
        addInPlace(&result, z0, at: 0)
        addInPlace(&result, z1, at: half)
        addInPlace(&result, z2, at: 2 * half)
        trim(&result)
        return result
    }

    /// result[offset...] += x, where result is long enough to absorb the carry.
    private static func addInPlace(_ result: inout [UInt], _ x: [UInt], at offset: Int) {
        var carry: UInt = 0
        var index = 0
        while index < x.count || carry != 0 {
            let (sum1, overflow1) = result[offset + index].addingReportingOverflow(index < x.count ? x[index] : 0)
            let (sum2, overflow2) = sum1.addingReportingOverflow(carry)
            result[offset + index] = sum2
            carry = (overflow1 ? 1 : 0) &+ (overflow2 ? 1 : 0)
            index += 1
        }
    }

    /// a × m for a single limb m.
    static func multiply(_ a: [UInt], small m: UInt) -> [UInt] {
        if m == 0 || a.isEmpty { return [] }
        var result = [UInt]()
        result.reserveCapacity(a.count + 1)
        var carry: UInt = 0
        for limb in a {
            let product = limb.multipliedFullWidth(by: m)
            let (low, overflow) = product.low.addingReportingOverflow(carry)
            result.append(low)
            carry = product.high &+ (overflow ? 1 : 0)
        }
        if carry != 0 { result.append(carry) }
        return result
    }

    /// a × m + c in place, for single limbs m and c (used by decimal parsing).
    static func multiplyAdd(_ a: inout [UInt], _ m: UInt, _ c: UInt) {
        var carry = c
        for index in 0..<a.count {
            let product = a[index].multipliedFullWidth(by: m)
            let (low, overflow) = product.low.addingReportingOverflow(carry)
            a[index] = low
            carry = product.high &+ (overflow ? 1 : 0)
        }
        if carry != 0 { a.append(carry) }
    }

    /// Quotient and remainder of a by a single non-zero limb d.
    static func divide(_ a: [UInt], small d: UInt) -> (quotient: [UInt], remainder: UInt) {
        var quotient = [UInt](repeating: 0, count: a.count)
        var remainder: UInt = 0
        var index = a.count - 1
        while index >= 0 {
            let (q, r) = d.dividingFullWidth((high: remainder, low: a[index]))
            quotient[index] = q
            remainder = r
            index -= 1
        }
        trim(&quotient)
        return (quotient, remainder)
    }

    /// a << bits.
    static func shiftLeft(_ a: [UInt], _ bits: Int) -> [UInt] {
        if a.isEmpty { return [] }
        let limbShift = bits / UInt.bitWidth
        let bitShift = bits % UInt.bitWidth
        var result = [UInt](repeating: 0, count: a.count + limbShift + 1)
        for index in 0..<a.count {
            if bitShift == 0 {
                result[index + limbShift] = a[index]
            } else {
                result[index + limbShift] |= a[index] << UInt(bitShift)
                result[index + limbShift + 1] = a[index] >> UInt(UInt.bitWidth - bitShift)
            }
        }
        trim(&result)
        return result
    }

    /// a >> bits (truncating).
    static func shiftRight(_ a: [UInt], _ bits: Int) -> [UInt] {
        let limbShift = bits / UInt.bitWidth
        let bitShift = bits % UInt.bitWidth
        if limbShift >= a.count { return [] }
        var result = [UInt](repeating: 0, count: a.count - limbShift)
        for index in 0..<result.count {
            let source = index + limbShift
            if bitShift == 0 {
                result[index] = a[source]
            } else {
                var limb = a[source] >> UInt(bitShift)
                if source + 1 < a.count { limb |= a[source + 1] << UInt(UInt.bitWidth - bitShift) }
                result[index] = limb
            }
        }
        trim(&result)
        return result
    }

    /// Truncating quotient and remainder of a by a non-zero b (Knuth, TAOCP vol. 2, 4.3.1, algorithm D).
    static func divide(_ a: [UInt], _ b: [UInt]) -> (quotient: [UInt], remainder: [UInt]) {
        precondition(!b.isEmpty, "division by zero")
        if compare(a, b) < 0 { return ([], a) }
        if b.count == 1 {
            let (quotient, remainder) = divide(a, small: b[0])
            return (quotient, remainder == 0 ? [] : [remainder])
        }
        // D1: normalise so the divisor's top limb has its high bit set.
        let shift = b[b.count - 1].leadingZeroBitCount
        let v = shiftLeft(b, shift)
        var u = shiftLeft(a, shift)
        while u.count < a.count + 1 { u.append(0) }
        let n = v.count
        let m = u.count - n - 1
        var quotient = [UInt](repeating: 0, count: m + 1)
        let vTop = v[n - 1]
        let vNext = v[n - 2]
        var j = m
        while j >= 0 {
            // D3: estimate the quotient limb from the top two limbs, then correct it with the third.
            let uTop = u[j + n]
            let uNext = u[j + n - 1]
            let uNext2 = u[j + n - 2]
            var qHat: UInt
            var rHat: UInt
            var rHatOverflowed = false
            if uTop >= vTop {
                qHat = UInt.max
                (rHat, rHatOverflowed) = uNext.addingReportingOverflow(vTop)
            } else {
                (qHat, rHat) = vTop.dividingFullWidth((high: uTop, low: uNext))
            }
            while !rHatOverflowed {
                let product = qHat.multipliedFullWidth(by: vNext)
                guard product.high > rHat || (product.high == rHat && product.low > uNext2) else { break }
                qHat -= 1
                (rHat, rHatOverflowed) = rHat.addingReportingOverflow(vTop)
            }
            // D4: multiply and subtract.
            var borrow: UInt = 0
            var carry: UInt = 0
            for i in 0..<n {
                let product = qHat.multipliedFullWidth(by: v[i])
                let (productLow, overflow) = product.low.addingReportingOverflow(carry)
                carry = product.high &+ (overflow ? 1 : 0)
                let (difference1, borrow1) = u[i + j].subtractingReportingOverflow(productLow)
                let (difference2, borrow2) = difference1.subtractingReportingOverflow(borrow)
                u[i + j] = difference2
                borrow = (borrow1 ? 1 : 0) &+ (borrow2 ? 1 : 0)
            }
            let (top1, borrow1) = u[j + n].subtractingReportingOverflow(carry)
            let (top2, borrow2) = top1.subtractingReportingOverflow(borrow)
            u[j + n] = top2
            // D6: the estimate was one too large; add the divisor back.
            if borrow1 || borrow2 {
                qHat -= 1
                var addCarry: UInt = 0
                for i in 0..<n {
                    let (sum1, overflow1) = u[i + j].addingReportingOverflow(v[i])
                    let (sum2, overflow2) = sum1.addingReportingOverflow(addCarry)
                    u[i + j] = sum2
                    addCarry = (overflow1 ? 1 : 0) &+ (overflow2 ? 1 : 0)
                }
                u[j + n] = u[j + n] &+ addCarry
            }
            quotient[j] = qHat
            j -= 1
        }
        trim(&quotient)
        var remainder = Array(u[0..<n])
        trim(&remainder)
        return (quotient, shiftRight(remainder, shift))
    }
}
