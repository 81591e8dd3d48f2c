/// One result row: the values of a query's columns, readable by index or by name.
///
/// ```swift
/// let id: Int64 = try row.get(0)
/// let data: [UInt8]? = try row.get("correlation_data")
/// ```
public struct Row: Sendable, Equatable {
    /// The column names as SQLite reports them (the `AS` alias when there is one), shared by all rows of a query.
    public let columnNames: [String]
    /// The values, in column order.
    public let values: [SQLValue]

    /// Makes a row from column names and values of equal count.
    public init(columnNames: [String], values: [SQLValue]) {
        precondition(columnNames.count == values.count, "a row needs one value per column")
        self.columnNames = columnNames
        self.values = values
    }

    /// The number of columns.
    public var count: Int { values.count }

    /// The raw value at a column index (0-based); traps when out of range, like an array.
    public subscript(index: Int) -> SQLValue { values[index] }

    /// The raw value of the first column with this exact name, or nil when the row has no such column.
    public subscript(name: String) -> SQLValue? {
        columnNames.firstIndex(of: name).map { values[$0] }
    }

    /// The value at a column index converted to `T`.
    /// - Throws: ``SQLiteError`` `.range` for a bad index, `.mismatch` when the value has another type
    ///   (read NULL-able columns as an `Optional`).
    public func get<T: SQLValueConvertible>(_ index: Int, as type: T.Type = T.self) throws -> T {
        guard values.indices.contains(index) else {
            throw SQLiteError(
                extendedCode: SQLiteError.Code.range.rawValue,
                message: "column index \(index) out of range: the row has \(values.count) columns"
            )
        }
        return try convert(values[index], column: "\(index) (\(columnNames[index]))")
    }

    /// The value of the first column with this exact name converted to `T`.
    /// - Throws: ``SQLiteError`` `.range` for an unknown name, `.mismatch` when the value has another type.
    public func get<T: SQLValueConvertible>(_ name: String, as type: T.Type = T.self) throws -> T {
        guard let index = columnNames.firstIndex(of: name) else {
            throw SQLiteError(
                extendedCode: SQLiteError.Code.range.rawValue,
                message: "no column named '\(name)'; the row has: \(columnNames.joined(separator: ", "))"
            )
        }
        return try convert(values[index], column: "'\(name)'")
    }

    private func convert<T: SQLValueConvertible>(_ value: SQLValue, column: String) throws -> T {
        guard let converted = T(sqlValue: value) else {
            throw SQLiteError(
                extendedCode: SQLiteError.Code.mismatch.rawValue,
                message: "column \(column) holds \(value.typeName), which cannot be read as \(T.self)"
            )
        }
        return converted
    }
}
