/// A parsed TOML value, as ``TOMLDocument`` hands it to the rest of the configuration code.
indirect enum TOMLNode: Sendable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case table([(key: String, value: TOMLNode)])
    case array([TOMLNode])
    /// A date, time or date-time: never valid in Council's configuration; the payload names the type:
    /// "date-time" (with an offset), "local date-time", "date" or "time".
    case other(String)

    /// How an error message shows the value: strings quoted, numbers as written, containers by kind.
    var shown: String {
        switch self {
        case .string(let text): return tomlQuoted(text)
        case .integer(let value): return String(value)
        case .float(let value): return value.description
        case .boolean(let value): return value ? "true" : "false"
        case .table: return "a table"
        case .array: return "an array"
        case .other(let type): return "a \(type)"
        }
    }
}
