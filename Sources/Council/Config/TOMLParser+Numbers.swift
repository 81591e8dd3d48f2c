/// Integers (decimal, `0x`, `0o`, `0b`) and floats (fraction, exponent, `inf`, `nan`); dates and times share
/// their first characters, so this file also finds where such a value ends and hands dates on.
extension TOMLParser {
    /// Reads the integer, float, date or time at the cursor.
    mutating func parseNumberOrDate() throws(TOMLSyntaxError) -> TOMLNode {
        let start = scanner.position
        var end = tokenEnd(from: start)
        // A date and a time may be separated by a space: "1979-05-27 07:32:00".
        if end - start == 10, Self.looksLikeDate(scanner.bytes[start..<end]), end + 3 < scanner.bytes.count,
            scanner.bytes[end] == TOMLByte.space, Self.looksLikeTime(scanner.bytes[(end + 1)...])
        {
            end = tokenEnd(from: end + 1)
        }
        scanner.position = end
        let token = scanner.bytes[start..<end]
        if Self.looksLikeDate(token) || Self.looksLikeTime(token) { return try parseDateOrTime(token) }
        return try parseNumber(token)
    }

    /// The end of the run of characters that can belong to a number, date or time.
    private func tokenEnd(from start: Int) -> Int {
        var end = start
        while end < scanner.bytes.count {
            switch scanner.bytes[end] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"), UInt8(ascii: "+"), UInt8(ascii: "-"),
                UInt8(ascii: "."), UInt8(ascii: ":"):
                end += 1
            default:
                return end
            }
        }
        return end
    }

    private func parseNumber(_ token: ArraySlice<UInt8>) throws(TOMLSyntaxError) -> TOMLNode {
        var unsigned = token
        let sign = token.first == UInt8(ascii: "+") || token.first == UInt8(ascii: "-") ? token.first : nil
        if sign != nil { unsigned = unsigned.dropFirst() }
        let negative = sign == UInt8(ascii: "-")
        if unsigned.elementsEqual("inf".utf8) { return .float(negative ? -.infinity : .infinity) }
        if unsigned.elementsEqual("nan".utf8) { return .float(negative ? -.nan : .nan) }
        if unsigned.count >= 2, unsigned.first == UInt8(ascii: "0"),
            let (radix, name) = Self.radix(prefix: unsigned[unsigned.startIndex + 1])
        {
            guard sign == nil else { throw invalidNumber(token, "\(name) integer cannot have a sign") }
            return .integer(try radixInteger(unsigned.dropFirst(2), radix: radix, token: token))
        }
        if unsigned.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            return .float(try float(unsigned, token: token))
        }
        return .integer(try decimalInteger(unsigned, negative: negative, token: token))
    }

    private func decimalInteger(
        _ digits: ArraySlice<UInt8>, negative: Bool, token: ArraySlice<UInt8>
    ) throws(TOMLSyntaxError) -> Int {
        try checkDigitGroups(digits, radix: 10, token: token)
        try checkNoLeadingZero(digits, token: token)
        var value = 0
        for byte in digits where byte != UInt8(ascii: "_") {
            let digit = Int(byte - UInt8(ascii: "0"))
            let (shifted, overflowShift) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowAdd) =
                negative
                ? shifted.subtractingReportingOverflow(digit)
                : shifted.addingReportingOverflow(digit)
            guard !overflowShift && !overflowAdd else { throw invalidNumber(token, "it does not fit in 64 bits") }
            value = next
        }
        return value
    }

    private func radixInteger(
        _ digits: ArraySlice<UInt8>, radix: Int, token: ArraySlice<UInt8>
    ) throws(TOMLSyntaxError) -> Int {
        try checkDigitGroups(digits, radix: radix, token: token)
        var value = 0
        for byte in digits where byte != UInt8(ascii: "_") {
            let (shifted, overflowShift) = value.multipliedReportingOverflow(by: radix)
            let (next, overflowAdd) = shifted.addingReportingOverflow(Int(Self.hexValue(byte)!))
            guard !overflowShift && !overflowAdd else { throw invalidNumber(token, "it does not fit in 64 bits") }
            value = next
        }
        return value
    }

    /// A float: an integer part, then a fraction, an exponent or both.
    private func float(_ unsigned: ArraySlice<UInt8>, token: ArraySlice<UInt8>) throws(TOMLSyntaxError) -> Double {
        let isExponent: (UInt8) -> Bool = { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        let integerEnd = unsigned.firstIndex { $0 == UInt8(ascii: ".") || isExponent($0) } ?? unsigned.endIndex
        let integerPart = unsigned[..<integerEnd]
        try checkDigitGroups(integerPart, radix: 10, token: token)
        try checkNoLeadingZero(integerPart, token: token)
        var rest = unsigned[integerEnd...]
        if rest.first == UInt8(ascii: ".") {
            rest = rest.dropFirst()
            let fractionEnd = rest.firstIndex(where: isExponent) ?? rest.endIndex
            guard fractionEnd > rest.startIndex else { throw invalidNumber(token, "a '.' must be followed by digits") }
            try checkDigitGroups(rest[..<fractionEnd], radix: 10, token: token)
            rest = rest[fractionEnd...]
        }
        if let marker = rest.first, isExponent(marker) {
            rest = rest.dropFirst()
            if rest.first == UInt8(ascii: "+") || rest.first == UInt8(ascii: "-") { rest = rest.dropFirst() }
            try checkDigitGroups(rest, radix: 10, token: token)
        }
        let underscore = UInt8(ascii: "_")
        let text =
            token.contains(underscore)
            ? String(decoding: token.filter { $0 != underscore }, as: UTF8.self)
            : String(decoding: token, as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw invalidNumber(token, "it is out of range") }
        return value
    }

    /// Requires at least one digit of `radix`, with each underscore between two digits.
    private func checkDigitGroups(
        _ digits: ArraySlice<UInt8>, radix: Int, token: ArraySlice<UInt8>
    ) throws(TOMLSyntaxError) {
        guard !digits.isEmpty else { throw invalidNumber(token, nil) }
        var previousWasDigit = false
        for byte in digits {
            if byte == UInt8(ascii: "_") {
                guard previousWasDigit else { throw invalidNumber(token, "an underscore must be between two digits") }
                previousWasDigit = false
            } else {
                guard let digit = Self.hexValue(byte), Int(digit) < radix else { throw invalidNumber(token, nil) }
                previousWasDigit = true
            }
        }
        guard previousWasDigit else { throw invalidNumber(token, "an underscore must be between two digits") }
    }

    private func checkNoLeadingZero(_ digits: ArraySlice<UInt8>, token: ArraySlice<UInt8>) throws(TOMLSyntaxError) {
        if digits.count > 1 && digits.first == UInt8(ascii: "0") {
            throw invalidNumber(token, "leading zeros are not allowed")
        }
    }

    private func invalidNumber(_ token: ArraySlice<UInt8>, _ reason: String?) -> TOMLSyntaxError {
        let written = String(decoding: token, as: UTF8.self)
        return scanner.error("invalid number '\(written)'" + (reason.map { ": \($0)" } ?? ""), at: token.startIndex)
    }

    /// The radix and its name (with its article) for the letter after a leading `0`: `x`, `o` or `b`.
    private static func radix(prefix: UInt8) -> (Int, String)? {
        switch prefix {
        case UInt8(ascii: "x"): (16, "a hexadecimal")
        case UInt8(ascii: "o"): (8, "an octal")
        case UInt8(ascii: "b"): (2, "a binary")
        default: nil
        }
    }
}
