extension Rational {
    /// The largest decimal exponent accepted in scientific notation ("1e30000"); beyond it parsing fails.
    public static let maxDecimalExponent = 30_000

    /// Parses a plain or scientific decimal exactly: "3.7" is 37/10, "-0.25", "12", "1e3", "2.5E-2", ".5", "5.".
    /// Nil for anything else (including an exponent beyond ``maxDecimalExponent``).
    public init?(decimal: Substring) {
        let bytes = decimal.utf8
        var index = bytes.startIndex
        var negative = false
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index = bytes.index(after: index)
        }
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let integerStart = index
        while index < bytes.endIndex, isDigit(bytes[index]) { index = bytes.index(after: index) }
        let integerDigits = bytes[integerStart..<index]
        var fractionDigits = bytes[index..<index]
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: ".") {
            index = bytes.index(after: index)
            let fractionStart = index
            while index < bytes.endIndex, isDigit(bytes[index]) { index = bytes.index(after: index) }
            fractionDigits = bytes[fractionStart..<index]
        }
        guard !integerDigits.isEmpty || !fractionDigits.isEmpty else { return nil }
        var exponent = 0
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index = bytes.index(after: index)
            var exponentNegative = false
            if index < bytes.endIndex, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index = bytes.index(after: index)
            }
            let exponentStart = index
            while index < bytes.endIndex, isDigit(bytes[index]) {
                exponent = exponent * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                guard exponent <= Rational.maxDecimalExponent else { return nil }
                index = bytes.index(after: index)
            }
            guard index > exponentStart else { return nil }
            if exponentNegative { exponent = -exponent }
        }
        guard index == bytes.endIndex else { return nil }
        let mantissa: BigInt
        if integerDigits.count + fractionDigits.count <= 18 {
            var value = 0
            for byte in integerDigits { value = value * 10 + Int(byte &- UInt8(ascii: "0")) }
            for byte in fractionDigits { value = value * 10 + Int(byte &- UInt8(ascii: "0")) }
            mantissa = BigInt(negative ? -value : value)
        } else {
            let text = Substring(String(decoding: Array(integerDigits) + Array(fractionDigits), as: UTF8.self))
            mantissa = BigInt(digits: text.utf8[...], negative: negative)
        }
        let scale = exponent - fractionDigits.count
        if scale >= 0 {
            self.init(mantissa * BigInt(10).power(scale))
        } else {
            self.init(mantissa, BigInt(10).power(-scale))
        }
    }

    /// True when the value has a finite decimal expansion: the denominator has no prime factors other than 2 and 5.
    public var terminatesAsDecimal: Bool { terminatingFractionDigits != nil }

    /// The number of fraction digits of the exact decimal expansion, or nil when it does not terminate.
    internal var terminatingFractionDigits: Int? {
        if case .small(let bottom) = denominator.storage {
            // The same count in machine arithmetic (the denominator is positive).
            let twos = bottom.trailingZeroBitCount
            var rest = bottom >> twos
            var fives = 0
            while rest % 5 == 0 {
                rest /= 5
                fives += 1
            }
            return rest == 1 ? Swift.max(twos, fives) : nil
        }
        let twos = denominator.trailingZeroBitCount
        var rest = denominator.shiftedRight(by: twos)
        var fives = 0
        let five = BigInt(5)
        while true {
            let (quotient, remainder) = rest.quotientAndRemainder(dividingBy: five)
            if !remainder.isZero { break }
            rest = quotient
            fives += 1
        }
        return rest == 1 ? Swift.max(twos, fives) : nil
    }

    /// Decimal text rounded half-away-from-zero to at most `maxFractionDigits`, trailing zeros trimmed, exact
    /// when it terminates within the limit: 1/8 -> "0.125", 2/3 (6) -> "0.666667", 30.83 -> "30.83".
    /// Negative values start with an ASCII "-"; a value that rounds to zero prints as "0".
    public func decimalString(maxFractionDigits: Int) -> String {
        var digits = Swift.max(0, maxFractionDigits)
        if let exactDigits = terminatingFractionDigits, exactDigits < digits { digits = exactDigits }
        if let text = machineWordDecimalString(fractionDigits: digits) { return text }
        let scaled = numerator.magnitude * BigInt(10).power(digits)
        var (quotient, remainder) = scaled.quotientAndRemainder(dividingBy: denominator)
        if remainder.shiftedLeft(by: 1) >= denominator { quotient += 1 }
        var text = quotient.description
        if digits > 0 {
            if text.count <= digits { text = String(repeating: "0", count: digits + 1 - text.count) + text }
            let pointIndex = text.index(text.endIndex, offsetBy: -digits)
            var fraction = text[pointIndex...]
            while fraction.last == "0" { fraction = fraction.dropLast() }
            text = fraction.isEmpty ? String(text[..<pointIndex]) : String(text[..<pointIndex]) + "." + fraction
        }
        if numerator.signum < 0 && !quotient.isZero { text = "-" + text }
        return text
    }

    /// `decimalString` for values whose numerator, scaled by 10^fractionDigits, fits in a `UInt`: the same text
    /// computed in machine arithmetic; nil when it does not fit.
    private func machineWordDecimalString(fractionDigits digits: Int) -> String? {
        guard digits < DecimalText.powersOfTen.count, let top = numerator.asInt, let bottom = denominator.asInt
        else { return nil }
        let (scaled, overflow) = top.magnitude.multipliedReportingOverflow(by: DecimalText.powersOfTen[digits])
        guard !overflow else { return nil }
        let divisor = UInt(bottom)
        var quotient = scaled / divisor
        // remainder < divisor ≤ Int.max, so doubling it cannot overflow; a divisor of 1 leaves no remainder.
        if (scaled % divisor) << 1 >= divisor { quotient += 1 }
        return DecimalText.string(negative: top < 0 && quotient != 0, scaled: quotient, fractionDigits: digits)
    }
}
