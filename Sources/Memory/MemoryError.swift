/// Why a memory operation failed.
public struct MemoryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong; more kinds may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: Hashable, Sendable {
            case invalidFact, invalidQuery, invalidSession, embedderFailed
        }

        private let kind: Kind

        /// A fact's text, source, tags or session is unusable (empty, too long, control characters); the message
        /// names the field.
        public static let invalidFact = Code(kind: .invalidFact)
        /// A search query or parameter is unusable.
        public static let invalidQuery = Code(kind: .invalidQuery)
        /// A session name is empty, too long or has control characters.
        public static let invalidSession = Code(kind: .invalidSession)
        /// The embedder returned the wrong number of vectors or values.
        public static let embedderFailed = Code(kind: .embedderFailed)

        /// A short name for the code.
        public var description: String {
            switch kind {
            case .invalidFact: "invalid_fact"
            case .invalidQuery: "invalid_query"
            case .invalidSession: "invalid_session"
            case .embedderFailed: "embedder_failed"
            }
        }
    }

    /// What went wrong.
    public var code: Code
    /// A sentence naming the field or the cause.
    public var message: String

    /// Makes an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
