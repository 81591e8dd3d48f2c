import Synchronization

/// Lets at most `limit` runs proceed at once; the rest wait in arrival order. A waiter that is cancelled leaves the
/// queue.
final class ConcurrencyGate: Sendable {
    private struct State {
        var running = 0
        var nextID = 0
        var waiting: [(id: Int, continuation: CheckedContinuation<Bool, Never>)] = []
    }

    let limit: Int
    private let state = Mutex(State())

    init(limit: Int) { self.limit = max(1, limit) }

    /// How many runs hold the gate, and how many wait.
    var counts: (running: Int, waiting: Int) { state.withLock { ($0.running, $0.waiting.count) } }

    /// Waits for a slot; false if the task was cancelled while waiting (no slot taken).
    func enter() async -> Bool {
        if Task.isCancelled { return false }
        // A free slot with nobody waiting is taken at once, without suspending the task.
        let id = state.withLock { state -> Int? in
            if state.running < limit && state.waiting.isEmpty {
                state.running += 1
                return nil
            }
            state.nextID += 1
            return state.nextID
        }
        guard let id else { return true }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let admitted = state.withLock { state -> Bool? in
                    if Task.isCancelled { return false }
                    if state.running < limit {
                        state.running += 1
                        return true
                    }
                    state.waiting.append((id, continuation))
                    return nil
                }
                if let admitted { continuation.resume(returning: admitted) }
            }
        } onCancel: {
            let removed = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                guard let index = state.waiting.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiting.remove(at: index).continuation
            }
            removed?.resume(returning: false)
        }
    }

    /// Gives the slot to the first waiter, or frees it.
    func leave() {
        let next = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            if state.waiting.isEmpty {
                state.running -= 1
                return nil
            }
            return state.waiting.removeFirst().continuation
        }
        next?.resume(returning: true)
    }
}
