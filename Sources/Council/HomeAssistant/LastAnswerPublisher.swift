import JSON
import Synchronization

/// Publishes `LastAnswer` payloads (retained, on `<base>/<node>/last_answer`) at most once per `interval`: the
/// first answer after a quiet interval goes out at once, later ones in the same interval are folded into one
/// publish of the latest at its end. So a dashboard sees a question it asked right away, and a busy node pays for
/// encoding and publishing once per interval instead of once per answer.
public final class LastAnswerPublisher: Sendable {
    /// The shortest time between two publishes.
    public let interval: Duration
    private let publish: @Sendable ([UInt8]) -> Void
    private let intervalNanos: Int64
    private let state: Mutex<State>

    private struct State {
        /// When the last publish happened, monotonic nanoseconds.
        var lastPublished: Int64?
        var pending: (prompt: String?, data: JSONObject, atMillis: Int64)?
    }

    /// Creates a publisher; `publish` sends one payload (retained, QoS 1, to the last-answer topic).
    public init(interval: Duration = .seconds(1), publish: @escaping @Sendable ([UInt8]) -> Void) {
        self.interval = interval
        let (seconds, attoseconds) = interval.components
        intervalNanos = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        self.publish = publish
        state = Mutex(State())
    }

    /// Offers an `ask` reply's `data` and its prompt, answered at `answeredAtMillis` (Unix ms).
    public func offer(prompt: String?, data: JSONObject, answeredAtMillis: Int64) {
        let now = monotonicNanos()
        let publishNow = state.withLock { state -> Bool in
            if let last = state.lastPublished, now - last < intervalNanos {
                state.pending = (prompt, data, answeredAtMillis)
                return false
            }
            state.lastPublished = now
            state.pending = nil
            return true
        }
        if publishNow {
            publish(LastAnswer.payload(prompt: prompt, data: data, answeredAtMillis: answeredAtMillis))
        }
    }

    /// Publishes the answers held back, once per interval, until the task is cancelled.
    public func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            flush()
        }
        flush()
    }

    /// Publishes the answer held back, if any.
    public func flush() {
        let now = monotonicNanos()
        let pending = state.withLock { state -> (prompt: String?, data: JSONObject, atMillis: Int64)? in
            defer { state.pending = nil }
            if state.pending != nil { state.lastPublished = now }
            return state.pending
        }
        if let pending {
            publish(LastAnswer.payload(prompt: pending.prompt, data: pending.data, answeredAtMillis: pending.atMillis))
        }
    }
}
