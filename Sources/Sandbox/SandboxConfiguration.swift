/// How the daemon's sandbox is set up (the `[sandbox]` section of the configuration).
public struct SandboxConfiguration: Sendable, Hashable {
    /// Whether runs are allowed at all (`sandbox.enabled`, also switchable at run time).
    public var enabled: Bool
    /// Runs at once; more wait in a queue (`sandbox.max_concurrent`).
    public var maxConcurrent: Int
    /// The profiles by name (`[sandbox.light]`, `[sandbox.heavy]`, ...).
    public var profiles: [String: SandboxProfile]
    /// The profile of requests that name none (`sandbox.default_profile`).
    public var defaultProfile: String
    /// Whether runs get cgroups (memory, pids, CPU) where the host allows (`sandbox.cgroups`). Without them memory
    /// and processes are bounded by rlimits only; in exchange a run starts faster (moving a process into a cgroup v1
    /// group waits for an RCU grace period).
    public var cgroups: Bool
    /// Children kept ready for the next runs, at most `maxConcurrent` (`sandbox.spares`): each is cloned into its
    /// namespaces and cgroups ahead of its job, which takes that (~10 ms with cgroup v1) off a run's start. 0: none.
    public var spares: Int

    /// Creates a configuration; the defaults are `light` and `heavy`, two runs at once.
    public init(
        enabled: Bool = true, maxConcurrent: Int = 2,
        profiles: [String: SandboxProfile] = ["light": .light, "heavy": .heavy], defaultProfile: String = "light",
        cgroups: Bool = true, spares: Int = 2
    ) {
        self.cgroups = cgroups
        self.spares = spares
        self.enabled = enabled
        self.maxConcurrent = maxConcurrent
        self.profiles = profiles
        self.defaultProfile = defaultProfile
    }
}
