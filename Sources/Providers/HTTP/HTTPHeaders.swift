/// HTTP header fields in order, looked up case-insensitively. Printing them masks the values of credential headers.
public struct HTTPHeaders: Sendable, Equatable, Sequence, CustomStringConvertible, CustomDebugStringConvertible,
    ExpressibleByDictionaryLiteral
{
    /// One header field.
    public struct Field: Sendable, Equatable {
        /// The name as sent or received.
        public var name: String
        /// The value, without surrounding whitespace.
        public var value: String

        /// Creates a field.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Header names whose values are credentials and are never printed.
    static let credentialNames: Set<String> = ["authorization", "x-api-key", "x-goog-api-key", "api-key", "cookie"]

    private var fields: [Field]

    /// No fields.
    public init() { fields = [] }

    /// The given fields, in order.
    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { Field(name: $0.0, value: $0.1) }
    }

    /// Appends a field (repeated names are kept, as HTTP allows).
    public mutating func add(_ name: String, _ value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// The first value of the field named `name` (any case), or nil.
    public subscript(name: String) -> String? {
        fields.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Every value of the field named `name` (any case), in order.
    public func values(for name: String) -> [String] {
        fields.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    /// The number of fields.
    public var count: Int { fields.count }

    /// Iterates the fields in order.
    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    /// `name: value` lines, credential values masked.
    public var description: String {
        fields.map { field in
            let value = Self.credentialNames.contains(field.name.lowercased()) ? "********" : field.value
            return "\(field.name): \(value)"
        }.joined(separator: "\n")
    }

    /// The same as ``description``.
    public var debugDescription: String { description }
}
