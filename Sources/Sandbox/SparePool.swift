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

/// A child spawned ahead of its job: cloned into fresh namespaces, id-mapped, attached to its own cgroups (limited
/// as the default profile says), prepared (the sandbox user, in its read-only root, with only the job's mounts and
/// its last capabilities left to do), and blocked reading its release pipe. It holds no job data until a run fills
/// its region.
struct SpareChild: Sendable {
    var child: SpawnedChild
    var group: CgroupGroup?
    var region: SharedRegion
    /// Where in `region` the job's part of the spec goes (the root's part comes first).
    var jobOffset: Int

    /// Kills and reaps the child, removes its groups, unmaps its region.
    func discard() {
        var child = child
        ChildSpawner.abandon(&child)
        group?.remove()
        region.unmap()
    }
}

/// An ended run's leftovers: its init, still exiting, and its groups.
private struct Retired {
    var exiting: ExitingInit?
    var group: CgroupGroup?

    func finish() {
        exiting?.reap()
        group?.remove()
    }
}

/// Keeps up to `target` spare children ready, so that a run skips the clone, the id maps, the cgroup attach (in
/// cgroup v1 an RCU grace period, ~10 ms) and the building of the root on its critical path. One thread spawns them
/// and outlives them: a child dies with the thread that cloned it (PR_SET_PDEATHSIG), so the thread lives until the
/// pool is deinitialised, which happens only after every run (each holds the ``Sandbox``) has ended. The same thread
/// reaps the inits of ended runs and removes their groups, off the runs' paths.
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
    /// Ended runs' inits (exiting) and groups, reaped and removed by the thread after the run has returned.
    private var retired: [Retired] = []
    private var state = State.filling
    /// Whether the thread is making a spare (its groups may exist before it is in `ready`) or removing groups.
    private var making = false
    private var thread: pthread_t?
    /// Whether making a spare failed: the pool stays stopped.
    private var failed = false
    private let target: Int
    private let make: @Sendable (Int) -> [SpareChild]

    /// Starts the thread that keeps `target` spares made by `make` (given how many are missing, it returns up to
    /// that many; none: spawning failed, and the pool then stops), now or, when `fillNow` is false, from the first
    /// ``refill()``.
    init(target: Int, fillNow: Bool, make: @escaping @Sendable (Int) -> [SpareChild]) {
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

    /// How many spares are ready now.
    var readyCount: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return ready.count
    }

    /// A ready spare, or nil (the run then spawns its own child). The pool replaces it at ``refill()``.
    func take() -> SpareChild? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard state == .filling, !ready.isEmpty else { return nil }
        return ready.removeFirst()
    }

    /// Reaps an ended run's exiting init, then removes its groups (empty once init is gone), in the background, off
    /// the run's critical path: from the next ``refill()`` (which the run calls once its result is on its way), or at
    /// ``stop()``.
    func retire(_ group: CgroupGroup?, after exiting: ExitingInit?) {
        let ended = Retired(exiting: exiting, group: group)
        pthread_mutex_lock(mutex)
        guard thread != nil else {
            pthread_mutex_unlock(mutex)
            return ended.finish()
        }
        retired.append(ended)
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
        let ended = retired
        ready = []
        retired = []
        pthread_mutex_unlock(mutex)
        for spare in discarded { spare.discard() }
        for run in ended { run.finish() }
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
            // Missing spares first (a run may be waiting for one), all at once: their cgroup attaches then share one
            // RCU grace period. Then the ended runs' leftovers.
            if state == .filling && ready.count < target {
                making = true
                let missing = target - ready.count
                pthread_mutex_unlock(mutex)
                let spares = make(missing)
                pthread_mutex_lock(mutex)
                if spares.isEmpty {
                    failed = true
                    if state == .filling { state = .stopped }
                } else if state == .filling {
                    ready += spares
                } else {
                    pthread_mutex_unlock(mutex)
                    for spare in spares { spare.discard() }
                    pthread_mutex_lock(mutex)
                }
                making = false
                pthread_cond_broadcast(wake)
            }
            if !retired.isEmpty {
                let ended = retired
                retired = []
                making = true  // stop() waits for these to be gone too
                pthread_mutex_unlock(mutex)
                for run in ended { run.finish() }
                pthread_mutex_lock(mutex)
                making = false
                pthread_cond_broadcast(wake)
                continue
            }
            if state == .filling && ready.count < target { continue }
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
