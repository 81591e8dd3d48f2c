import Synchronization

/// Bounds on one query's work, so that a runaway program ends with an error instead of taking the process down.
public struct PrologLimits: Sendable, Equatable {
    /// Predicate calls (logical inferences) before the query stops with ``PrologError/limitExceeded(_:)``.
    public var maxInferences: Int
    /// Cells of term storage (8 bytes each) the query may use.
    public var maxHeapCells: Int
    /// Nested calls that have not yet returned (environments), and open choicepoints, each.
    public var maxDepth: Int
    /// Wall-clock time for the whole query.
    public var timeout: Duration
    /// Characters of output (`write/1`, `format/2`) the query may produce.
    public var maxOutput: Int

    /// Limits suited to a shared daemon; each can be raised.
    public init(
        maxInferences: Int = 200_000_000, maxHeapCells: Int = 8_000_000, maxDepth: Int = 2_000_000,
        timeout: Duration = .seconds(10), maxOutput: Int = 1_000_000
    ) {
        self.maxInferences = maxInferences
        self.maxHeapCells = maxHeapCells
        self.maxDepth = maxDepth
        self.timeout = timeout
        self.maxOutput = maxOutput
    }
}

/// A flag another thread sets to stop a running query; the engine checks it every few thousand inferences.
public final class PrologCancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    /// Creates an unset flag.
    public init() {}

    /// Asks the query to stop; it ends with ``PrologError/cancelled``.
    public func cancel() { flag.store(true, ordering: .relaxed) }

    /// Whether ``cancel()`` was called.
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// Which limit a query ran into.
public enum PrologLimit: String, Sendable, Equatable {
    case inferences, memory, depth, time, output
}

/// Why a query could not produce its answers.
public enum PrologError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The goal's text does not parse.
    case syntax(PrologSyntaxError)
    /// A limit was reached; the answers found before it are lost.
    case limitExceeded(PrologLimit)
    /// The query was cancelled.
    case cancelled
    /// The goal raised an exception no `catch/3` handled; the ball as `writeq/1` writes it.
    case uncaught(String)
    /// The goal cannot run as given (`halt/0`, a bad goal term).
    case refused(String)

    public var description: String {
        switch self {
        case .syntax(let error): "\(error)"
        case .limitExceeded(let limit):
            switch limit {
            case .inferences: "the query exceeded its inference limit"
            case .memory: "the query exceeded its memory limit"
            case .depth: "the query exceeded its recursion depth limit"
            case .time: "the query exceeded its time limit"
            case .output: "the query exceeded its output limit"
            }
        case .cancelled: "the query was cancelled"
        case .uncaught(let ball): "uncaught exception: \(ball)"
        case .refused(let reason): reason
        }
    }
}
