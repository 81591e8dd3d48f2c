/// The members of a JSON object, in insertion order, with lookup by key.
///
/// Small objects (the usual envelope) are searched linearly; past ``indexThreshold`` members a hash index is
/// kept as well. Setting an existing key replaces its value in place; setting `nil` removes it.
/// Equality ignores order, as JSON does: `{"a":1,"b":2}` equals `{"b":2,"a":1}`.
public struct JSONObject: Sendable {
    /// One member of an object.
    public typealias Element = (key: String, value: JSONValue)

    /// Number of members above which lookups go through a hash index.
    static let indexThreshold = 16

    private var entries: [Element]
    private var index: [String: Int]?

    /// An empty object.
    public init() {
        entries = []
        index = nil
    }

    /// An empty object with room for `minimumCapacity` members.
    public init(minimumCapacity: Int) {
        entries = []
        entries.reserveCapacity(minimumCapacity)
        index = nil
    }

    /// An object with `members` in order; a repeated key keeps its first position and last value.
    public init(_ members: some Sequence<(String, JSONValue)>) {
        self.init()
        for (key, value) in members { self[key] = value }
    }

    /// The value stored under `key`, or `nil`. Setting `nil` removes the key; setting a new key appends it.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let position = position(of: key) else { return nil }
            return entries[position].value
        }
        set {
            if let newValue {
                updateValue(newValue, forKey: key)
            } else {
                removeValue(forKey: key)
            }
        }
    }

    /// Stores `value` under `key` (appending a new key at the end) and returns the value it replaced.
    @discardableResult
    public mutating func updateValue(_ value: JSONValue, forKey key: String) -> JSONValue? {
        if let position = position(of: key) {
            let old = entries[position].value
            entries[position].value = value
            return old
        }
        append(key: key, value: value)
        return nil
    }

    /// Removes `key` and returns its value, keeping the order of the other members.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let position = position(of: key) else { return nil }
        let old = entries.remove(at: position).value
        rebuildIndex()
        return old
    }

    /// Whether `key` is present.
    public func contains(key: String) -> Bool { position(of: key) != nil }

    /// The keys in order.
    public var keys: [String] { entries.map(\.key) }

    /// The values in key order.
    public var values: [JSONValue] { entries.map(\.value) }

    /// Appends a member known not to be present (used by the parser after its duplicate check).
    mutating func append(key: String, value: JSONValue) {
        entries.append((key: key, value: value))
        if index != nil {
            index![key] = entries.count - 1
        } else if entries.count > Self.indexThreshold {
            rebuildIndex()
        }
    }

    /// Position of `key` in `entries`.
    func position(of key: String) -> Int? {
        if let index { return index[key] }
        return entries.firstIndex { $0.key == key }
    }

    private mutating func rebuildIndex() {
        guard entries.count > Self.indexThreshold else {
            index = nil
            return
        }
        var rebuilt = [String: Int](minimumCapacity: entries.count)
        for (position, entry) in entries.enumerated() { rebuilt[entry.key] = position }
        index = rebuilt
    }
}

extension JSONObject: RandomAccessCollection {
    /// Position of the first member.
    public var startIndex: Int { entries.startIndex }

    /// Position past the last member.
    public var endIndex: Int { entries.endIndex }

    /// The member at `position`, in insertion order.
    public subscript(position: Int) -> Element { entries[position] }
}

extension JSONObject: Hashable {
    /// Same keys with equal values, in any order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for entry in lhs.entries {
            guard let other = rhs[entry.key], other == entry.value else { return false }
        }
        return true
    }

    /// An order-independent hash of the members.
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for entry in entries {
            var memberHasher = Hasher()
            memberHasher.combine(entry.key)
            memberHasher.combine(entry.value)
            combined ^= memberHasher.finalize()
        }
        hasher.combine(entries.count)
        hasher.combine(combined)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// An object whose keys keep the literal's order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(minimumCapacity: elements.count)
        for (key, value) in elements { self[key] = value }
    }
}

extension JSONObject: CustomStringConvertible {
    /// The compact JSON text of the object.
    public var description: String { JSONValue.object(self).encodedString() }
}
