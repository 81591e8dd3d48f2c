/// An error from the MQTT client that a caller can act on.
public struct BusError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in broad strokes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String { case invalidArgument, notConnected, timeout, refused, stopped, library }
        private let kind: Kind
        /// A bad topic, QoS or option.
        public static let invalidArgument = Code(kind: .invalidArgument)
        /// No connection to the broker right now.
        public static let notConnected = Code(kind: .notConnected)
        /// The broker did not answer in time.
        public static let timeout = Code(kind: .timeout)
        /// The broker refused (CONNACK or SUBACK with a failure reason).
        public static let refused = Code(kind: .refused)
        /// The client has been stopped.
        public static let stopped = Code(kind: .stopped)
        /// libmosquitto reported an error.
        public static let library = Code(kind: .library)
        /// The code's name.
        public var description: String { kind.rawValue }
    }

    /// The broad class of failure.
    public let code: Code
    /// A human explanation.
    public let message: String
    /// libmosquitto's return code or the broker's reason code, when there is one.
    public let underlying: Int32?

    /// Creates an error.
    public init(_ code: Code, _ message: String, underlying: Int32? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { message }
}
