import CSandbox
import Glibc

/// Everything one spawn needs, in Swift form; ``ChildSpawner`` lays it out as a `csandbox_spec`.
struct SpawnRequest: Sendable {
    var executable: String
    var arguments: [String]
    var environment: [String]
    var steps: [PlanStep]
    var rlimits: [(resource: Int32, soft: UInt64, hard: UInt64)]
    var filter: [UInt8]
    var identity: SandboxIdentity
    var newCgroupNamespace: Bool
    var workingDirectory: String
    /// An existing host directory the new root's tmpfs is mounted on, inside the child's mount namespace only.
    var staging = "/tmp"
    var rootOptions = "size=1m,nr_inodes=256,mode=0755"
    var hostname = "sandbox"
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
    /// Clones the child (it waits for ``release(_:)``); the id maps are written.
    static func spawn(_ request: SpawnRequest) -> Result<SpawnedChild, SandboxError> {
        let arena = CArena()
        var steps = request.steps.map { step -> csandbox_step in
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
        var rlimits = request.rlimits.map { csandbox_rlimit(resource: $0.resource, soft: $0.soft, hard: $0.hard) }
        var spec = csandbox_spec()
        spec.executable = UnsafePointer(arena.string(request.executable))
        spec.argv = UnsafePointer(arena.vector([request.executable] + request.arguments))
        spec.envp = UnsafePointer(arena.vector(request.environment))
        spec.staging = UnsafePointer(arena.string(request.staging))
        spec.root_options = UnsafePointer(arena.string(request.rootOptions))
        spec.step_count = steps.count
        spec.read_only_root = 1
        spec.working_directory = UnsafePointer(arena.string(request.workingDirectory))
        spec.hostname = UnsafePointer(arena.string(request.hostname))
        spec.rlimit_count = rlimits.count
        spec.filter_length = request.filter.count
        spec.inside_uid = request.identity.insideUID
        spec.outside_uid = request.identity.outsideUID
        spec.inside_gid = request.identity.insideGID
        spec.outside_gid = request.identity.outsideGID
        spec.deny_setgroups = request.identity.denySetgroups ? 1 : 0
        spec.new_cgroup_namespace = request.newCgroupNamespace ? 1 : 0
        var child = csandbox_child()
        var failure = csandbox_failure()
        let result = steps.withUnsafeMutableBufferPointer { steps in
            rlimits.withUnsafeMutableBufferPointer { rlimits in
                request.filter.withUnsafeBytes { filter in
                    spec.steps = UnsafePointer(steps.baseAddress)
                    spec.rlimits = UnsafePointer(rlimits.baseAddress)
                    spec.filter = filter.isEmpty ? nil : filter.baseAddress
                    return csandbox_spawn(&spec, &child, &failure)
                }
            }
        }
        withExtendedLifetime(arena) {}
        guard result == 0 else { return .failure(error(failure, steps: request.steps)) }
        return .success(SpawnedChild(raw: child))
    }

    /// Lets the child build its root while the parent attaches it to cgroups.
    static func begin(_ child: inout SpawnedChild) -> SandboxError? {
        var failure = csandbox_failure()
        guard csandbox_begin(&child.raw, &failure) != 0 else { return nil }
        return SandboxError(.setupFailed, "sandbox setup failed: the child is gone", errno: failure.error)
    }

    /// Lets the child drop its privileges and exec; whether it did is known once it has exited (``outcome(_:)``).
    static func release(_ child: inout SpawnedChild) { _ = csandbox_release(&child.raw) }

    /// What the reaped child reported: the program's wait status (nil if init was killed first), or why setup failed.
    static func outcome(_ child: inout SpawnedChild, steps: [PlanStep]) -> Result<Int32?, SandboxError> {
        var failure = csandbox_failure()
        var status: Int32 = 0
        switch csandbox_outcome(&child.raw, &failure, &status) {
        case 1: return .success(status)
        case 0: return .success(nil)
        default: return .failure(error(failure, steps: steps))
        }
    }

    /// Kills and reaps a child that will not be released.
    static func abandon(_ child: inout SpawnedChild) { csandbox_abandon(&child.raw) }

    private static func error(_ failure: csandbox_failure, steps: [PlanStep]) -> SandboxError {
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

/// C memory for one spawn, freed together.
final class CArena {
    private var blocks: [UnsafeMutableRawPointer] = []

    func string(_ text: String) -> UnsafeMutablePointer<CChar> {
        let copy = strdup(text)!
        blocks.append(UnsafeMutableRawPointer(copy))
        return copy
    }

    func bytes(_ bytes: [UInt8]) -> UnsafeMutablePointer<CChar> {
        let block = malloc(max(bytes.count, 1))!
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { block.copyMemory(from: base, byteCount: source.count) }
        }
        blocks.append(block)
        return block.assumingMemoryBound(to: CChar.self)
    }

    /// A NULL-terminated array of C strings.
    func vector(_ strings: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
        let block = malloc(MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * (strings.count + 1))!
        let array = block.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: strings.count + 1)
        for (index, text) in strings.enumerated() { array[index] = string(text) }
        array[strings.count] = nil
        blocks.append(block)
        return array
    }

    deinit {
        for block in blocks { free(block) }
    }
}
