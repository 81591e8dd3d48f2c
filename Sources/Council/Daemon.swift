import Bus
import Glibc
import JSON
import Logging
import Router
import Skills
import Store
import Synchronization

/// The Council daemon: journals every request as it arrives, answers it through the cascade, publishes exactly one
/// final reply, and marks the journal entry done once the broker has the reply. Entries left pending by a crash are
/// answered after the next start.
public final class Daemon: Sendable {
    private let settings: DaemonSettings
    private let logger: Logger
    private let bus: MQTTClient
    private let database: Database
    private let journal: Journal
    private let decoder: RequestDecoder
    private let handler: RequestHandler
    private let startedAtMillis = unixMillis()
    private let inFlight = Mutex(0)
    private let completed: AsyncStream<Int64>.Continuation
    private let completedIDs: AsyncStream<Int64>

    /// Opens the state folder and database and prepares the MQTT client; nothing is sent until `run`.
    public init(settings: DaemonSettings, skills: [any Skill], logger: Logger) throws {
        self.settings = settings
        self.logger = logger
        try Self.makeDirectory(settings.stateDirectory)
        database = try StoreSchema.open(path: settings.databasePath, options: .init(synchronous: settings.synchronous))
        journal = try Journal(database: database, dedupeWindowMillis: settings.dedupeWindowMillis)
        decoder = RequestDecoder(topics: settings.topics, maxPayloadBytes: settings.maxPayloadBytes)
        (completedIDs, completed) = AsyncStream.makeStream(of: Int64.self)

        var options = settings.bus
        let topics = settings.topics
        options.subscriptions = topics.requestFilters.map { Subscription($0, qos: 1) }
        options.will = OutboundMessage(topic: topics.status, text: #"{"state":"offline"}"#, qos: 1, retain: true)
        let status = StatusReporter(settings: settings, startedAtMillis: startedAtMillis, skills: skills.map(\.name))
        options.announcements = [
            OutboundMessage(topic: topics.status, text: #"{"state":"online"}"#, qos: 1, retain: true),
            OutboundMessage(
                topic: topics.info, payload: JSONValue.object(status.info()).encoded(), qos: 1, retain: true),
        ]
        bus = try MQTTClient(options: options, logger: logger)
        handler = RequestHandler(cascade: Cascade(skills: skills), status: status)
        status.attach(bus: bus, journal: journal)
    }

    /// Runs until `shutdown` is signalled: connects, replays what a previous run left pending, serves requests.
    public func run(until shutdown: ShutdownSignal) async throws {
        try bus.start()
        logger.notice(
            "Council \(CouncilVersion.current) serving",
            metadata: ["node": "\(settings.topics.node)", "base": "\(settings.topics.base)",
                "state": "\(settings.stateDirectory)"])
        await withDiscardingTaskGroup { group in
            group.addTask { await self.bus.superviseNetworkThread() }
            group.addTask { await self.markCompletedEntries() }
            group.addTask {
                await shutdown.wait()
                await self.stop()
            }
            group.addTask { await self.replayPending() }
            for await message in bus.messages {
                let receivedAt = unixMillis()
                group.addTask { await self.process(message, receivedAtMillis: receivedAt) }
            }
            completed.finish()
            group.cancelAll()
        }
        database.close()
        logger.notice("Council stopped")
    }

    // MARK: - Requests

    private func process(_ message: InboundMessage, receivedAtMillis: Int64) async {
        guard let (reply, decoded) = decoder.decode(message, receivedAtMillis: receivedAtMillis) else {
            logger.debug("ignoring a message on \(message.topic)")
            return
        }
        let request: Request
        switch decoded {
        case .failure(let error):
            send(.error(error, transaction: reply.transaction), to: reply, journalID: nil, op: "?")
            return
        case .success(let decodedRequest):
            request = decodedRequest
        }
        let entry = JournalEntry(
            id: 0, op: request.op, topic: message.topic, payload: message.payload, replyTopic: reply.topic,
            correlationData: reply.correlationData, receivedAtMillis: receivedAtMillis,
            expiresAtMillis: request.expiresAtMillis)
        let id: Int64
        do {
            switch try journal.admit(entry, transaction: Self.transactionKey(reply.transaction), nowMillis: receivedAtMillis) {
            case .duplicate:
                logger.debug("dropping a redelivered request", metadata: ["topic": "\(message.topic)"])
                return
            case .admitted(let admittedID):
                id = admittedID
            }
        } catch {
            logger.error("could not journal a request: \(error)")
            send(.error(RequestError(.internal, "could not record the request: \(error)"), transaction: reply.transaction),
                to: reply, journalID: nil, op: request.op)
            return
        }
        await answer(request, journalID: id)
    }

    private func answer(_ request: Request, journalID: Int64) async {
        inFlight.withLock { $0 += 1 }
        defer { inFlight.withLock { $0 -= 1 } }
        if settings.testDelayBeforeAnswerMillis > 0 {
            try? await Task.sleep(for: .milliseconds(settings.testDelayBeforeAnswerMillis))
        }
        if let expiry = request.expiresAtMillis, expiry <= unixMillis() {
            send(.error(RequestError(.expired, "the request's deadline passed before it could be answered"),
                transaction: request.reply.transaction), to: request.reply, journalID: journalID, op: request.op)
            return
        }
        let reply: Reply
        switch await handler.handle(request) {
        case .success(let data): reply = .ok(data, transaction: request.reply.transaction)
        case .failure(let error): reply = .error(error, transaction: request.reply.transaction)
        }
        send(reply, to: request.reply, journalID: journalID, op: request.op)
    }

    private enum Reply {
        case ok(JSONObject, transaction: JSONValue?)
        case error(RequestError, transaction: JSONValue?)
    }

    private func send(_ reply: Reply, to address: ReplyAddress, journalID: Int64?, op: String) {
        let payload: [UInt8]
        switch reply {
        case .ok(let data, let transaction):
            payload = Envelope.ok(data, transaction: transaction)
        case .error(let error, let transaction):
            logger.info("request failed", metadata: ["op": "\(op)", "code": "\(error.code.rawValue)", "error": "\(error.message)"])
            payload = Envelope.error(error, transaction: transaction)
        }
        let message = OutboundMessage(
            topic: address.topic, payload: payload, qos: 1, retain: false, correlationData: address.correlationData)
        let completed = self.completed
        do {
            try bus.publish(message) { delivered in
                if delivered, let journalID { completed.yield(journalID) }
            }
        } catch {
            // The entry stays pending and is answered after the next start.
            logger.warning("could not publish a reply to \(address.topic): \(error)")
        }
    }

    /// Marks journal entries done, off the MQTT network thread.
    private func markCompletedEntries() async {
        for await id in completedIDs {
            do {
                _ = try journal.markDone(id: id, nowMillis: unixMillis())
            } catch {
                logger.error("could not mark journal entry \(id) done: \(error)")
            }
        }
    }

    /// Answers requests that a previous run journaled but never replied to.
    private func replayPending() async {
        do {
            try await bus.waitUntilConnected(timeout: .seconds(86_400 * 365))
        } catch {
            return
        }
        let pending: (replay: [JournalEntry], expired: Int)
        do {
            pending = try journal.pendingForReplay(nowMillis: unixMillis())
        } catch {
            logger.error("could not read the journal for replay: \(error)")
            return
        }
        if pending.expired > 0 {
            logger.notice("\(pending.expired) journaled requests expired while Council was down")
        }
        guard !pending.replay.isEmpty else { return }
        logger.notice("answering \(pending.replay.count) requests left pending by the previous run")
        for entry in pending.replay {
            let message = InboundMessage(
                topic: entry.topic, payload: entry.payload, responseTopic: entry.replyTopic,
                correlationData: entry.correlationData)
            guard let (_, decoded) = decoder.decode(message, receivedAtMillis: entry.receivedAtMillis),
                case .success(var request) = decoded
            else {
                _ = try? journal.markDone(id: entry.id, nowMillis: unixMillis())
                continue
            }
            request.expiresAtMillis = entry.expiresAtMillis
            await answer(request, journalID: entry.id)
        }
    }

    private func stop() async {
        logger.notice("stopping: finishing requests in flight")
        for _ in 0..<50 where inFlight.withLock({ $0 }) > 0 {
            try? await Task.sleep(for: .milliseconds(100))
        }
        let offline = OutboundMessage(
            topic: settings.topics.status, text: #"{"state":"offline"}"#, qos: 1, retain: true)
        await bus.stop(farewell: [offline])
    }

    private static func transactionKey(_ transaction: JSONValue?) -> String? {
        guard let transaction else { return nil }
        if case .string(let text) = transaction { return text }
        return transaction.encodedString()
    }

    private static func makeDirectory(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o750) != 0 && errno != EEXIST {
                throw DaemonError("cannot create the state folder \(path): \(String(cString: strerror(errno)))")
            }
        }
        if access(path, W_OK) != 0 {
            throw DaemonError("the state folder \(path) is not writable: \(String(cString: strerror(errno)))")
        }
    }
}

/// A failure that stops the daemon from starting, with a message for the operator.
public struct DaemonError: Error, CustomStringConvertible, Sendable {
    /// What went wrong and, where possible, what to do.
    public let description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
