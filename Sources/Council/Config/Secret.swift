/// A secret string (broker password, API key) that never shows itself when printed, dumped or logged.
///
/// Read the value with ``reveal()`` at the one place that hands it to a library.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// What is printed instead of the value.
    public static let mask = "********"

    private let value: String

    /// Wraps `value`.
    public init(_ value: String) {
        self.value = value
    }

    /// The secret itself.
    public func reveal() -> String { value }

    /// Always ``mask``.
    public var description: String { Self.mask }

    /// Always ``mask``.
    public var debugDescription: String { Self.mask }

    /// A mirror without children, so `dump` shows nothing of the value.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}

/// Where a secret came from, as `council config check` reports it.
public enum SecretSource: Sendable, Equatable, CustomStringConvertible {
    /// No secret was configured or found.
    case none
    /// A systemd credential file (`$CREDENTIALS_DIRECTORY/<name>`).
    case credential(path: String)
    /// A file named in the configuration.
    case file(path: String)
    /// An environment variable.
    case environment(variable: String)

    /// `none`, `credential`, `file /path` or `env NAME`.
    public var description: String {
        switch self {
        case .none: return "none"
        case .credential: return "credential"
        case .file(let path): return "file \(path)"
        case .environment(let variable): return "env \(variable)"
        }
    }
}
