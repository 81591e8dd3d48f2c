/// One SQLite value, as bound to a statement parameter or read from a result column.
public enum SQLValue: Sendable, Hashable {
    /// SQL NULL.
    case null
    /// A 64-bit signed integer.
    case integer(Int64)
    /// An IEEE 754 double.
    case real(Double)
    /// UTF-8 text (may be empty; NUL characters are not supported inside text, use a blob).
    case text(String)
    /// Raw bytes (may be empty and may contain zero bytes).
    case blob([UInt8])
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    /// `"abc"` as a binding is `.text("abc")`.
    public init(stringLiteral value: String) { self = .text(value) }
    /// `42` as a binding is `.integer(42)`.
    public init(integerLiteral value: Int64) { self = .integer(value) }
    /// `1.5` as a binding is `.real(1.5)`.
    public init(floatLiteral value: Double) { self = .real(value) }
}

/// A Swift type that converts to and from an ``SQLValue``: used for bindings (`value.sqlValue`) and for the typed
/// column accessors of ``Row``. `Optional` of a convertible type maps `nil` to and from SQL NULL.
public protocol SQLValueConvertible {
    /// The value to bind.
    var sqlValue: SQLValue { get }
    /// Converts a column value, or returns nil when the value has another type (NULL included).
    init?(sqlValue: SQLValue)
}

extension Int64: SQLValueConvertible {
    /// `.integer(self)`.
    public var sqlValue: SQLValue { .integer(self) }
    /// Accepts `.integer` only.
    public init?(sqlValue: SQLValue) {
        guard case .integer(let value) = sqlValue else { return nil }
        self = value
    }
}

extension Int: SQLValueConvertible {
    /// `.integer(Int64(self))`.
    public var sqlValue: SQLValue { .integer(Int64(self)) }
    /// Accepts `.integer` values that fit in `Int`.
    public init?(sqlValue: SQLValue) {
        guard case .integer(let value) = sqlValue, let exact = Int(exactly: value) else { return nil }
        self = exact
    }
}

extension Bool: SQLValueConvertible {
    /// `.integer(1)` or `.integer(0)`.
    public var sqlValue: SQLValue { .integer(self ? 1 : 0) }
    /// Accepts `.integer`: zero is false, anything else true.
    public init?(sqlValue: SQLValue) {
        guard case .integer(let value) = sqlValue else { return nil }
        self = value != 0
    }
}

extension Double: SQLValueConvertible {
    /// `.real(self)`.
    public var sqlValue: SQLValue { .real(self) }
    /// Accepts `.real`, and `.integer` converted to the nearest double.
    public init?(sqlValue: SQLValue) {
        switch sqlValue {
        case .real(let value): self = value
        case .integer(let value): self = Double(value)
        default: return nil
        }
    }
}

extension String: SQLValueConvertible {
    /// `.text(self)`.
    public var sqlValue: SQLValue { .text(self) }
    /// Accepts `.text` only.
    public init?(sqlValue: SQLValue) {
        guard case .text(let value) = sqlValue else { return nil }
        self = value
    }
}

extension [UInt8]: SQLValueConvertible {
    /// `.blob(self)`.
    public var sqlValue: SQLValue { .blob(self) }
    /// Accepts `.blob` only.
    public init?(sqlValue: SQLValue) {
        guard case .blob(let value) = sqlValue else { return nil }
        self = value
    }
}

extension Optional: SQLValueConvertible where Wrapped: SQLValueConvertible {
    /// `.null` for nil, else the wrapped value's.
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
    /// `.null` becomes nil; any other value must convert to `Wrapped`.
    public init?(sqlValue: SQLValue) {
        if case .null = sqlValue {
            self = .none
            return
        }
        guard let value = Wrapped(sqlValue: sqlValue) else { return nil }
        self = .some(value)
    }
}

extension SQLValue {
    /// The SQLite type name of the value, for error messages.
    var typeName: String {
        switch self {
        case .null: "NULL"
        case .integer: "INTEGER"
        case .real: "REAL"
        case .text: "TEXT"
        case .blob: "BLOB"
        }
    }
}
