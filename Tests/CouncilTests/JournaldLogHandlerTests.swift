import Council
import Foundation
import Logging
import XCTest

/// Log lines as journald and a terminal receive them, and the level switched while loggers are in use.
final class JournaldLogHandlerTests: XCTestCase {
    func testJournalLinesCarryThePriorityAndTheMetadata() throws {
        let output = try CapturedOutput()
        let logger = Logger(label: "council") { label in
            var handler = JournaldLogHandler(
                label: label, level: LogLevelBox(.debug), style: .journal, descriptor: output.descriptor)
            handler.metadata = ["node": "kitchen"]
            return handler
        }
        logger.debug("tick")
        logger.info("connected", metadata: ["broker": "mqtt://127.0.0.1:1883"])
        logger.notice("serving")
        logger.warning("slow", metadata: ["reason": "two words", "empty": ""])
        logger.error("first line\nsecond line")
        logger.critical("down")
        XCTAssertEqual(
            output.read(),
            """
            <7>tick node=kitchen
            <6>connected broker=mqtt://127.0.0.1:1883 node=kitchen
            <5>serving node=kitchen
            <4>slow empty="" node=kitchen reason="two words"
            <3>first line
            <3>second line node=kitchen
            <2>down node=kitchen

            """)
    }

    func testConsoleLinesAreTimestamped() throws {
        let output = try CapturedOutput()
        let logger = Logger(label: "council") {
            JournaldLogHandler(label: $0, level: LogLevelBox(.info), style: .console, descriptor: output.descriptor)
        }
        logger.warning("disk \"almost\" full", metadata: ["path": "/var/lib/council"])
        let line = output.read()
        let pattern =
            #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4} warning council: disk "almost" full "#
            + #"path=/var/lib/council\n$"#
        XCTAssertNotNil(line.range(of: pattern, options: .regularExpression), line)
    }

    func testTheLevelChangesForEveryLoggerAtRunTime() throws {
        let output = try CapturedOutput()
        let level = LogLevelBox(.warning)
        let factory = { (label: String) in
            JournaldLogHandler(label: label, level: level, style: .journal, descriptor: output.descriptor)
        }
        let daemon = Logger(label: "council", factory: factory)
        let bus = Logger(label: "bus", factory: factory)
        daemon.info("hidden")
        bus.debug("hidden")
        daemon.warning("shown")
        level.level = .debug
        daemon.info("now shown")
        bus.debug("also shown")
        var copy = bus
        copy.logLevel = .error
        XCTAssertEqual(level.level, .error, "setting a logger's level sets the process-wide level")
        daemon.warning("hidden again")
        XCTAssertEqual(output.read(), "<4>shown\n<6>now shown\n<7>also shown\n")
    }

    func testTheJournalIsRecognisedByDeviceAndInode() throws {
        let folder = try temporaryFolder("journal-stream")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/stream", other = folder + "/other"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        XCTAssertTrue(FileManager.default.createFile(atPath: other, contents: nil))
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        defer { close(descriptor) }
        var info = stat()
        XCTAssertEqual(stat(path, &info), 0)
        var otherInfo = stat()
        XCTAssertEqual(stat(other, &otherInfo), 0)

        let matching = ["JOURNAL_STREAM": "\(info.st_dev):\(info.st_ino)"]
        XCTAssertTrue(JournaldLogHandler.isJournalStream(descriptor, environment: matching))
        XCTAssertFalse(JournaldLogHandler.isJournalStream(descriptor, environment: [:]))
        XCTAssertFalse(
            JournaldLogHandler.isJournalStream(
                descriptor, environment: ["JOURNAL_STREAM": "\(otherInfo.st_dev):\(otherInfo.st_ino)"]),
            "stderr redirected elsewhere than the journal")
        XCTAssertFalse(JournaldLogHandler.isJournalStream(descriptor, environment: ["JOURNAL_STREAM": "garbage"]))
        let handler = JournaldLogHandler(label: "council", level: LogLevelBox(.info), descriptor: descriptor)
        XCTAssertEqual(handler.style, .console, "the process's own JOURNAL_STREAM does not name this file")
    }
}

/// A pipe whose read end collects what a handler writes.
private final class CapturedOutput {
    let descriptor: Int32
    private let readEnd: Int32

    init() throws {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw BrokerError("pipe: errno \(errno)") }
        readEnd = ends[0]
        descriptor = ends[1]
        _ = fcntl(readEnd, F_SETFL, fcntl(readEnd, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        close(readEnd)
        close(descriptor)
    }

    /// Everything written so far.
    func read() -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = Glibc.read(readEnd, &buffer, buffer.count)
            if count <= 0 { break }
            bytes += buffer[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
