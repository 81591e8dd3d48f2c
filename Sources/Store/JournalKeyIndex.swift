import Synchronization

/// An in-memory summary of the dedupe keys in the journal, so that telling a new request from a redelivery needs no
/// SQLite lookup in the common case.
///
/// It holds a 64-bit hash of every key the journal may hold: a key absent here is absent from the journal, so a
/// request whose key is absent is new. A key present here may be stale (its row pruned, or its key released after
/// the dedupe window) or a hash collision, so a hit is only a reason to ask the database. Keys are added in the write
/// transaction that inserts their rows, before the inserts, and removed only by ``rebuild(from:)``, which reads the
/// table inside a write transaction too: the database's write lock orders the two, so no row ever holds a key the
/// index lacks.
///
/// Past `capacity` keys the index gives up (``mayHold(_:)`` answers true for everything) until a rebuild finds the
/// journal small enough again, so its memory stays bounded whatever the request rate.
final class JournalKeyIndex: Sendable {
    private struct State: ~Copyable {
        var hashes: Set<UInt64> = []
        /// False once the journal held more keys than `capacity`: every key may then be in the journal.
        var isComplete = true
    }

    /// The most keys held in memory (8 bytes each plus the set's overhead).
    let capacity: Int
    private let state = Mutex(State())

    /// An empty index for an empty journal.
    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Whether the journal may hold `key`; false means it certainly does not.
    func mayHold(_ key: [UInt8]) -> Bool {
        let hash = DedupeKey.fnv1a64(key)
        return state.withLock { !$0.isComplete || $0.hashes.contains(hash) }
    }

    /// Notes keys about to be written to the journal: call in the write transaction, before the inserts.
    func add(_ keys: some Sequence<[UInt8]>) {
        let hashes = keys.map(DedupeKey.fnv1a64)
        guard !hashes.isEmpty else { return }
        state.withLock { state in
            guard state.isComplete else { return }
            state.hashes.formUnion(hashes)
            if state.hashes.count > capacity {
                state.isComplete = false
                state.hashes = []
            }
        }
    }

    /// Replaces the index with `keys`, every dedupe key in the journal, read in a write transaction (or before
    /// anything else uses the journal).
    func rebuild(from keys: [[UInt8]]) {
        let rebuilt = Set(keys.lazy.map(DedupeKey.fnv1a64))
        state.withLock { state in
            state.isComplete = rebuilt.count <= capacity
            state.hashes = state.isComplete ? rebuilt : []
        }
    }

    /// How many hashes are held, and whether the index is complete (for tests and diagnostics).
    var summary: (count: Int, isComplete: Bool) {
        state.withLock { ($0.hashes.count, $0.isComplete) }
    }
}
