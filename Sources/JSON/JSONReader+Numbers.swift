extension JSONReader {
    /// Reads `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    mutating func readNumber() throws(JSONError) -> JSONNumber {
        let start = position
        let negative = bytes[position] == UInt8(ascii: "-")
        if negative { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else {
            throw JSONError("expected a digit after '-'", offset: position)
        }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if position < bytes.count, isDigit(bytes[position]) {
                throw JSONError("leading zeros are not allowed", offset: start)
            }
        } else {
            skipDigits()
        }
        let integerEnd = position
        var isInteger = true
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw JSONError("expected a digit after the decimal point", offset: position)
            }
            skipDigits()
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw JSONError("expected a digit in the exponent", offset: position)
            }
            skipDigits()
        }
        if isInteger {
            if negative, integerEnd - start == 2, bytes[start + 1] == UInt8(ascii: "0") {
                return .double(-0.0)
            }
            if let integer = exactInteger(from: negative ? start + 1 : start, to: integerEnd, negative: negative) {
                return .integer(integer)
            }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw JSONError("number out of range", offset: start)
        }
        return .double(value)
    }

    /// The digits in `from..<to` as an `Int64`, or `nil` when they overflow it.
    private func exactInteger(from: Int, to: Int, negative: Bool) -> Int64? {
        var value: Int64 = 0
        for offset in from..<to {
            let digit = Int64(bytes[offset] &- UInt8(ascii: "0"))
            let (shifted, overflowMultiply) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowAdd) =
                negative
                ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            if overflowMultiply || overflowAdd { return nil }
            value = next
        }
        return value
    }

    private mutating func skipDigits() {
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }
}
