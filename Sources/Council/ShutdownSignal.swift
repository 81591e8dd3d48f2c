import Dispatch
import Glibc
import Synchronization

/// Resolves once: on SIGTERM or SIGINT (systemd's stop, Ctrl-C), or when `trigger` is called.
public final class ShutdownSignal: Sendable {
    private let state = Mutex<(fired: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))
    // DispatchSource is thread-safe; kept only so the sources stay alive.
    nonisolated(unsafe) private var sources: [DispatchSourceSignal] = []

    /// Creates a signal that fires on SIGTERM/SIGINT when `handleSignals` is true.
    public init(handleSignals: Bool = true) {
        guard handleSignals else { return }
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.trigger() }
            source.resume()
            sources.append(source)
        }
    }

    /// Fires the signal (idempotent).
    public func trigger() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.fired else { return [] }
            state.fired = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Waits until the signal fires.
    public func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let fired = state.withLock { state -> Bool in
                if state.fired { return true }
                state.waiters.append(continuation)
                return false
            }
            if fired { continuation.resume() }
        }
    }
}
