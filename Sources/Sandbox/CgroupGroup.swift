import Glibc

/// One run's cgroups: made before the spawn, the child attached before it runs, read and removed after it exits.
struct CgroupGroup: Sendable {
    /// A directory made for this run, and its hierarchy.
    struct Member: Sendable {
        var hierarchy: CgroupHost.Hierarchy
        var directory: String
    }

    /// What the kernel reports after the run.
    struct Usage: Sendable {
        var oomKills = 0
        var cpuNanoseconds: UInt64?
        var peakMemoryBytes: Int?
    }

    private(set) var members: [Member] = []
    /// The limits these groups enforce, with the mechanism ("cgroup v1 memory").
    private(set) var enforced: [SandboxLimit: String] = [:]
    /// Limits a group could not take, with the reason.
    private(set) var failed: [SandboxLimit: String] = [:]
    /// The values last written (memory, pids, CPU), so that writing the same again costs nothing.
    private var written: [Int]?

    init(name: String, hierarchies: [CgroupHost.Hierarchy], profile: SandboxProfile) {
        self.init(name: name, hierarchies: hierarchies)
        limit(to: profile)
    }

    /// Makes the groups without limits yet: ``limit(to:)`` writes them.
    init(name: String, hierarchies: [CgroupHost.Hierarchy]) {
        for hierarchy in hierarchies {
            let directory = hierarchy.directory + "/" + name
            guard mkdir(directory, 0o755) == 0 else {
                let reason = "cannot create \(directory): \(SmallFiles.describe(errno))"
                for controller in hierarchy.controllers {
                    for limit in Self.limits(of: controller) { failed[limit] = reason }
                }
                continue
            }
            members.append(Member(hierarchy: hierarchy, directory: directory))
        }
    }

    /// Writes the limits of `profile` into every group (nothing when they already hold exactly these).
    mutating func limit(to profile: SandboxProfile) {
        let values = [profile[.memory], profile[.pids], profile[.cpuPercent]]
        guard values != written else { return }
        written = values
        for member in members {
            for controller in member.hierarchy.controllers {
                apply(controller, version: member.hierarchy.version, in: member.directory, profile: profile)
            }
        }
    }

    private static func limits(of controller: String) -> [SandboxLimit] {
        switch controller {
        case "memory": [.memory]
        case "pids": [.pids]
        case "cpu": [.cpuPercent]
        default: []
        }
    }

    private mutating func apply(_ controller: String, version: Int, in directory: String, profile: SandboxProfile) {
        let writes: [(file: String, value: String, required: Bool)]
        switch (controller, version) {
        case ("memory", 1):
            let bytes = String(profile[.memory])
            // memsw may never be below the memory limit: raising, it must go first; lowering, last.
            writes = [
                ("memory.memsw.limit_in_bytes", bytes, false), ("memory.limit_in_bytes", bytes, true),
                ("memory.memsw.limit_in_bytes", bytes, false),
            ]
        case ("memory", _):
            writes = [("memory.max", String(profile[.memory]), true), ("memory.swap.max", "0", false)]
        case ("pids", 1), ("pids", _):
            writes = [("pids.max", String(profile[.pids]), true)]
        case ("cpu", 1):
            writes = [
                ("cpu.cfs_period_us", "100000", true), ("cpu.cfs_quota_us", String(profile[.cpuPercent] * 1000), true),
            ]
        case ("cpu", _):
            writes = [("cpu.max", "\(profile[.cpuPercent] * 1000) 100000", true)]
        default:
            return
        }
        let mechanism = "cgroup v\(version) \(controller)"
        for limit in Self.limits(of: controller) {
            enforced[limit] = mechanism
            failed[limit] = nil
        }
        for write in writes {
            let path = directory + "/" + write.file
            if access(path, F_OK) != 0 && !write.required { continue }
            let error = SmallFiles.write(write.value, to: path)
            guard error != 0, write.required else { continue }
            for limit in Self.limits(of: controller) {
                enforced[limit] = nil
                failed[limit] = "writing \(path): \(SmallFiles.describe(error))"
            }
        }
    }

    /// Moves `pid` into every group; the errno and the file on failure.
    func attach(_ pid: pid_t) -> (error: Int32, path: String)? {
        for member in members {
            let path = member.directory + "/cgroup.procs"
            let error = SmallFiles.write(String(pid), to: path)
            if error != 0 { return (error, path) }
        }
        return nil
    }

    /// OOM kills, CPU time and peak memory as the groups counted them.
    func usage() -> Usage {
        var usage = Usage()
        for member in members {
            let directory = member.directory
            let controllers = member.hierarchy.controllers
            if member.hierarchy.version == 1 {
                if controllers.contains("memory") {
                    usage.oomKills =
                        SmallFiles.read(directory + "/memory.oom_control").flatMap {
                            SmallFiles.field("oom_kill", in: $0)
                        } ?? 0
                    usage.peakMemoryBytes = SmallFiles.read(directory + "/memory.max_usage_in_bytes").flatMap {
                        Int($0.trimmingWhitespace())
                    }
                }
                if controllers.contains("cpuacct"),
                    let text = SmallFiles.read(directory + "/cpuacct.usage"),
                    let nanos = UInt64(text.trimmingWhitespace())
                {
                    usage.cpuNanoseconds = nanos
                }
            } else {
                if controllers.contains("memory") {
                    usage.oomKills =
                        SmallFiles.read(directory + "/memory.events").flatMap {
                            SmallFiles.field("oom_kill", in: $0)
                        } ?? 0
                    usage.peakMemoryBytes = SmallFiles.read(directory + "/memory.peak").flatMap {
                        Int($0.trimmingWhitespace())
                    }
                }
                if let text = SmallFiles.read(directory + "/cpu.stat"),
                    let micros = SmallFiles.field("usage_usec", in: text)
                {
                    usage.cpuNanoseconds = UInt64(micros) * 1000
                }
            }
        }
        return usage
    }

    /// Removes the groups; their processes are gone (the pid namespace died with its first process), but the kernel
    /// may take a moment to let go of the last one.
    func remove() {
        for member in members {
            for attempt in 0..<200 {
                if rmdir(member.directory) == 0 || errno == ENOENT { break }
                guard errno == EBUSY, attempt < 199 else { break }
                usleep(1_000)
            }
        }
    }
}

extension String {
    func trimmingWhitespace() -> Substring {
        let trimmed = drop { $0.isWhitespace }
        return trimmed.dropLast(trimmed.reversed().prefix { $0.isWhitespace }.count)
    }
}
