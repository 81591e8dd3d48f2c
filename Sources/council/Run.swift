import ArgumentParser
import Bus
import Council
import JSON
import Logging
import Synchronization

/// `council run`: starts an agent run on a node, prints its steps as they happen, then its answer.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start an agent run (plan, write, run in the sandbox, check, fix) and follow its log.")

    @Argument(help: "The task (quote it, or pass several words).")
    var task: [String]

    @Option(help: "Run under this agent profile.")
    var agent: String?

    @Option(name: .customLong("max-attempts"), help: "Programs written and run at most (lowers the node's).")
    var maxAttempts: Int?

    @Option(name: .customLong("max-cost-usd"), help: "US dollars the run may spend at most (lowers the node's).")
    var maxCostUSD: Double?

    @Flag(name: .customLong("no-cloud"), help: "Never use paid cloud models for this run.")
    var noCloud = false

    @Flag(help: "Print the final run object as JSON instead of the steps and the answer.")
    var json = false

    @Option(help: "Seconds to follow the run before giving up (it goes on; see the printed id).")
    var timeout: Double = 900

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let config = try loadConfiguration(options, applyNode: false)
        var logger = Logger(label: "council-run")
        logger.logLevel = .critical
        let busOptions = BusOptions(
            config: config, clientID: Requester.uniqueClientID(prefix: "council-run"), persistentSession: false)
        let requester = try Requester(
            options: busOptions, base: config.mqtt.baseTopic, node: options.node, logger: logger)
        var body: JSONObject = ["task": .string(task.joined(separator: " ")), "wait": false]
        if let agent { body["agent"] = .string(agent) }
        if let maxAttempts { body["max_attempts"] = JSONValue(maxAttempts) }
        if let maxCostUSD { body["max_cost_usd"] = JSONValue(maxCostUSD) }
        if noCloud { body["allow_cloud"] = false }
        let follower = LogFollower(printing: !json)
        do {
            try await requester.start(timeout: .seconds(30))
            let started = try Self.data(try await requester.send(op: "run", body: body, timeout: .seconds(30)))
            guard let id = started["id"]?.stringValue, let topic = started["log_topic"]?.stringValue else {
                throw RunFailure("the node replied without a run id: \(started)")
            }
            if !json { print("run \(id) (log: \(topic))") }
            try await follower.follow(topic: topic, options: busOptions, logger: logger)
            follower.show(started["steps"]?.arrayValue ?? [])
            let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
            var run = started
            while ContinuousClock.now < deadline {
                run = try Self.data(
                    try await requester.send(op: "run/get", body: ["id": .string(id)], timeout: .seconds(30)))
                follower.show(run["steps"]?.arrayValue ?? [])
                if !["queued", "running"].contains(run["state"]?.stringValue ?? "") { break }
                try await follower.waitForLine(atMost: .seconds(2))
            }
            await follower.stop()
            await requester.close()
            try report(run)
        } catch let failure as RunFailure {
            printError("council: \(failure.message)")
            throw ExitCode.failure
        } catch let error as BusError {
            printError("council: \(error.message)")
            throw ExitCode.failure
        }
    }

    /// Prints the outcome; fails unless the run succeeded.
    private func report(_ run: JSONObject) throws {
        let state = run["state"]?.stringValue ?? "?"
        if json {
            print(String(decoding: JSONValue.object(run).encoded(), as: UTF8.self))
        } else if state == "succeeded" {
            print("Answer: \(run["answer"]?.stringValue ?? "")")
        } else {
            printError("council: run \(run["id"]?.stringValue ?? "?") \(state): \(run["error"]?.stringValue ?? "")")
        }
        if state != "succeeded" { throw ExitCode.failure }
    }

    /// The `data` of an ok reply, or the reply's error.
    private static func data(_ reply: [UInt8]) throws -> JSONObject {
        guard case .object(let envelope)? = try? JSONParser.parse(reply) else {
            throw RunFailure("the reply is not a JSON object: \(String(decoding: reply, as: UTF8.self))")
        }
        guard envelope["status"]?.stringValue == "ok", let data = envelope["data"]?.objectValue else {
            let message = envelope["error"]?.stringValue ?? "unexpected reply"
            throw RunFailure("\(message) (\(envelope["code"]?.stringValue ?? "?"))")
        }
        return data
    }
}

/// Why `council run` stopped.
struct RunFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// Prints a run's steps once each, in `seq` order, whether they arrive on the log topic or in `run/get`.
final class LogFollower: Sendable {
    private let printing: Bool
    private let printedUpTo = Mutex(0)
    private let client = Mutex<MQTTClient?>(nil)
    private let arrivals = Mutex(0)

    init(printing: Bool) { self.printing = printing }

    /// Subscribes to the run's log topic and prints what arrives.
    func follow(topic: String, options: BusOptions, logger: Logger) async throws {
        var options = options
        options.clientID = Requester.uniqueClientID(prefix: "council-run-log")
        options.subscriptions = [Subscription(topic, qos: 1)]
        let client = try MQTTClient(options: options, logger: logger)
        try client.start()
        try await client.waitUntilConnected(timeout: .seconds(30))
        try await client.subscribe(Subscription(topic, qos: 1))
        self.client.withLock { $0 = client }
        Task { [self] in
            for await message in client.messages() {
                if case .object(let line)? = try? JSONParser.parse(message.payload) { show([.object(line)]) }
                arrivals.withLock { $0 += 1 }
            }
        }
    }

    /// Waits until a log line arrives or `limit` passes.
    func waitForLine(atMost limit: Duration) async throws {
        let seen = arrivals.withLock { $0 }
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline, arrivals.withLock({ $0 }) == seen {
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Prints the steps not printed yet, in order.
    func show(_ steps: [JSONValue]) {
        let ordered = steps.compactMap(\.objectValue).sorted { ($0["seq"]?.intValue ?? 0) < ($1["seq"]?.intValue ?? 0) }
        printedUpTo.withLock { last in
            for step in ordered {
                guard let seq = step["seq"]?.intValue, seq == last + 1 else { continue }
                last = seq
                guard printing, step["kind"]?.stringValue != "end" else { continue }
                let kind = step["kind"]?.stringValue ?? "?"
                let status = step["status"]?.stringValue ?? "?"
                print("  \(seq). \(kind) [\(status)] \(step["message"]?.stringValue ?? "")")
            }
        }
    }

    func stop() async {
        if let client = client.withLock({ $0 }) { await client.stop() }
    }
}
