/// A JSON number, kept the way it was written.
///
/// Text without a fraction or exponent that fits in `Int64` is an ``integer(_:)`` and round-trips exactly
/// (`9007199254740993` stays `9007199254740993`). Everything else is a ``double(_:)``, written back in the
/// shortest form that reads back to the same double (`0.1` stays `0.1`). `-0` parses as the double `-0.0`
/// so its sign survives. A non-finite double (which parsing never produces) is written as `null`.
///
/// Equality is numeric: `.integer(3) == .double(3.0)`, compared exactly (no rounding through `Double`).
public enum JSONNumber: Sendable {
    /// An exact integer.
    case integer(Int64)
    /// A binary64 floating-point number.
    case double(Double)

    /// An exact integer.
    public init(_ value: Int64) { self = .integer(value) }

    /// An exact integer.
    public init(_ value: Int) { self = .integer(Int64(value)) }

    /// A double.
    public init(_ value: Double) { self = .double(value) }

    /// The value as an `Int64` if it is integral and in range; `nil` otherwise.
    public var int64Value: Int64? {
        switch self {
        case .integer(let value): return value
        case .double(let value): return Int64(exactly: value)
        }
    }

    /// The value as an `Int` if it is integral and in range; `nil` otherwise.
    public var intValue: Int? { int64Value.flatMap { Int(exactly: $0) } }

    /// The value as a `Double`; integers beyond 2^53 are rounded to the nearest double.
    public var doubleValue: Double {
        switch self {
        case .integer(let value): return Double(value)
        case .double(let value): return value
        }
    }

    /// Whether the number has an integral value (`3`, `3.0`, `-0`).
    public var isIntegral: Bool { int64Value != nil }
}

extension JSONNumber: Equatable {
    /// Numeric equality, exact across the two representations.
    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        switch (lhs, rhs) {
        case (.integer(let a), .integer(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.integer(let a), .double(let b)), (.double(let b), .integer(let a)):
            return Int64(exactly: b) == a
        }
    }
}

extension JSONNumber: Hashable {
    /// Hashes integral values as integers so that equal numbers hash alike.
    public func hash(into hasher: inout Hasher) {
        if let integer = int64Value {
            hasher.combine(integer)
        } else {
            hasher.combine(doubleValue)
        }
    }
}

extension JSONNumber: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    /// An exact integer.
    public init(integerLiteral value: Int64) { self = .integer(value) }

    /// A double.
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension JSONNumber: CustomStringConvertible {
    /// The JSON text of the number (`null` for a non-finite double).
    public var description: String {
        switch self {
        case .integer(let value): return String(value)
        case .double(let value): return value.isFinite ? value.description : "null"
        }
    }
}
