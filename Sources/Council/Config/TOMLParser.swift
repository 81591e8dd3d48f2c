/// A strict TOML 1.0 parser (https://toml.io/en/v1.0.0) over UTF-8 bytes, in pure Swift.
///
/// This file reads the document's lines: table headers and key/value pairs, and keys. Values, strings, numbers
/// and dates are read by the extensions in the other `TOMLParser+*.swift` files.
struct TOMLParser {
    /// How deeply arrays and inline tables may nest, so a hostile file cannot exhaust the stack.
    static let maximumNesting = 128

    var scanner: TOMLScanner
    /// How many arrays and inline tables enclose the value being read.
    var nesting = 0

    init(_ text: String) {
        scanner = TOMLScanner(text)
    }

    /// Reads the whole document into its root table, or throws the first error.
    mutating func parseDocument() throws(TOMLSyntaxError) -> TOMLTable {
        let root = TOMLTable(origin: .header, name: "")
        var current = root
        while true {
            scanner.skipWhitespace()
            guard let byte = scanner.current else { return root }
            switch byte {
            case TOMLByte.hash, TOMLByte.lineFeed, TOMLByte.carriageReturn:
                try scanner.finishLine(after: "a comment")
            case UInt8(ascii: "["):
                current = try parseHeader(root: root)
                try scanner.finishLine(after: "a table header")
            default:
                try parseKeyValue(into: current)
                try scanner.finishLine(after: "a value")
            }
        }
    }

    /// Reads `[a.b]` or `[[a.b]]` and returns the table that the following key/value pairs go into.
    private mutating func parseHeader(root: TOMLTable) throws(TOMLSyntaxError) -> TOMLTable {
        scanner.position += 1
        let isArray = scanner.current == UInt8(ascii: "[")
        if isArray { scanner.position += 1 }
        scanner.skipWhitespace()
        let path = try parseKey()
        scanner.skipWhitespace()
        let closing = isArray ? "']]' to close the array of tables header" : "']' to close the table header"
        for _ in 0..<(isArray ? 2 : 1) {
            guard scanner.current == UInt8(ascii: "]") else {
                throw scanner.error("expected \(closing), found \(scanner.describeCurrent())")
            }
            scanner.position += 1
        }
        return isArray ? try root.appendTable(path) : try root.defineTable(path)
    }

    /// Reads `key = value` and stores it in `table`.
    mutating func parseKeyValue(into table: TOMLTable) throws(TOMLSyntaxError) {
        let path = try parseKey()
        scanner.skipWhitespace()
        guard scanner.current == UInt8(ascii: "=") else {
            let key = path.map { TOMLTable.shown($0.name) }.joined(separator: ".")
            throw scanner.error("expected '=' after the key '\(key)', found \(scanner.describeCurrent())")
        }
        scanner.position += 1
        scanner.skipWhitespace()
        let value = try parseValue()
        try table.insert(value, at: path)
    }

    /// Reads a key: one or more bare or quoted keys joined by dots, with optional whitespace around the dots.
    mutating func parseKey() throws(TOMLSyntaxError) -> [TOMLKeyPart] {
        var path: [TOMLKeyPart] = []
        while true {
            path.append(try parseSimpleKey())
            scanner.skipWhitespace()
            guard scanner.current == UInt8(ascii: ".") else { return path }
            scanner.position += 1
            scanner.skipWhitespace()
        }
    }

    /// Reads one bare (`A-Za-z0-9_-`), basic-quoted or literal-quoted key.
    private mutating func parseSimpleKey() throws(TOMLSyntaxError) -> TOMLKeyPart {
        let start = scanner.position
        switch scanner.current {
        case TOMLByte.quote:
            if scanner.peek(1) == TOMLByte.quote && scanner.peek(2) == TOMLByte.quote {
                throw scanner.error("a key cannot be a multi-line string")
            }
            return TOMLKeyPart(name: try parseBasicString(), offset: start)
        case TOMLByte.apostrophe:
            if scanner.peek(1) == TOMLByte.apostrophe && scanner.peek(2) == TOMLByte.apostrophe {
                throw scanner.error("a key cannot be a multi-line string")
            }
            return TOMLKeyPart(name: try parseLiteralString(), offset: start)
        case let byte? where TOMLScanner.isBareKeyByte(byte):
            while let byte = scanner.current, TOMLScanner.isBareKeyByte(byte) { scanner.position += 1 }
            let name = String(decoding: scanner.bytes[start..<scanner.position], as: UTF8.self)
            return TOMLKeyPart(name: name, offset: start)
        default:
            throw scanner.error("expected a key, found \(scanner.describeCurrent())")
        }
    }
}
