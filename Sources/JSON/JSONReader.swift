/// The recursive-descent reader behind ``JSONParser``: one pass over contiguous UTF-8 bytes.
struct JSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var position = 0
    var depth = 0
    /// Reused buffer for strings that contain escapes.
    var scratch: [UInt8] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// Reads exactly one value from `bytes`.
    static func readDocument(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) throws(JSONError) -> JSONValue {
        var reader = JSONReader(bytes, maxDepth: maxDepth)
        return try reader.readDocument()
    }

    /// Reads exactly one value surrounded by optional whitespace.
    mutating func readDocument() throws(JSONError) -> JSONValue {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            throw JSONError("byte-order mark is not allowed", offset: 0)
        }
        skipWhitespace()
        let value = try readValue()
        skipWhitespace()
        if position < bytes.count {
            throw JSONError("unexpected \(describe(bytes[position])) after the JSON value", offset: position)
        }
        return value
    }

    mutating func readValue() throws(JSONError) -> JSONValue {
        guard position < bytes.count else {
            throw JSONError("unexpected end of input, expected a value", offset: position)
        }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try readObject()
        case UInt8(ascii: "["): return try readArray()
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try readNumber())
        case let byte:
            throw JSONError("unexpected \(describe(byte)), expected a value", offset: position)
        }
    }

    private mutating func readObject() throws(JSONError) -> JSONValue {
        try enterContainer()
        position += 1
        skipWhitespace()
        var object = JSONObject()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return .object(object)
        }
        while true {
            guard position < bytes.count else {
                throw JSONError("unexpected end of input, expected a string key", offset: position)
            }
            guard bytes[position] == UInt8(ascii: "\"") else {
                let found = describe(bytes[position])
                let message =
                    bytes[position] == UInt8(ascii: "}")
                    ? "trailing comma before '}'" : "expected a string key, found \(found)"
                throw JSONError(message, offset: position)
            }
            let keyOffset = position
            let key = try readString()
            if object.position(of: key) != nil {
                throw JSONError("duplicate key \"\(key)\"", offset: keyOffset)
            }
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                throw JSONError("expected ':' after object key", offset: position)
            }
            position += 1
            skipWhitespace()
            object.append(key: key, value: try readValue())
            skipWhitespace()
            guard position < bytes.count else {
                throw JSONError("unexpected end of input, expected ',' or '}'", offset: position)
            }
            switch bytes[position] {
            case UInt8(ascii: ","):
                position += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                position += 1
                depth -= 1
                return .object(object)
            case let byte:
                throw JSONError("expected ',' or '}' after object member, found \(describe(byte))", offset: position)
            }
        }
    }

    private mutating func readArray() throws(JSONError) -> JSONValue {
        try enterContainer()
        position += 1
        skipWhitespace()
        var elements: [JSONValue] = []
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                throw JSONError("trailing comma before ']'", offset: position)
            }
            elements.append(try readValue())
            skipWhitespace()
            guard position < bytes.count else {
                throw JSONError("unexpected end of input, expected ',' or ']'", offset: position)
            }
            switch bytes[position] {
            case UInt8(ascii: ","):
                position += 1
                skipWhitespace()
            case UInt8(ascii: "]"):
                position += 1
                depth -= 1
                return .array(elements)
            case let byte:
                throw JSONError("expected ',' or ']' after array element, found \(describe(byte))", offset: position)
            }
        }
    }

    private mutating func enterContainer() throws(JSONError) {
        depth += 1
        if depth > maxDepth {
            throw JSONError("nesting deeper than \(maxDepth) levels", offset: position)
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
        let start = position
        let count = literal.utf8CodeUnitCount
        let text = UnsafeBufferPointer(start: literal.utf8Start, count: count)
        guard bytes.count - position >= count, bytes[position..<position + count].elementsEqual(text) else {
            throw JSONError("invalid literal, expected '\(literal)'", offset: start)
        }
        position += count
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                position += 1
            default:
                return
            }
        }
    }

    /// A byte as an error message shows it: `'x'` when printable ASCII, `byte 0x07` otherwise.
    func describe(_ byte: UInt8) -> String {
        if byte >= 0x21, byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x" + (hex.count == 1 ? "0" + hex : hex)
    }
}
