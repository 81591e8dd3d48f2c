/// An API key that never shows itself when printed, interpolated, dumped or logged.
///
/// Only the provider clients read it, with ``reveal()``, to put it into the one request header that carries it.
public struct APIKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String

    /// Wraps `value`.
    public init(_ value: String) {
        self.value = value
    }

    /// The key itself.
    public func reveal() -> String { value }

    /// Always `********`.
    public var description: String { "********" }

    /// Always `********`.
    public var debugDescription: String { "********" }

    /// A mirror without children, so `dump` shows nothing of the key.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
