import JSON
import Synchronization

/// Where a streaming op sends its partial results; numbers them in order (`seq` from 1).
public final class PartialSink: Sendable {
    private let deliver: @Sendable (_ seq: Int, _ delta: String, _ extra: JSONObject) -> Void
    private let nextSeq = Mutex(1)

    /// Creates a sink that hands each numbered partial to `deliver`.
    public init(_ deliver: @escaping @Sendable (_ seq: Int, _ delta: String, _ extra: JSONObject) -> Void) {
        self.deliver = deliver
    }

    /// A sink that drops everything (requests that did not ask to stream).
    public static let discarding = PartialSink { _, _, _ in }

    /// Sends the next piece of text, with optional extra fields for the envelope.
    public func send(_ delta: String, extra: JSONObject = JSONObject()) {
        // Delivered under the lock so that partials leave in `seq` order even if two tasks stream at once.
        nextSeq.withLock { seq in
            deliver(seq, delta, extra)
            seq += 1
        }
    }

    /// How many partials were sent.
    public var count: Int { nextSeq.withLock { $0 - 1 } }
}
