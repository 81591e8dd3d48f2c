import Synchronization

/// Journal ids whose replies the broker acknowledged, waiting to be marked done. Filled on the MQTT network thread
/// (never blocks), drained by the journal writer with its next commit.
final class Completions: Sendable {
    private let ids = Mutex<[Int64]>([])

    /// Records one acknowledged reply.
    func add(_ id: Int64) { add([id]) }

    /// Records acknowledged replies (also used to put back ids whose write failed).
    func add(_ ids: [Int64]) {
        guard !ids.isEmpty else { return }
        self.ids.withLock { $0.append(contentsOf: ids) }
    }

    /// Takes every recorded id.
    func drain() -> [Int64] {
        ids.withLock { ids in
            defer { ids = [] }
            return ids
        }
    }
}
