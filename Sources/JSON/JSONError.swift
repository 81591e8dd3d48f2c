/// Why a JSON text was rejected, and where.
///
/// `description` reads like "expected ':' after object key at byte 17"; `offset` counts bytes from 0.
public struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong, without the position ("unterminated string").
    public let message: String
    /// Byte offset (from 0) of the first offending byte, or the input length for an unexpected end.
    public let offset: Int

    /// An error with `message` at byte `offset`.
    public init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    /// "`message` at byte `offset`".
    public var description: String { "\(message) at byte \(offset)" }
}
