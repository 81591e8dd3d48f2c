import Glibc
import Logging
import Synchronization

/// An MQTT client on libmosquitto that stays connected: it reconnects with exponential backoff, re-subscribes and
/// republishes its announcements (retained status and info) on every CONNACK, and logs while it is disconnected.
///
/// Received messages arrive in batches from `receive()`, or one by one from `messages()`; use one of the two.
/// Publishing and subscribing are safe from any thread or task; nothing here blocks the caller on the network.
public final class MQTTClient: Sendable {
    private let inbox = Inbox()

    private let options: BusOptions
    private let logger: Logger
    private let state: Mutex<ClientState>
    // Set once in init, before any callback can run; only used through libmosquitto's thread-safe calls.
    nonisolated(unsafe) private var mosquitto: Mosquitto!

    /// Creates a client; nothing is sent until `start()`.
    public init(options: BusOptions, logger: Logger) throws(BusError) {
        self.options = options
        self.logger = logger
        self.state = Mutex(ClientState(subscriptions: options.subscriptions, announcements: options.announcements))
        mosquitto = try Mosquitto(options: options, delegate: Delegate(client: self))
    }

    /// Every message received since the last call, in arrival order, waiting for at least one; nil once the client
    /// has stopped and everything received was handed out.
    public func receive() async -> [InboundMessage]? {
        await inbox.next()
    }

    /// The received messages one by one, for consumers that do not batch. Call it once, and not with `receive()`.
    public func messages() -> AsyncStream<InboundMessage> {
        let (stream, continuation) = AsyncStream.makeStream(of: InboundMessage.self)
        let pump = Task { [inbox] in
            while let batch = await inbox.next() {
                for message in batch { continuation.yield(message) }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in pump.cancel() }
        return stream
    }

    /// The broker address as logged, without credentials.
    public var brokerDescription: String {
        "\(options.tls == nil ? "mqtt" : "mqtts")://\(options.host):\(options.port)"
    }

    /// Whether a CONNACK accepted the current connection.
    public var isConnected: Bool { state.withLock { $0.phase == .connected } }

    /// Whether the network thread should be making progress and has not for 3 minutes (it beats every 200 ms while
    /// connected and every 100 ms while waiting to reconnect; only a blocking DNS lookup or TCP connect, bounded by
    /// the kernel's SYN retries at about 2 minutes, pauses it). The daemon withholds systemd watchdog pings then.
    public var isNetworkThreadStalled: Bool {
        let (phase, heartbeat) = state.withLock { ($0.phase, $0.heartbeatNanos) }
        guard phase == .connecting || phase == .connected else { return false }
        return monotonicNanos() &- heartbeat > 180_000_000_000
    }

    /// Starts the network thread; it connects, and keeps reconnecting until `stop`.
    public func start() throws(BusError) {
        let shouldStart = state.withLock { state in
            guard state.phase == .idle else { return false }
            state.phase = .connecting
            state.heartbeatNanos = monotonicNanos()
            return true
        }
        guard shouldStart else { return }
        guard startDetachedThread({ [self] in runNetworkLoop() }) else {
            throw BusError(.library, "could not start the MQTT network thread")
        }
    }

    /// Waits until the broker has accepted a connection, or fails after `timeout`.
    public func waitUntilConnected(timeout: Duration) async throws(BusError) {
        let id = state.withLock { state -> UInt64? in
            if state.phase == .connected { return nil }
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        guard let id else { return }
        let result: Result<Void, BusError> = await withTimeout(timeout) { continuation in
            state.withLock { state in
                if state.phase == .connected {
                    continuation.resume(returning: .success(()))
                } else if state.phase == .stopped || state.phase == .stopping {
                    continuation.resume(returning: .failure(BusError(.stopped, "the MQTT client was stopped")))
                } else {
                    state.connectWaiters[id] = continuation
                }
            }
        } onTimeout: { [self] in
            state.withLock { state in
                state.connectWaiters.removeValue(forKey: id)?.resume(returning: .failure(BusError(.timeout, "")))
            }
        }
        if case .failure(let error) = result {
            if error.code == .timeout {
                let last = state.withLock { $0.lastError }
                throw BusError(
                    .timeout,
                    "could not connect to the MQTT broker at \(brokerDescription) within \(timeout)"
                        + (last.isEmpty ? "" : ": \(last)"))
            }
            throw error
        }
    }

    /// Subscribes now (waiting for the SUBACK) and again after every reconnect.
    public func subscribe(_ subscription: Subscription, timeout: Duration = .seconds(10)) async throws(BusError) {
        state.withLock { state in
            if !state.subscriptions.contains(subscription) { state.subscriptions.append(subscription) }
        }
        try await waitUntilConnected(timeout: timeout)
        let id = state.withLock { state -> UInt64 in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        let result: Result<[Int32], BusError> = await withTimeout(timeout) { continuation in
            state.withLock { state in
                // Queued under the lock so the SUBACK cannot be handled before the waiter is registered.
                let (rc, mid) = mosquitto.subscribe(subscription)
                if rc != 0 {
                    continuation.resume(
                        returning: .failure(
                            BusError(
                                .library, "subscribe to \(subscription.filter): \(Mosquitto.describe(rc))",
                                underlying: rc)))
                } else {
                    state.subscribeWaiters[mid] = (id, continuation)
                }
            }
        } onTimeout: { [self] in
            state.withLock { state in
                if let (mid, entry) = state.subscribeWaiters.first(where: { $0.value.0 == id }) {
                    state.subscribeWaiters[mid] = nil
                    entry.1.resume(returning: .failure(BusError(.timeout, "no SUBACK within \(timeout)")))
                }
            }
        }
        let granted = try result.get()
        if let code = granted.first, code >= 0x80 {
            throw BusError(
                .refused, "the broker refused the subscription to \(subscription.filter) (reason \(code))",
                underlying: code)
        }
    }

    /// Replaces the announcement on `message.topic` (or adds one) and publishes it now when connected: for retained
    /// state that changes while running (the node's `state`), so that every reconnect republishes the latest.
    public func announce(_ message: OutboundMessage) {
        let connected = state.withLock { state in
            if let index = state.announcements.firstIndex(where: { $0.topic == message.topic }) {
                state.announcements[index] = message
            } else {
                state.announcements.append(message)
            }
            return state.phase == .connected
        }
        guard connected else { return }
        do {
            try publish(message)
        } catch {
            logger.warning("could not publish \(message.topic): \(error)")
        }
    }

    /// Queues a message for publishing. `onDelivered` runs once the broker acknowledged it (QoS 1/2) or it was written
    /// (QoS 0), with `false` if the broker rejected it: on the network thread (keep it short), or on the caller's if
    /// the acknowledgement came before `publish` returned.
    ///
    /// The client's lock is not held while libmosquitto writes the message (a system call), so publishing never makes
    /// the network thread wait; an acknowledgement that overtakes the callback's registration is kept until then.
    public func publish(_ message: OutboundMessage, onDelivered: (@Sendable (Bool) -> Void)? = nil) throws(BusError) {
        let open = state.withLock { state in
            guard state.phase != .stopped else { return false }
            if onDelivered != nil { state.registrationsPending += 1 }
            return true
        }
        guard open else { throw BusError(.stopped, "the MQTT client was stopped") }
        let (rc, mid) = mosquitto.publish(message)
        if let onDelivered {
            let early: Bool? = state.withLock { state in
                defer {
                    state.registrationsPending -= 1
                    if state.registrationsPending == 0 { state.earlyAcknowledgements = [:] }
                }
                guard rc == 0 else { return nil }
                if let delivered = state.earlyAcknowledgements.removeValue(forKey: mid) { return delivered }
                state.deliveryCallbacks[mid] = onDelivered
                return nil
            }
            if let early { onDelivered(early) }
        }
        if rc != 0 {
            throw BusError(.library, "publish to \(message.topic): \(Mosquitto.describe(rc))", underlying: rc)
        }
    }

    /// Publishes and waits for the broker's acknowledgement (or the write, for QoS 0).
    public func publishAndWait(_ message: OutboundMessage, timeout: Duration = .seconds(5)) async throws(BusError) {
        let outcome: Bool = await withCheckedContinuation { continuation in
            let once = ResumeOnce(continuation)
            do {
                try publish(message) { ok in once.resume(ok) }
            } catch {
                once.resume(false)
                return
            }
            Task {
                try? await Task.sleep(for: timeout)
                once.resume(false)
            }
        }
        if !outcome {
            throw BusError(.timeout, "the broker did not acknowledge the message on \(message.topic) within \(timeout)")
        }
    }

    /// Publishes `farewell` (e.g. the retained offline status) and waits for it, then disconnects cleanly and stops
    /// the network thread. Messages received before the disconnect are still handed out.
    public func stop(farewell: [OutboundMessage] = [], timeout: Duration = .seconds(3)) async {
        if isConnected {
            for message in farewell {
                do {
                    try await publishAndWait(message, timeout: timeout)
                } catch {
                    logger.warning("could not publish \(message.topic) before disconnecting: \(error)")
                }
            }
        }
        let wasRunning = state.withLock { state in
            let running = state.phase != .idle && state.phase != .stopped
            state.phase = running ? .stopping : .stopped
            state.failAllWaiters(BusError(.stopped, "the MQTT client was stopped"))
            return running
        }
        if wasRunning {
            _ = mosquitto.disconnect()
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                state.withLock { state in
                    if state.phase == .stopped {
                        continuation.resume()
                    } else {
                        state.stopWaiters.append(continuation)
                    }
                }
            }
        }
        inbox.finish()
    }

    /// Watches the network thread: logs at `critical` when it has not made progress for `stallAfter` (a blocked DNS
    /// lookup or TCP connect, or a loop that died). Runs until cancelled or the client stops.
    public func superviseNetworkThread(every interval: Duration = .seconds(5), stallAfter: Duration = .seconds(60))
        async
    {
        let stallNanos = UInt64(stallAfter.components.seconds) * 1_000_000_000
        var reported = false
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            let (phase, heartbeat) = state.withLock { ($0.phase, $0.heartbeatNanos) }
            if phase == .stopped || phase == .stopping { return }
            let age = monotonicNanos() &- heartbeat
            if age > stallNanos {
                if !reported {
                    logger.critical(
                        "the MQTT network thread has made no progress for \(age / 1_000_000_000) s (\(brokerDescription))"
                    )
                }
                reported = true
            } else {
                reported = false
            }
        }
    }

    // MARK: - The network thread

    private func runNetworkLoop() {
        var backoff = options.reconnectMinSeconds
        var lastWarningNanos: UInt64 = 0
        var disconnectedSinceNanos = monotonicNanos()
        var needsConnect = true
        var connectSentNanos: UInt64 = 0
        logger.info("connecting to MQTT broker", metadata: ["broker": "\(brokerDescription)"])
        while true {
            let phase = state.withLock { state in
                state.heartbeatNanos = monotonicNanos()
                return state.phase
            }
            if phase == .stopping || phase == .stopped { break }
            if needsConnect {
                let rc = mosquitto.connect(
                    host: options.host, port: options.port, keepalive: options.keepaliveSeconds,
                    sessionExpirySeconds: options.sessionExpirySeconds)
                if rc == 0 {
                    needsConnect = false
                    connectSentNanos = monotonicNanos()
                } else {
                    noteFailure(
                        "cannot connect to \(brokerDescription): \(Mosquitto.describe(rc))",
                        since: disconnectedSinceNanos,
                        lastWarning: &lastWarningNanos)
                    sleepInterruptibly(seconds: backoff)
                    backoff = min(backoff * 2, options.reconnectMaxSeconds)
                    continue
                }
            }
            let rc = mosquitto.loop(timeoutMillis: 200)
            let connected = state.withLock { $0.phase == .connected }
            if rc == 0 {
                if connected {
                    backoff = options.reconnectMinSeconds
                    disconnectedSinceNanos = monotonicNanos()
                    lastWarningNanos = 0
                } else if monotonicNanos() - connectSentNanos > 10_000_000_000 {
                    noteFailure(
                        "no CONNACK from \(brokerDescription) within 10 s", since: disconnectedSinceNanos,
                        lastWarning: &lastWarningNanos)
                    _ = mosquitto.disconnect()
                    needsConnect = true
                }
                continue
            }
            let stopping = state.withLock { state -> Bool in
                if state.phase == .connected { state.phase = .connecting }
                return state.phase == .stopping
            }
            if stopping { break }
            if connected { disconnectedSinceNanos = monotonicNanos() }
            let lastError = state.withLock { $0.lastError }
            noteFailure(
                "disconnected from \(brokerDescription): \(lastError.isEmpty ? Mosquitto.describe(rc) : lastError)",
                since: disconnectedSinceNanos, lastWarning: &lastWarningNanos)
            needsConnect = true
            sleepInterruptibly(seconds: backoff)
            backoff = min(backoff * 2, options.reconnectMaxSeconds)
        }
        let waiters = state.withLock { state in
            state.phase = .stopped
            state.failAllWaiters(BusError(.stopped, "the MQTT client was stopped"))
            defer { state.stopWaiters = [] }
            return state.stopWaiters
        }
        logger.info("disconnected from MQTT broker", metadata: ["broker": "\(brokerDescription)"])
        for waiter in waiters { waiter.resume() }
    }

    /// Logs a connection problem: at once the first time, then every 30 s while it lasts, so a daemon never sits
    /// disconnected without saying so.
    private func noteFailure(_ message: String, since: UInt64, lastWarning: inout UInt64) {
        let now = monotonicNanos()
        state.withLock { $0.lastError = message }
        if lastWarning == 0 {
            logger.warning("\(message); retrying")
            lastWarning = now
        } else if now - lastWarning >= 30_000_000_000 {
            logger.error("\(message); still disconnected after \((now - since) / 1_000_000_000) s, retrying")
            lastWarning = now
        }
    }

    private func sleepInterruptibly(seconds: Double) {
        var remaining = seconds
        while remaining > 0 {
            let stopping = state.withLock { state in
                state.heartbeatNanos = monotonicNanos()  // waiting to reconnect is progress, not a stall
                return state.phase == .stopping || state.phase == .stopped
            }
            if stopping { return }
            let step = min(remaining, 0.1)
            var request = timespec(tv_sec: Int(step), tv_nsec: Int((step - Double(Int(step))) * 1e9))
            nanosleep(&request, nil)
            remaining -= step
        }
    }

    // MARK: - Callbacks (network thread)

    fileprivate func didConnect(reasonCode: Int32, reason: String) {
        guard reasonCode == 0 else {
            let message = "the broker at \(brokerDescription) refused the connection: \(reason)"
            state.withLock { $0.lastError = message }
            logger.error("\(message)")
            return
        }
        logger.notice("connected to MQTT broker", metadata: ["broker": "\(brokerDescription)"])
        let (subscriptions, announcements, waiters) = state.withLock { state in
            state.phase = .connected
            state.lastError = ""
            defer { state.connectWaiters = [:] }
            return (state.subscriptions, state.announcements, Array(state.connectWaiters.values))
        }
        for subscription in subscriptions {
            let (rc, _) = mosquitto.subscribe(subscription)
            if rc != 0 { logger.error("subscribe to \(subscription.filter) failed: \(Mosquitto.describe(rc))") }
        }
        for message in announcements {
            let (rc, _) = mosquitto.publish(message)
            if rc != 0 { logger.error("publish to \(message.topic) failed: \(Mosquitto.describe(rc))") }
        }
        for waiter in waiters { waiter.resume(returning: .success(())) }
    }

    fileprivate func didDisconnect(reasonCode: Int32) {
        state.withLock { state in
            if state.phase == .connected { state.phase = .connecting }
            if reasonCode != 0, state.lastError.isEmpty {
                state.lastError = Mosquitto.describe(reasonCode)
            }
        }
    }

    fileprivate func didReceive(_ message: InboundMessage) {
        inbox.push(message)
    }

    fileprivate func didSubscribe(messageID: Int32, grantedQoS: [Int32]) {
        let waiter = state.withLock { $0.subscribeWaiters.removeValue(forKey: messageID) }
        waiter?.1.resume(returning: .success(grantedQoS))
    }

    fileprivate func didPublish(messageID: Int32, reasonCode: Int32) {
        let delivered = reasonCode < 0x80
        let callback = state.withLock { state -> (@Sendable (Bool) -> Void)? in
            if let callback = state.deliveryCallbacks.removeValue(forKey: messageID) { return callback }
            // Perhaps the acknowledgement of a message whose publisher has yet to register its callback.
            if state.registrationsPending > 0 { state.earlyAcknowledgements[messageID] = delivered }
            return nil
        }
        if !delivered {
            logger.warning("the broker rejected a message (reason \(reasonCode))")
        }
        callback?(delivered)
    }

    private func withTimeout<T: Sendable>(
        _ timeout: Duration,
        register: (CheckedContinuation<Result<T, BusError>, Never>) -> Void,
        onTimeout: @escaping @Sendable () -> Void
    ) async -> Result<T, BusError> {
        let timer = Task {
            try await Task.sleep(for: timeout)
            onTimeout()
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in register(continuation) }
    }
}

/// Forwards libmosquitto's callbacks to the client without keeping it alive.
private final class Delegate: MosquittoDelegate {
    private weak let client: MQTTClient?
    init(client: MQTTClient) { self.client = client }
    func mosquittoDidConnect(reasonCode: Int32, reason: String) {
        client?.didConnect(reasonCode: reasonCode, reason: reason)
    }
    func mosquittoDidDisconnect(reasonCode: Int32) { client?.didDisconnect(reasonCode: reasonCode) }
    func mosquittoDidReceive(_ message: InboundMessage) { client?.didReceive(message) }
    func mosquittoDidSubscribe(messageID: Int32, grantedQoS: [Int32]) {
        client?.didSubscribe(messageID: messageID, grantedQoS: grantedQoS)
    }
    func mosquittoDidPublish(messageID: Int32, reasonCode: Int32) {
        client?.didPublish(messageID: messageID, reasonCode: reasonCode)
    }
}

/// The client's mutable state, guarded by one mutex.
struct ClientState: ~Copyable {
    enum Phase { case idle, connecting, connected, stopping, stopped }
    var phase: Phase = .idle
    var subscriptions: [Subscription]
    var lastError = ""
    var heartbeatNanos: UInt64 = 0
    var nextWaiterID: UInt64 = 0
    var connectWaiters: [UInt64: CheckedContinuation<Result<Void, BusError>, Never>] = [:]
    var subscribeWaiters: [Int32: (UInt64, CheckedContinuation<Result<[Int32], BusError>, Never>)] = [:]
    var deliveryCallbacks: [Int32: @Sendable (Bool) -> Void] = [:]
    /// Publishes with a delivery callback between their call into libmosquitto and the callback's registration.
    var registrationsPending = 0
    /// Acknowledgements that arrived while registrations were pending, by message id (cleared when none is).
    var earlyAcknowledgements: [Int32: Bool] = [:]
    var stopWaiters: [CheckedContinuation<Void, Never>] = []
    var announcements: [OutboundMessage]

    init(subscriptions: [Subscription], announcements: [OutboundMessage]) {
        self.subscriptions = subscriptions
        self.announcements = announcements
    }

    mutating func failAllWaiters(_ error: BusError) {
        for waiter in connectWaiters.values { waiter.resume(returning: .failure(error)) }
        connectWaiters = [:]
        for (_, waiter) in subscribeWaiters.values { waiter.resume(returning: .failure(error)) }
        subscribeWaiters = [:]
    }
}

/// Resumes a continuation at most once, whichever of several racing events comes first.
final class ResumeOnce<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, Never>?>
    init(_ continuation: CheckedContinuation<T, Never>) { self.continuation = Mutex(continuation) }
    func resume(_ value: T) { continuation.withLock { $0.take() }?.resume(returning: value) }
}
