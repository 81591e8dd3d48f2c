/// The limits of one kind of sandbox run. Requests may lower them (``lowered(by:)``), never raise them.
public struct SandboxProfile: Sendable, Hashable {
    /// The profile's name (`light`, `heavy`, ...).
    public var name: String
    /// The value of every limit; see ``SandboxLimit`` for units.
    public private(set) var values: [SandboxLimit: Int]

    /// Creates a profile; limits not given take `light`'s value.
    public init(name: String, values: [SandboxLimit: Int]) {
        self.name = name
        self.values = Self.lightValues.merging(values) { _, given in given }
    }

    /// The value of `limit`.
    public subscript(limit: SandboxLimit) -> Int {
        get { values[limit] ?? Self.lightValues[limit]! }
        set { values[limit] = newValue }
    }

    /// This profile with each limit in `requested` applied only where it is lower.
    public func lowered(by requested: [SandboxLimit: Int]) -> SandboxProfile {
        var lowered = self
        for (limit, value) in requested where value < self[limit] { lowered[limit] = value }
        return lowered
    }

    /// Short runs: 5 s, 256 MiB, 32 processes, a 16 MiB workspace, 1 MiB of output.
    public static let light = SandboxProfile(name: "light", values: lightValues)

    /// Longer, bigger runs: 60 s, 1 GiB, 128 processes, a 256 MiB workspace, 8 MiB of output, two cores.
    public static let heavy = SandboxProfile(
        name: "heavy",
        values: [
            .wallTime: 60_000, .cpuTime: 60_000, .memory: 1 << 30, .pids: 128, .workspaceBytes: 256 << 20,
            .workspaceInodes: 16_384, .outputBytes: 8 << 20, .fileBytes: 256 << 20, .openFiles: 256, .cpuPercent: 200,
        ])

    private static let lightValues: [SandboxLimit: Int] = [
        .wallTime: 5_000, .cpuTime: 5_000, .memory: 256 << 20, .pids: 32, .workspaceBytes: 16 << 20,
        .workspaceInodes: 1_024, .outputBytes: 1 << 20, .fileBytes: 16 << 20, .openFiles: 64, .cpuPercent: 100,
    ]
}
