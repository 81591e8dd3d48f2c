import CCurl
import Glibc
import Synchronization

/// libcurl's process-wide setup, done once before the first handle.
private let curlGlobalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))

/// A dedicated thread driving one `curl_multi` handle: every transfer of an ``HTTPClient`` runs here, off the
/// cooperative thread pool, and shares the multi handle's connection cache (keep-alive across requests).
///
/// Other threads talk to it only through the inbox and `curl_multi_wakeup`, which libcurl documents as thread-safe.
final class CurlEngine: @unchecked Sendable {  // `multi` and `running` are used by the engine thread alone
    private struct Inbox {
        var added: [CurlTransfer] = []
        var cancelled: [CurlTransfer] = []
        var stopping = false
        /// Set by the engine thread just before it frees the multi handle: no wakeup may follow.
        var closed = false
    }

    private let multi: UnsafeMutableRawPointer?
    private let inbox = Mutex(Inbox())
    private let spareHandles = Mutex(SpareHandles())

    /// Idle easy handles; each is used by one thread at a time, handed over under the mutex.
    private struct SpareHandles: @unchecked Sendable {
        var handles: [UnsafeMutableRawPointer] = []
    }
    private var running: [ObjectIdentifier: CurlTransfer] = [:]
    private let opened = Atomic<Int>(0)
    private let startFailure: String?

    /// Creates the multi handle and starts the thread; on failure every request fails with the reason.
    init(maxIdleConnections: Int) {
        guard curlGlobalInit == CURLE_OK, let multi = curl_multi_init() else {
            self.multi = nil
            startFailure = "libcurl could not be initialised"
            return
        }
        self.multi = multi
        _ = council_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(1, maxIdleConnections))
        startFailure = nil
        let started = startThread { [self] in run() }
        if !started {
            inbox.withLock {
                $0.stopping = true
                $0.closed = true
            }
            curl_multi_cleanup(multi)
        }
    }

    /// Connections opened so far (every request beyond these reused a kept-alive connection).
    var connectionsOpened: Int { opened.load(ordering: .relaxed) }

    /// An easy handle, recycled when one is free: `curl_easy_reset` keeps nothing of the last request but its
    /// caches, and saves allocating and initialising a handle per request.
    func takeHandle() -> UnsafeMutableRawPointer? {
        spareHandles.withLock { $0.handles.popLast() } ?? curl_easy_init()
    }

    /// Takes back a handle that is out of the multi handle; keeps a few for reuse, frees the rest.
    func recycle(_ easy: UnsafeMutableRawPointer) {
        curl_easy_reset(easy)
        let kept = spareHandles.withLock { spares in
            guard spares.handles.count < Self.maxSpareHandles else { return false }
            spares.handles.append(easy)
            return true
        }
        if !kept { curl_easy_cleanup(easy) }
    }

    private static let maxSpareHandles = 8

    // Wakeups happen under the inbox lock, so none can reach the multi handle after the engine thread freed it.

    /// Hands `transfer` to the engine thread; fails it at once when the engine has stopped.
    func submit(_ transfer: CurlTransfer) {
        let accepted = inbox.withLock { inbox in
            guard !inbox.stopping, let multi else { return false }
            inbox.added.append(transfer)
            curl_multi_wakeup(multi)
            return true
        }
        if !accepted {
            let reason = startFailure ?? "the HTTP client is shut down"
            transfer.fail(ProviderError(.cancelled, "\(transfer.summary): \(reason)"))
        }
    }

    /// Asks the engine thread to abort `transfer` (no effect once it has completed).
    func cancel(_ transfer: CurlTransfer) {
        transfer.cancelRequested.store(true, ordering: .relaxed)
        inbox.withLock { inbox in
            guard !inbox.stopping, let multi else { return }
            inbox.cancelled.append(transfer)
            curl_multi_wakeup(multi)
        }
    }

    /// Aborts every transfer and ends the thread.
    func stop() {
        inbox.withLock { inbox in
            guard !inbox.stopping else { return }
            inbox.stopping = true
            if !inbox.closed, let multi { curl_multi_wakeup(multi) }
        }
    }

    deinit {
        for easy in spareHandles.withLock({ $0.handles }) { curl_easy_cleanup(easy) }
    }

    // MARK: Engine thread

    private func run() {
        guard let multi else { return }
        while true {
            let (added, cancelled, stopping) = inbox.withLock { inbox in
                defer {
                    inbox.added.removeAll()
                    inbox.cancelled.removeAll()
                }
                return (inbox.added, inbox.cancelled, inbox.stopping)
            }
            for transfer in added {
                if transfer.cancelRequested.load(ordering: .relaxed) {
                    transfer.fail(ProviderError(.cancelled, "\(transfer.summary): the request was cancelled"))
                } else if curl_multi_add_handle(multi, transfer.easy) == CURLM_OK {
                    running[ObjectIdentifier(transfer)] = transfer
                } else {
                    transfer.fail(ProviderError(.connectionFailed, "\(transfer.summary): libcurl refused the transfer"))
                }
            }
            for transfer in cancelled {
                guard running.removeValue(forKey: ObjectIdentifier(transfer)) != nil else { continue }
                curl_multi_remove_handle(multi, transfer.easy)
                transfer.fail(ProviderError(.cancelled, "\(transfer.summary): the request was cancelled"))
            }
            if stopping { break }
            var stillRunning: Int32 = 0
            curl_multi_perform(multi, &stillRunning)
            finishCompleted(multi)
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        for transfer in running.values {
            curl_multi_remove_handle(multi, transfer.easy)
            transfer.fail(ProviderError(.cancelled, "\(transfer.summary): the HTTP client was shut down"))
        }
        running.removeAll()
        inbox.withLock { $0.closed = true }
        curl_multi_cleanup(multi)
    }

    private func finishCompleted(_ multi: UnsafeMutableRawPointer) {
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let result = council_curl_msg_result(message)
            var context: UnsafeMutableRawPointer?
            _ = council_curl_easy_getinfo_pointer(easy, CURLINFO_PRIVATE, &context)
            curl_multi_remove_handle(multi, easy)
            guard let context else { continue }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
            running.removeValue(forKey: ObjectIdentifier(transfer))
            opened.add(transfer.connectionsOpened, ordering: .relaxed)
            transfer.complete(result)
        }
    }
}

/// Runs `body` on a new detached OS thread; false when the thread could not be created.
private func startThread(_ body: @escaping @Sendable () -> Void) -> Bool {
    final class Box: @unchecked Sendable {  // handed to exactly one thread, read once
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    let context = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(
        &thread, nil,
        { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            box.body()
            return nil
        }, context)
    guard rc == 0 else {
        Unmanaged<Box>.fromOpaque(context).release()
        return false
    }
    pthread_detach(thread)
    return true
}
