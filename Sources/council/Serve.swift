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
        let logLevel = LogLevelBox(config.log.level)
        LoggingSystem.bootstrap { label in JournaldLogHandler(label: label, level: logLevel) }
        let logger = Logger(label: "council")
        let notifier = SystemdNotifier.fromEnvironment(CouncilConfig.processEnvironment(), logger: logger)
        let reloader = ConfigReloader(
            config: config,
            overrides: ConfigOverrides(broker: options.broker, node: options.node, stateDirectory: stateDirectory),
            logLevel: logLevel, notifier: notifier, logger: logger)
        let reloads = ReloadSignal()
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
            notifier.status("cannot start: \(error)")
            throw ExitCode.failure
        }
        let reloading = Task { await reloader.run(reloads) }
        defer { reloading.cancel() }
        try await daemon.run(until: ShutdownSignal(), notifier: notifier)
    }
}
