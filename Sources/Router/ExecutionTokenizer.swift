/// One token of Python source: its kind and where its bytes are.
struct PythonToken: Sendable {
    enum Kind: UInt8, Sendable {
        case name, number, string, op
    }

    var kind: Kind
    /// Byte offsets of the whole token in the source.
    var start: Int32
    var end: Int32
    /// For strings: the offsets of the text between the quotes; otherwise equal to start/end.
    var contentStart: Int32
    var contentEnd: Int32
    /// The 1-based line the token starts on.
    var line: Int32
}

/// One logical line of Python: its tokens and its indentation level (0 at the top).
struct PythonLine: Sendable {
    var range: Range<Int>
    var level: Int
    var line: Int
}

/// Splits Python source into tokens and logical lines, well enough that text inside strings and comments is never
/// mistaken for code: quotes of every kind (prefixes, triple quotes, escapes), comments, bracket and backslash line
/// joining, indentation. Malformed source never fails: it tokenizes as far as it makes sense.
struct PythonTokenizer {
    let bytes: [UInt8]
    private(set) var tokens: [PythonToken] = []
    private(set) var lines: [PythonLine] = []

    init(_ source: String) {
        bytes = Array(source.utf8)
        tokens.reserveCapacity(bytes.count / 4)
        scan()
    }

    /// The text of token `index` (for strings: with quotes and prefix).
    func text(_ index: Int) -> String {
        let token = tokens[index]
        return String(decoding: bytes[Int(token.start)..<Int(token.end)], as: UTF8.self)
    }

    /// The text between a string token's quotes.
    func content(_ index: Int) -> String {
        let token = tokens[index]
        return String(decoding: bytes[Int(token.contentStart)..<Int(token.contentEnd)], as: UTF8.self)
    }

    /// Whether token `index` is exactly `word` (a name or an operator).
    func isText(_ index: Int, _ word: StaticString) -> Bool {
        let token = tokens[index]
        let length = Int(token.end - token.start)
        guard length == word.utf8CodeUnitCount, token.kind != .string else { return false }
        let base = word.utf8Start
        var offset = 0
        let start = Int(token.start)
        while offset < length {
            if bytes[start + offset] != base[offset] { return false }
            offset += 1
        }
        return true
    }

    /// The first byte of token `index`.
    func firstByte(_ index: Int) -> UInt8 { bytes[Int(tokens[index].start)] }

    /// The string prefix letters of a string token, lowercased (`""`, `"b"`, `"rb"`, `"f"`, ...).
    func stringPrefix(_ index: Int) -> String {
        let token = tokens[index]
        var prefix = ""
        var offset = Int(token.start)
        while offset < Int(token.end), bytes[offset] != UInt8(ascii: "'"), bytes[offset] != UInt8(ascii: "\"") {
            prefix.unicodeScalars.append(Unicode.Scalar(bytes[offset] | 0x20))
            offset += 1
        }
        return prefix
    }

    // MARK: Scanning

    private mutating func scan() {
        var index = 0
        var line: Int32 = 1
        var depth = 0
        var indents: [Int] = [0]
        var atLineStart = true
        var lineStartToken = 0
        var lineNumber: Int32 = 1
        let count = bytes.count

        func endLine(_ tokens: inout [PythonToken], _ lines: inout [PythonLine]) {
            if tokens.count > lineStartToken {
                lines.append(
                    PythonLine(range: lineStartToken..<tokens.count, level: indents.count - 1, line: Int(lineNumber)))
            }
            lineStartToken = tokens.count
        }

        while index < count {
            if atLineStart && depth == 0 {
                // Measure the indentation; blank and comment-only lines do not count.
                var column = 0
                var cursor = index
                while cursor < count {
                    let byte = bytes[cursor]
                    if byte == UInt8(ascii: " ") {
                        column += 1
                    } else if byte == UInt8(ascii: "\t") {
                        column = (column / 8 + 1) * 8
                    } else if byte == 0x0C {
                        column = 0
                    } else {
                        break
                    }
                    cursor += 1
                }
                index = cursor
                guard cursor < count else { break }
                let byte = bytes[cursor]
                if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "#") {
                    atLineStart = byte != UInt8(ascii: "#")
                    if byte != UInt8(ascii: "#") {
                        index += 1
                        if byte == UInt8(ascii: "\n") { line += 1 }
                    }
                    if byte == UInt8(ascii: "#") {
                        while index < count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                        atLineStart = true
                    }
                    continue
                }
                if column > indents[indents.count - 1] {
                    indents.append(column)
                } else {
                    while indents.count > 1, column < indents[indents.count - 1] { indents.removeLast() }
                }
                lineStartToken = tokens.count
                lineNumber = line
                atLineStart = false
            }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\n"):
                line += 1
                index += 1
                if depth == 0 {
                    endLine(&tokens, &lines)
                    atLineStart = true
                }
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), 0x0C:
                index += 1
            case UInt8(ascii: "#"):
                while index < count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            case UInt8(ascii: "\\"):
                // An explicit line join; anything else after a backslash outside a string is an error we skip.
                index += 1
                if index < count, bytes[index] == UInt8(ascii: "\r") { index += 1 }
                if index < count, bytes[index] == UInt8(ascii: "\n") {
                    index += 1
                    line += 1
                }
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                scanString(from: index, prefixStart: index, line: &line, index: &index)
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                scanNumber(&index, line: line)
            case UInt8(ascii: "."):
                if index + 1 < count, Self.isDigit(bytes[index + 1]) {
                    scanNumber(&index, line: line)
                } else {
                    scanOperator(&index, line: line, depth: &depth)
                }
            default:
                if Self.isNameStart(byte) {
                    let start = index
                    while index < count, Self.isNameByte(bytes[index]) { index += 1 }
                    if index < count, bytes[index] == UInt8(ascii: "'") || bytes[index] == UInt8(ascii: "\""),
                        index - start <= 2, isStringPrefix(start..<index)
                    {
                        scanString(from: index, prefixStart: start, line: &line, index: &index)
                    } else {
                        append(.name, start, index, line)
                    }
                } else {
                    scanOperator(&index, line: line, depth: &depth)
                }
            }
        }
        endLine(&tokens, &lines)
    }

    private mutating func append(_ kind: PythonToken.Kind, _ start: Int, _ end: Int, _ line: Int32) {
        tokens.append(
            PythonToken(
                kind: kind, start: Int32(start), end: Int32(end), contentStart: Int32(start), contentEnd: Int32(end),
                line: line))
    }

    private func isStringPrefix(_ range: Range<Int>) -> Bool {
        var seen: UInt8 = 0
        for offset in range {
            let letter = bytes[offset] | 0x20
            switch letter {
            case UInt8(ascii: "r"), UInt8(ascii: "b"), UInt8(ascii: "u"), UInt8(ascii: "f"):
                if seen == letter { return false }
                seen = letter
            default: return false
            }
        }
        return true
    }

    private mutating func scanString(from quoteIndex: Int, prefixStart: Int, line: inout Int32, index: inout Int) {
        let startLine = line
        let quote = bytes[quoteIndex]
        let count = bytes.count
        let triple = quoteIndex + 2 < count && bytes[quoteIndex + 1] == quote && bytes[quoteIndex + 2] == quote
        var cursor = quoteIndex + (triple ? 3 : 1)
        let contentStart = cursor
        var contentEnd = count
        while cursor < count {
            let byte = bytes[cursor]
            if byte == UInt8(ascii: "\\") {
                if cursor + 1 < count, bytes[cursor + 1] == UInt8(ascii: "\n") { line += 1 }
                cursor += 2
                continue
            }
            if byte == UInt8(ascii: "\n") {
                if !triple {
                    contentEnd = cursor
                    break
                }
                line += 1
            }
            if byte == quote {
                if !triple {
                    contentEnd = cursor
                    cursor += 1
                    break
                }
                if cursor + 2 < count, bytes[cursor + 1] == quote, bytes[cursor + 2] == quote {
                    contentEnd = cursor
                    cursor += 3
                    break
                }
            }
            cursor += 1
        }
        cursor = min(cursor, count)
        contentEnd = min(contentEnd, cursor)
        tokens.append(
            PythonToken(
                kind: .string, start: Int32(prefixStart), end: Int32(cursor), contentStart: Int32(contentStart),
                contentEnd: Int32(max(contentStart, contentEnd)), line: startLine))
        index = cursor
    }

    private mutating func scanNumber(_ index: inout Int, line: Int32) {
        let start = index
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if Self.isNameByte(byte) || byte == UInt8(ascii: ".") {
                let lower = byte | 0x20
                index += 1
                // An exponent's sign belongs to the number (not for hex digits like 0x1e).
                if lower == UInt8(ascii: "e"), index < count,
                    bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"),
                    !(index - start > 2 && (bytes[start + 1] | 0x20) == UInt8(ascii: "x"))
                {
                    index += 1
                }
            } else {
                break
            }
        }
        append(.number, start, index, line)
    }

    private mutating func scanOperator(_ index: inout Int, line: Int32, depth: inout Int) {
        let start = index
        let byte = bytes[index]
        let count = bytes.count
        switch byte {
        case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
        case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"): depth = max(0, depth - 1)
        default: break
        }
        index += 1
        if index < count, Self.isOperatorByte(byte) {
            let next = bytes[index]
            let pair =
                next == UInt8(ascii: "=") || (next == byte && Self.doubles(byte))
                || (byte == UInt8(ascii: "-") && next == UInt8(ascii: ">"))
                || (byte == UInt8(ascii: ".") && next == UInt8(ascii: ".") && index + 1 < count
                    && bytes[index + 1] == UInt8(ascii: "."))
            if pair {
                index += 1
                if index < count, bytes[index] == UInt8(ascii: "="), next == byte, byte != UInt8(ascii: "=") {
                    index += 1  // **=, //=, <<=, >>=
                } else if byte == UInt8(ascii: "."), next == UInt8(ascii: ".") {
                    index += 1  // ...
                }
            }
        }
        append(.op, start, index, line)
    }

    private static func isOperatorByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "%"),
            UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "&"),
            UInt8(ascii: "|"), UInt8(ascii: "^"), UInt8(ascii: "@"), UInt8(ascii: ":"), UInt8(ascii: "."):
            true
        default: false
        }
    }

    private static func doubles(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "*") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "<")
            || byte == UInt8(ascii: ">")
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    static func isNameStart(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") || byte == UInt8(ascii: "_")
            || byte >= 0x80
    }

    static func isNameByte(_ byte: UInt8) -> Bool { isNameStart(byte) || isDigit(byte) }
}
