import Glibc

/// Why a sandbox run did not happen: the sandbox is disabled, the request is invalid, or the host refused a step.
public struct SandboxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is; callers switch on it.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Kind: String, Sendable { case disabled, badRequest, unavailable, setupFailed, cancelled }
        private let kind: Kind

        /// The sandbox is switched off.
        public static let disabled = Code(kind: .disabled)
        /// The request is invalid (unknown language or profile, bad limits or file names); the message names the field.
        public static let badRequest = Code(kind: .badRequest)
        /// The host lacks something the sandbox needs (user namespaces, libseccomp).
        public static let unavailable = Code(kind: .unavailable)
        /// A step of building the sandbox failed; the message names it and `errno` says why.
        public static let setupFailed = Code(kind: .setupFailed)
        /// The run was cancelled while queued or running (its processes were killed).
        public static let cancelled = Code(kind: .cancelled)

        public var description: String { kind.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// What went wrong, for a person.
    public let message: String
    /// The system error behind it, if any.
    public let errno: Int32?

    /// Creates an error.
    public init(_ code: Code, _ message: String, errno: Int32? = nil) {
        self.code = code
        self.message = message
        self.errno = errno
    }

    public var description: String {
        guard let errno else { return message }
        return "\(message): \(String(cString: strerror(errno)))"
    }
}
