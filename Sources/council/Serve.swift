import ArgumentParser
import Council
import Logging

/// `council serve`: the daemon, in the foreground, logging to stderr.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the Council daemon in the foreground.")

    @OptionGroup var options: ConfigOptions

    @Option(name: .customLong("state-dir"), help: "Folder for the SQLite database, overriding node.state_dir.")
    var stateDirectory: String?

    func run() async throws {
        let config = try loadConfiguration(options, stateDirectory: stateDirectory)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = config.log.level
            return handler
        }
        var logger = Logger(label: "council")
        logger.logLevel = config.log.level
        var settings = DaemonSettings(config: config)
        if let delay = CouncilConfig.processEnvironment()["COUNCIL_TEST_DELAY_BEFORE_ANSWER_MS"].flatMap(Int.init),
            delay > 0
        {
            logger.warning("failpoint: waiting \(delay) ms between journaling and answering each request")
            settings.testDelayBeforeAnswerMillis = delay
        }
        let daemon: Daemon
        do {
            let events = EventPublisher()
            daemon = try Daemon(settings: settings, logger: logger, events: events) { database in
                try Capabilities.standard(config: config, database: database, events: events, logger: logger)
            }
        } catch {
            logger.critical("cannot start: \(error)")
            throw ExitCode.failure
        }
        try await daemon.run(until: ShutdownSignal())
    }
}
