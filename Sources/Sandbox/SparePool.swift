import CSandbox
import Glibc
import Synchronization

/// Memory shared with a spare child: its spec is written here once its job is known.
struct SharedRegion: @unchecked Sendable {  // an address owned by one thread at a time
    let base: UnsafeMutableRawPointer
    let length: Int

    /// A fresh zeroed region, or nil when the kernel refuses.
    static func make(length: Int) -> SharedRegion? {
        csandbox_map_shared(length).map { SharedRegion(base: $0, length: length) }
    }

    /// Zeroes what may have been written (the pages go back to the kernel).
    func wipe() { _ = madvise(base, length, MADV_REMOVE) }

    func unmap() { csandbox_unmap_shared(base, length) }
}

/// A child spawned ahead of its job: cloned into fresh namespaces, id-mapped, attached to its own (not yet limited)
/// cgroups, and blocked reading its release pipe. It holds no job data until a run fills its region.
struct SpareChild: Sendable {
    var child: SpawnedChild
    var group: CgroupGroup?
    var region: SharedRegion

    /// Kills and reaps the child, removes its groups, unmaps its region.
    func discard() {
        var child = child
        ChildSpawner.abandon(&child)
        group?.remove()
        region.unmap()
    }
}

/// Keeps up to `target` spare children ready, so that a run skips the clone, the id maps and the cgroup attach (in
/// cgroup v1 an RCU grace period, ~10 ms) on its critical path. One thread spawns them and outlives them: a child
/// dies with the thread that cloned it (PR_SET_PDEATHSIG), so the thread lives until the pool is deinitialised,
/// which happens only after every run (each holds the ``Sandbox``) has ended.
final class SparePool: @unchecked Sendable {  // every var is guarded by `mutex`
    private enum State { case filling, stopped, exiting }

    /// Pools whose spares `exit` must discard: a one-shot process (`council exec`) never deinitialises its sandbox,
    /// and the kernel would kill its spares but leave their cgroups.
    private static let live = Mutex<[ObjectIdentifier: SparePool]>([:])
    private static let discardAtExit: Void = {
        atexit { for pool in SparePool.live.withLock({ Array($0.values) }) { pool.stop() } }
    }()

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var ready: [SpareChild] = []
    /// Groups of ended runs, removed by the thread after the run has returned its result.
    private var retired: [CgroupGroup] = []
    private var state = State.filling
    /// Whether the thread is making a spare (its groups may exist before it is in `ready`) or removing groups.
    private var making = false
    private var thread: pthread_t?
    /// Whether making a spare failed: the pool stays stopped.
    private var failed = false
    private let target: Int
    private let make: @Sendable () -> SpareChild?

    /// Starts the thread that keeps `target` spares made by `make` (nil: spawning failed; the pool then stops), now
    /// or, when `fillNow` is false, from the first ``refill()``.
    init(target: Int, fillNow: Bool, make: @escaping @Sendable () -> SpareChild?) {
        self.target = target
        state = fillNow ? .filling : .stopped
        self.make = make
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        _ = Self.discardAtExit
        Self.live.withLock { $0[ObjectIdentifier(self)] = self }
        var thread = pthread_t()
        let unmanaged = Unmanaged.passRetained(self)
        if pthread_create(
            &thread, nil,
            { raw in
                let pool = Unmanaged<SparePool>.fromOpaque(raw!).takeRetainedValue()
                pool.fill()
                return nil
            }, unmanaged.toOpaque()) == 0
        {
            self.thread = thread
        } else {
            unmanaged.release()
            state = .stopped
        }
    }

    /// A ready spare, or nil (the run then spawns its own child). The pool replaces it at ``refill()``.
    func take() -> SpareChild? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard state == .filling, !ready.isEmpty else { return nil }
        return ready.removeFirst()
    }

    /// Removes the (empty) groups of an ended run in the background, off the run's critical path.
    func retire(_ group: CgroupGroup) {
        pthread_mutex_lock(mutex)
        guard thread != nil else {
            pthread_mutex_unlock(mutex)
            return group.remove()
        }
        retired.append(group)
        pthread_cond_broadcast(wake)
        pthread_mutex_unlock(mutex)
    }

    /// Makes spares up to the target again (after ``stop()`` too), in the background. Called when a run has ended,
    /// so that making them does not compete with the run for the CPU.
    func refill() {
        pthread_mutex_lock(mutex)
        if state == .stopped && !failed { state = .filling }
        pthread_cond_broadcast(wake)
        pthread_mutex_unlock(mutex)
    }

    /// Discards the ready spares, waiting for one being made, and makes no more until the next ``refill()``.
    func stop() {
        pthread_mutex_lock(mutex)
        if state == .filling { state = .stopped }
        while making { pthread_cond_wait(wake, mutex) }
        let discarded = ready
        let groups = retired
        ready = []
        retired = []
        pthread_mutex_unlock(mutex)
        for spare in discarded { spare.discard() }
        for group in groups { group.remove() }
    }

    /// Ends the thread: every child it cloned must be gone by then.
    func finish() {
        Self.live.withLock { $0[ObjectIdentifier(self)] = nil }
        stop()
        pthread_mutex_lock(mutex)
        state = .exiting
        pthread_cond_broadcast(wake)
        let thread = thread
        self.thread = nil
        pthread_mutex_unlock(mutex)
        if let thread { pthread_join(thread, nil) }
    }

    private func fill() {
        // Signals go to the daemon's other threads; a write to a gone child must fail with EPIPE, not kill us.
        var all = sigset_t()
        sigfillset(&all)
        pthread_sigmask(SIG_SETMASK, &all, nil)
        pthread_mutex_lock(mutex)
        while state != .exiting {
            if !retired.isEmpty {
                let groups = retired
                retired = []
                making = true  // stop() waits for these to be gone too
                pthread_mutex_unlock(mutex)
                for group in groups { group.remove() }
                pthread_mutex_lock(mutex)
                making = false
                pthread_cond_broadcast(wake)
                continue
            }
            if state == .filling && ready.count < target {
                making = true
                pthread_mutex_unlock(mutex)
                let spare = make()
                pthread_mutex_lock(mutex)
                if let spare, state == .filling {
                    ready.append(spare)
                } else if let spare {
                    pthread_mutex_unlock(mutex)
                    spare.discard()
                    pthread_mutex_lock(mutex)
                } else {
                    failed = true
                    if state == .filling { state = .stopped }
                }
                making = false
                pthread_cond_broadcast(wake)
                continue
            }
            pthread_cond_wait(wake, mutex)
        }
        pthread_mutex_unlock(mutex)
    }

    deinit {
        pthread_cond_destroy(wake)
        pthread_mutex_destroy(mutex)
        wake.deallocate()
        mutex.deallocate()
    }
}
