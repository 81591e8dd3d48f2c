/// TOML's rules for defining each table once: `[a.b]` headers, `[[a.b]]` array headers and `a.b = value` keys.
extension TOMLTable {
    /// For the header `[path]` read from the root: the table it names, created (with missing parents) or
    /// promoted from an implicit parent. Errors if it is already defined or is a value.
    func defineTable(_ path: [TOMLKeyPart]) throws(TOMLSyntaxError) -> TOMLTable {
        let parent = try headerParent(path)
        let last = path[path.count - 1]
        switch parent.member(last.name) {
        case nil:
            let table = parent.child(last.name, origin: .header)
            parent.add(last.name, .table(table))
            return table
        case .table(let table):
            switch table.origin {
            case .implicit:
                table.origin = .header
                return table
            case .dotted:
                throw conflict(path, "table [\(shown(path))] is already defined by dotted keys")
            case .header, .inline:
                throw conflict(path, "table [\(shown(path))] is defined twice")
            }
        case .tables:
            throw conflict(path, "table [\(shown(path))] is already an array of tables [[\(shown(path))]]")
        case .value(let value):
            throw conflict(path, notATable(path, value))
        }
    }

    /// For the header `[[path]]` read from the root: a new table appended to the array of tables at `path`,
    /// which is created if missing. Errors if `path` holds a table or any value.
    func appendTable(_ path: [TOMLKeyPart]) throws(TOMLSyntaxError) -> TOMLTable {
        let parent = try headerParent(path)
        let last = path[path.count - 1]
        let table = parent.child(last.name, origin: .header)
        switch parent.member(last.name) {
        case nil:
            parent.add(last.name, .tables(TOMLTableArray(first: table)))
        case .tables(let array):
            array.tables.append(table)
        case .table:
            throw conflict(path, "array of tables [[\(shown(path))]] conflicts with table [\(shown(path))]")
        case .value(.array):
            throw conflict(path, "'\(shown(path))' is a static array; [[\(shown(path))]] cannot add to it")
        case .value(let value):
            throw conflict(path, notATable(path, value))
        }
        return table
    }

    /// For `path = value` in this table: stores `value`, creating or extending tables for dotted keys.
    /// Errors if the key exists or a dotted prefix is not a table that dotted keys may extend.
    func insert(_ value: TOMLNode, at path: [TOMLKeyPart]) throws(TOMLSyntaxError) {
        var table = self
        for depth in 0..<(path.count - 1) {
            let prefix = path[...depth]
            let part = path[depth]
            switch table.member(part.name) {
            case nil:
                let child = table.child(part.name, origin: .dotted)
                table.add(part.name, .table(child))
                table = child
            case .table(let child):
                switch child.origin {
                case .implicit, .dotted:
                    child.origin = .dotted
                    table = child
                case .header, .inline:
                    throw conflict(
                        prefix, "table [\(child.name)] is defined by its own header; dotted keys cannot add to it")
                }
            case .tables:
                throw conflict(prefix, "'\(shown(prefix))' is an array of tables; dotted keys cannot add to it")
            case .value(let existing):
                throw conflict(prefix, notATable(prefix, existing))
            }
        }
        let last = path[path.count - 1]
        guard table.member(last.name) == nil else { throw conflict(path, "duplicate key '\(shown(path))'") }
        table.add(last.name, .value(value))
    }

    /// Walks the parents of a header's table: creates missing ones as implicit tables, enters existing tables and
    /// the last table of arrays of tables, and rejects values (inline tables included).
    private func headerParent(_ path: [TOMLKeyPart]) throws(TOMLSyntaxError) -> TOMLTable {
        var table = self
        for depth in 0..<(path.count - 1) {
            let part = path[depth]
            switch table.member(part.name) {
            case nil:
                let child = table.child(part.name, origin: .implicit)
                table.add(part.name, .table(child))
                table = child
            case .table(let child):
                table = child
            case .tables(let array):
                table = array.tables[array.tables.count - 1]
            case .value(let value):
                throw conflict(path[...depth], notATable(path[...depth], value))
            }
        }
        return table
    }

    /// An error at the last part of `path`.
    private func conflict(_ path: some BidirectionalCollection<TOMLKeyPart>, _ message: String) -> TOMLSyntaxError {
        TOMLSyntaxError(offset: path.last?.offset ?? 0, message: message)
    }

    /// Why a value cannot be entered like a table.
    private func notATable(_ path: some Collection<TOMLKeyPart>, _ value: TOMLNode) -> String {
        if case .table = value { return "'\(shown(path))' is an inline table, which cannot be extended" }
        return "'\(shown(path))' is \(Self.kind(of: value)), not a table"
    }

    /// A key path as TOML would write it.
    private func shown(_ path: some Collection<TOMLKeyPart>) -> String {
        path.map { Self.shown($0.name) }.joined(separator: ".")
    }

    /// The type of a value with its article: "an integer", "a string".
    private static func kind(of value: TOMLNode) -> String {
        switch value {
        case .string: return "a string"
        case .integer: return "an integer"
        case .float: return "a float"
        case .boolean: return "a boolean"
        case .table: return "an inline table"
        case .array: return "an array"
        case .other(let type): return "a \(type)"
        }
    }
}
