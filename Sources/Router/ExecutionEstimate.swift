import JSON

/// What a program needs to run, read from its source text before it runs: network use, memory, CPU time, sleeps,
/// files, processes; the reasons (sentences a person can read) and a signature of its features for finding similar
/// past runs. Made by ``init(analyzing:language:)``; cheap (tens of microseconds for a page of code), no I/O.
public struct ExecutionEstimate: Sendable, Equatable {
    /// How much CPU a program is expected to use, by order of magnitude.
    public enum CPUClass: String, Sendable, Equatable {
        /// Under 50 ms.
        case trivial
        /// Under a second.
        case light
        /// Under 10 seconds.
        case moderate
        /// Under a minute.
        case heavy
        /// A minute or more, or no end at all.
        case extreme
    }

    /// One thing the program does that the sandbox does not allow, with where it does it.
    public struct Evidence: Sendable, Equatable {
        /// The 1-based source line.
        public var line: Int
        /// What it does there, e.g. "socket.create_connection opens a network connection".
        public var what: String

        /// Creates evidence.
        public init(line: Int, what: String) {
            self.line = line
            self.what = what
        }

        /// "line 3: socket.create_connection opens a network connection".
        public var sentence: String { "line \(line): \(what)" }
    }

    /// The sandbox language name the estimate is for (`python`, `sh`, ...).
    public var language: String
    /// Where the program would use the network (which no sandbox run has); empty when it would not.
    public var network: [Evidence] = []
    /// Estimated peak memory of the whole run (interpreter included), bytes.
    public var peakMemoryBytes: Double = 0
    /// Memory the program certainly needs at once: its largest single allocation whose size the source fixes,
    /// interpreter included, bytes. A run in less is sure to fail; ``peakMemoryBytes`` is the likelier need.
    public var certainMemoryBytes: Double = 0
    /// Where the largest certain allocation is, for reasons; nil when there is none worth naming.
    public var largestAllocation: Evidence?
    /// Estimated CPU time, milliseconds (interpreter start included); infinite when the program never ends.
    public var cpuMillis: Double = 0
    /// Time spent sleeping, milliseconds.
    public var sleepMillis: Double = 0
    /// Whether the program writes files (in its workspace: the only writable place).
    public var writesFiles = false
    /// Bytes it writes to files, where the source fixes them.
    public var fileBytes: Double = 0
    /// Processes and threads it runs at once, itself included.
    public var processes: Double = 1
    /// Whether a loop has no way out (`while True:` without `break`, `return`, `raise` or an exit).
    public var neverEnds = false
    /// Whether part of the estimate is a guess (loop bounds or sizes the source does not fix).
    public var hasUnknowns = false
    /// The modules it imports, as written (`numpy`, `urllib.request`), sorted.
    public var imports: [String] = []
    /// Why the figures are what they are, in sentences, most important first.
    public var reasons: [String] = []
    /// The program's features, for finding runs of similar programs: language, imports, loop depth, orders of
    /// magnitude of work and memory, and flags. Programs that differ only in small constants share it.
    public var signature: String = ""

    /// Estimates what `code` in `language` needs. Python gets the full analysis; shell scripts a simpler one;
    /// other languages only the interpreter's start.
    public init(analyzing code: String, language: String) {
        switch language {
        case "python":
            self = PythonAnalyzer(code).run()
        case "sh", "bash": self = ShellAnalyzer(code, language: language).estimate()
        default:
            self.init(language: language)
            cpuMillis = ExecutionCosts.startMillis(language)
            peakMemoryBytes = ExecutionCosts.baseMemoryBytes(language)
            certainMemoryBytes = peakMemoryBytes
            hasUnknowns = true
            reasons = ["\(language) code is not analysed; only the interpreter's start is counted"]
            signature = Self.signature(language: language, features: [])
        }
    }

    /// An empty estimate for `language`, filled in by the analyzers.
    init(language: String) {
        self.language = language
    }

    /// Expected wall-clock time of a run, milliseconds: CPU time plus sleeps (infinite for a program that never
    /// ends).
    public var durationMillis: Double { cpuMillis + sleepMillis }

    /// The order of magnitude of ``cpuMillis``.
    public var cpuClass: CPUClass {
        switch cpuMillis {
        case ..<50: .trivial
        case ..<1_000: .light
        case ..<10_000: .moderate
        case ..<60_000: .heavy
        default: .extreme
        }
    }

    /// Whether the program would use the network.
    public var usesNetwork: Bool { !network.isEmpty }

    /// The estimate as replies and events show it.
    public var json: JSONObject {
        var object: JSONObject = [
            "network": .bool(usesNetwork),
            "memory_bytes": JSONValue(Self.whole(peakMemoryBytes)),
            "cpu_ms": cpuMillis.isFinite ? JSONValue(Self.whole(cpuMillis)) : .null,
            "cpu_class": .string(cpuClass.rawValue),
            "writes_files": .bool(writesFiles),
            "signature": .string(signature),
        ]
        if sleepMillis > 0 { object["sleep_ms"] = JSONValue(Self.whole(sleepMillis)) }
        if processes > 1 { object["processes"] = JSONValue(Self.whole(processes)) }
        if neverEnds { object["never_ends"] = true }
        if hasUnknowns { object["guessed"] = true }
        return object
    }

    /// `value` rounded to a whole number that JSON can carry.
    static func whole(_ value: Double) -> Int {
        guard value.isFinite else { return Int.max }
        return value >= 9e18 ? Int.max : Int(value.rounded())
    }

    /// The signature of a program of `language` with `features` (already in a stable order).
    static func signature(language: String, features: [String]) -> String {
        ([language] + features).joined(separator: ";")
    }
}
