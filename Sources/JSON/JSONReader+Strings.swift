extension JSONReader {
    /// Reads a string starting at its opening quote and leaves `position` after the closing quote.
    mutating func readString() throws(JSONError) -> String {
        let quote = position
        position += 1
        let start = position
        // Fast path: no escapes, so the text is a slice of the input.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw controlCharacterError(byte) }
            position += byte < 0x80 ? 1 : try validatedSequenceLength()
        }
        guard position < bytes.count else { throw JSONError("unterminated string", offset: quote) }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: scratch, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try readEscape(quote: quote)
            case 0..<0x20:
                throw controlCharacterError(byte)
            case 0..<0x80:
                scratch.append(byte)
                position += 1
            default:
                let length = try validatedSequenceLength()
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[position..<position + length]))
                position += length
            }
        }
        throw JSONError("unterminated string", offset: quote)
    }

    /// Decodes one escape at `position` (a backslash) into `scratch`; `quote` opened the string.
    private mutating func readEscape(quote: Int) throws(JSONError) {
        let escape = position
        guard position + 1 < bytes.count else { throw JSONError("unterminated string", offset: quote) }
        let letter = bytes[position + 1]
        position += 2
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(letter)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try readHexQuad(escape: escape)
            switch unit {
            case 0xD800...0xDBFF:
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                    bytes[position + 1] == UInt8(ascii: "u")
                else {
                    throw JSONError(
                        "lone high surrogate escape, expected a \\u low surrogate to follow", offset: escape)
                }
                let lowEscape = position
                position += 2
                let low = try readHexQuad(escape: lowEscape)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw JSONError("high surrogate escape followed by a non-low surrogate", offset: lowEscape)
                }
                let scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                appendUTF8(scalar)
            case 0xDC00...0xDFFF:
                throw JSONError("lone low surrogate escape", offset: escape)
            default:
                appendUTF8(UInt32(unit))
            }
        default:
            throw JSONError("invalid escape '\\\(Character(Unicode.Scalar(letter)))'", offset: escape)
        }
    }

    /// Reads the four hex digits of a `\u` escape whose backslash is at `escape`.
    private mutating func readHexQuad(escape: Int) throws(JSONError) -> UInt16 {
        guard bytes.count - position >= 4 else {
            throw JSONError("invalid \\u escape, expected 4 hex digits", offset: escape)
        }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONError("invalid \\u escape, expected 4 hex digits", offset: escape)
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }

    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Length of the well-formed UTF-8 sequence whose lead byte (>= 0x80) is at `position` (Unicode table 3-7).
    private func validatedSequenceLength() throws(JSONError) -> Int {
        let lead = bytes[position]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: throw JSONError("invalid UTF-8", offset: position)
        }
        guard bytes.count - position >= length, secondRange.contains(bytes[position + 1]) else {
            throw JSONError("invalid UTF-8", offset: position)
        }
        for offset in 2..<length where bytes[position + offset] & 0xC0 != 0x80 {
            throw JSONError("invalid UTF-8", offset: position)
        }
        return length
    }

    private func controlCharacterError(_ byte: UInt8) -> JSONError {
        JSONError("unescaped control character \(describe(byte)) in string", offset: position)
    }
}
