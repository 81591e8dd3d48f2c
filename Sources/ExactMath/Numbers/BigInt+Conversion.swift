extension BigInt: CustomStringConvertible {
    /// 10^18, the largest power of ten that fits in one limb with room to spare: the chunk size of decimal text.
    private static let decimalChunk: UInt = 1_000_000_000_000_000_000
    private static let decimalChunkDigits = 18

    /// Parses an optional sign followed by decimal digits only ("-123", "+7", "0042"); nil for anything else.
    public init?(_ decimal: Substring) {
        var utf8 = decimal.utf8[...]
        var negative = false
        if let first = utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            utf8 = utf8.dropFirst()
        }
        guard !utf8.isEmpty, utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        self.init(digits: utf8, negative: negative)
    }

    /// Builds a value from ASCII decimal digits already validated by the caller.
    internal init(digits: Substring.UTF8View.SubSequence, negative: Bool) {
        let count = digits.count
        if count <= BigInt.decimalChunkDigits {
            var value = 0
            for digit in digits { value = value * 10 + Int(digit &- UInt8(ascii: "0")) }
            self.init(negative ? -value : value)
            return
        }
        var limbs = [UInt]()
        limbs.reserveCapacity(count / 19 + 1)
        var index = digits.startIndex
        // The first chunk takes the leftover digits so every later chunk is exactly 18 digits long.
        var chunkLength = count % BigInt.decimalChunkDigits
        if chunkLength == 0 { chunkLength = BigInt.decimalChunkDigits }
        while index < digits.endIndex {
            var chunk: UInt = 0
            var multiplier: UInt = 1
            for _ in 0..<chunkLength {
                chunk = chunk * 10 + UInt(digits[index] &- UInt8(ascii: "0"))
                multiplier *= 10
                index = digits.index(after: index)
            }
            Magnitude.multiplyAdd(&limbs, multiplier, chunk)
            Magnitude.trim(&limbs)
            chunkLength = BigInt.decimalChunkDigits
        }
        self.init(negative: negative, magnitude: limbs)
    }

    /// The value in decimal, with a leading "-" when negative.
    public var description: String {
        switch storage {
        case .small(let value):
            return String(value)
        case .large(let negative, let magnitude):
            var chunks = [UInt]()
            chunks.reserveCapacity(magnitude.count * 64 / 59 + 1)
            var rest = magnitude
            while !rest.isEmpty {
                let (quotient, remainder) = Magnitude.divide(rest, small: BigInt.decimalChunk)
                chunks.append(remainder)
                rest = quotient
            }
            var text = negative ? "-" : ""
            text.reserveCapacity(chunks.count * BigInt.decimalChunkDigits + 1)
            text += String(chunks[chunks.count - 1])
            for chunk in chunks.dropLast().reversed() {
                let digits = String(chunk)
                text += String(repeating: "0", count: BigInt.decimalChunkDigits - digits.count)
                text += digits
            }
            return text
        }
    }

    /// The nearest `Double` (ties to even); ±infinity when the magnitude is beyond `Double`'s range.
    public var doubleValue: Double {
        switch storage {
        case .small(let value):
            return Double(value)
        case .large(let negative, let magnitude):
            let bits = Magnitude.bitWidth(magnitude)
            if bits > 1024 { return negative ? -.infinity : .infinity }
            // Take the top 64 bits, remembering whether anything below them was non-zero.
            let shift = bits - 64
            let top = Magnitude.shiftRight(magnitude, shift)
            var sticky = false
            let fullLimbs = shift / UInt.bitWidth
            for index in 0..<fullLimbs where magnitude[index] != 0 { sticky = true }
            let partialBits = shift % UInt.bitWidth
            if partialBits > 0 && magnitude[fullLimbs] & ((1 << UInt(partialBits)) - 1) != 0 { sticky = true }
            var significand = top[0] >> 11
            let dropped = top[0] & 0x7FF
            let half: UInt = 0x400
            if dropped > half || (dropped == half && (sticky || significand & 1 == 1)) {
                significand += 1
            }
            // significand now holds 53 bits (or 54 after rounding up from all ones).
            let value = Double(significand) * Double(sign: .plus, exponent: shift + 11, significand: 1)
            return negative ? -value : value
        }
    }
}
