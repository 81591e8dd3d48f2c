import Glibc
import Synchronization

/// The cgroup hierarchies this process may create per-run groups in: for each controller the sandbox uses (memory,
/// pids, cpu, and cpuacct for accounting), v1 where the host mounts it so, v2 where the process's own cgroup is
/// delegated to it. Per-run groups are children of the process's own cgroup, named `council-sandbox-<pid>-<n>`.
final class CgroupHost: Sendable {
    /// A directory controllers can be limited in.
    struct Hierarchy: Sendable, Equatable {
        /// 1 or 2.
        var version: Int
        /// The controllers of ours it carries.
        var controllers: [String]
        /// The process's own cgroup in it, where per-run groups are made.
        var directory: String
    }

    /// Hierarchies where per-run groups can be made.
    let hierarchies: [Hierarchy]
    /// Controllers that cannot be used, with the reason.
    let unavailable: [String: String]
    /// Numbers groups across every sandbox of the process (spares of one live alongside another's runs).
    private static let counter = Atomic<Int>(0)

    static let prefix = "council-sandbox-"
    static let wanted = ["memory", "pids", "cpu", "cpuacct"]

    init(hierarchies: [Hierarchy], unavailable: [String: String]) {
        self.hierarchies = hierarchies
        self.unavailable = unavailable
    }

    /// Finds the hierarchies from /proc/self/cgroup and /proc/self/mountinfo and checks that groups can be made.
    static func detect() -> CgroupHost {
        let mounts = CgroupMount.all()
        var found: [Hierarchy] = []
        var unavailable: [String: String] = [:]
        var claimed = Set<String>()
        let membership = (SmallFiles.read("/proc/self/cgroup") ?? "").split(separator: "\n")
        // v1 first: a controller bound to a v1 hierarchy is not available in v2.
        for line in membership {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, !parts[1].isEmpty else { continue }
            let controllers = parts[1].split(separator: ",").map(String.init)
            let ours = controllers.filter { wanted.contains($0) }
            guard !ours.isEmpty else { continue }
            claimed.formUnion(ours)
            guard let mount = mounts.first(where: { $0.version == 1 && Set(controllers).isSubset(of: $0.controllers) }),
                let directory = mount.directory(for: String(parts[2]))
            else {
                for controller in ours { unavailable[controller] = "its cgroup v1 hierarchy is not mounted" }
                continue
            }
            let hierarchy = Hierarchy(version: 1, controllers: ours, directory: directory)
            if let problem = probe(hierarchy) {
                for controller in ours { unavailable[controller] = problem }
            } else {
                found.append(hierarchy)
            }
        }
        let rest = wanted.filter { !claimed.contains($0) }
        if !rest.isEmpty {
            switch unifiedHierarchy(mounts: mounts, membership: membership, wanted: rest) {
            case .success(let hierarchy):
                found.append(hierarchy)
                for controller in rest where !hierarchy.controllers.contains(controller) {
                    unavailable[controller] = "not enabled in the delegated cgroup v2 subtree"
                }
            case .failure(let problem):
                for controller in rest { unavailable[controller] = problem.message }
            }
        }
        // cpuacct is accounting only; v2 accounts CPU in every group.
        if found.contains(where: { $0.version == 2 }) { unavailable["cpuacct"] = nil }
        let host = CgroupHost(hierarchies: found, unavailable: unavailable)
        host.sweepStaleGroups()
        return host
    }

    /// Whether `controller` can limit runs.
    func has(_ controller: String) -> Bool { hierarchies.contains { $0.controllers.contains(controller) } }

    /// Makes the per-run groups and writes the limits they enforce.
    func makeGroup(profile: SandboxProfile) -> CgroupGroup {
        let name = "\(Self.prefix)\(getpid())-\(Self.counter.add(1, ordering: .relaxed).newValue)"
        return CgroupGroup(name: name, hierarchies: hierarchies, profile: profile)
    }

    /// Removes empty per-run groups a previous process of ours left (it was killed mid-run).
    private func sweepStaleGroups() {
        for hierarchy in hierarchies {
            for name in SmallFiles.list(hierarchy.directory) ?? [] where name.hasPrefix(Self.prefix) {
                let pid = name.dropFirst(Self.prefix.count).split(separator: "-").first.flatMap { pid_t($0) }
                guard let pid, pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
                rmdir(hierarchy.directory + "/" + name)
            }
        }
    }

    /// Returns why groups cannot be made in `hierarchy`, or nil.
    private static func probe(_ hierarchy: Hierarchy) -> String? {
        let path = "\(hierarchy.directory)/\(prefix)\(getpid())-probe"
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
            let error = errno
            return "cannot create a cgroup in \(hierarchy.directory) (\(SmallFiles.describe(error)); uid \(geteuid()))"
        }
        rmdir(path)
        return nil
    }

    /// The process's own v2 cgroup, if delegated: the controllers must be enabled for its children, which the
    /// kernel allows only while the group itself holds no processes, so the daemon first moves itself into a leaf
    /// (`council-daemon`), as systemd's delegation documentation prescribes.
    private static func unifiedHierarchy(mounts: [CgroupMount], membership: [Substring], wanted: [String])
        -> Result<Hierarchy, SandboxError>
    {
        guard let line = membership.first(where: { $0.hasPrefix("0::") }),
            let mount = mounts.first(where: { $0.version == 2 }),
            let directory = mount.directory(for: String(line.dropFirst(3)))
        else { return .failure(SandboxError(.unavailable, "no cgroup v2 hierarchy")) }
        let available = Set(
            (SmallFiles.read(directory + "/cgroup.controllers") ?? "").split(whereSeparator: \.isWhitespace)
                .map(String.init))
        let usable = wanted.filter { available.contains($0) }
        guard !usable.isEmpty else {
            return .failure(SandboxError(.unavailable, "not available in this process's cgroup v2 group"))
        }
        let hierarchy = Hierarchy(version: 2, controllers: usable, directory: directory)
        if let problem = probe(hierarchy) { return .failure(SandboxError(.unavailable, problem)) }
        let enable = usable.map { "+" + $0 }.joined(separator: " ")
        var error = SmallFiles.write(enable, to: directory + "/cgroup.subtree_control")
        if error == EBUSY {
            let leaf = directory + "/council-daemon"
            if mkdir(leaf, 0o755) == 0 || errno == EEXIST, SmallFiles.write("0", to: leaf + "/cgroup.procs") == 0 {
                error = SmallFiles.write(enable, to: directory + "/cgroup.subtree_control")
            }
        }
        guard error == 0 else {
            return .failure(
                SandboxError(
                    .unavailable, "cannot enable \(enable) in \(directory)/cgroup.subtree_control", errno: error))
        }
        return .success(hierarchy)
    }
}

/// One cgroup mount from /proc/self/mountinfo.
struct CgroupMount: Sendable {
    var version: Int
    var controllers: Set<String>
    var root: String
    var mountPoint: String

    /// Where the cgroup `path` (as /proc/self/cgroup names it) is under this mount, if it is.
    func directory(for path: String) -> String? {
        if root == "/" { return path == "/" ? mountPoint : mountPoint + path }
        guard path == root || path.hasPrefix(root + "/") else { return nil }
        return mountPoint + path.dropFirst(root.count)
    }

    static func all() -> [CgroupMount] {
        (SmallFiles.read("/proc/self/mountinfo") ?? "").split(separator: "\n").compactMap { line in
            let halves = String(line).components(separatedBy: " - ")
            guard halves.count == 2 else { return nil }
            let fields = halves[0].split(separator: " ")
            let tail = halves[1].split(separator: " ")
            guard fields.count >= 5, tail.count >= 3, tail[0] == "cgroup" || tail[0] == "cgroup2" else { return nil }
            return CgroupMount(
                version: tail[0] == "cgroup2" ? 2 : 1, controllers: Set(tail[2].split(separator: ",").map(String.init)),
                root: unescape(fields[3]), mountPoint: unescape(fields[4]))
        }
    }

    /// mountinfo writes spaces, tabs, newlines and backslashes as \ooo.
    private static func unescape(_ field: Substring) -> String {
        var bytes: [UInt8] = []
        var input = Array(field.utf8)[...]
        while let byte = input.popFirst() {
            if byte == UInt8(ascii: "\\"), input.count >= 3,
                let value = UInt8(String(decoding: input.prefix(3), as: UTF8.self), radix: 8)
            {
                bytes.append(value)
                input = input.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension String {
    fileprivate func components(separatedBy separator: String) -> [Substring] {
        var parts: [Substring] = []
        var rest = self[...]
        while let range = rest.firstRange(of: separator) {
            parts.append(rest[..<range.lowerBound])
            rest = rest[range.upperBound...]
        }
        parts.append(rest)
        return parts
    }
}
