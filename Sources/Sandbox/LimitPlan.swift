import CSandbox

/// How a profile's limits are enforced in one run: the cgroup limits the host allows, rlimits for the rest (and as
/// a backstop), the tmpfs for the workspace, the supervisor for time and output.
struct LimitPlan {
    /// setrlimit calls for the child.
    private(set) var rlimits: [(resource: Int32, soft: UInt64, hard: UInt64)] = []
    /// Every limit with its mechanisms, or why none applies.
    private(set) var applied: [AppliedLimit] = []

    init(profile: SandboxProfile, group: CgroupGroup?, unavailable: [String: String], fitsAddressSpace: Bool) {
        let cgroup = group?.enforced ?? [:]
        var by: [SandboxLimit: [String]] = [:]
        for (limit, mechanism) in cgroup { by[limit, default: []].append(mechanism) }

        by[.wallTime, default: []].append("SIGKILL of the whole pid namespace")
        let cpuSeconds = UInt64((profile[.cpuTime] + 999) / 1000)
        add(csandbox_rlimit_cpu, cpuSeconds, cpuSeconds + 1, for: .cpuTime, &by)
        if cgroup[.memory] == nil {
            // No memory cgroup: bound each process's address space (or, for runtimes that reserve it up front, its
            // data segment); memfd and SysV shared memory are denied by the seccomp program instead. There is no
            // aggregate cap: up to `pids` processes may each use this much.
            let resource = fitsAddressSpace ? csandbox_rlimit_as : csandbox_rlimit_data
            add(resource, UInt64(profile[.memory]), UInt64(profile[.memory]), for: .memory, &by)
            by[.memory]?[0] += " (per process; memfd_create and shmget denied)"
        }
        add(csandbox_rlimit_nproc, UInt64(profile[.pids]), UInt64(profile[.pids]), for: .pids, &by)
        add(csandbox_rlimit_fsize, UInt64(profile[.fileBytes]), UInt64(profile[.fileBytes]), for: .fileBytes, &by)
        add(csandbox_rlimit_nofile, UInt64(profile[.openFiles]), UInt64(profile[.openFiles]), for: .openFiles, &by)
        rlimits.append((csandbox_rlimit_core, 0, 0))
        by[.workspaceBytes, default: []].append("tmpfs size")
        by[.workspaceInodes, default: []].append("tmpfs nr_inodes")
        by[.outputBytes, default: []].append("capture cap")

        for limit in SandboxLimit.allCases {
            let reason = group?.failed[limit] ?? unavailable[Self.controller(of: limit) ?? ""] ?? "not supported here"
            applied.append(
                AppliedLimit(
                    limit: limit, value: profile[limit], enforcedBy: by[limit] ?? [],
                    reason: by[limit] == nil ? reason : nil))
        }
    }

    private mutating func add(
        _ resource: Int32, _ soft: UInt64, _ hard: UInt64, for limit: SandboxLimit,
        _ by: inout [SandboxLimit: [String]]
    ) {
        rlimits.append((resource, soft, hard))
        by[limit, default: []].append("rlimit \(Self.name(of: resource))")
    }

    private static func controller(of limit: SandboxLimit) -> String? {
        switch limit {
        case .memory: "memory"
        case .pids: "pids"
        case .cpuPercent: "cpu"
        default: nil
        }
    }

    private static func name(of resource: Int32) -> String {
        switch resource {
        case csandbox_rlimit_cpu: "RLIMIT_CPU"
        case csandbox_rlimit_as: "RLIMIT_AS"
        case csandbox_rlimit_data: "RLIMIT_DATA"
        case csandbox_rlimit_nproc: "RLIMIT_NPROC"
        case csandbox_rlimit_fsize: "RLIMIT_FSIZE"
        case csandbox_rlimit_nofile: "RLIMIT_NOFILE"
        default: "resource \(resource)"
        }
    }
}
