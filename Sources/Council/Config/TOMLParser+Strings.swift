/// The four kinds of string: basic `"..."`, literal `'...'`, and their multi-line forms `"""..."""`, `'''...'''`.
extension TOMLParser {
    /// Reads a basic string at the cursor (on its opening quote), resolving escapes.
    mutating func parseBasicString() throws(TOMLSyntaxError) -> String {
        let start = scanner.position
        scanner.position += 1
        var text: [UInt8] = []
        while true {
            guard let byte = scanner.current else { throw unterminated("string", missing: "\"", at: start) }
            switch byte {
            case TOMLByte.quote:
                scanner.position += 1
                return String(decoding: text, as: UTF8.self)
            case TOMLByte.backslash:
                try parseEscape(into: &text)
            case TOMLByte.lineFeed, TOMLByte.carriageReturn:
                throw unterminated("string", missing: "\"", at: start)
            default:
                try appendStringByte(byte, to: &text)
            }
        }
    }

    /// Reads a literal string at the cursor (on its opening apostrophe): every character as written.
    mutating func parseLiteralString() throws(TOMLSyntaxError) -> String {
        let start = scanner.position
        scanner.position += 1
        let contentStart = scanner.position
        while true {
            guard let byte = scanner.current else { throw unterminated("string", missing: "'", at: start) }
            switch byte {
            case TOMLByte.apostrophe:
                let text = String(decoding: scanner.bytes[contentStart..<scanner.position], as: UTF8.self)
                scanner.position += 1
                return text
            case TOMLByte.lineFeed, TOMLByte.carriageReturn:
                throw unterminated("string", missing: "'", at: start)
            default:
                if TOMLScanner.isForbiddenControl(byte) { throw forbiddenCharacter() }
                scanner.position += 1
            }
        }
    }

    /// Reads a multi-line basic string at the cursor (on `"""`): escapes resolved, a newline right after the
    /// opening quotes dropped, and a backslash at the end of a line removing the line break and the whitespace
    /// that follows it.
    mutating func parseMultiLineBasicString() throws(TOMLSyntaxError) -> String {
        let start = scanner.position
        scanner.position += 3
        _ = scanner.skipNewline()
        var text: [UInt8] = []
        while true {
            guard let byte = scanner.current else {
                throw unterminated("multi-line string", missing: "\"\"\"", at: start)
            }
            switch byte {
            case TOMLByte.quote:
                if try consumeQuotes(TOMLByte.quote, into: &text) { return String(decoding: text, as: UTF8.self) }
            case TOMLByte.backslash:
                if !skipLineEndingBackslash() { try parseEscape(into: &text) }
            case TOMLByte.lineFeed, TOMLByte.carriageReturn:
                try appendNewline(to: &text)
            default:
                try appendStringByte(byte, to: &text)
            }
        }
    }

    /// Reads a multi-line literal string at the cursor (on `'''`): every character as written, except that a
    /// newline right after the opening quotes is dropped.
    mutating func parseMultiLineLiteralString() throws(TOMLSyntaxError) -> String {
        let start = scanner.position
        scanner.position += 3
        _ = scanner.skipNewline()
        var text: [UInt8] = []
        while true {
            guard let byte = scanner.current else { throw unterminated("multi-line string", missing: "'''", at: start) }
            switch byte {
            case TOMLByte.apostrophe:
                if try consumeQuotes(TOMLByte.apostrophe, into: &text) {
                    return String(decoding: text, as: UTF8.self)
                }
            case TOMLByte.lineFeed, TOMLByte.carriageReturn:
                try appendNewline(to: &text)
            default:
                try appendStringByte(byte, to: &text)
            }
        }
    }

    /// Reads a run of `quote` characters inside a multi-line string. Three to five end the string (up to two of
    /// them belong to its content) and return `true`; one or two are content.
    private mutating func consumeQuotes(_ quote: UInt8, into text: inout [UInt8]) throws(TOMLSyntaxError) -> Bool {
        var count = 0
        while scanner.current == quote {
            count += 1
            scanner.position += 1
        }
        guard count < 6 else {
            let problem =
                quote == TOMLByte.quote
                ? "a multi-line string cannot contain three quotes in a row; escape one of them"
                : "a multi-line literal string cannot contain three apostrophes in a row; use a basic string"
            throw scanner.error(problem, at: scanner.position - count)
        }
        text.append(contentsOf: repeatElement(quote, count: count < 3 ? count : count - 3))
        return count >= 3
    }

    /// Skips a backslash that ends a line, with the whitespace and newlines after it; `false` if the backslash
    /// at the cursor starts an ordinary escape.
    private mutating func skipLineEndingBackslash() -> Bool {
        var probe = scanner
        probe.position += 1
        probe.skipWhitespace()
        guard probe.skipNewline() else { return false }
        while true {
            probe.skipWhitespace()
            if !probe.skipNewline() { break }
        }
        scanner.position = probe.position
        return true
    }

    /// Reads `\b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX` at the cursor and appends the character it stands for.
    private mutating func parseEscape(into text: inout [UInt8]) throws(TOMLSyntaxError) {
        let start = scanner.position
        scanner.position += 1
        let simple: UInt8? =
            switch scanner.current {
            case UInt8(ascii: "b"): 0x08
            case UInt8(ascii: "t"): 0x09
            case UInt8(ascii: "n"): 0x0A
            case UInt8(ascii: "f"): 0x0C
            case UInt8(ascii: "r"): 0x0D
            case TOMLByte.quote: TOMLByte.quote
            case TOMLByte.backslash: TOMLByte.backslash
            default: nil
            }
        if let simple {
            scanner.position += 1
            text.append(simple)
            return
        }
        let digits: Int
        switch scanner.current {
        case UInt8(ascii: "u"): digits = 4
        case UInt8(ascii: "U"): digits = 8
        case nil: throw scanner.error("unterminated string: the document ends after a backslash", at: start)
        default:
            let found = scanner.describeCurrent()
            let escape = found.hasPrefix("'") ? "'\\" + found.dropFirst() : "'\\' followed by \(found)"
            throw scanner.error("invalid escape \(escape) (write \\\\ for a backslash)", at: start)
        }
        scanner.position += 1
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard let byte = scanner.current, let digit = Self.hexValue(byte) else {
                let escape = digits == 4 ? "\\u" : "\\U"
                throw scanner.error("\(escape) needs exactly \(digits) hexadecimal digits", at: start)
            }
            value = value << 4 | UInt32(digit)
            scanner.position += 1
        }
        guard let scalar = Unicode.Scalar(value) else {
            let written = String(decoding: scanner.bytes[start..<scanner.position], as: UTF8.self)
            throw scanner.error("\(written) is not a Unicode scalar value", at: start)
        }
        UTF8.encode(scalar) { text.append($0) }
    }

    /// Appends a content byte, rejecting control characters other than tab.
    private mutating func appendStringByte(_ byte: UInt8, to text: inout [UInt8]) throws(TOMLSyntaxError) {
        if TOMLScanner.isForbiddenControl(byte) { throw forbiddenCharacter() }
        text.append(byte)
        scanner.position += 1
    }

    /// Appends a newline (LF or CRLF, stored as LF) inside a multi-line string; a lone carriage return is an error.
    private mutating func appendNewline(to text: inout [UInt8]) throws(TOMLSyntaxError) {
        guard scanner.skipNewline() else { throw forbiddenCharacter() }
        text.append(TOMLByte.lineFeed)
    }

    private func forbiddenCharacter() -> TOMLSyntaxError {
        scanner.error("\(scanner.describeCurrent()) is not allowed in a string (write it as an escape)")
    }

    private func unterminated(_ kind: String, missing quote: String, at start: Int) -> TOMLSyntaxError {
        scanner.error("unterminated \(kind) (missing closing \(quote))", at: start)
    }

    /// The value of an ASCII hexadecimal digit.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
