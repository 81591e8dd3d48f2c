/// A cursor over the UTF-8 bytes of a TOML document, with the lexical rules every part of the grammar shares:
/// whitespace, newlines, comments, character classes and error messages that name what was found.
struct TOMLScanner {
    /// U+FEFF encoded as UTF-8; skipped at the start of a document.
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The whole document.
    let bytes: [UInt8]
    /// The offset of the next byte to read.
    var position: Int

    init(_ text: String) {
        bytes = Array(text.utf8)
        position = bytes.starts(with: Self.byteOrderMark) ? Self.byteOrderMark.count : 0
    }

    /// The byte at the cursor, or `nil` at the end.
    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    /// The byte `distance` bytes past the cursor, or `nil` past the end.
    func peek(_ distance: Int) -> UInt8? {
        position + distance < bytes.count ? bytes[position + distance] : nil
    }

    /// Whether the bytes at the cursor spell `word` (ASCII).
    func matches(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        return word.withUTF8Buffer { word in
            for index in 0..<count where bytes[position + index] != word[index] { return false }
            return true
        }
    }

    /// Skips spaces and tabs.
    mutating func skipWhitespace() {
        while let byte = current, byte == TOMLByte.space || byte == TOMLByte.tab { position += 1 }
    }

    /// Skips a comment if one starts at the cursor, up to (not including) the end of its line.
    mutating func skipComment() throws(TOMLSyntaxError) {
        guard current == TOMLByte.hash else { return }
        position += 1
        while let byte = current, byte != TOMLByte.lineFeed {
            if byte == TOMLByte.carriageReturn && peek(1) == TOMLByte.lineFeed { return }
            if Self.isForbiddenControl(byte) { throw error("\(describeCurrent()) is not allowed in a comment") }
            position += 1
        }
    }

    /// Consumes a newline (LF or CRLF) if one starts at the cursor and says whether it did.
    mutating func skipNewline() -> Bool {
        if current == TOMLByte.lineFeed {
            position += 1
            return true
        }
        if current == TOMLByte.carriageReturn && peek(1) == TOMLByte.lineFeed {
            position += 2
            return true
        }
        return false
    }

    /// Skips whitespace, comments and newlines, as allowed between the elements of an array.
    mutating func skipWhitespaceCommentsAndNewlines() throws(TOMLSyntaxError) {
        while true {
            skipWhitespace()
            try skipComment()
            if !skipNewline() { return }
        }
    }

    /// Skips trailing whitespace and a comment, then requires a newline or the end of the document.
    ///
    /// `what` names what the line held ("a value", "a table header") for the message when something else follows.
    mutating func finishLine(after what: String) throws(TOMLSyntaxError) {
        skipWhitespace()
        try skipComment()
        if current == nil || skipNewline() { return }
        if current == TOMLByte.carriageReturn {
            throw error("a carriage return (U+000D) must be followed by a newline")
        }
        throw error("expected a newline after \(what), found \(describeCurrent())")
    }

    /// An error at `offset`, or at the cursor when `offset` is `nil`.
    func error(_ message: String, at offset: Int? = nil) -> TOMLSyntaxError {
        TOMLSyntaxError(offset: offset ?? position, message: message)
    }

    /// The character at the cursor as a message shows it: `'x'`, `U+0007`, `a space`, `a newline`, `end of file`.
    func describeCurrent() -> String { describe(at: position) }

    /// The character at `offset` as a message shows it; invisible and space-like characters by code point.
    func describe(at offset: Int) -> String {
        guard offset < bytes.count else { return "end of file" }
        let byte = bytes[offset]
        if byte == TOMLByte.lineFeed { return "a newline" }
        if byte == TOMLByte.space { return "a space" }
        if byte == TOMLByte.tab { return "a tab" }
        if byte == TOMLByte.carriageReturn, offset + 1 < bytes.count, bytes[offset + 1] == TOMLByte.lineFeed {
            return "a newline"
        }
        let scalar = scalar(at: offset)
        switch scalar.properties.generalCategory {
        case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator: break
        default: return "'\(Character(scalar))'"
        }
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// The Unicode scalar whose UTF-8 encoding starts at `offset` (the input came from a `String`, so it is valid).
    private func scalar(at offset: Int) -> Unicode.Scalar {
        let lead = bytes[offset]
        let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        var value = length == 1 ? UInt32(lead) : UInt32(lead) & (0xFF >> (length + 1))
        for index in 1..<length where offset + index < bytes.count {
            value = value << 6 | UInt32(bytes[offset + index] & 0x3F)
        }
        return Unicode.Scalar(value) ?? "\u{FFFD}"
    }

    /// Control characters TOML forbids in strings and comments: U+0000–U+001F except tab, and U+007F.
    static func isForbiddenControl(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != TOMLByte.tab) || byte == 0x7F
    }

    /// `A-Z a-z 0-9 _ -`: the characters of a bare key.
    static func isBareKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    /// `0-9`.
    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}

/// The ASCII bytes the TOML grammar names.
enum TOMLByte {
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let hash = UInt8(ascii: "#")
    static let quote = UInt8(ascii: "\"")
    static let apostrophe = UInt8(ascii: "'")
    static let backslash = UInt8(ascii: "\\")
}
