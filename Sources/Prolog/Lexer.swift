import ExactMath

/// One token of Prolog text.
struct Token: Sendable {
    enum Kind: Sendable, Equatable {
        /// A name, symbol-char or solo atom (`foo`, `=..`, `!`, `;`).
        case name(String)
        /// A quoted atom (`'hello world'`).
        case quoted(String)
        case variable(String)
        case int(Int)
        case bigInt(BigInt)
        case float(Double)
        /// `"text"`.
        case string(String)
        /// `` `text` `` (a code list).
        case backquoted(String)
        /// One of `( ) [ ] { } , |`.
        case punct(Character)
        /// The end of a clause: `.` followed by layout.
        case end
        case eof
    }

    var kind: Kind
    var line: Int
    var column: Int
    /// Whether layout (space, newline, comment) came right before the token.
    var layoutBefore: Bool
}

/// Splits Prolog text into tokens, tracking lines and columns.
struct Lexer {
    private let text: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var lineStart = 0

    init(_ source: String) {
        text = Array(source.unicodeScalars)
    }

    /// Whether every character was consumed.
    var isExhausted: Bool { index >= text.count }

    /// Whether only layout and comments remain.
    var atEnd: Bool {
        var copy = self
        _ = try? copy.skipLayout()
        return copy.index >= copy.text.count
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let position = index + offset
        return position < text.count ? text[position] : nil
    }

    private mutating func advance() -> Unicode.Scalar {
        let scalar = text[index]
        index += 1
        if scalar == "\n" {
            line += 1
            lineStart = index
        }
        return scalar
    }

    private var column: Int { index - lineStart + 1 }

    private func error(_ message: String) -> PrologSyntaxError {
        PrologSyntaxError(message, line: line, column: column)
    }

    /// Skips spaces and comments; returns whether anything was skipped.
    @discardableResult
    private mutating func skipLayout() throws(PrologSyntaxError) -> Bool {
        var skipped = false
        while let scalar = peek() {
            if scalar.properties.isWhitespace {
                _ = advance()
                skipped = true
            } else if scalar == "%" {
                while let next = peek(), next != "\n" { _ = advance() }
                skipped = true
            } else if scalar == "/" && peek(1) == "*" {
                let startLine = line
                let startColumn = column
                _ = advance()
                _ = advance()
                while true {
                    guard let next = peek() else {
                        throw PrologSyntaxError("unterminated block comment", line: startLine, column: startColumn)
                    }
                    if next == "*" && peek(1) == "/" {
                        _ = advance()
                        _ = advance()
                        break
                    }
                    _ = advance()
                }
                skipped = true
            } else {
                break
            }
        }
        return skipped
    }

    /// The next token.
    mutating func next() throws(PrologSyntaxError) -> Token {
        let layout = try skipLayout()
        let startLine = line
        let startColumn = column
        func token(_ kind: Token.Kind) -> Token {
            Token(kind: kind, line: startLine, column: startColumn, layoutBefore: layout)
        }
        guard let scalar = peek() else { return token(.eof) }

        if CharClass.isDigit(scalar) { return token(try number()) }
        if scalar == "_" || CharClass.isUpper(scalar) { return token(.variable(identifier())) }
        if CharClass.isAlpha(scalar) { return token(.name(identifier())) }
        switch scalar {
        case "'":
            _ = advance()
            return token(.quoted(try quoted(terminator: "'")))
        case "\"":
            _ = advance()
            return token(.string(try quoted(terminator: "\"")))
        case "`":
            _ = advance()
            return token(.backquoted(try quoted(terminator: "`")))
        case "(", ")", "[", "]", "{", "}", ",", "|":
            _ = advance()
            if scalar == "|" && peek() == "|" {
                _ = advance()
                return token(.name("||"))
            }
            return token(.punct(Character(scalar)))
        case "!", ";":
            _ = advance()
            return token(.name(String(scalar)))
        default:
            break
        }
        if scalar == "." {
            let following = peek(1)
            if following == nil || following!.properties.isWhitespace || following == "%" {
                _ = advance()
                return token(.end)
            }
        }
        if CharClass.isSymbol(scalar) {
            var name = ""
            while let next = peek(), CharClass.isSymbol(next) { name.unicodeScalars.append(advance()) }
            return token(.name(name))
        }
        throw error("illegal character '\(scalar)'")
    }

    private mutating func identifier() -> String {
        var name = ""
        while let next = peek(), CharClass.isAlnum(next) { name.unicodeScalars.append(advance()) }
        return name
    }

    // MARK: Numbers

    private mutating func number() throws(PrologSyntaxError) -> Token.Kind {
        if peek() == "0", let second = peek(1) {
            switch second {
            case "'":
                // 0'c: a character code. `0''` needs a doubled quote, `0'\n` an escape.
                if let third = peek(2) {
                    if third == "\\" {
                        if peek(3) == "\n" { break }
                        _ = advance()
                        _ = advance()
                        _ = advance()
                        guard let code = try escape(terminator: "'") else { throw error("bad escape in 0'") }
                        return .int(Int(code.value))
                    }
                    if third == "'" {
                        _ = advance()
                        _ = advance()
                        _ = advance()
                        if peek() == "'" { _ = advance() }
                        return .int(39)
                    }
                    _ = advance()
                    _ = advance()
                    return .int(Int(advance().value))
                }
            case "x", "o", "b":
                let radix = second == "x" ? 16 : second == "o" ? 8 : 2
                if let third = peek(2), third.properties.numericType != nil || CharClass.digitValue(third) != nil,
                    let value = CharClass.digitValue(third), value < radix
                {
                    _ = advance()
                    _ = advance()
                    return integer(radix: radix)
                }
            default:
                break
            }
        }
        var digits = ""
        readDigits(into: &digits)
        // A fraction needs a digit after the dot; `1.e` or `X = 1.` keep the dot for what follows.
        var isFloat = false
        if peek() == ".", let after = peek(1), CharClass.isDigit(after) {
            isFloat = true
            digits.unicodeScalars.append(advance())
            readDigits(into: &digits)
        }
        if peek() == "e" || peek() == "E" {
            let sign = peek(1)
            let hasSign = sign == "+" || sign == "-"
            if let first = peek(hasSign ? 2 : 1), CharClass.isDigit(first) {
                isFloat = true
                digits.unicodeScalars.append(advance())
                if hasSign { digits.unicodeScalars.append(advance()) }
                while let next = peek(), CharClass.isDigit(next) { digits.unicodeScalars.append(advance()) }
            }
        }
        if isFloat {
            if peek() == "I" && peek(1) == "n" && peek(2) == "f" {
                index += 3
                return .float(.infinity)
            }
            if peek() == "N" && peek(1) == "a" && peek(2) == "N" {
                index += 3
                return .float(.nan)
            }
            guard let value = Double(digits) else { throw error("bad float '\(digits)'") }
            return .float(value)
        }
        if digits.utf8.count <= 18, let small = Int(digits) { return .int(small) }
        guard let big = BigInt(Substring(digits)) else { throw error("bad integer '\(digits)'") }
        if let small = big.asInt { return .int(small) }
        return .bigInt(big)
    }

    /// Reads decimal digits, allowing `_` between digit groups (`1_000_000`).
    private mutating func readDigits(into digits: inout String) {
        while let next = peek() {
            if CharClass.isDigit(next) {
                digits.unicodeScalars.append(advance())
            } else if next == "_", let after = peek(1), CharClass.isDigit(after) {
                _ = advance()
            } else {
                break
            }
        }
    }

    private mutating func integer(radix: Int) -> Token.Kind {
        var value = BigInt(0)
        let bigRadix = BigInt(radix)
        while let next = peek(), let digit = CharClass.digitValue(next), digit < radix {
            _ = advance()
            value = value * bigRadix + BigInt(digit)
        }
        if let small = value.asInt { return .int(small) }
        return .bigInt(value)
    }

    // MARK: Quoted text

    private mutating func quoted(terminator: Unicode.Scalar) throws(PrologSyntaxError) -> String {
        var result = ""
        let startLine = line
        let startColumn = column - 1
        while true {
            guard index < text.count else {
                throw PrologSyntaxError("unterminated quoted text", line: startLine, column: startColumn)
            }
            let scalar = advance()
            if scalar == terminator {
                if peek() == terminator {
                    _ = advance()
                    result.unicodeScalars.append(scalar)
                    continue
                }
                return result
            }
            if scalar == "\\" {
                if let code = try escape(terminator: terminator) { result.unicodeScalars.append(code) }
                continue
            }
            result.unicodeScalars.append(scalar)
        }
    }

    /// Reads an escape sequence after the backslash; nil for a line continuation.
    private mutating func escape(terminator: Unicode.Scalar) throws(PrologSyntaxError) -> Unicode.Scalar? {
        guard index < text.count else { throw error("unterminated escape sequence") }
        let scalar = advance()
        switch scalar {
        case "n": return "\n"
        case "t": return "\t"
        case "r": return "\r"
        case "a": return "\u{7}"
        case "b": return "\u{8}"
        case "f": return "\u{C}"
        case "v": return "\u{B}"
        case "e": return "\u{1B}"
        case "s": return " "
        case "0", "1", "2", "3", "4", "5", "6", "7":
            var value = Int(scalar.value) - 48
            while let next = peek(), let digit = CharClass.digitValue(next), digit < 8 {
                _ = advance()
                value = value * 8 + digit
            }
            if peek() == "\\" { _ = advance() }
            guard let code = Unicode.Scalar(UInt32(min(value, 0x10FFFF))) else { throw error("bad character code") }
            return code
        case "x":
            var value = 0
            while let next = peek(), let digit = CharClass.digitValue(next), digit < 16 {
                _ = advance()
                value = value * 16 + digit
                if value > 0x10FFFF { throw error("character code out of range") }
            }
            if peek() == "\\" { _ = advance() }
            guard let code = Unicode.Scalar(UInt32(value)) else { throw error("bad character code") }
            return code
        case "u", "U":
            var value = 0
            for _ in 0..<(scalar == "u" ? 4 : 8) {
                guard let next = peek(), let digit = CharClass.digitValue(next), digit < 16 else {
                    throw error("bad \\\(scalar) escape")
                }
                _ = advance()
                value = value * 16 + digit
            }
            guard let code = Unicode.Scalar(UInt32(value)) else { throw error("bad character code") }
            return code
        case "\n":
            return nil
        case "\\", "'", "\"", "`":
            return scalar
        default:
            throw error("undefined escape sequence '\\\(scalar)'")
        }
    }
}

/// Character classes of Prolog syntax.
enum CharClass {
    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= 48 && scalar.value <= 57 }

    static func digitValue(_ scalar: Unicode.Scalar) -> Int? {
        switch scalar.value {
        case 48...57: Int(scalar.value) - 48
        case 97...122: Int(scalar.value) - 87
        case 65...90: Int(scalar.value) - 55
        default: nil
        }
    }

    static func isUpper(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar.value >= 65 && scalar.value <= 90 }
        return scalar.properties.isUppercase || scalar.properties.generalCategory == .titlecaseLetter
    }

    static func isAlpha(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let value = scalar.value
            return (value >= 97 && value <= 122) || (value >= 65 && value <= 90) || scalar == "_"
        }
        return scalar.properties.isAlphabetic
    }

    static func isAlnum(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return isAlpha(scalar) || isDigit(scalar) }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
            || scalar.properties.generalCategory == .nonspacingMark
    }

    static func isSymbol(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return "+-*/\\^<>=~:.?@#&$".unicodeScalars.contains(scalar) }
        switch scalar.properties.generalCategory {
        case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol, .dashPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    static func isSolo(_ scalar: Unicode.Scalar) -> Bool { scalar == "!" || scalar == "," || scalar == ";" }
}
