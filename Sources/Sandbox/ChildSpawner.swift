import CSandbox
import Glibc

/// The job-independent half of a spawn: who the child becomes and the root it builds, pivots into and makes
/// read-only before it is released. The same for every run of one ``Sandbox``, so a spare child does it ahead.
struct RootRequest: Sendable {
    var steps: [PlanStep]
    var identity: SandboxIdentity
    var newCgroupNamespace = true
    /// An existing host directory the new root's tmpfs is mounted on, inside the child's mount namespace only.
    var staging = "/tmp"
    var rootOptions = "size=1m,nr_inodes=256,mode=0755"
    var hostname = "sandbox"
}

/// Everything one spawn needs, in Swift form; ``ChildSpawner`` lays it out as a `csandbox_spec`.
struct SpawnRequest: Sendable {
    var root: RootRequest
    var executable: String
    var arguments: [String]
    var environment: [String]
    /// The job's mount plan (workspace and files), run once released, after the root's.
    var jobSteps: [PlanStep]
    var rlimits: [(resource: Int32, soft: UInt64, hard: UInt64)]
    var filter: [UInt8]
    var workingDirectory: String
    /// What init collects after the program exits; nil for nothing.
    var artifacts: ArtifactRequest?

    /// The root's steps then the job's, as the child numbers them in failures.
    var allSteps: [PlanStep] { root.steps + jobSteps }
}

/// The artifact side of a spawn: the effective policy, the directory walked, and the plan steps that wrote files
/// into it (by index into `jobSteps`, with their name there), which are no artifacts while unchanged.
struct ArtifactRequest: Sendable {
    var policy: ArtifactPolicy
    var directory: String
    var seeds: [(step: Int, name: String)]
}

/// Who the program runs as: one uid and gid inside, mapped to one outside.
struct SandboxIdentity: Sendable, Equatable {
    var insideUID: uid_t
    var outsideUID: uid_t
    var insideGID: gid_t
    var outsideGID: gid_t
    /// Unprivileged parents must deny setgroups before mapping; root lets the child clear its groups instead.
    var denySetgroups: Bool

    /// Root maps the sandbox user to `nobody` (never to root: RLIMIT_NPROC does not bind uid 0); anyone else can
    /// only map themselves.
    static func current(insideID: UInt32 = MountPlan.sandboxUser) -> SandboxIdentity {
        if geteuid() == 0 {
            return SandboxIdentity(
                insideUID: insideID, outsideUID: 65534, insideGID: insideID, outsideGID: 65534, denySetgroups: false)
        }
        return SandboxIdentity(
            insideUID: insideID, outsideUID: geteuid(), insideGID: insideID, outsideGID: getegid(), denySetgroups: true)
    }
}

/// A spawned child waiting for release, and its pipes.
struct SpawnedChild: @unchecked Sendable {  // plain file descriptors and a pid, owned by one thread at a time
    var raw: csandbox_child
    var pid: pid_t { raw.pid }
}

/// The Swift side of CSandbox: allocates the C layout of a spawn, calls into C, frees the layout.
enum ChildSpawner {
    /// Clones the child (it waits for ``begin(_:)``); the id maps are written.
    static func spawn(_ request: SpawnRequest) -> Result<SpawnedChild, SandboxError> {
        let arena = CArena()
        var spec = csandbox_spec()
        layOut(request.root, into: &spec, in: arena)
        layOut(request, into: &spec, in: arena)
        var child = csandbox_child()
        var failure = csandbox_failure()
        let result = csandbox_spawn(&spec, &child, &failure)
        withExtendedLifetime(arena) {}
        guard result == 0 else { return .failure(error(failure, steps: request.allSteps)) }
        return .success(SpawnedChild(raw: child))
    }

    /// Clones a spare child for a job not known yet: it reads its spec from `region` (shared with it), where only
    /// the root's part is written now; ``fill(_:into:from:)`` writes the job's part at `jobOffset`, which this
    /// returns. Nil (and the region wiped) if the root does not fit the region.
    static func spawnSpare(_ root: RootRequest, region: SharedRegion) -> Result<
        (child: SpawnedChild, jobOffset: Int), SandboxError
    > {
        let reserved = MemoryLayout<csandbox_spec>.stride
        let arena = CArena(region: region.base + reserved, capacity: region.length - reserved)
        var layout = csandbox_spec()
        layOut(root, into: &layout, in: arena)
        guard !arena.overflowed else {
            region.wipe()
            return .failure(SandboxError(.setupFailed, "the sandbox root's plan does not fit a spare's region"))
        }
        let spec = region.base.bindMemory(to: csandbox_spec.self, capacity: 1)
        spec.initialize(to: layout)
        var child = csandbox_child()
        var failure = csandbox_failure()
        guard csandbox_spawn(spec, &child, &failure) == 0 else { return .failure(error(failure, steps: root.steps)) }
        return .success((SpawnedChild(raw: child), reserved + arena.used))
    }

    /// Writes the job's part of `request` into a prepared spare's `region`, from `offset` on (the root's part stays);
    /// false (and the region wiped) if it does not fit.
    static func fill(_ request: SpawnRequest, into region: SharedRegion, from offset: Int) -> Bool {
        let arena = CArena(region: region.base + offset, capacity: region.length - offset)
        let spec = region.base.assumingMemoryBound(to: csandbox_spec.self)
        var layout = spec.pointee
        layOut(request, into: &layout, in: arena)
        guard !arena.overflowed else {
            region.wipe()
            return false
        }
        spec.pointee = layout
        return true
    }

    /// The C layout of a plan's steps, every pointer into `arena`.
    private static func layOut(_ steps: [PlanStep], in arena: CArena) -> [csandbox_step] {
        steps.map { step -> csandbox_step in
            var raw = csandbox_step()
            raw.path = UnsafePointer(arena.string(step.path))
            switch step.kind {
            case .directory(let mode):
                raw.kind = Int32(CSANDBOX_STEP_DIRECTORY.rawValue)
                raw.mode = mode
            case .bindReadOnly(let source, let isFile):
                raw.kind = Int32(CSANDBOX_STEP_BIND_READ_ONLY.rawValue)
                raw.source = UnsafePointer(arena.string(source))
                raw.mode = isFile ? 0o444 : 0
            case .bindDevice(let source):
                raw.kind = Int32(CSANDBOX_STEP_BIND_DEVICE.rawValue)
                raw.source = UnsafePointer(arena.string(source))
            case .tmpfs(let options):
                raw.kind = Int32(CSANDBOX_STEP_TMPFS.rawValue)
                raw.data = UnsafePointer(arena.string(options))
            case .proc:
                raw.kind = Int32(CSANDBOX_STEP_PROC.rawValue)
            case .symlink(let target):
                raw.kind = Int32(CSANDBOX_STEP_SYMLINK.rawValue)
                raw.source = UnsafePointer(arena.string(target))
            case .file(let contents, let mode):
                raw.kind = Int32(CSANDBOX_STEP_FILE.rawValue)
                raw.data = UnsafePointer(arena.bytes(contents))
                raw.length = contents.count
                raw.mode = mode
            case .readOnly:
                raw.kind = Int32(CSANDBOX_STEP_READ_ONLY.rawValue)
            }
            return raw
        }
    }

    /// Writes the root's part of a spec: the identity, the root plan, the host name.
    private static func layOut(_ root: RootRequest, into spec: inout csandbox_spec, in arena: CArena) {
        let steps = layOut(root.steps, in: arena)
        spec.staging = UnsafePointer(arena.string(root.staging))
        spec.root_options = UnsafePointer(arena.string(root.rootOptions))
        spec.steps = UnsafePointer(arena.array(steps))
        spec.step_count = steps.count
        spec.read_only_root = 1
        spec.hostname = UnsafePointer(arena.string(root.hostname))
        spec.inside_uid = root.identity.insideUID
        spec.outside_uid = root.identity.outsideUID
        spec.inside_gid = root.identity.insideGID
        spec.outside_gid = root.identity.outsideGID
        spec.deny_setgroups = root.identity.denySetgroups ? 1 : 0
        spec.new_cgroup_namespace = root.newCgroupNamespace ? 1 : 0
    }

    /// Writes the job's part of a spec: the program, its workspace, limits, filter and artifacts.
    private static func layOut(_ request: SpawnRequest, into spec: inout csandbox_spec, in arena: CArena) {
        let steps = layOut(request.jobSteps, in: arena)
        let rlimits = request.rlimits.map { csandbox_rlimit(resource: $0.resource, soft: $0.soft, hard: $0.hard) }
        var artifacts = csandbox_artifact_policy()
        if let request = request.artifacts {
            artifacts.max_files = UInt32(clamping: request.policy.maxFiles)
            artifacts.max_depth = UInt32(clamping: request.policy.maxDepth)
            artifacts.max_file_bytes = UInt64(request.policy.maxFileBytes)
            artifacts.max_total_bytes = UInt64(request.policy.maxTotalBytes)
            artifacts.max_skipped = UInt32(ArtifactPolicy.skippedReports)
            artifacts.directory = UnsafePointer(arena.string(request.directory))
            // The seeds point at the bytes their plan steps write: no second copy.
            let seeds = request.seeds.map { seed in
                csandbox_seed(
                    name: UnsafePointer(arena.string(seed.name)), data: steps[seed.step].data,
                    length: steps[seed.step].length)
            }
            artifacts.seeds = UnsafePointer(arena.array(seeds))
            artifacts.seed_count = seeds.count
        }
        spec.executable = UnsafePointer(arena.string(request.executable))
        spec.argv = UnsafePointer(arena.vector([request.executable] + request.arguments))
        spec.envp = UnsafePointer(arena.vector(request.environment))
        spec.job_steps = UnsafePointer(arena.array(steps))
        spec.job_step_count = steps.count
        spec.working_directory = UnsafePointer(arena.string(request.workingDirectory))
        spec.rlimits = UnsafePointer(arena.array(rlimits))
        spec.rlimit_count = rlimits.count
        spec.filter = request.filter.isEmpty ? nil : UnsafeRawPointer(arena.bytes(request.filter))
        spec.filter_length = request.filter.count
        spec.artifacts = artifacts
    }

    /// Lets the child prepare its job-independent part while the parent attaches it to cgroups.
    static func begin(_ child: inout SpawnedChild) -> SandboxError? {
        var failure = csandbox_failure()
        guard csandbox_begin(&child.raw, &failure) != 0 else { return nil }
        return SandboxError(.setupFailed, "sandbox setup failed: the child is gone", errno: failure.error)
    }

    /// Waits until a begun child has prepared; why it could not, if it could not.
    static func waitPrepared(_ child: inout SpawnedChild, steps: [PlanStep]) -> SandboxError? {
        var failure = csandbox_failure()
        guard csandbox_wait_prepared(&child.raw, &failure) != 0 else { return nil }
        return error(failure, steps: steps)
    }

    /// Lets the child do the job's part and exec; what happened arrives as reports (``Supervisor``). False if the
    /// child was gone already.
    @discardableResult
    static func release(_ child: inout SpawnedChild) -> Bool { csandbox_release(&child.raw) == 0 }

    /// Kills and reaps a child that will not be released.
    static func abandon(_ child: inout SpawnedChild) { csandbox_abandon(&child.raw) }

    /// The error of a failure the child reported, naming the stage and, for plan steps, the step (`steps`: the
    /// root's then the job's).
    static func error(_ failure: csandbox_failure, steps: [PlanStep]) -> SandboxError {
        var what = SpawnStage.describe(failure.stage)
        if failure.stage == Int32(CSANDBOX_STAGE_PLAN_STEP.rawValue), steps.indices.contains(Int(failure.index)) {
            what += " (\(SpawnStage.describe(steps[Int(failure.index)])))"
        } else if failure.index >= 0 {
            what += " #\(failure.index)"
        }
        var message = "sandbox setup failed: \(what)"
        if failure.stage == Int32(CSANDBOX_STAGE_CLONE.rawValue) {
            message +=
                "; user namespaces may be disabled (sysctl user.max_user_namespaces, or"
                + " kernel.unprivileged_userns_clone for an unprivileged daemon)"
        }
        return SandboxError(.setupFailed, message, errno: failure.error)
    }
}

/// Names of the child's setup stages, for error messages.
enum SpawnStage {
    static func describe(_ stage: Int32) -> String {
        switch UInt32(bitPattern: stage) {
        case CSANDBOX_STAGE_PIPES.rawValue: "create pipes"
        case CSANDBOX_STAGE_CLONE.rawValue: "clone into new namespaces"
        case CSANDBOX_STAGE_ID_MAPS.rawValue: "write the uid/gid maps"
        case CSANDBOX_STAGE_RELEASE.rawValue: "start the child"
        case CSANDBOX_STAGE_IDENTITY.rawValue: "become the sandbox user"
        case CSANDBOX_STAGE_CGROUP_NAMESPACE.rawValue: "enter a cgroup namespace"
        case CSANDBOX_STAGE_SESSION.rawValue: "start a session"
        case CSANDBOX_STAGE_STDIO.rawValue: "install stdin/stdout/stderr"
        case CSANDBOX_STAGE_PRIVATE_MOUNTS.rawValue: "make mounts private"
        case CSANDBOX_STAGE_ROOT_TMPFS.rawValue: "mount the root tmpfs"
        case CSANDBOX_STAGE_PLAN_STEP.rawValue: "build the root"
        case CSANDBOX_STAGE_PIVOT_ROOT.rawValue: "pivot_root"
        case CSANDBOX_STAGE_DETACH_OLD_ROOT.rawValue: "detach the old root"
        case CSANDBOX_STAGE_READ_ONLY_ROOT.rawValue: "make the root read-only"
        case CSANDBOX_STAGE_WORKING_DIRECTORY.rawValue: "enter the workspace"
        case CSANDBOX_STAGE_HOSTNAME.rawValue: "set the host name"
        case CSANDBOX_STAGE_RLIMIT.rawValue: "set resource limits"
        case CSANDBOX_STAGE_CLOSE_FDS.rawValue: "close inherited file descriptors"
        case CSANDBOX_STAGE_CAPABILITIES.rawValue: "drop capabilities"
        case CSANDBOX_STAGE_NO_NEW_PRIVS.rawValue: "set no_new_privs"
        case CSANDBOX_STAGE_SECCOMP.rawValue: "load the seccomp filter"
        case CSANDBOX_STAGE_EXEC.rawValue: "exec the interpreter"
        case CSANDBOX_STAGE_FORK.rawValue: "fork the program"
        default: "stage \(stage)"
        }
    }

    static func describe(_ step: PlanStep) -> String {
        switch step.kind {
        case .directory: "mkdir /\(step.path)"
        case .bindReadOnly(let source, _): "bind \(source) read-only on /\(step.path)"
        case .bindDevice(let source): "bind \(source) on /\(step.path)"
        case .tmpfs: "mount a tmpfs on /\(step.path)"
        case .proc: "mount proc on /\(step.path)"
        case .symlink(let target): "symlink /\(step.path) -> \(target)"
        case .file: "write /\(step.path)"
        case .readOnly: "remount /\(step.path) read-only"
        }
    }
}

/// C memory for one spawn: malloc'd blocks freed together, or bump-allocated from a spare's shared region (then
/// `overflowed` tells whether everything fit).
final class CArena {
    private var blocks: [UnsafeMutableRawPointer] = []
    private let region: UnsafeMutableRawPointer?
    private let capacity: Int
    /// Whether an allocation did not fit the region (it was malloc'd instead, out of the child's sight).
    private(set) var overflowed = false
    /// Bytes of the region handed out so far.
    private(set) var used = 0

    init() {
        region = nil
        capacity = 0
    }

    init(region: UnsafeMutableRawPointer, capacity: Int) {
        self.region = region
        self.capacity = capacity
    }

    private func allocate(_ byteCount: Int) -> UnsafeMutableRawPointer {
        let count = max(byteCount, 1)
        if let region {
            let start = (used + 15) & ~15
            if start + count <= capacity {
                used = start + count
                return region + start
            }
            overflowed = true
        }
        let block = malloc(count)!
        blocks.append(block)
        return block
    }

    func string(_ text: String) -> UnsafeMutablePointer<CChar> {
        var utf8 = Array(text.utf8)
        utf8.append(0)
        return bytes(utf8)
    }

    func bytes(_ bytes: [UInt8]) -> UnsafeMutablePointer<CChar> {
        let block = allocate(bytes.count)
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { block.copyMemory(from: base, byteCount: source.count) }
        }
        return block.assumingMemoryBound(to: CChar.self)
    }

    /// A copy of `values` (plain C structs).
    func array<T>(_ values: [T]) -> UnsafeMutablePointer<T> {
        let block = allocate(MemoryLayout<T>.stride * values.count).bindMemory(to: T.self, capacity: values.count)
        for (index, value) in values.enumerated() { (block + index).initialize(to: value) }
        return block
    }

    /// A NULL-terminated array of C strings.
    func vector(_ strings: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
        array(strings.map { Optional(string($0)) } + [nil])
    }

    deinit {
        for block in blocks { free(block) }
    }
}
