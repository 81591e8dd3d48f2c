import JSON

/// The JSON type a request field must have, for validation messages ("'k' must be a number").
public enum JSONKind: String, Sendable {
    case string, number, bool, object, array

    /// Whether `value` is of this kind.
    public func matches(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.string, .string), (.number, .number), (.bool, .bool), (.object, .object), (.array, .array): true
        default: false
        }
    }
}
