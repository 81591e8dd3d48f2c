import TOMLKit

/// The only place that talks to TOMLKit: turns TOML text into ``TOMLNode``s.
///
/// Keep TOMLKit imported in this file alone: it redeclares `String.debugDescription` to return the string
/// unquoted, which silently changes messages in any file that imports it.
enum TOMLDocument {
    /// Parses `text`; a syntax error names `origin` (the file path) with line and column.
    static func parse(_ text: String, origin: String) throws(ConfigError) -> [(key: String, value: TOMLNode)] {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let position = error.source.begin
            throw ConfigError(
                .syntax, key: nil,
                message: "\(origin):\(position.line):\(position.column): invalid TOML: \(error.description)")
        } catch {
            throw ConfigError(.syntax, key: nil, message: "\(origin): invalid TOML: \(error)")
        }
        return members(of: table)
    }

    private static func members(of table: TOMLTable) -> [(key: String, value: TOMLNode)] {
        table.map { key, value in (key: key, value: node(value)) }
    }

    private static func node(_ value: any TOMLValueConvertible) -> TOMLNode {
        switch value.type {
        case .string: return .string(value.string ?? "")
        case .int: return .integer(value.int ?? 0)
        case .double: return .float(value.double ?? 0)
        case .bool: return .boolean(value.bool ?? false)
        case .table: return .table(value.table.map(members(of:)) ?? [])
        case .array: return .array(value.array.map { $0.map(node) } ?? [])
        case .date, .time, .dateTime: return .other(value.type.description)
        }
    }
}
