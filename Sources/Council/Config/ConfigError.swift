/// Why a configuration could not be loaded: one or more problems, each naming the key it is about.
///
/// `description` lists every problem on its own line, e.g.
/// `mqtt.url: expected a URL like mqtt://host:1883, got "http://x"`.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem it is, for callers that react differently (exit codes, tests).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Kind: String, Sendable, Hashable {
            case unreadableFile = "unreadable_file"
            case syntax
            case unknownKey = "unknown_key"
            case wrongType = "wrong_type"
            case invalidValue = "invalid_value"
            case unreadableSecret = "unreadable_secret"
        }

        private let kind: Kind

        /// The configuration file could not be read.
        public static let unreadableFile = Code(kind: .unreadableFile)
        /// The file is not valid TOML; the problem carries line and column.
        public static let syntax = Code(kind: .syntax)
        /// A key or table the configuration does not know (often a typo).
        public static let unknownKey = Code(kind: .unknownKey)
        /// A key has a value of the wrong TOML type.
        public static let wrongType = Code(kind: .wrongType)
        /// A key has a value of the right type that is not allowed.
        public static let invalidValue = Code(kind: .invalidValue)
        /// A configured secret (password or API key file, systemd credential) could not be read.
        public static let unreadableSecret = Code(kind: .unreadableSecret)

        /// A short machine-readable name such as `unknown_key`.
        public var description: String { kind.rawValue }
    }

    /// One thing wrong with the configuration.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// The kind of problem.
        public let code: Code
        /// The key with its table (`mqtt.url`, `models[0].provider`, `--broker`), or `nil` for the whole file.
        public let key: String?
        /// The full human-readable message, starting with the key or file position.
        public let message: String

        /// A problem with `message` about `key`.
        public init(_ code: Code, key: String?, message: String) {
            self.code = code
            self.key = key
            self.message = message
        }

        /// The message.
        public var description: String { message }
    }

    /// Every problem found, in the order found (at least one).
    public let problems: [Problem]

    /// An error made of `problems`, which must not be empty.
    public init(problems: [Problem]) {
        precondition(!problems.isEmpty, "a ConfigError needs at least one problem")
        self.problems = problems
    }

    /// An error with one problem.
    public init(_ code: Code, key: String?, message: String) {
        self.init(problems: [Problem(code, key: key, message: message)])
    }

    /// The code of the first problem.
    public var code: Code { problems[0].code }

    /// Every problem's message, one per line.
    public var description: String { problems.map(\.message).joined(separator: "\n") }
}
