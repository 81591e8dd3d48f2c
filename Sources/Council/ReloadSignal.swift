import Dispatch
import Glibc

/// SIGHUP (`systemctl reload council`) as a stream of reload requests; several signals arriving while a reload
/// runs collapse into one more reload.
public final class ReloadSignal: Sendable {
    /// One element per reload to perform; iterate it from one task.
    public let requests: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    // DispatchSource is thread-safe; kept only so the source stays alive.
    nonisolated(unsafe) private var source: DispatchSourceSignal?

    /// Creates the stream; with `handleSignals`, SIGHUP no longer terminates the process but feeds the stream.
    public init(handleSignals: Bool = true) {
        (requests, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        guard handleSignals else { return }
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler { [continuation] in continuation.yield() }
        source.resume()
        self.source = source
    }

    /// Requests a reload as SIGHUP does.
    public func trigger() {
        continuation.yield()
    }

    /// Ends the stream (the daemon is stopping).
    public func finish() {
        continuation.finish()
    }

    deinit {
        source?.cancel()
        continuation.finish()
    }
}
