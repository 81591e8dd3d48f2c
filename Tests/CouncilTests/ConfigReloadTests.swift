import Council
import Foundation
import Logging
import XCTest

/// SIGHUP re-reads the file: the log level changes at once, sections that need a restart are named, and a broken
/// file leaves the running configuration alone; systemd hears RELOADING=1 and READY=1 around each reload.
final class ConfigReloadTests: XCTestCase {
    func testReloadAppliesTheLogLevelAndNamesWhatNeedsARestart() async throws {
        let folder = try temporaryFolder("reload")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/council.toml"
        try "[log]\nlevel = \"info\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        let overrides = ConfigOverrides(node: "reloader")
        let config = try CouncilConfig.load(path: path, overrides: overrides, environment: [:])
        let level = LogLevelBox(config.log.level)
        let listener = try NotifyListener()
        let notifier = try SystemdNotifier(socketPath: listener.address)
        notifier.ready(status: "serving")
        XCTAssertTrue(try listener.next().hasPrefix("READY=1"))
        let reloader = ConfigReloader(
            config: config, overrides: overrides, logLevel: level, notifier: notifier, logger: testLogger("reload"),
            environment: { [:] })
        let signal = ReloadSignal(handleSignals: false)
        let running = Task { await reloader.run(signal) }
        defer { running.cancel() }

        try "[log]\nlevel = \"debug\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        signal.trigger()
        XCTAssertTrue(try listener.next().hasPrefix("RELOADING=1\nMONOTONIC_USEC="))
        XCTAssertEqual(try listener.next(), "READY=1\nSTATUS=serving; reloaded: applied log.level")
        XCTAssertEqual(level.level, .debug)

        try """
        [log]
        level = "debug"
        [mqtt]
        url = "mqtt://broker.lan:1883"
        [router]
        cloud_escalation = false
        """.write(toFile: path, atomically: true, encoding: .utf8)
        signal.trigger()
        XCTAssertTrue(try listener.next().hasPrefix("RELOADING=1\n"))
        XCTAssertEqual(
            try listener.next(),
            "READY=1\nSTATUS=serving; reloaded: nothing to apply; changes to [mqtt], [router] need a restart")

        try "[log]\nlevel = \"loud\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        signal.trigger()
        XCTAssertTrue(try listener.next().hasPrefix("RELOADING=1\n"))
        let failed = try listener.next()
        XCTAssertTrue(failed.hasPrefix("READY=1\nSTATUS=serving; the last reload failed: log.level"), failed)
        XCTAssertEqual(level.level, .debug, "a broken file keeps the running level")

        try "[log]\nlevel = \"warning\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        signal.trigger()
        XCTAssertTrue(try listener.next().hasPrefix("RELOADING=1\n"))
        XCTAssertEqual(try listener.next(), "READY=1\nSTATUS=serving; reloaded: applied log.level")
        XCTAssertEqual(level.level, .warning)
    }

    func testChangesAreComparedSectionBySection() throws {
        let running = CouncilConfig()
        let none = ConfigChanges(from: running, to: running)
        XCTAssertEqual(none.applied, [])
        XCTAssertEqual(none.needRestart, [])
        var fresh = running
        fresh.log.level = .trace
        fresh.node.stateDirectory = "/srv/council"
        fresh.budget.dailyUSD = 5
        let changes = ConfigChanges(from: running, to: fresh)
        XCTAssertEqual(changes.applied, ["log.level"])
        XCTAssertEqual(changes.needRestart, ["[node]", "[budget]"])
    }
}
