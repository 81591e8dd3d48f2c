/// Values: the dispatch on a value's first character, booleans, arrays and inline tables.
extension TOMLParser {
    /// Reads the value that starts at the cursor.
    mutating func parseValue() throws(TOMLSyntaxError) -> TOMLNode {
        switch scanner.current {
        case TOMLByte.quote:
            if scanner.peek(1) == TOMLByte.quote && scanner.peek(2) == TOMLByte.quote {
                return .string(try parseMultiLineBasicString())
            }
            return .string(try parseBasicString())
        case TOMLByte.apostrophe:
            if scanner.peek(1) == TOMLByte.apostrophe && scanner.peek(2) == TOMLByte.apostrophe {
                return .string(try parseMultiLineLiteralString())
            }
            return .string(try parseLiteralString())
        case UInt8(ascii: "t") where scanner.matches("true"):
            scanner.position += 4
            return .boolean(true)
        case UInt8(ascii: "f") where scanner.matches("false"):
            scanner.position += 5
            return .boolean(false)
        case UInt8(ascii: "["):
            return try parseArray()
        case UInt8(ascii: "{"):
            return try parseInlineTable()
        case let byte?
        where TOMLScanner.isDigit(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "i") || byte == UInt8(ascii: "n"):
            return try parseNumberOrDate()
        default:
            throw scanner.error("expected a value, found \(describeUnexpectedValue())")
        }
    }

    /// What stands where a value should: a whole word such as `'kitchen'` (with a hint when it could be meant as
    /// a string), or a single character.
    private func describeUnexpectedValue() -> String {
        let word = scanner.bytes[scanner.position...].prefix(while: TOMLScanner.isBareKeyByte)
        guard word.count > 1 else { return scanner.describeCurrent() }
        let text = String(decoding: word, as: UTF8.self)
        let isKeyword = ["true", "false", "inf", "nan"].contains(text.lowercased())
        return "'\(text)'" + (isKeyword ? "" : " (a string needs quotes)")
    }

    /// Reads `[ value, value, ]`: any types, a trailing comma, and newlines and comments between elements.
    private mutating func parseArray() throws(TOMLSyntaxError) -> TOMLNode {
        let start = scanner.position
        try enterNesting()
        defer { nesting -= 1 }
        scanner.position += 1
        var elements: [TOMLNode] = []
        while true {
            try scanner.skipWhitespaceCommentsAndNewlines()
            if scanner.current == UInt8(ascii: "]") { break }
            guard scanner.current != nil else { throw scanner.error("unterminated array (missing ']')", at: start) }
            elements.append(try parseValue())
            try scanner.skipWhitespaceCommentsAndNewlines()
            if scanner.current == UInt8(ascii: ",") {
                scanner.position += 1
                continue
            }
            if scanner.current == UInt8(ascii: "]") { break }
            guard scanner.current != nil else { throw scanner.error("unterminated array (missing ']')", at: start) }
            throw scanner.error("expected ',' or ']' in an array, found \(scanner.describeCurrent())")
        }
        scanner.position += 1
        return .array(elements)
    }

    /// Reads `{ key = value, ... }`: on one line, no trailing comma, complete once closed.
    private mutating func parseInlineTable() throws(TOMLSyntaxError) -> TOMLNode {
        let start = scanner.position
        try enterNesting()
        defer { nesting -= 1 }
        scanner.position += 1
        let table = TOMLTable(origin: .inline, name: "")
        scanner.skipWhitespace()
        if scanner.current == UInt8(ascii: "}") {
            scanner.position += 1
            return .table([])
        }
        while true {
            try checkInsideInlineTable(start: start)
            try parseKeyValue(into: table)
            scanner.skipWhitespace()
            if scanner.current == UInt8(ascii: "}") { break }
            try checkInsideInlineTable(start: start)
            guard scanner.current == UInt8(ascii: ",") else {
                throw scanner.error("expected ',' or '}' in an inline table, found \(scanner.describeCurrent())")
            }
            scanner.position += 1
            scanner.skipWhitespace()
            if scanner.current == UInt8(ascii: "}") {
                throw scanner.error("an inline table cannot end with a comma")
            }
        }
        scanner.position += 1
        return .table(table.members)
    }

    /// Rejects the end of the document and line breaks where an inline table continues.
    private func checkInsideInlineTable(start: Int) throws(TOMLSyntaxError) {
        switch scanner.current {
        case nil:
            throw scanner.error("unterminated inline table (missing '}')", at: start)
        case TOMLByte.lineFeed, TOMLByte.carriageReturn:
            throw scanner.error("an inline table must be on one line (missing '}')")
        case TOMLByte.hash:
            throw scanner.error("an inline table cannot contain comments (missing '}')")
        default:
            return
        }
    }

    /// Counts one more enclosing array or inline table, refusing absurd depths.
    private mutating func enterNesting() throws(TOMLSyntaxError) {
        guard nesting < Self.maximumNesting else {
            throw scanner.error("arrays and inline tables nest more than \(Self.maximumNesting) deep")
        }
        nesting += 1
    }
}
