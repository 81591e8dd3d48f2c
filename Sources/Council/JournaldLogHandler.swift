import Glibc
import Logging
import Synchronization

/// A swift-log handler writing one line per message to stderr (or another descriptor): with sd-daemon(3) priority
/// prefixes (`<4>message key=value`) when the stream is the systemd journal, so `journalctl -p warning` filters by
/// level, and as readable timestamped lines otherwise.
///
/// The level lives in a shared ``LogLevelBox``: changing the box changes every logger at once, at run time.
/// Setting `logLevel` on one logger therefore changes the process-wide level too, which is what the daemon means
/// by `log.level`.
public struct JournaldLogHandler: LogHandler {
    /// How lines are written.
    public enum Style: Sendable, Equatable {
        /// `<N>message key=value`: journald reads the priority from the prefix and adds the time itself.
        case journal
        /// `2025-01-31T09:15:02.123+0100 warning council: message key=value`, for terminals and files.
        case console
    }

    /// The logger's label, shown in console lines.
    public let label: String
    /// The format of each line.
    public let style: Style
    /// Metadata attached to every message of this logger.
    public var metadata: Logger.Metadata = [:]
    /// Adds contextual metadata (task-locals) to every message.
    public var metadataProvider: Logger.MetadataProvider?

    private let level: LogLevelBox
    private let descriptor: Int32

    /// A handler for `label` filtering at `level`, writing to `descriptor` (default stderr) in `style` (default:
    /// journal format when `descriptor` is the journal stream systemd connected, console format otherwise).
    public init(
        label: String, level: LogLevelBox, style: Style? = nil, descriptor: Int32 = STDERR_FILENO,
        metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider
    ) {
        self.label = label
        self.level = level
        self.descriptor = descriptor
        self.metadataProvider = metadataProvider
        self.style = style ?? (Self.isJournalStream(descriptor) ? .journal : .console)
    }

    /// The process-wide level from the shared box; setting it changes the box.
    public var logLevel: Logger.Level {
        get { level.level }
        set { level.level = newValue }
    }

    /// One metadata value of this logger.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Formats the event as one line (or one prefixed line per line of a multi-line message) and writes it.
    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        if let error = event.error { merged["error"] = .string("\(error)") }
        let line = format(level: event.level, message: event.message.description, metadata: merged)
        Self.write(line, to: descriptor)
    }

    /// The text written for one message, ending in a line break.
    func format(level: Logger.Level, message: String, metadata: Logger.Metadata) -> String {
        let fields = metadata.keys.sorted().map { key in " \(key)=\(Self.quoted(metadata[key]!.description))" }
            .joined()
        switch style {
        case .journal:
            let prefix = "<\(Self.priority(level))>"
            let lines = message.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.map { prefix + $0 }.joined(separator: "\n") + fields + "\n"
        case .console:
            return "\(Self.timestamp()) \(level) \(label): \(message)\(fields)\n"
        }
    }

    /// The syslog priority sd-daemon(3) defines for `level` (`SD_ERR` is 3, `SD_DEBUG` is 7).
    public static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    /// Whether `descriptor` is the stream systemd connected to the journal: `$JOURNAL_STREAM` (`device:inode`)
    /// matches the descriptor's device and inode (a redirected stderr does not).
    public static func isJournalStream(
        _ descriptor: Int32, environment: [String: String] = CouncilConfig.processEnvironment()
    ) -> Bool {
        guard let value = environment["JOURNAL_STREAM"] else { return false }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }

    // MARK: - Output

    /// Serialises writes so lines from different threads never interleave.
    private static let writeLock = Mutex(())

    private static func write(_ line: String, to descriptor: Int32) {
        var line = line
        line.withUTF8 { bytes in
            writeLock.withLock { _ in
                var offset = 0
                while offset < bytes.count {
                    let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else {
                        return  // nowhere to report a failing stderr
                    }
                }
            }
        }
    }

    /// `value` as is, or in double quotes with `"`, `\` and line breaks escaped when it is empty or contains
    /// spaces, quotes, `=` or control characters.
    static func quoted(_ value: String) -> String {
        let needsQuotes =
            value.isEmpty
            || value.unicodeScalars.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\\" || $0.value < 0x20 }
        guard needsQuotes else { return value }
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// Local time as `2025-01-31T09:15:02.123+0100`.
    private static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var parts = tm()
        var seconds = now.tv_sec
        localtime_r(&seconds, &parts)
        let millis = now.tv_nsec / 1_000_000
        let fraction = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return format(parts, "%Y-%m-%dT%H:%M:%S") + "." + fraction + format(parts, "%z")
    }

    private static func format(_ parts: tm, _ pattern: String) -> String {
        var parts = parts
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, pattern, &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
