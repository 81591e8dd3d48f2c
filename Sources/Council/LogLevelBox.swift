import Logging
import Synchronization

/// The process-wide log level, shared by every `JournaldLogHandler` and changeable while the daemon runs (SIGHUP
/// re-reads `log.level`).
public final class LogLevelBox: Sendable {
    private let current: Atomic<UInt8>

    /// A box holding `level`.
    public init(_ level: Logger.Level) {
        current = Atomic(Self.code(level))
    }

    /// The level now in force; messages below it are dropped.
    public var level: Logger.Level {
        get { Self.levels[Int(current.load(ordering: .relaxed))] }
        set { current.store(Self.code(newValue), ordering: .relaxed) }
    }

    private static let levels = Logger.Level.allCases.sorted()

    private static func code(_ level: Logger.Level) -> UInt8 {
        UInt8(levels.firstIndex(of: level)!)
    }
}
