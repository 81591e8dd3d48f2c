#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs work on a thread of its own with a large stack, and waits for it.
///
/// Reading, compiling and writing terms recurse as deep as the terms nest (within the engine's nesting limits), and
/// the threads that call the engine — Swift concurrency's and Dispatch's — may have stacks of only 512 KB. The
/// stack is reserved, not committed: only the pages a deep term touches cost memory.
enum LargeStack {
    /// Stack size of the engine's threads.
    static let size = 64 << 20

    private final class Job {
        let work: () -> Void
        init(_ work: @escaping () -> Void) { self.work = work }
    }

    /// Calls `body` on a fresh thread with a large stack and returns its result.
    static func run<T>(_ body: () throws(PrologError) -> T) throws(PrologError) -> T {
        var result: Result<T, PrologError>?
        withoutActuallyEscaping(body) { escapable in
            let job = Job {
                do throws(PrologError) {
                    result = .success(try escapable())
                } catch {
                    result = .failure(error)
                }
            }
            if !spawnAndJoin(job) {
                // No thread could be made: run here rather than fail.
                job.work()
            }
        }
        return try result!.get()
    }

    /// Like `run`, for work that throws syntax errors.
    static func run<T>(_ body: () throws(PrologSyntaxError) -> T) throws(PrologSyntaxError) -> T {
        var result: Result<T, PrologSyntaxError>?
        withoutActuallyEscaping(body) { escapable in
            let job = Job {
                do throws(PrologSyntaxError) {
                    result = .success(try escapable())
                } catch {
                    result = .failure(error)
                }
            }
            if !spawnAndJoin(job) { job.work() }
        }
        return try result!.get()
    }

    /// Runs `body` on a fresh thread with a large stack without blocking the caller's thread (a Swift concurrency
    /// thread stays free while the engine works).
    static func detached<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let job = Job { continuation.resume(returning: body()) }
            if !spawn(job, join: false) { job.work() }
        }
    }

    private static func spawnAndJoin(_ job: Job) -> Bool {
        spawn(job, join: true)
    }

    private static func spawn(_ job: Job, join: Bool) -> Bool {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, size)
        let context = Unmanaged.passRetained(job).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(
            &thread, &attributes,
            { context in
                let job = Unmanaged<Job>.fromOpaque(context!).takeRetainedValue()
                job.work()
                return nil
            }, context)
        guard created == 0 else {
            Unmanaged<Job>.fromOpaque(context).release()
            return false
        }
        if join {
            pthread_join(thread, nil)
        } else {
            pthread_detach(thread)
        }
        return true
    }
}
