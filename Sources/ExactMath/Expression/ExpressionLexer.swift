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

/// Splits expression text into tokens, recording each token's character offset.
internal struct ExpressionLexer {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private(set) var tokens: [ExpressionToken] = []
    private(set) var offsets: [Int] = []
    /// For each open bracket, whether it opened a multi-argument call (where "," separates arguments).
    private var bracketIsCall: [Bool] = []

    /// Function names whose parentheses hold comma-separated arguments.
    static let multiArgumentFunctions: Set<String> = ["gcd", "gcf", "hcf", "lcm", "ncr", "npr", "c", "p", "log"]

    /// Tokenises the whole text or throws at the first character it does not understand.
    static func tokenize(_ text: Substring) throws(ExpressionError) -> (tokens: [ExpressionToken], offsets: [Int]) {
        var lexer = ExpressionLexer(scalars: Array(text.unicodeScalars))
        try lexer.run()
        return (lexer.tokens, lexer.offsets)
    }

    private init(scalars: [Unicode.Scalar]) {
        self.scalars = scalars
        // One allocation each instead of several as the arrays grow: there are never more tokens than scalars.
        tokens.reserveCapacity(scalars.count)
        offsets.reserveCapacity(scalars.count)
    }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        index + ahead < scalars.count ? scalars[index + ahead] : nil
    }

    private static func isDigit(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return scalar.value >= 0x30 && scalar.value <= 0x39
    }

    private static func isLetter(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return (scalar.value >= 0x61 && scalar.value <= 0x7A) || (scalar.value >= 0x41 && scalar.value <= 0x5A)
    }

    private mutating func emit(_ token: ExpressionToken, at offset: Int) {
        tokens.append(token)
        offsets.append(offset)
    }

    private mutating func run() throws(ExpressionError) {
        while let scalar = peek() {
            let start = index
            switch scalar {
            case " ", "\t", "\n":
                index += 1
            case "0"..."9", ".":
                guard scalar != "." || ExpressionLexer.isDigit(peek(1)) else {
                    throw ExpressionError(message: "unexpected '.'", offset: start)
                }
                emit(.number(try lexNumber()), at: start)
            case "a"..."z", "A"..."Z":
                try lexWord()
            case "+": index += 1; emit(.plus, at: start)
            case "-", "−", "–": index += 1; emit(.minus, at: start)
            case "*":
                index += 1
                if peek() == "*" {
                    index += 1
                    emit(.caret, at: start)
                } else {
                    emit(.times, at: start)
                }
            case "×", "·", "⋅", "∙": index += 1; emit(.times, at: start)
            case "/", "÷", "∕": index += 1; emit(.divide, at: start)
            case "^": index += 1; emit(.caret, at: start)
            case "!": index += 1; emit(.bang, at: start)
            case "%": index += 1; emit(.percent, at: start)
            case "°": index += 1; emit(.degree, at: start)
            case "(", "[", "{":
                index += 1
                if case .word(let name)? = tokens.last, ExpressionLexer.multiArgumentFunctions.contains(name) {
                    bracketIsCall.append(true)
                } else if case .base? = tokens.last {
                    bracketIsCall.append(true)
                } else {
                    bracketIsCall.append(false)
                }
                emit(.open, at: start)
            case ")", "]", "}":
                index += 1
                if !bracketIsCall.isEmpty { bracketIsCall.removeLast() }
                emit(.close, at: start)
            case "|": index += 1; emit(.bar, at: start)
            case ",": index += 1; emit(.comma, at: start)
            case "√": index += 1; emit(.rootSign(2), at: start)
            case "∛": index += 1; emit(.rootSign(3), at: start)
            case "∜": index += 1; emit(.rootSign(4), at: start)
            case "π": index += 1; emit(.pi, at: start)
            case "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹", "⁻":
                emit(.superscript(try lexSuperscript()), at: start)
            case "½", "⅓", "⅔", "¼", "¾", "⅕", "⅛":
                index += 1
                emit(.number(ExpressionLexer.vulgarFraction(scalar)), at: start)
            default:
                throw ExpressionError(message: "unexpected '\(Character(scalar))'", offset: start)
            }
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
            while peek() == ",", ExpressionLexer.isDigit(peek(1)), ExpressionLexer.isDigit(peek(2)),
                ExpressionLexer.isDigit(peek(3)), !ExpressionLexer.isDigit(peek(4))
            {
                index += 4
            }
        }
        let integerEnd = index
        if peek() == ".", ExpressionLexer.isDigit(peek(1)) {
            index += 1
            while ExpressionLexer.isDigit(peek()) { index += 1 }
        }
        let fractionEnd = index
        if peek() == "e" || peek() == "E" {
            let signed = peek(1) == "-" || peek(1) == "+"
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
            for scalar in scalars[start..<index] where scalar != "," {
                text.unicodeScalars.append(scalar == "E" ? "e" : scalar)
            }
            guard let parsed = Rational(decimal: Substring(text)) else {
                throw ExpressionError(message: "number '\(text)' is out of range", offset: start)
            }
            value = parsed
        }
        if let next = peek(), "½⅓⅔¼¾⅕⅛".unicodeScalars.contains(next), value.isInteger {
            index += 1
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
        for scalar in scalars[integer] where scalar != "," { digitCount += 1 }
        guard digitCount <= 18 else { return nil }
        var value = 0
        for scalar in scalars[integer] where scalar != "," { value = value * 10 + Int(scalar.value - 0x30) }
        for scalar in scalars[fraction].dropFirst() { value = value * 10 + Int(scalar.value - 0x30) }
        return fractionDigits == 0 ? Rational(BigInt(value)) : Rational(BigInt(value), BigInt(10).power(fractionDigits))
    }

    /// A run of letters; "log" may carry a base written log₂, log_2, log_{2}, log2 or log10.
    private mutating func lexWord() throws(ExpressionError) {
        let start = index
        var word = ""
        while ExpressionLexer.isLetter(peek()) {
            word.unicodeScalars.append(Unicode.Scalar(UInt8(peek()!.value | 0x20)))
            index += 1
        }
        emit(.word(word), at: start)
        guard word == "log" else { return }
        let baseStart = index
        if ExpressionLexer.isDigit(peek()) {
            var digits = ""
            while ExpressionLexer.isDigit(peek()) {
                digits.unicodeScalars.append(peek()!)
                index += 1
            }
            emit(.base(Rational(BigInt(Substring(digits))!)), at: baseStart)
        } else if peek() == "_" {
            index += 1
            let braced = peek() == "{" || peek() == "("
            if braced { index += 1 }
            let numberStart = index
            guard ExpressionLexer.isDigit(peek()) || peek() == "." else {
                throw ExpressionError(message: "expected a logarithm base after '_'", offset: numberStart)
            }
            let value = try lexNumber()
            if braced {
                guard peek() == "}" || peek() == ")" else {
                    throw ExpressionError(message: "expected '}' after the logarithm base", offset: index)
                }
                index += 1
            }
            emit(.base(value), at: baseStart)
        } else if let scalar = peek(), ExpressionLexer.subscriptDigit(scalar) != nil {
            var value = 0
            while let scalar = peek(), let digit = ExpressionLexer.subscriptDigit(scalar) {
                value = value * 10 + digit
                index += 1
                guard value < 1_000_000 else {
                    throw ExpressionError(message: "logarithm base is too large", offset: baseStart)
                }
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
        if peek() == "⁻" {
            negative = true
            index += 1
        }
        var value = 0
        var sawDigit = false
        while let scalar = peek(), let digit = ExpressionLexer.superscriptDigit(scalar) {
            value = value * 10 + digit
            sawDigit = true
            index += 1
            guard value < 1_000_000_000 else { throw ExpressionError(message: "exponent is too large", offset: start) }
        }
        guard sawDigit else { throw ExpressionError(message: "expected a superscript digit", offset: start) }
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
