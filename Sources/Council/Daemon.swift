import Bus
import Glibc
import JSON
import Logging
import Router
import Skills
import Store
import Synchronization

/// The Council daemon: answers every request through the cascade and journals it as it arrives (the commit runs
/// beside the answer, not before it), publishes exactly one final reply, and marks the journal entry done once the
/// broker has the reply. Entries left pending by a crash are answered after the next start.
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
    private let writer: JournalWriter
    private let checkpointer: Checkpointer
    private let services: [@Sendable () async -> Void]
    private let telemetry: Telemetry

    /// Opens the state folder and database and prepares the MQTT client; nothing is sent until `run`.
    public convenience init(settings: DaemonSettings, skills: [any Skill], logger: Logger) throws {
        try self.init(settings: settings, logger: logger) { _ in Capabilities(skills: skills) }
    }

    /// Opens the state folder and database, builds the skills and ops `capabilities` makes from the open database,
    /// and prepares the MQTT client; nothing is sent until `run`.
    public init(
        settings: DaemonSettings, logger: Logger, events: EventPublisher = EventPublisher(),
        capabilities: (Database) throws -> Capabilities
    ) throws {
        self.settings = settings
        self.logger = logger
        try Self.makeDirectory(settings.stateDirectory)
        // Commits checkpoint by themselves only as a safety net; the checkpointer thread does it off the request path.
        database = try StoreSchema.open(
            path: settings.databasePath,
            options: .init(synchronous: settings.synchronous, autoCheckpointPages: 20_000))
        checkpointer = try Checkpointer(path: settings.databasePath, synchronous: settings.synchronous)
        journal = try Journal(database: database, dedupeWindowMillis: settings.dedupeWindowMillis)
        writer = JournalWriter(
            journal: journal, coalescing: Self.journalCoalescing, logger: logger)
        decoder = RequestDecoder(topics: settings.topics, maxPayloadBytes: settings.maxPayloadBytes)

        var options = settings.bus
        let topics = settings.topics
        options.subscriptions = topics.requestFilters.map { Subscription($0, qos: 1) }
        options.will = OutboundMessage(topic: topics.status, text: #"{"state":"offline"}"#, qos: 1, retain: true)
        let built = try capabilities(database)
        let skills = built.skills
        let status = StatusReporter(
            settings: settings, startedAtMillis: startedAtMillis, skills: skills.map(\.name),
            models: built.modelDescriptions, backends: built.backendHealth)
        services = built.services
        let nodeOptions = NodeOptions(built.options, store: OptionsStore(database: database), logger: logger)
        var operations: [any Operation] =
            [
                AskOperation(cascade: Cascade(skills: skills, models: built.models), agents: built.agents),
                InfoOperation(status: status),
                HealthOperation(status: status), OptionsOperation(options: nodeOptions),
            ] + built.operations
        let modelNames = built.models?.models.map(\.name) ?? []
        telemetry = try Telemetry(
            settings: settings, ops: operations.map(\.name) + ["metrics"],
            skills: skills.map(\.name) + (modelNames.isEmpty ? [] : ["llm"]), models: modelNames,
            budget: built.budgetFigures, factCount: built.factCount, logger: logger)
        operations.append(MetricsOperation(registry: telemetry.metrics, publisher: telemetry.publisher))
        handler = RequestHandler(operations: operations, gate: ControlGate(token: settings.controlToken))
        status.ops = handler.names
        options.announcements = [
            OutboundMessage(topic: topics.status, text: #"{"state":"online"}"#, qos: 1, retain: true),
            OutboundMessage(
                topic: topics.info, payload: JSONValue.object(status.info()).encoded(), qos: 1, retain: true),
        ]
        options.announcements.append(Self.stateMessage(nodeOptions.snapshot(), topics: topics))
        telemetry.prepare(&options)
        bus = try MQTTClient(options: options, logger: logger)
        telemetry.attach(bus, topics: topics, journal: journal)
        events.attach(bus, topics: topics)
        nodeOptions.onChange { [bus] snapshot in
            bus.announce(Self.stateMessage(snapshot, topics: topics))
            events.emit("options_changed", ["options": .object(snapshot)])
        }
        status.attach(bus: bus, journal: journal)
    }

    /// Runs until `shutdown` is signalled: connects, replays what a previous run left pending, serves requests.
    /// Tells systemd through `notifier` when it is ready and stopping, and pings its watchdog.
    public func run(until shutdown: ShutdownSignal, notifier: SystemdNotifier = .disabled) async throws {
        let logger = self.logger
        checkpointer.start { error in logger.warning("journal checkpoint failed: \(error)") }
        let leftovers = leftoverEntries()
        try bus.start()
        telemetry.start()
        logger.notice(
            "Council \(CouncilVersion.current) serving",
            metadata: [
                "node": "\(settings.topics.node)", "base": "\(settings.topics.base)",
                "state": "\(settings.stateDirectory)",
            ])
        await withDiscardingTaskGroup { group in
            group.addTask { await self.bus.superviseNetworkThread() }
            group.addTask { await self.announceReady(to: notifier) }
            group.addTask { [bus] in await notifier.runWatchdog { !bus.isNetworkThreadStalled } }
            group.addTask { await self.writer.run() }
            group.addTask { await self.pruneJournalPeriodically() }
            group.addTask {
                await shutdown.wait()
                notifier.stopping(status: "stopping: finishing requests in flight")
                await self.stop()
            }
            group.addTask { await self.replay(leftovers) }
            for service in services + telemetry.services { group.addTask { await service() } }
            while let batch = await bus.receive() {
                for (request, delivery, plan) in admit(batch, receivedAtMillis: unixMillis()) {
                    inFlight.withLock { $0 += 1 }
                    group.addTask { await self.answer(request, delivery: delivery, plan: plan) }
                }
                writer.wake()
            }
            writer.finish()
            group.cancelAll()
        }
        checkpointer.stop()
        database.close()
        logger.notice("Council stopped")
    }

    // MARK: - Requests

    /// A request whose work the request loop started, to await on a task of its own.
    private typealias Started = (request: Request, delivery: Delivery, plan: OperationPlan?)

    /// How long a request answered at once may wait for others to share its journal commit.
    static let journalCoalescing: Duration = .milliseconds(5)

    /// Decodes a batch of messages and answers what can be answered at once: malformed and expired requests, and
    /// requests whose reply is ready without waiting (exact skills, `info`, ...), unless the journal already holds
    /// them (a redelivery). Queues every new request for the journal writer, whose commit runs beside the answers.
    /// Returns the requests whose work is still to be awaited, with their plans; duplicates are dropped.
    private func admit(_ batch: [InboundMessage], receivedAtMillis now: Int64) -> [Started] {
        writer.releaseWritten()
        var started: [Started] = []
        for message in batch {
            guard let (reply, decoded) = decoder.decode(message, receivedAtMillis: now) else {
                // Not a request: Home Assistant's birth message or one of our discovery configs, or nothing for us.
                if !telemetry.receive(message) { logger.debug("ignoring a message on \(message.topic)") }
                continue
            }
            switch decoded {
            case .failure(let error):
                telemetry.recordRequest(op: settings.topics.op(fromRequestTopic: message.topic) ?? "other")
                send(.error(error, transaction: reply.transaction), to: reply, delivery: .untracked, op: "?")
            case .success(let request) where request.expiresAtMillis.map { $0 <= now } ?? false:
                telemetry.recordRequest(op: request.op)
                send(
                    .error(Self.expiredError, transaction: reply.transaction), to: reply, delivery: .untracked,
                    op: request.op)
            case .success(let request):
                let arrival = Journal.Arrival(
                    JournalEntry(
                        id: 0, op: request.op, topic: message.topic, payload: message.payload,
                        replyTopic: reply.topic, correlationData: reply.correlationData, receivedAtMillis: now,
                        expiresAtMillis: request.expiresAtMillis),
                    transaction: Self.transactionKey(reply.transaction))
                telemetry.recordRequest(op: request.op)
                if let start = start(request, arrival: arrival, now: now) { started.append(start) }
            }
        }
        return started
    }

    /// Answers a new request now when its reply is ready, or says what to await; nil when it is a redelivery or was
    /// answered with an error. Its arrival goes to the journal writer either way.
    private func start(_ request: Request, arrival: Journal.Arrival, now: Int64) -> Started? {
        if settings.testDelayBeforeAnswerMillis > 0 { return try? journalFirst(request, arrival: arrival) }
        let check: (isDuplicate: Bool, key: [UInt8]?)
        do {
            check = try journal.duplicateCheck(arrival, nowMillis: now)
        } catch {
            logger.warning("journal lookup failed, answering after the commit: \(error)")
            return try? journalFirst(request, arrival: arrival)
        }
        // The writer is asked after the journal: an arrival written in between is still held until the next batch.
        if check.isDuplicate || check.key.map(writer.holds) == true {
            logger.debug("dropping a redelivered request", metadata: ["op": "\(request.op)"])
            return nil
        }
        let key = check.key
        let ticket = DeliveryTicket(writer: writer)
        let plan = handler.plan(request, partials: partials(for: request))
        if case .ready(let result) = plan {
            send(result, for: request, delivery: .ticket(ticket))
            writer.add(arrival, key: key, ticket: ticket, answered: true)
            return nil
        }
        writer.add(arrival, key: key, ticket: ticket, answered: false)
        return (request, .ticket(ticket), plan)
    }

    /// Journals a request before answering it: when the duplicate lookup failed (the commit deduplicates too), and
    /// when tests delay answers. Nil for a duplicate; throws after answering with an error when the write failed.
    private func journalFirst(_ request: Request, arrival: Journal.Arrival) throws -> Started? {
        let admission: Admission
        do {
            admission = try writer.recordNow(arrival)
        } catch {
            send(
                .error(
                    RequestError(.internal, "could not record the request: \(error)"),
                    transaction: request.reply.transaction), to: request.reply, delivery: .untracked, op: request.op)
            throw error
        }
        guard case .admitted(let id) = admission else {
            logger.debug("dropping a redelivered request", metadata: ["op": "\(request.op)"])
            return nil
        }
        return (request, .journal(id), nil)
    }

    private static let expiredError = RequestError(
        .expired, "the request's deadline passed before it could be answered")

    /// Answers a request that needs waiting for (or is replayed), on its own task, from its `plan` when the request
    /// loop already made one; `delivery` says how its journal entry is marked done. The caller counted it in flight.
    private func answer(_ request: Request, delivery: Delivery, plan: OperationPlan? = nil) async {
        defer { inFlight.withLock { $0 -= 1 } }
        if settings.testDelayBeforeAnswerMillis > 0 {
            try? await Task.sleep(for: .milliseconds(settings.testDelayBeforeAnswerMillis))
        }
        if let expiry = request.expiresAtMillis, expiry <= unixMillis() {
            send(.failure(Self.expiredError), for: request, delivery: delivery)
            return
        }
        await handleWithinTimeout(request, plan: plan) { send($0, for: request, delivery: delivery) }
    }

    /// Runs the handler and hands its result to `reply`, or `timeout` if it takes longer than the configured limit or
    /// the request's deadline. `reply` runs as soon as the first of the two is known, before the other is torn down.
    private func handleWithinTimeout(
        _ request: Request, plan: OperationPlan?, reply: (Result<JSONObject, RequestError>) -> Void
    ) async {
        let limit =
            request.expiresAtMillis.map { min(settings.requestTimeoutMillis, Int(max(0, $0 - unixMillis()))) }
            ?? settings.requestTimeoutMillis
        let handler = self.handler
        await withTaskGroup(of: Result<JSONObject, RequestError>?.self) { group in
            group.addTask {
                if case .pending(let work) = plan { return await work() }
                return await handler.handle(request, partials: self.partials(for: request))
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(limit))
                return Task.isCancelled ? nil : .failure(RequestError(.timeout, "no answer within \(limit) ms"))
            }
            defer { group.cancelAll() }
            while let first = await group.next() {
                if let first {
                    reply(first)
                    return
                }
            }
            reply(.failure(RequestError(.internal, "the request was cancelled")))
        }
    }

    /// How a reply's delivery is recorded in the journal.
    private enum Delivery {
        /// Not journaled (malformed or expired on arrival).
        case untracked
        /// Marks this entry done once the broker acknowledged the reply.
        case journal(Int64)
        /// Sent or started before the commit: the ticket joins the acknowledgement with the id the commit assigns.
        case ticket(DeliveryTicket)
    }

    private func send(_ result: Result<JSONObject, RequestError>, for request: Request, delivery: Delivery) {
        let transaction = request.reply.transaction
        switch result {
        case .success(let data):
            send(.ok(data, transaction: transaction), to: request.reply, delivery: delivery, op: request.op)
            telemetry.recordSuccess(op: request.op, data: data, prompt: request.body["prompt"]?.stringValue)
        case .failure(let error):
            send(.error(error, transaction: transaction), to: request.reply, delivery: delivery, op: request.op)
        }
    }

    /// The retained `state` message: the run-time options in effect.
    private static func stateMessage(_ snapshot: JSONObject, topics: Topics) -> OutboundMessage {
        OutboundMessage(topic: topics.state, payload: JSONValue.object(snapshot).encoded(), qos: 1, retain: true)
    }

    /// Streams partial results to the request's reply address, in order, ahead of its one final reply.
    private func partials(for request: Request) -> PartialSink {
        let bus = self.bus
        let logger = self.logger
        let address = request.reply
        return PartialSink { seq, delta, extra in
            let payload = Envelope.partial(seq: seq, delta: delta, extra: extra, transaction: address.transaction)
            let message = OutboundMessage(
                topic: address.topic, payload: payload, qos: 1, retain: false,
                correlationData: address.correlationData)
            do {
                try bus.publish(message) { _ in }
            } catch {
                logger.debug("could not publish a partial reply to \(address.topic): \(error)")
            }
        }
    }

    private enum Reply {
        case ok(JSONObject, transaction: JSONValue?)
        case error(RequestError, transaction: JSONValue?)
    }

    private func send(_ reply: Reply, to address: ReplyAddress, delivery: Delivery, op: String) {
        let payload: [UInt8]
        switch reply {
        case .ok(let data, let transaction):
            payload = Envelope.ok(data, transaction: transaction)
        case .error(let error, let transaction):
            telemetry.recordError(error.code)
            logger.info(
                "request failed",
                metadata: ["op": "\(op)", "code": "\(error.code.rawValue)", "error": "\(error.message)"])
            payload = Envelope.error(error, transaction: transaction)
        }
        let message = OutboundMessage(
            topic: address.topic, payload: payload, qos: 1, retain: false, correlationData: address.correlationData)
        let writer = self.writer
        do {
            try bus.publish(message) { delivered in
                guard delivered else { return }
                switch delivery {
                case .untracked: break
                case .journal(let id): writer.acknowledged(id)
                case .ticket(let ticket): ticket.delivered()
                }
            }
        } catch {
            // The entry stays pending and is answered after the next start.
            logger.warning("could not publish a reply to \(address.topic): \(error)")
        }
    }

    /// Deletes finished journal entries older than the dedupe window, hourly.
    private func pruneJournalPeriodically() async {
        while !Task.isCancelled {
            do {
                let removed = try journal.prune(nowMillis: unixMillis())
                if removed > 0 { logger.debug("pruned \(removed) finished journal entries") }
            } catch {
                logger.warning("could not prune the journal: \(error)")
            }
            try? await Task.sleep(for: .seconds(3600))
        }
    }

    /// What the previous run journaled but never answered, read before this run admits anything: requests that
    /// arrive once connected are answered by the request loop, never by replay.
    private func leftoverEntries() -> [JournalEntry] {
        let pending: (replay: [JournalEntry], expired: Int)
        do {
            pending = try journal.pendingForReplay(nowMillis: unixMillis())
        } catch {
            logger.error("could not read the journal for replay: \(error)")
            return []
        }
        if pending.expired > 0 {
            logger.notice("\(pending.expired) journaled requests expired while Council was down")
        }
        return pending.replay
    }

    /// Answers the previous run's leftovers once the broker is connected.
    private func replay(_ entries: [JournalEntry]) async {
        guard !entries.isEmpty else { return }
        do {
            try await bus.waitUntilConnected(timeout: .seconds(86_400 * 365))
        } catch {
            return
        }
        logger.notice("answering \(entries.count) requests left pending by the previous run")
        for entry in entries {
            let message = InboundMessage(
                topic: entry.topic, payload: entry.payload, responseTopic: entry.replyTopic,
                correlationData: entry.correlationData)
            guard let (_, decoded) = decoder.decode(message, receivedAtMillis: entry.receivedAtMillis),
                case .success(var request) = decoded
            else {
                _ = try? journal.markDone(id: entry.id, nowMillis: unixMillis())  // no longer a valid request
                continue
            }
            request.expiresAtMillis = entry.expiresAtMillis
            inFlight.withLock { $0 += 1 }
            await answer(request, delivery: .journal(entry.id))
        }
    }

    /// Sends READY=1 once the broker has acknowledged the request subscriptions, so a request sent as soon as
    /// `systemctl start` returns is received.
    private func announceReady(to notifier: SystemdNotifier) async {
        guard notifier.isEnabled else { return }
        notifier.status("connecting to \(bus.brokerDescription)")
        while !Task.isCancelled {
            do {
                try await bus.waitUntilConnected(timeout: .seconds(86_400 * 365))
                for filter in settings.topics.requestFilters { try await bus.subscribe(Subscription(filter, qos: 1)) }
                notifier.ready(status: "serving \(settings.topics.base) requests on \(bus.brokerDescription)")
                return
            } catch {
                try? await Task.sleep(for: .seconds(1))  // the connection dropped before the SUBACK: try again
            }
        }
    }

    private func stop() async {
        logger.notice("stopping: finishing requests in flight")
        for _ in 0..<50 where inFlight.withLock({ $0 }) > 0 {
            try? await Task.sleep(for: .milliseconds(100))
        }
        telemetry.stop()
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
