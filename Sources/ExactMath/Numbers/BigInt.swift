/// An arbitrary-precision signed integer.
///
/// Values that fit in `Int` are stored inline and use overflow-checked machine arithmetic; larger values fall back
/// to a sign and a little-endian array of 64-bit limbs. The representation is canonical (a value that fits in `Int`
/// is always stored inline, limbs never end in zero), so the synthesised `Hashable` conformance is correct.
public struct BigInt: Sendable, Hashable {
    @usableFromInline
    internal enum Storage: Sendable, Hashable {
        /// Any value that fits in `Int`.
        case small(Int)
        /// A value outside `Int`'s range: its sign and magnitude (little-endian limbs, last limb non-zero).
        case large(negative: Bool, magnitude: [UInt])
    }

    @usableFromInline
    internal var storage: Storage

    @inlinable
    internal init(storage: Storage) {
        self.storage = storage
    }

    /// Creates a big integer holding `value`.
    @inlinable
    public init(_ value: Int) {
        storage = .small(value)
    }

    /// Builds a value from a sign and a magnitude, normalising it to the canonical representation.
    internal init(negative: Bool, magnitude: [UInt]) {
        var limbs = magnitude
        Magnitude.trim(&limbs)
        if limbs.isEmpty {
            storage = .small(0)
        } else if limbs.count == 1 {
            let limb = limbs[0]
            if !negative && limb <= UInt(Int.max) {
                storage = .small(Int(limb))
            } else if negative && limb <= UInt(Int.max) + 1 {
                storage = .small(Int(bitPattern: 0 &- limb))
            } else {
                storage = .large(negative: negative, magnitude: limbs)
            }
        } else {
            storage = .large(negative: negative, magnitude: limbs)
        }
    }

    /// The sign (true when negative) and little-endian magnitude limbs of this value; zero has no limbs.
    internal var signAndMagnitude: (negative: Bool, magnitude: [UInt]) {
        switch storage {
        case .small(let value):
            return (value < 0, value == 0 ? [] : [value.magnitude])
        case .large(let negative, let magnitude):
            return (negative, magnitude)
        }
    }

    /// True when the value is zero.
    @inlinable
    public var isZero: Bool {
        if case .small(0) = storage { return true }
        return false
    }

    /// -1 for negative values, 0 for zero, 1 for positive values.
    @inlinable
    public var signum: Int {
        switch storage {
        case .small(let value): return value.signum()
        case .large(let negative, _): return negative ? -1 : 1
        }
    }

    /// The absolute value.
    public var magnitude: BigInt {
        switch storage {
        case .small(let value):
            if value == Int.min { return BigInt(negative: false, magnitude: [value.magnitude]) }
            return BigInt(Swift.abs(value))
        case .large(_, let magnitude):
            return BigInt(storage: .large(negative: false, magnitude: magnitude))
        }
    }

    /// The value as an `Int`, or nil when it does not fit.
    @inlinable
    public var asInt: Int? {
        if case .small(let value) = storage { return value }
        return nil
    }

    /// True when the value is divisible by two.
    public var isEven: Bool {
        switch storage {
        case .small(let value): return value & 1 == 0
        case .large(_, let magnitude): return magnitude[0] & 1 == 0
        }
    }

    /// The number of bits needed to write the magnitude (0 for zero).
    public var bitWidth: Int {
        switch storage {
        case .small(let value):
            return UInt.bitWidth - value.magnitude.leadingZeroBitCount
        case .large(_, let magnitude):
            return Magnitude.bitWidth(magnitude)
        }
    }

    /// The number of trailing zero bits of the magnitude (0 for zero).
    internal var trailingZeroBitCount: Int {
        switch storage {
        case .small(let value):
            return value == 0 ? 0 : value.trailingZeroBitCount
        case .large(_, let magnitude):
            var count = 0
            for limb in magnitude {
                if limb == 0 {
                    count += UInt.bitWidth
                } else {
                    return count + limb.trailingZeroBitCount
                }
            }
            return count
        }
    }
}

extension BigInt: ExpressibleByIntegerLiteral {
    /// Creates a big integer from an integer literal.
    @inlinable
    public init(integerLiteral value: Int) {
        storage = .small(value)
    }
}

extension BigInt: Comparable {
    /// Orders big integers numerically.
    public static func < (lhs: BigInt, rhs: BigInt) -> Bool {
        switch (lhs.storage, rhs.storage) {
        case (.small(let a), .small(let b)):
            return a < b
        case (.small, .large(let negative, _)):
            return !negative
        case (.large(let negative, _), .small):
            return negative
        case (.large(let aNegative, let a), .large(let bNegative, let b)):
            if aNegative != bNegative { return aNegative }
            let order = Magnitude.compare(a, b)
            return aNegative ? order > 0 : order < 0
        }
    }
}
