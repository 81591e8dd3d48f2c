import Logging
import Store
import Synchronization

/// Writes the journal off the request loop, so that no commit stands between a request and its answer.
///
/// The request loop answers a request (or starts the work it needs) first and then queues its arrival here with a
/// ticket. The writer records queued arrivals in arrival order, in one transaction per group together with the
/// entries whose replies the broker acknowledged since (marked done), and hands each ticket its id; an arrival whose
/// reply was acknowledged before its commit is recorded done directly, one row write instead of two. Answered
/// arrivals and acknowledgements wait up to `coalescing`, so that a stream of quick answers costs one commit per
/// interval rather than one each; an arrival still being answered is written at once. A queued arrival's dedupe key
/// stays held here until its commit is done, so a redelivery that arrives before the commit is still recognised.
final class JournalWriter: Sendable {
    private struct Queued: Sendable {
        var arrival: Journal.Arrival
        var ticket: DeliveryTicket
        var sequence: UInt64
    }

    private struct State: ~Copyable {
        var queue: [Queued] = []
        /// Keys of queued (or being written) arrivals, with the sequence number of their arrival, oldest first.
        var held: [(key: HeldKey, sequence: UInt64)] = []
        var heldKeys: Set<HeldKey> = []
        var nextSequence: UInt64 = 0
        /// Arrivals up to this sequence number are written (or their write failed): their keys may be released.
        var writtenThrough: UInt64 = 0
        /// Entries acknowledged since the last write (their ids wait in `completions`).
        var acknowledged = false
        var urgent = false
        var finished = false
        var waiter: CheckedContinuation<Void, Never>?
        /// Whether the waiter coalesces answered arrivals (then only an unanswered arrival wakes it early).
        var waiterCoalesces = false
        /// Counts coalescing intervals, so that a late timer cannot cut a later interval short.
        var interval: UInt64 = 0
        var intervalElapsed = false
    }

    /// How long an answered arrival may wait for others to share its commit.
    let coalescing: Duration
    private let journal: Journal
    private let logger: Logger
    private let state = Mutex(State())
    /// Held across taking the queue and committing it, so that commits happen in arrival order.
    private let commitOrder = Mutex(())

    private let completions = Completions()

    init(journal: Journal, coalescing: Duration, logger: Logger) {
        self.journal = journal
        self.coalescing = coalescing
        self.logger = logger
    }

    /// Whether a queued arrival not yet known to be written holds `key`. The request loop asks after it has looked
    /// the key up in the journal, and releases keys (`releaseWritten`) only between batches: an arrival written
    /// in between is then found one way or the other.
    func holds(_ key: [UInt8]) -> Bool {
        let key = HeldKey(bytes: key)
        return state.withLock { $0.heldKeys.contains(key) }
    }

    /// Forgets the keys of arrivals already written (the journal has them now). Called by the request loop before it
    /// looks at a batch.
    func releaseWritten() {
        state.withLock { state in
            var released = 0
            while released < state.held.count, state.held[released].sequence <= state.writtenThrough {
                state.heldKeys.remove(state.held[released].key)
                released += 1
            }
            if released > 0 { state.held.removeFirst(released) }
        }
    }

    /// Queues an arrival whose reply was sent (`answered`) or whose work was started; `key` is its dedupe key.
    /// Nothing is written until `wake`.
    func add(_ arrival: Journal.Arrival, key: [UInt8]?, ticket: DeliveryTicket, answered: Bool) {
        state.withLock { state in
            state.nextSequence += 1
            state.queue.append(Queued(arrival: arrival, ticket: ticket, sequence: state.nextSequence))
            if let key {
                let held = HeldKey(bytes: key)
                state.held.append((held, state.nextSequence))
                state.heldKeys.insert(held)
            }
            if !answered { state.urgent = true }
        }
    }

    /// The broker acknowledged the reply of journal entry `id` (network thread): it is marked done with the next write.
    func acknowledged(_ id: Int64) {
        completions.add(id)
        let waiter = state.withLock { state in
            state.acknowledged = true
            return state.waiterCoalesces ? nil : state.waiter.take()
        }
        waiter?.resume()
    }

    /// Lets the writer start on what was queued (after the request loop has started the batch's work).
    func wake() {
        let waiter = state.withLock { state in
            state.queue.isEmpty || (state.waiterCoalesces && !state.urgent) ? nil : state.waiter.take()
        }
        waiter?.resume()
    }

    /// Writes everything queued and then `arrival`, now, on the caller's thread: for a request that must be
    /// journaled before it is answered. Returns its admission.
    func recordNow(_ arrival: Journal.Arrival) throws -> Admission {
        try commitOrder.withLock { _ throws -> Admission in
            let admissions = try write(then: [arrival])
            return admissions[admissions.count - 1]
        }
    }

    /// Writes until `finish`, then writes what is left and returns.
    func run() async {
        while await waitForWork() {
            await waitForCompany()
            commitOrder.withLock { _ in
                do {
                    _ = try write(then: [])
                } catch {
                    // Already logged; the arrivals were answered, only their journal entries are missing.
                }
            }
        }
    }

    /// Stops `run` once what is queued is written.
    func finish() {
        let waiter = state.withLock { state in
            state.finished = true
            return state.waiter.take()
        }
        waiter?.resume()
    }

    /// Waits until something is queued or acknowledged; false once finished with nothing left to write.
    private func waitForWork() async -> Bool {
        while true {
            let outcome: Bool? = state.withLock { state in
                if !state.queue.isEmpty || state.acknowledged { return true }
                return state.finished ? false : nil
            }
            if let outcome { return outcome }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state in
                    if !state.queue.isEmpty || state.acknowledged || state.finished { return true }
                    state.waiter = continuation
                    state.waiterCoalesces = false
                    return false
                }
                if ready { continuation.resume() }
            }
        }
    }

    /// Waits up to `coalescing` for more to share the commit; returns at once for an arrival still being answered, or
    /// when finishing.
    private func waitForCompany() async {
        let interval = state.withLock { state -> UInt64 in
            state.interval += 1
            state.intervalElapsed = false
            return state.interval
        }
        let timer = Task { [self, coalescing] in
            guard (try? await Task.sleep(for: coalescing)) != nil else { return }
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard state.interval == interval else { return nil }
                state.intervalElapsed = true
                return state.waiter.take()
            }
            waiter?.resume()
        }
        defer { timer.cancel() }
        while true {
            let done = state.withLock { $0.urgent || $0.finished || $0.intervalElapsed }
            if done { return }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state in
                    if state.urgent || state.finished || state.intervalElapsed { return true }
                    state.waiter = continuation
                    state.waiterCoalesces = true
                    return false
                }
                if ready { continuation.resume() }
            }
        }
    }

    /// Commits the queue, then `extra`, with the acknowledged replies; hands out ids. Call with `commitOrder` held.
    private func write(then extra: [Journal.Arrival]) throws -> [Admission] {
        let batch = state.withLock { state -> [Queued] in
            state.urgent = false
            state.acknowledged = false
            defer { state.queue = [] }
            return state.queue
        }
        let done = completions.drain()
        defer {
            if let last = batch.last?.sequence { state.withLock { $0.writtenThrough = last } }
        }
        guard !batch.isEmpty || !done.isEmpty || !extra.isEmpty else { return [] }
        let admissions: [Admission]
        do {
            let arrivals = batch.map { queued in
                var arrival = queued.arrival
                arrival.isDelivered = queued.ticket.closeIfDelivered()
                return arrival
            }
            admissions = try journal.record(arrivals: arrivals + extra, done: done, nowMillis: unixMillis())
        } catch {
            logger.error("could not journal \(batch.count + extra.count) requests: \(error)")
            completions.add(done)
            throw error
        }
        for (queued, admission) in zip(batch, admissions) {
            if case .admitted(let id) = admission {
                queued.ticket.assign(id)
            } else {
                logger.debug("a request answered before its journal commit was already journaled")
            }
        }
        return Array(admissions[batch.count...])
    }
}

/// A dedupe key as a set member, hashed in one call over its bytes (an array of bytes hashes them one call each).
private struct HeldKey: Hashable {
    let bytes: [UInt8]

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
