/// A JSON value: the document model used for MQTT envelopes and the CLI.
///
/// Objects keep their keys in insertion order (see ``JSONObject``), numbers keep integers exact
/// (see ``JSONNumber``). Build values with literals — `["status": "ok", "data": ["answer": "36"]]` —
/// parse them with ``JSONParser`` and write them with ``encoded(pretty:)``.
public enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number: an exact 64-bit integer or a double.
    case number(JSONNumber)
    /// A string of Unicode text.
    case string(String)
    /// An ordered list of values.
    case array([JSONValue])
    /// A map from string keys to values that remembers insertion order.
    case object(JSONObject)
}

extension JSONValue {
    /// Creates a number value holding `value` exactly.
    public init(_ value: Int) { self = .number(JSONNumber(value)) }

    /// Creates a number value holding `value` exactly.
    public init(_ value: Int64) { self = .number(JSONNumber(value)) }

    /// Creates a number value; a non-finite double is written as `null`.
    public init(_ value: Double) { self = .number(JSONNumber(value)) }

    /// Creates a string value.
    public init(_ value: String) { self = .string(value) }

    /// Creates a boolean value.
    public init(_ value: Bool) { self = .bool(value) }

    /// Creates an array value.
    public init(_ value: [JSONValue]) { self = .array(value) }

    /// Creates an object value.
    public init(_ value: JSONObject) { self = .object(value) }
}

extension JSONValue {
    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The string, if this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The boolean, if this is `true` or `false`.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The number, if this is a number.
    public var numberValue: JSONNumber? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The number as an `Int`, only if it is integral and fits (`3` and `3.0` do, `3.5` and `1e30` do not).
    public var intValue: Int? { numberValue?.intValue }

    /// The number as a `Double` (integers beyond 2^53 are rounded), if this is a number.
    public var doubleValue: Double? { numberValue?.doubleValue }

    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The object, if this is an object.
    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The member named `key` if this is an object that has it; `nil` otherwise.
    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    /// The element at `index` if this is an array and the index is in range; `nil` otherwise.
    public subscript(index: Int) -> JSONValue? {
        if case .array(let elements) = self, elements.indices.contains(index) { return elements[index] }
        return nil
    }
}

extension JSONValue: CustomStringConvertible {
    /// The compact JSON text of this value.
    public var description: String { encodedString() }
}
