import Synchronization

/// Journal ids whose replies the broker acknowledged, waiting to be marked done. Filled on the MQTT network thread
/// (never blocks), drained by the request loop's group commit or by the background writer.
final class Completions: Sendable {
    private struct State: ~Copyable {
        var ids: [Int64] = []
        var waiter: CheckedContinuation<Bool, Never>?
        var finished = false
    }

    private let state = Mutex(State())

    /// Records one acknowledged reply.
    func add(_ id: Int64) { add([id]) }

    /// Records acknowledged replies (also used to put back ids whose write failed).
    func add(_ ids: [Int64]) {
        guard !ids.isEmpty else { return }
        let waiter = state.withLock { state in
            state.ids.append(contentsOf: ids)
            return state.waiter.take()
        }
        waiter?.resume(returning: true)
    }

    /// Takes every recorded id.
    func drain() -> [Int64] {
        state.withLock { state in
            defer { state.ids = [] }
            return state.ids
        }
    }

    /// Waits until there are ids to drain; false once finished. One waiter at a time.
    func waitForMore() async -> Bool {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Bool? in
                if state.finished { return false }
                if !state.ids.isEmpty { return true }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Stops the writer after one last drain.
    func finish() {
        let waiter = state.withLock { state in
            state.finished = true
            return state.waiter.take()
        }
        waiter?.resume(returning: false)
    }
}
