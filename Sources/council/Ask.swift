import ArgumentParser
import Bus
import Council
import JSON
import Logging

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
        let reply: [UInt8]
        do {
            try await requester.start(timeout: .seconds(Int64(min(timeout, 30))))
            reply = try await requester.send(op: "ask", body: body, timeout: .milliseconds(Int64(timeout * 1000)))
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
            print(text)
        } else {
            let message = envelope["error"]?.stringValue ?? "unexpected reply"
            printError("council: \(message) (\(envelope["code"]?.stringValue ?? "?"))")
            throw ExitCode.failure
        }
    }
}
