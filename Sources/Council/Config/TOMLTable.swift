/// One key of a key path as written in the document, with where it starts (for error positions).
struct TOMLKeyPart {
    /// The key after unquoting.
    let name: String
    /// The UTF-8 offset of its first character.
    let offset: Int
}

/// A table while the document is being parsed: members in the order they first appear, plus how the table came
/// to exist, which decides whether a later header or dotted key may still add to it.
final class TOMLTable {
    /// How a table came to exist.
    enum Origin {
        /// Created only as the parent of a header (`a` in `[a.b]`); a later `[a]` may still define it.
        case implicit
        /// Defined by its own `[header]` or `[[header]]`, or the document's root.
        case header
        /// Created or extended by dotted keys (`a.b = 1`); no header may define it any more.
        case dotted
        /// An inline table `{ ... }` under construction; complete once its closing brace is read.
        case inline
    }

    /// What a key of the table holds.
    enum Member {
        /// A value that nothing can extend: a scalar, a static array `[...]` or a finished inline table.
        case value(TOMLNode)
        /// A table that headers or dotted keys may extend, depending on its origin.
        case table(TOMLTable)
        /// An array of tables made by `[[header]]`s.
        case tables(TOMLTableArray)
    }

    /// How this table came to exist; see ``Origin``.
    var origin: Origin
    /// The key path from the root as TOML writes it (`mqtt`, `a."b c"`), for messages; "" for the root.
    let name: String
    private var entries: [(key: String, member: Member)] = []
    /// Positions in `entries` by key, built once the table is too large for a linear search to be quicker.
    private var positions: [String: Int]?
    private static let linearSearchLimit = 16

    init(origin: Origin, name: String) {
        self.origin = origin
        self.name = name
    }

    /// A new table for `key` in this one.
    func child(_ key: String, origin: Origin) -> TOMLTable {
        let shownKey = Self.shown(key)
        return TOMLTable(origin: origin, name: name.isEmpty ? shownKey : "\(name).\(shownKey)")
    }

    /// `key` as TOML would write it: bare when it can be, otherwise quoted.
    static func shown(_ key: String) -> String {
        if !key.isEmpty && key.utf8.allSatisfy(TOMLScanner.isBareKeyByte) { return key }
        var quoted = "\""
        for character in key {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted + "\""
    }

    /// What `key` holds, if anything.
    func member(_ key: String) -> Member? {
        if let positions { return positions[key].map { entries[$0].member } }
        return entries.first { $0.key == key }?.member
    }

    /// Adds `key`, which must not exist yet.
    func add(_ key: String, _ member: Member) {
        precondition(self.member(key) == nil, "TOML key \(key) added twice")
        entries.append((key, member))
        if positions != nil {
            positions![key] = entries.count - 1
        } else if entries.count > Self.linearSearchLimit {
            positions = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.key, $0) })
        }
    }

    /// The members as ``TOMLNode``s, in document order.
    var members: [(key: String, value: TOMLNode)] {
        entries.map { key, member in
            switch member {
            case .value(let value): return (key, value)
            case .table(let table): return (key, .table(table.members))
            case .tables(let array): return (key, .array(array.tables.map { .table($0.members) }))
            }
        }
    }
}

/// The growing list of tables behind `[[name]]` headers.
final class TOMLTableArray {
    /// The tables so far; never empty.
    var tables: [TOMLTable]

    init(first: TOMLTable) {
        tables = [first]
    }
}
