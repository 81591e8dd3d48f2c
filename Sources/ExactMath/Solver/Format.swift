/// How a rational number that terminates as a decimal is printed: as the question wrote its numbers.
public enum NumberStyle: Sendable {
    /// "3/4": the question used fractions (or only integers, where exact fractions read best).
    case fraction
    /// "0.75": the question used decimals.
    case decimal

    /// `.decimal` when `text` contains a decimal number ("3.7", ".5"), `.fraction` when it contains a fraction of
    /// digits ("1/3"), otherwise `fallback`.
    public static func of(_ text: Substring, fallback: NumberStyle = .fraction) -> NumberStyle {
        guard TextTools.charactersAreScalars(text) else { return ofCharacters(text, fallback: fallback) }
        var previous = UInt8(ascii: " ")
        var sawFraction = false
        for byte in text.utf8 {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if previous == UInt8(ascii: ".") { return .decimal }
                if previous == UInt8(ascii: "/") { sawFraction = true }
            }
            previous = byte
        }
        return sawFraction ? .fraction : fallback
    }

    /// `of` compared character by character, for text where a character may span several scalars.
    private static func ofCharacters(_ text: Substring, fallback: NumberStyle) -> NumberStyle {
        var previous: Character = " "
        var sawFraction = false
        var iterator = text.makeIterator()
        while let char = iterator.next() {
            if previous == "/", char.isASCII, char.isNumber { sawFraction = true }
            if previous == ".", char.isASCII, char.isNumber { return .decimal }
            previous = char
        }
        return sawFraction ? .fraction : fallback
    }
}

/// Shared output formatting for math answers: Unicode minus, superscripts, "≈", roots and units.
public enum Format {
    /// The minus sign used in answers (U+2212).
    public static let minus = "−"

    /// The person-readable text of an answer: the working lines, a blank line, then "Answer: <answer>".
    public static func text(working: [String], answer: String) -> String {
        guard !working.isEmpty else { return "Answer: " + answer }
        // The bytes are copied once, straight into the result's storage: the parts are valid UTF-8 already.
        let answerLead = "\n\nAnswer: "
        var length = working.count - 1 + answerLead.utf8.count + answer.utf8.count
        for line in working { length += line.utf8.count }
        return String(unsafeUninitializedCapacity: length) { buffer in
            var written = 0
            for (index, line) in working.enumerated() {
                if index > 0 { written = copy("\n", into: buffer, at: written) }
                written = copy(line, into: buffer, at: written)
            }
            written = copy(answerLead, into: buffer, at: written)
            return copy(answer, into: buffer, at: written)
        }
    }

    /// Copies the UTF-8 of `part` into `buffer` at `offset`; returns the offset after it.
    private static func copy(_ part: String, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) -> Int {
        var part = part
        return part.withUTF8 { bytes in
            let destination = UnsafeMutableBufferPointer(rebasing: buffer[offset..<offset + bytes.count])
            return destination.initialize(fromContentsOf: bytes)
        } + offset
    }

    /// Replaces ASCII hyphen-minus signs with "−" (U+2212).
    public static func unicodeMinus(_ text: String) -> String {
        // A "-" character is a "-" byte; in ASCII text every "-" byte is one (no combining marks can follow).
        guard text.utf8.contains(UInt8(ascii: "-")) else { return text }
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return String(text.map { $0 == "-" ? "−" : $0 }) }
        var result = ""
        result.reserveCapacity(text.utf8.count + 2)
        var start = text.utf8.startIndex
        while let dash = text.utf8[start...].firstIndex(of: UInt8(ascii: "-")) {
            result += text[start..<dash]
            result += minus
            start = text.utf8.index(after: dash)
        }
        result += text[start...]
        return result
    }

    /// An expression as a person typed it, shown with math symbols: "x^2 - 3*x" -> "x² − 3×x".
    public static func prettify(_ text: Substring) -> String {
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            let char = text[index]
            let next = text.index(after: index)
            if char == "^", next < text.endIndex, text[next].isASCII, text[next].isNumber {
                var end = next
                while end < text.endIndex, text[end].isASCII, text[end].isNumber { end = text.index(after: end) }
                if let power = Int(text[next..<end]) {
                    result += superscript(power)
                    index = end
                    continue
                }
            }
            switch char {
            case "-": result += minus
            case "*": result += "×"
            default: result.append(char)
            }
            index = next
        }
        return result
    }

    /// `n` written with superscript digits: 2 -> "²", 10 -> "¹⁰", -1 -> "⁻¹".
    public static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        var text = ""
        for char in String(n) {
            if char == "-" {
                text.append("⁻")
            } else if let value = char.wholeNumberValue {
                text.append(digits[value])
            }
        }
        return text
    }

    /// A rational with a Unicode minus: an integer as "36", otherwise "3/4", or "0.75" in `.decimal` style when it
    /// terminates.
    public static func rational(_ value: Rational, style: NumberStyle = .fraction) -> String {
        if value.isInteger { return unicodeMinus(value.numerator.description) }
        if style == .decimal, value.terminatesAsDecimal {
            return unicodeMinus(value.decimalString(maxFractionDigits: 64))
        }
        return unicodeMinus(value.description)
    }

    /// True when `rational(value, style:)` is already a plain decimal, so an "≈" would add nothing.
    public static func isPlainDecimal(_ value: Rational, style: NumberStyle) -> Bool {
        value.isInteger || (style == .decimal && value.terminatesAsDecimal)
    }

    /// A rational with its decimal approximation when the exact form is not a plain decimal:
    /// 1/3 -> "1/3 ≈ 0.333333", 5 -> "5", 0.75 (decimal style) -> "0.75", 3/4 -> "3/4 ≈ 0.75".
    public static func rationalWithApproximation(
        _ value: Rational, style: NumberStyle = .fraction, fractionDigits: Int = 6
    ) -> String {
        let exact = rational(value, style: style)
        if isPlainDecimal(value, style: style) || value.terminatesAsDecimal { return exact }
        return exact + " ≈ " + unicodeMinus(value.decimalString(maxFractionDigits: fractionDigits))
    }

    /// A double rounded half away from zero to at most `fractionDigits` digits, trailing zeros trimmed, with a
    /// Unicode minus: 78.5398 (2) -> "78.54", 113.097 (2) -> "113.1", 2.0 -> "2".
    public static func decimal(_ value: Double, fractionDigits: Int = 6) -> String {
        guard value.isFinite else { return value.isNaN ? "undefined" : (value < 0 ? "−∞" : "∞") }
        let digits = max(0, min(fractionDigits, 15))
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (value.magnitude * scale).rounded(.toNearestOrAwayFromZero)
        if scaled < 9.0e15 {
            let integer = UInt64(scaled)
            let divisor = UInt64(scale)
            let whole = integer / divisor
            var fraction = String(integer % divisor)
            if digits > 0 {
                fraction = String(repeating: "0", count: digits - fraction.count) + fraction
                while fraction.last == "0" { fraction.removeLast() }
            } else {
                fraction = ""
            }
            let sign = (value < 0 && integer != 0) ? minus : ""
            return sign + String(whole) + (fraction.isEmpty ? "" : "." + fraction)
        }
        return unicodeMinus(exactRational(value).decimalString(maxFractionDigits: digits))
    }

    /// The exact rational value of a finite double.
    static func exactRational(_ value: Double) -> Rational {
        if value == 0 { return .zero }
        let exponent = Int(value.exponent) - Double.significandBitCount
        var significand = BigInt(Int(value.significandBitPattern))
        if value.isNormal { significand += BigInt(1 << Double.significandBitCount) }
        if value < 0 { significand = -significand }
        if exponent >= 0 { return Rational(significand * BigInt(2).power(exponent)) }
        return Rational(significand, BigInt(2).power(-exponent))
    }

    /// "exact ≈ approximation", or just `exact` when the two texts are the same.
    public static func withApproximation(_ exact: String, _ approximation: String?) -> String {
        guard let approximation, approximation != exact else { return exact }
        return exact + " ≈ " + approximation
    }

    /// Joins signed terms into "a + b − c": each term is (isNegative, text of its magnitude).
    public static func signedSum(_ terms: [(negative: Bool, magnitude: String)]) -> String {
        guard let first = terms.first else { return "0" }
        var text = (first.negative ? minus : "") + first.magnitude
        for term in terms.dropFirst() {
            text += (term.negative ? " − " : " + ") + term.magnitude
        }
        return text
    }

    /// Solutions of an equation: ["1", "3"] -> "x = 1 or x = 3".
    public static func roots(_ values: [String], variable: String = "x") -> String {
        values.map { "\(variable) = \($0)" }.joined(separator: " or ")
    }

    /// A unit raised to a power: ("cm", 2) -> "cm²", ("cm", 1) -> "cm", ("", 3) -> "".
    public static func unit(_ symbol: String, power: Int) -> String {
        guard !symbol.isEmpty else { return "" }
        return power == 1 ? symbol : symbol + superscript(power)
    }

    /// A value followed by its unit, if any: ("78.54", "cm²") -> "78.54 cm²".
    public static func quantity(_ value: String, unit: String) -> String {
        unit.isEmpty ? value : value + " " + unit
    }
}
