import Sandbox

extension CouncilConfig {
    /// `[sandbox]`: the code sandbox, and its limit profiles `[sandbox.<name>]`.
    public struct SandboxSection: Sendable, Equatable {
        /// `enabled`: may code run in the sandbox (`exec`, the code skill)? Default true; also a run-time option.
        public var enabled = true
        /// `max_concurrent`: sandboxes running at once; more wait in a queue. Default 2.
        public var maxConcurrent = 2
        /// `default_profile`: the profile of requests that name none. Default `light`.
        public var defaultProfile = "light"
        /// `cgroups`: hold runs to cgroup limits (memory, pids, CPU) where the host allows. Default true.
        public var cgroups = true
        /// `spares`: sandboxes kept ready (cloned into fresh namespaces and cgroups, holding no job) so that a run
        /// starts without waiting for them; 0 turns this off. At most `max_concurrent`. Default 2.
        public var spares = 2
        /// The profiles: the built-in `light` and `heavy`, with any keys the file sets, plus any new ones.
        public var profiles: [String: SandboxProfile] = ["light": .light, "heavy": .heavy]

        /// The defaults.
        public init() {}

        init(reading table: inout TableReader) {
            enabled = table.bool("enabled", default: enabled)
            maxConcurrent = table.integer("max_concurrent", default: maxConcurrent, in: 1...64)
            cgroups = table.bool("cgroups", default: cgroups)
            spares = table.integer("spares", default: spares, in: 0...64)
            for name in table.subtableKeys() {
                var profile = table.table(name)
                let base = profiles[name] ?? .light
                var values = base.values
                for limit in SandboxLimit.allCases {
                    values[limit] = profile.integer(limit.rawValue, default: base[limit], in: 1...Int(Int32.max) * 64)
                }
                profile.reportUnknownKeys()
                profiles[name] = SandboxProfile(name: name, values: values)
            }
            defaultProfile = table.string("default_profile", default: defaultProfile)
            if profiles[defaultProfile] == nil {
                table.problems.invalid(
                    table.name("default_profile"),
                    "names no profile (have: \(profiles.keys.sorted().joined(separator: ", ")))")
                defaultProfile = "light"
            }
        }

        /// The sandbox's configuration.
        public var configuration: SandboxConfiguration {
            SandboxConfiguration(
                enabled: enabled, maxConcurrent: maxConcurrent, profiles: profiles, defaultProfile: defaultProfile,
                cgroups: cgroups, spares: min(spares, maxConcurrent))
        }
    }
}
