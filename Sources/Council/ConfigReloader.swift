import Logging
import Synchronization

/// Re-reads the configuration file on SIGHUP (`systemctl reload council`) and applies what can change while Council
/// runs: today `log.level`. Sections that need a restart are named in the log and in `systemctl status`; a file
/// that no longer parses is reported and the running configuration kept.
///
/// Around each reload systemd hears `RELOADING=1` and then `READY=1`, as `Type=notify` services must.
public final class ConfigReloader: Sendable {
    private let startup: CouncilConfig
    private let overrides: ConfigOverrides
    private let logLevel: LogLevelBox
    private let notifier: SystemdNotifier
    private let logger: Logger
    private let environment: @Sendable () -> [String: String]

    /// A reloader for a daemon started with `config` (read from `config.sourcePath` with `overrides`), changing the
    /// shared `logLevel` and telling `notifier`. `environment` supplies secrets as at start-up.
    public init(
        config: CouncilConfig, overrides: ConfigOverrides, logLevel: LogLevelBox, notifier: SystemdNotifier,
        logger: Logger, environment: @escaping @Sendable () -> [String: String] = CouncilConfig.processEnvironment
    ) {
        startup = config
        self.overrides = overrides
        self.logLevel = logLevel
        self.notifier = notifier
        self.logger = logger
        self.environment = environment
    }

    /// Reloads once per request from `signal` until the stream ends or the task is cancelled.
    public func run(_ signal: ReloadSignal) async {
        for await _ in signal.requests {
            if Task.isCancelled { return }
            reload()
        }
    }

    /// Re-reads the file and applies it; returns what changed (`nil` when the file is unreadable or invalid).
    @discardableResult
    public func reload() -> ConfigChanges? {
        let path = startup.sourcePath
        notifier.reloading(status: "reloading \(path ?? "the default configuration")")
        let fresh: CouncilConfig
        do {
            fresh = try CouncilConfig.load(path: path, overrides: overrides, environment: environment())
        } catch {
            let problems = error.problems.map(\.message).joined(separator: "; ")
            logger.error("configuration reload failed, keeping the running configuration: \(problems)")
            notifier.reloaded(status: "serving; the last reload failed: \(problems)")
            return nil
        }
        var running = startup
        running.log.level = logLevel.level
        let changes = ConfigChanges(from: running, to: fresh)
        if changes.applied.contains("log.level") { logLevel.level = fresh.log.level }
        var summary =
            changes.applied.isEmpty ? "nothing to apply" : "applied " + changes.applied.joined(separator: ", ")
        if changes.needRestart.isEmpty {
            logger.notice("configuration reloaded: \(summary)", metadata: ["file": "\(path ?? "none")"])
        } else {
            summary += "; changes to \(changes.needRestart.joined(separator: ", ")) need a restart"
            logger.warning(
                "configuration reloaded: \(summary) (systemctl restart council)",
                metadata: ["file": "\(path ?? "none")"])
        }
        notifier.reloaded(status: "serving; reloaded: \(summary)")
        return changes
    }
}

/// The difference between the running configuration and a freshly read one, split into what the daemon applies at
/// run time and what only a restart applies.
public struct ConfigChanges: Sendable, Equatable {
    /// Keys applied at run time (`log.level`).
    public var applied: [String] = []
    /// Sections whose changes take effect after a restart (`[mqtt]`, `[node]`, ...).
    public var needRestart: [String] = []

    /// Compares `running` with `fresh`.
    ///
    /// Only `log.level` is applied live. Safe to apply live once their owners read them per request (they are
    /// plain values, not connection or storage identity): `requests.default_timeout_s`, `journal.dedupe_window_s`,
    /// `[budget]` caps, `router.cloud_escalation`, `sandbox.enabled`, the `[[models]]` list and the control token. Restart-only for
    /// good: `[node]` (topics, client id, state folder), `[mqtt]` (the connection, its session and last will) and
    /// `journal.synchronous` (the open database).
    public init(from running: CouncilConfig, to fresh: CouncilConfig) {
        if running.log.level != fresh.log.level { applied.append("log.level") }
        let sections: [(String, Bool)] = [
            ("[node]", running.node != fresh.node), ("[mqtt]", running.mqtt != fresh.mqtt),
            ("[journal]", running.journal != fresh.journal), ("[requests]", running.requests != fresh.requests),
            ("[[models]]", running.models != fresh.models), ("[budget]", running.budget != fresh.budget),
            ("[router]", running.router != fresh.router), ("[sandbox]", running.sandbox != fresh.sandbox),
            ("[control]", running.control != fresh.control),
        ]
        needRestart = sections.filter(\.1).map(\.0)
    }
}
