/// One lexical token of a math expression.
internal enum ExpressionToken: Equatable {
    /// An exact number literal ("3.7", "1,000", "2.5e-3", "½").
    case number(Rational)
    /// A run of ASCII letters: a function name, a constant, a variable or a word operator such as "x".
    case word(String)
    /// + − × ÷ ^ ! % °
    case plus, minus, times, divide, caret, bang, percent, degree
    /// ( or [
    case open
    /// ) or ]
    case close
    /// | (absolute value bars)
    case bar
    /// , between function arguments
    case comma
    /// √, ∛ and ∜ prefixes
    case rootSign(Int)
    /// π
    case pi
    /// A superscript power such as ² or ⁻¹.
    case superscript(Int)
    /// A logarithm base written as a subscript: ₂ in log₂, 2 in log_2 or log2.
    case base(Rational)
}

/// Splits expression text into tokens, recording each token's offset in Unicode scalars. Reads the text's UTF-8
/// bytes: every ASCII character is one byte, and the few non-ASCII symbols it knows are decoded where they occur.
internal struct ExpressionLexer {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// The byte being read.
    private var index = 0
    private(set) var tokens: [ExpressionToken] = []
    private(set) var offsets: [Int] = []
    /// For each open bracket, whether it opened a multi-argument call (where "," separates arguments).
    private var bracketIsCall: [Bool] = []
    /// A byte position and the number of scalars before it, so that scalar offsets are counted once, moving forward.
    private var counted = (byte: 0, scalars: 0)

    /// Function names whose parentheses hold comma-separated arguments.
    static let multiArgumentFunctions: Set<String> = ["gcd", "gcf", "hcf", "lcm", "ncr", "npr", "c", "p", "log"]

    /// Tokenises the whole text or throws at the first character it does not understand.
    static func tokenize(_ text: Substring) throws(ExpressionError) -> (tokens: [ExpressionToken], offsets: [Int]) {
        let result = text.utf8.withContiguousStorageIfAvailable { bytes in
            Result { () throws(ExpressionError) in try tokenize(bytes) }
        }
        if let result { return try result.get() }
        return try Array(text.utf8).withUnsafeBufferPointer { bytes throws(ExpressionError) in try tokenize(bytes) }
    }

    private static func tokenize(_ bytes: UnsafeBufferPointer<UInt8>) throws(ExpressionError) -> (
        tokens: [ExpressionToken], offsets: [Int]
    ) {
        var lexer = ExpressionLexer(bytes: bytes)
        try lexer.run()
        return (lexer.tokens, lexer.offsets)
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        // One allocation each instead of several as the arrays grow: there are never more tokens than bytes.
        tokens.reserveCapacity(bytes.count)
        offsets.reserveCapacity(bytes.count)
    }

    /// The byte `ahead` bytes after the current one; nil past the end. Compared with ASCII only: no byte of a
    /// multi-byte scalar equals an ASCII byte.
    private func peek(_ ahead: Int = 0) -> UInt8? {
        index + ahead < bytes.count ? bytes[index + ahead] : nil
    }

    /// The scalar starting at the current byte and its length in bytes; nil at the end.
    private func peekScalar() -> (scalar: Unicode.Scalar, length: Int)? {
        TextTools.scalar(in: bytes, at: index)
    }

    private static func isDigit(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func isLetter(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        let lower = byte | 0x20
        return lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")
    }

    /// The offset in scalars of the byte `position` (counting forward from the last position asked about).
    private mutating func scalarOffset(_ position: Int) -> Int {
        if position < counted.byte { counted = (0, 0) }
        var scalars = counted.scalars
        for byte in bytes[counted.byte..<position] where byte & 0xC0 != 0x80 { scalars += 1 }
        counted = (position, scalars)
        return scalars
    }

    private mutating func emit(_ token: ExpressionToken, at start: Int) {
        tokens.append(token)
        offsets.append(scalarOffset(start))
    }

    private mutating func error(_ message: String, at position: Int) -> ExpressionError {
        ExpressionError(message: message, offset: scalarOffset(position))
    }

    private mutating func run() throws(ExpressionError) {
        while let byte = peek() {
            if byte < 0x80 {
                try lexASCII(byte)
            } else {
                try lexSymbol()
            }
        }
    }

    /// One token (or a space) starting with an ASCII character.
    private mutating func lexASCII(_ byte: UInt8) throws(ExpressionError) {
        let start = index
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"):
            index += 1
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."):
            guard byte != UInt8(ascii: ".") || ExpressionLexer.isDigit(peek(1)) else {
                throw error("unexpected '.'", at: start)
            }
            emit(.number(try lexNumber()), at: start)
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
            try lexWord()
        case UInt8(ascii: "+"): index += 1; emit(.plus, at: start)
        case UInt8(ascii: "-"): index += 1; emit(.minus, at: start)
        case UInt8(ascii: "*"):
            index += 1
            if peek() == UInt8(ascii: "*") {
                index += 1
                emit(.caret, at: start)
            } else {
                emit(.times, at: start)
            }
        case UInt8(ascii: "/"): index += 1; emit(.divide, at: start)
        case UInt8(ascii: "^"): index += 1; emit(.caret, at: start)
        case UInt8(ascii: "!"): index += 1; emit(.bang, at: start)
        case UInt8(ascii: "%"): index += 1; emit(.percent, at: start)
        case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"):
            index += 1
            if case .word(let name)? = tokens.last, ExpressionLexer.multiArgumentFunctions.contains(name) {
                bracketIsCall.append(true)
            } else if case .base? = tokens.last {
                bracketIsCall.append(true)
            } else {
                bracketIsCall.append(false)
            }
            emit(.open, at: start)
        case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
            index += 1
            if !bracketIsCall.isEmpty { bracketIsCall.removeLast() }
            emit(.close, at: start)
        case UInt8(ascii: "|"): index += 1; emit(.bar, at: start)
        case UInt8(ascii: ","): index += 1; emit(.comma, at: start)
        default:
            throw error("unexpected '\(Character(Unicode.Scalar(byte)))'", at: start)
        }
    }

    /// One token starting with a non-ASCII symbol.
    private mutating func lexSymbol() throws(ExpressionError) {
        let start = index
        guard let (scalar, length) = peekScalar() else { throw error("unexpected byte", at: start) }
        switch scalar {
        case "−", "–": index += length; emit(.minus, at: start)
        case "×", "·", "⋅", "∙": index += length; emit(.times, at: start)
        case "÷", "∕": index += length; emit(.divide, at: start)
        case "°": index += length; emit(.degree, at: start)
        case "√": index += length; emit(.rootSign(2), at: start)
        case "∛": index += length; emit(.rootSign(3), at: start)
        case "∜": index += length; emit(.rootSign(4), at: start)
        case "π": index += length; emit(.pi, at: start)
        case "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹", "⁻":
            emit(.superscript(try lexSuperscript()), at: start)
        case "½", "⅓", "⅔", "¼", "¾", "⅕", "⅛":
            index += length
            emit(.number(ExpressionLexer.vulgarFraction(scalar)), at: start)
        default:
            throw error("unexpected '\(Character(scalar))'", at: start)
        }
    }

    private static func vulgarFraction(_ scalar: Unicode.Scalar) -> Rational {
        switch scalar {
        case "½": return Rational(1, 2)
        case "⅓": return Rational(1, 3)
        case "⅔": return Rational(2, 3)
        case "¼": return Rational(1, 4)
        case "¾": return Rational(3, 4)
        case "⅕": return Rational(1, 5)
        default: return Rational(1, 8)
        }
    }

    private static func isVulgarFraction(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "½", "⅓", "⅔", "¼", "¾", "⅕", "⅛": return true
        default: return false
        }
    }

    /// Digits with optional thousands separators, fraction and exponent; a vulgar fraction right after the digits
    /// makes a mixed number ("1½").
    private mutating func lexNumber() throws(ExpressionError) -> Rational {
        let start = index
        var groupLength = 0
        while ExpressionLexer.isDigit(peek()) {
            groupLength += 1
            index += 1
        }
        // "1,000,000": only groups of exactly three digits, only outside a multi-argument call, and only when the
        // first group has one to three digits.
        let commasSeparateArguments = bracketIsCall.last ?? false
        if !commasSeparateArguments && groupLength >= 1 && groupLength <= 3 {
            while peek() == UInt8(ascii: ","), ExpressionLexer.isDigit(peek(1)), ExpressionLexer.isDigit(peek(2)),
                ExpressionLexer.isDigit(peek(3)), !ExpressionLexer.isDigit(peek(4))
            {
                index += 4
            }
        }
        let integerEnd = index
        if peek() == UInt8(ascii: "."), ExpressionLexer.isDigit(peek(1)) {
            index += 1
            while ExpressionLexer.isDigit(peek()) { index += 1 }
        }
        let fractionEnd = index
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            let signed = peek(1) == UInt8(ascii: "-") || peek(1) == UInt8(ascii: "+")
            if ExpressionLexer.isDigit(peek(signed ? 2 : 1)) {
                index += signed ? 2 : 1
                while ExpressionLexer.isDigit(peek()) { index += 1 }
            }
        }
        var value: Rational
        if index == fractionEnd, let small = smallDecimal(start..<integerEnd, fraction: integerEnd..<fractionEnd) {
            value = small
        } else {
            // The digits without their thousands separators: "1,000.5e3" reads as "1000.5e3".
            var text = ""
            for byte in bytes[start..<index] where byte != UInt8(ascii: ",") {
                text.unicodeScalars.append(Unicode.Scalar(byte == UInt8(ascii: "E") ? UInt8(ascii: "e") : byte))
            }
            guard let parsed = Rational(decimal: Substring(text)) else {
                throw error("number '\(text)' is out of range", at: start)
            }
            value = parsed
        }
        if let (next, length) = peekScalar(), ExpressionLexer.isVulgarFraction(next), value.isInteger {
            index += length
            value += ExpressionLexer.vulgarFraction(next)
        }
        return value
    }

    /// The value of a number without an exponent whose digits (integer part with its thousands separators, then the
    /// fraction after the point) number at most 18: the value `Rational(decimal:)` gives, without building its text.
    private func smallDecimal(_ integer: Range<Int>, fraction: Range<Int>) -> Rational? {
        // The fraction range starts at the decimal point, when there is one.
        let fractionDigits = fraction.isEmpty ? 0 : fraction.count - 1
        var digitCount = fractionDigits
        for byte in bytes[integer] where byte != UInt8(ascii: ",") { digitCount += 1 }
        guard digitCount <= 18 else { return nil }
        var value = 0
        for byte in bytes[integer] where byte != UInt8(ascii: ",") { value = value * 10 + Int(byte - 0x30) }
        for byte in bytes[fraction].dropFirst() { value = value * 10 + Int(byte - 0x30) }
        return fractionDigits == 0 ? Rational(BigInt(value)) : Rational(BigInt(value), BigInt(10).power(fractionDigits))
    }

    /// A run of letters, lower-cased; "log" may carry a base written log₂, log_2, log_{2}, log2 or log10.
    private mutating func lexWord() throws(ExpressionError) {
        let start = index
        var lowerCase = true
        while let byte = peek(), ExpressionLexer.isLetter(byte) {
            if byte < UInt8(ascii: "a") { lowerCase = false }
            index += 1
        }
        let letters = bytes[start..<index]
        let word: String
        if lowerCase {
            word = String(decoding: letters, as: UTF8.self)
        } else {
            var lowered = ""
            for byte in letters { lowered.unicodeScalars.append(Unicode.Scalar(byte | 0x20)) }
            word = lowered
        }
        emit(.word(word), at: start)
        guard word == "log" else { return }
        try lexLogBase()
    }

    /// The base written right after "log", if any: digits, "_" and a number (optionally in braces), or subscripts.
    private mutating func lexLogBase() throws(ExpressionError) {
        let baseStart = index
        if ExpressionLexer.isDigit(peek()) {
            var value = BigInt(0)
            while let byte = peek(), ExpressionLexer.isDigit(byte) {
                value = value * BigInt(10) + BigInt(Int(byte - 0x30))
                index += 1
            }
            emit(.base(Rational(value)), at: baseStart)
        } else if peek() == UInt8(ascii: "_") {
            index += 1
            let braced = peek() == UInt8(ascii: "{") || peek() == UInt8(ascii: "(")
            if braced { index += 1 }
            let numberStart = index
            guard ExpressionLexer.isDigit(peek()) || peek() == UInt8(ascii: ".") else {
                throw error("expected a logarithm base after '_'", at: numberStart)
            }
            let value = try lexNumber()
            if braced {
                guard peek() == UInt8(ascii: "}") || peek() == UInt8(ascii: ")") else {
                    throw error("expected '}' after the logarithm base", at: index)
                }
                index += 1
            }
            emit(.base(value), at: baseStart)
        } else if let (scalar, _) = peekScalar(), ExpressionLexer.subscriptDigit(scalar) != nil {
            var value = 0
            while let (scalar, length) = peekScalar(), let digit = ExpressionLexer.subscriptDigit(scalar) {
                value = value * 10 + digit
                index += length
                guard value < 1_000_000 else { throw error("logarithm base is too large", at: baseStart) }
            }
            emit(.base(Rational(value)), at: baseStart)
        }
    }

    private static func subscriptDigit(_ scalar: Unicode.Scalar) -> Int? {
        scalar.value >= 0x2080 && scalar.value <= 0x2089 ? Int(scalar.value - 0x2080) : nil
    }

    /// A run of superscript digits with an optional leading superscript minus: "²" → 2, "⁻¹" → -1.
    private mutating func lexSuperscript() throws(ExpressionError) -> Int {
        let start = index
        var negative = false
        if let (scalar, length) = peekScalar(), scalar == "⁻" {
            negative = true
            index += length
        }
        var value = 0
        var sawDigit = false
        while let (scalar, length) = peekScalar(), let digit = ExpressionLexer.superscriptDigit(scalar) {
            value = value * 10 + digit
            sawDigit = true
            index += length
            guard value < 1_000_000_000 else { throw error("exponent is too large", at: start) }
        }
        guard sawDigit else { throw error("expected a superscript digit", at: start) }
        return negative ? -value : value
    }

    private static func superscriptDigit(_ scalar: Unicode.Scalar) -> Int? {
        switch scalar {
        case "⁰": return 0
        case "¹": return 1
        case "²": return 2
        case "³": return 3
        case "⁴": return 4
        case "⁵": return 5
        case "⁶": return 6
        case "⁷": return 7
        case "⁸": return 8
        case "⁹": return 9
        default: return nil
        }
    }
}
