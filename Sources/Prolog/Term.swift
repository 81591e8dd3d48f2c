import ExactMath

/// A Prolog term as the reader produces it and as answers are handed back: a tree, independent of any engine.
public indirect enum Term: Sendable, Equatable {
    /// An atom (`foo`, `'hello world'`, `[]` is ``emptyList``).
    case atom(String)
    /// The reserved empty list `[]` (distinct from the quoted atom `'[]'`).
    case emptyList
    /// An integer that fits in `Int`.
    case int(Int)
    /// An integer beyond `Int`.
    case bigInt(BigInt)
    /// A float.
    case float(Double)
    /// A string object (`"text"`).
    case string(String)
    /// A variable, numbered within its clause or query.
    case variable(Int)
    /// A compound term `name(arguments...)`.
    case compound(String, [Term])
    /// The list of `elements` followed by `tail` (`[]` for a proper list). Lists are flat here (not nested `'[|]'`
    /// terms) so that long lists cost no recursion to build, compare or release.
    case list([Term], tail: Term = .emptyList)

    /// An integer, small when it fits.
    static func integer(_ value: BigInt) -> Term {
        if let small = value.asInt { return .int(small) }
        return .bigInt(value)
    }
}

/// Where a syntax error was found and why.
public struct PrologSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong ("operator expected", ...).
    public var message: String
    /// 1-based line of the offending token.
    public var line: Int
    /// 1-based column of the offending token.
    public var column: Int

    /// Creates an error.
    public init(_ message: String, line: Int, column: Int) {
        self.message = message
        self.line = line
        self.column = column
    }

    public var description: String { "syntax error at line \(line), column \(column): \(message)" }
}
