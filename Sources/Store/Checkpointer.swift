import Glibc
import Synchronization

/// Copies the WAL back into the database file on a thread of its own, so that commits on the request path never
/// pay for a checkpoint (two fsyncs) themselves.
///
/// It uses its own connection: a PASSIVE checkpoint runs alongside the writer without blocking it. Pair it with a
/// raised ``Database/Options/autoCheckpointPages`` on the writer's connection, which stays as a safety net.
public final class Checkpointer: Sendable {
    private let database: Database
    private let intervalMillis: Int
    private let state = Mutex<(stopping: Bool, running: Bool)>((false, false))

    /// Opens a second connection to the database file at `path`.
    public init(path: String, synchronous: Database.Synchronous, intervalMillis: Int = 1000) throws {
        database = try Database(path: path, options: .init(synchronous: synchronous, autoCheckpointPages: 0))
        self.intervalMillis = intervalMillis
    }

    /// Checkpoints once now; returns the WAL's size in pages and how many were copied back.
    @discardableResult
    public func checkpoint() throws -> (walPages: Int, checkpointedPages: Int) {
        guard let row = try database.query("PRAGMA wal_checkpoint(PASSIVE)").first else { return (0, 0) }
        return (try row.get(1), try row.get(2))
    }

    /// Starts checkpointing every interval on a dedicated thread until `stop`. `onError` is called on that thread.
    public func start(onError: @escaping @Sendable (any Error) -> Void) {
        let shouldStart = state.withLock { state in
            guard !state.running else { return false }
            state = (false, true)
            return true
        }
        guard shouldStart else { return }
        final class Work: @unchecked Sendable {  // handed to exactly one thread
            let body: () -> Void
            init(_ body: @escaping () -> Void) { self.body = body }
        }
        let work = Unmanaged.passRetained(Work { [self] in loop(onError: onError) }).toOpaque()
        var thread = pthread_t()
        if pthread_create(
            &thread, nil,
            { raw in
                let work = Unmanaged<Work>.fromOpaque(raw!).takeRetainedValue()
                work.body()
                return nil
            }, work) == 0
        {
            pthread_detach(thread)
        } else {
            Unmanaged<Work>.fromOpaque(work).release()
            state.withLock { $0.running = false }
        }
    }

    /// Stops the thread (after its current checkpoint) and closes the connection.
    public func stop() {
        state.withLock { $0.stopping = true }
        while state.withLock({ $0.running }) { usleep(1_000) }
        database.close()
    }

    private func loop(onError: @Sendable (any Error) -> Void) {
        defer { state.withLock { $0.running = false } }
        while true {
            var slept = 0
            while slept < intervalMillis {
                if state.withLock({ $0.stopping }) { return }
                usleep(20_000)
                slept += 20
            }
            do {
                try checkpoint()
            } catch {
                onError(error)
            }
        }
    }
}
