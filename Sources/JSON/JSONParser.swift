/// A strict RFC 8259 JSON parser that works on UTF-8 bytes.
///
/// Rejects trailing commas, comments, `NaN`/`Infinity`, leading zeros, unescaped control characters,
/// invalid UTF-8 (overlong forms, surrogates, bytes past U+10FFFF), lone surrogate escapes, duplicate object
/// keys, numbers that overflow a double (`1e400`), a byte-order mark, and anything after the value but
/// whitespace. Nesting deeper than `maxDepth` arrays/objects is an error rather than a stack overflow.
public struct JSONParser: Sendable {
    /// The nesting depth used when none is given.
    public static let defaultMaxDepth = 64

    /// Maximum number of nested arrays and objects.
    public var maxDepth: Int

    /// A parser that allows `maxDepth` nested arrays and objects.
    public init(maxDepth: Int = JSONParser.defaultMaxDepth) {
        self.maxDepth = maxDepth
    }

    /// Parses one JSON text from UTF-8 `bytes`.
    public static func parse(
        _ bytes: some Collection<UInt8>, maxDepth: Int = defaultMaxDepth
    ) throws(JSONError) -> JSONValue {
        try JSONParser(maxDepth: maxDepth).parse(bytes)
    }

    /// Parses one JSON text from `text`.
    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(JSONError) -> JSONValue {
        try JSONParser(maxDepth: maxDepth).parse(text)
    }

    /// Parses one JSON text from UTF-8 `bytes`.
    public func parse(_ bytes: some Collection<UInt8>) throws(JSONError) -> JSONValue {
        let maxDepth = self.maxDepth
        let result = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONError) in try JSONReader.readDocument(buffer, maxDepth: maxDepth) }
        }
        if let result { return try result.get() }
        let copy = Array(bytes)
        return try copy.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONError) in try JSONReader.readDocument(buffer, maxDepth: maxDepth) }
        }.get()
    }

    /// Parses one JSON text from `text`.
    public func parse(_ text: String) throws(JSONError) -> JSONValue {
        var text = text
        let maxDepth = self.maxDepth
        return try text.withUTF8 { buffer in
            Result { () throws(JSONError) in try JSONReader.readDocument(buffer, maxDepth: maxDepth) }
        }.get()
    }
}
