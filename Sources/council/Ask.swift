import ArgumentParser
import Bus
import Council
import Glibc
import JSON
import Logging
import Synchronization

/// `council ask`: one question through the broker, the answer on stdout.
struct Ask: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Ask a Council node a question over MQTT.")

    @Argument(help: "The question (quote it, or pass several words).")
    var question: [String]

    @Flag(help: "Print the reply envelope as received.")
    var json = false

    @Option(help: "Seconds to wait for the reply.")
    var timeout: Double = 30

    @Option(help: "Conversation id, so follow-up questions share context.")
    var session: String?

    @Flag(help: "Print the answer as it is generated (LLM answers).")
    var stream = false

    @Flag(name: .customLong("no-cloud"), help: "Never use paid cloud models for this question.")
    var noCloud = false

    @Flag(name: .customLong("cloud"), help: "Skip local models and ask a cloud model (within the budget).")
    var cloud = false

    @Option(help: "Answer under this agent profile (its prompt, skills, tier and caps).")
    var agent: String?

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let config = try loadConfiguration(options, applyNode: false)
        var logger = Logger(label: "council-ask")
        logger.logLevel = .critical
        let busOptions = BusOptions(config: config, clientID: Requester.uniqueClientID(), persistentSession: false)
        let requester = try Requester(
            options: busOptions, base: config.mqtt.baseTopic, node: options.node, logger: logger)
        var body: JSONObject = ["prompt": .string(question.joined(separator: " "))]
        if let session { body["session"] = .string(session) }
        if noCloud { body["allow_cloud"] = false }
        if cloud { body["tier"] = "cloud" }
        if let agent { body["agent"] = .string(agent) }
        let streamed = StreamPrinter(enabled: stream && !json)
        if stream { body["stream"] = true }
        var onPartial: (@Sendable ([UInt8]) -> Void)?
        if stream { onPartial = { payload in streamed.print(partial: payload) } }
        let reply: [UInt8]
        do {
            try await requester.start(timeout: .seconds(Int64(min(timeout, 30))))
            reply = try await requester.send(
                op: "ask", body: body, timeout: .milliseconds(Int64(timeout * 1000)), onPartial: onPartial)
        } catch {
            printError("council: \(error.message)")
            throw ExitCode.failure
        }
        await requester.close()
        if json {
            print(String(decoding: reply, as: UTF8.self))
            return
        }
        guard case .object(let envelope)? = try? JSONParser.parse(reply) else {
            printError("council: the reply is not a JSON object: \(String(decoding: reply, as: UTF8.self))")
            throw ExitCode.failure
        }
        if envelope["status"]?.stringValue == "ok", let text = envelope["data"]?.objectValue?["text"]?.stringValue {
            if streamed.printedAny {
                print("")
            } else {
                print(text)
            }
        } else {
            let message = envelope["error"]?.stringValue ?? "unexpected reply"
            printError("council: \(message) (\(envelope["code"]?.stringValue ?? "?"))")
            throw ExitCode.failure
        }
    }
}

/// Prints streamed deltas as they arrive, without a line break, flushing each.
final class StreamPrinter: Sendable {
    private let enabled: Bool
    private let printed = Mutex(false)

    init(enabled: Bool) { self.enabled = enabled }

    /// Whether any delta was printed (then the final text is not printed again).
    var printedAny: Bool { printed.withLock { $0 } }

    func print(partial payload: [UInt8]) {
        guard enabled, case .object(let envelope)? = try? JSONParser.parse(payload),
            let delta = envelope["delta"]?.stringValue
        else { return }
        printed.withLock { printedAny in
            var bytes = Array(delta.utf8)
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeMutableBytes { write(1, $0.baseAddress! + offset, $0.count - offset) }
                if written <= 0 { break }
                offset += written
            }
            printedAny = true
        }
    }
}
