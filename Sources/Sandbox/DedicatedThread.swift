import Glibc

/// Runs blocking work on a thread of its own, never on Swift's cooperative pool.
enum DedicatedThread {
    private final class Work {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Runs `body` on a new detached thread and returns its result; then, on that thread, `afterwards` with the same
    /// result (work that need not delay the caller).
    static func run<T: Sendable>(
        _ body: @escaping @Sendable () -> T, afterwards: @escaping @Sendable (T) -> Void = { _ in }
    ) async -> T {
        await withCheckedContinuation { continuation in
            let work = Unmanaged.passRetained(
                Work {
                    let result = body()
                    continuation.resume(returning: result)
                    afterwards(result)
                })
            var thread = pthread_t()
            let created = pthread_create(
                &thread, nil,
                { raw in
                    Unmanaged<Work>.fromOpaque(raw!).takeRetainedValue().body()
                    return nil
                }, work.toOpaque())
            if created == 0 {
                pthread_detach(thread)
            } else {
                // No thread to be had: run here rather than never.
                work.takeRetainedValue().body()
            }
        }
    }
}
