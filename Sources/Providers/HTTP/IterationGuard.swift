import Synchronization

/// Calls `abandon` when an iterator is dropped before its sequence ended, so the work behind the sequence (a
/// transfer, a producer task) stops. `AsyncThrowingStream` alone does not say when one of its iterators goes away.
final class IterationGuard: Sendable {
    private let finished = Atomic<Bool>(false)
    private let abandon: @Sendable () -> Void

    init(abandon: @escaping @Sendable () -> Void) {
        self.abandon = abandon
    }

    /// The sequence ended (nil or an error); dropping the iterator now abandons nothing.
    func markFinished() {
        finished.store(true, ordering: .relaxed)
    }

    deinit {
        if !finished.load(ordering: .relaxed) { abandon() }
    }
}
