/// Decimal text of machine-word values, written straight into the string's storage: the common case of
/// `Rational.decimalString` without big-integer arithmetic or intermediate strings.
enum DecimalText {
    /// 10^0 through 10^19: every power of ten that fits in a `UInt`.
    static let powersOfTen: [UInt] = {
        var powers: [UInt] = [1]
        for _ in 1...19 { powers.append(powers[powers.count - 1] * 10) }
        return powers
    }()

    /// `scaled / 10^fractionDigits` in decimal: the integer part, then "." and the fraction digits without their
    /// trailing zeros (no point when they are all zero), with a leading ASCII "-" when `negative`.
    /// 3083 (2) -> "30.83", 1500 (3) -> "1.5", 7 (3) -> "0.007", 36 (0) -> "36". Requires `fractionDigits` ≤ 19.
    static func string(negative: Bool, scaled: UInt, fractionDigits: Int) -> String {
        let divisor = powersOfTen[fractionDigits]
        let whole = scaled / divisor
        var fraction = scaled % divisor
        var fractionLength = fraction == 0 ? 0 : fractionDigits
        while fractionLength > 0 && fraction % 10 == 0 {
            fraction /= 10
            fractionLength -= 1
        }
        let wholeLength = digitCount(whole)
        let length = (negative ? 1 : 0) + wholeLength + (fractionLength > 0 ? 1 + fractionLength : 0)
        return String(unsafeUninitializedCapacity: length) { buffer in
            var end = length
            if fractionLength > 0 {
                end = writeDigits(fraction, count: fractionLength, endingAt: end, in: buffer)
                end -= 1
                buffer[end] = UInt8(ascii: ".")
            }
            end = writeDigits(whole, count: wholeLength, endingAt: end, in: buffer)
            if negative { buffer[end - 1] = UInt8(ascii: "-") }
            return length
        }
    }

    /// The number of decimal digits of `value` (1 for zero).
    static func digitCount(_ value: UInt) -> Int {
        var count = 1
        while count < powersOfTen.count && value >= powersOfTen[count] { count += 1 }
        return count
    }

    /// Writes the last `count` decimal digits of `value` (zero-padded) so that they end just before `end`;
    /// returns the index of the first digit written.
    private static func writeDigits(
        _ value: UInt, count: Int, endingAt end: Int, in buffer: UnsafeMutableBufferPointer<UInt8>
    ) -> Int {
        var value = value
        var index = end
        for _ in 0..<count {
            index -= 1
            buffer[index] = UInt8(ascii: "0") + UInt8(value % 10)
            value /= 10
        }
        return index
    }
}
