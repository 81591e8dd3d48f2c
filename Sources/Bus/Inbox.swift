import Synchronization

/// Messages received from the network thread, handed to one consumer in batches: everything that arrived since the
/// consumer last looked. Batches let the daemon journal a burst of requests in one SQLite transaction.
final class Inbox: Sendable {
    private struct State: ~Copyable {
        var messages: [InboundMessage] = []
        var waiter: CheckedContinuation<[InboundMessage]?, Never>?
        var finished = false
    }

    private let state = Mutex(State())

    /// Adds a message; wakes the consumer if it is waiting. Called on the network thread: never blocks.
    func push(_ message: InboundMessage) {
        let waiter = state.withLock { state -> CheckedContinuation<[InboundMessage]?, Never>? in
            guard !state.finished else { return nil }
            if let waiter = state.waiter.take() { return waiter }
            state.messages.append(message)
            return nil
        }
        waiter?.resume(returning: [message])
    }

    /// Ends the inbox: the consumer gets what is left, then nil.
    func finish() {
        let waiter = state.withLock { state in
            state.finished = true
            return state.waiter.take()
        }
        waiter?.resume(returning: nil)
    }

    /// Everything received since the last call, waiting for at least one message; nil once finished and drained.
    /// One consumer at a time.
    func next() async -> [InboundMessage]? {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> [InboundMessage]?? in
                if !state.messages.isEmpty {
                    defer { state.messages = [] }
                    return .some(state.messages)
                }
                if state.finished { return .some(nil) }
                state.waiter = continuation
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
