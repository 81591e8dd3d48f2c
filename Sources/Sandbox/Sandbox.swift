import CSandbox
import Glibc
import JSON
import Synchronization

/// Council's sandbox: runs untrusted code in new user, mount, pid, net, ipc, uts and cgroup namespaces, on a tmpfs
/// root with read-only system binds, without capabilities, under seccomp, rlimits and (where the host allows)
/// cgroup limits. Up to `maxConcurrent` runs at once; the rest queue. Works as root and as an unprivileged user.
public final class Sandbox: Sendable {
    /// The configuration it was made with.
    public let configuration: SandboxConfiguration
    /// The languages whose interpreters are installed.
    public let languages: [Language]
    private let filter: SeccompFilter
    private let strictFilter: SeccompFilter
    private let plan: MountPlan
    private let cgroups: CgroupHost
    private let identity: SandboxIdentity
    private let gate: ConcurrencyGate
    private let enabled: Atomic<Bool>
    private let hostProblem: String?

    /// Prepares the sandbox: compiles the seccomp program, reads the host's layout, finds the interpreters and the
    /// cgroup hierarchies. Throws only if libseccomp fails.
    public init(configuration: SandboxConfiguration = SandboxConfiguration()) throws(SandboxError) {
        self.configuration = configuration
        filter = try SeccompFilter.build(memoryBounded: true)
        strictFilter = try SeccompFilter.build(memoryBounded: false)
        plan = MountPlan()
        languages = Language.installed()
        cgroups =
            configuration.cgroups
            ? CgroupHost.detect()
            : CgroupHost(
                hierarchies: [],
                unavailable: Dictionary(
                    uniqueKeysWithValues: CgroupHost.wanted.map {
                        ($0, "cgroups are switched off (sandbox.cgroups = false)")
                    }))
        identity = SandboxIdentity.current()
        gate = ConcurrencyGate(limit: configuration.maxConcurrent)
        enabled = Atomic(configuration.enabled)
        hostProblem = Self.hostProblem()
    }

    /// Whether runs are allowed now.
    public var isEnabled: Bool { enabled.load(ordering: .relaxed) }

    /// Switches runs on or off; runs already started finish.
    public func setEnabled(_ on: Bool) { enabled.store(on, ordering: .relaxed) }

    /// The installed language called `name`.
    public func language(named name: String) -> Language? { languages.first { $0.name == name } }

    /// The profile called `name`, or the default profile for nil.
    public func profile(named name: String?) -> SandboxProfile? {
        configuration.profiles[name ?? configuration.defaultProfile]
    }

    /// Runs now and waiting to run.
    public var load: (running: Int, queued: Int) {
        let counts = gate.counts
        return (counts.running, counts.waiting)
    }

    /// What this host's sandbox can do: languages, profiles, and which controllers can limit runs (for `info`).
    public var description: JSONObject {
        var cgroupObject = JSONObject()
        for controller in CgroupHost.wanted {
            if let hierarchy = cgroups.hierarchies.first(where: { $0.controllers.contains(controller) }) {
                cgroupObject[controller] = .string("cgroup v\(hierarchy.version)")
            } else {
                cgroupObject[controller] = .string("unavailable: \(cgroups.unavailable[controller] ?? "not found")")
            }
        }
        return [
            "enabled": .bool(isEnabled),
            "languages": .array(languages.map { .string($0.name) }),
            "profiles": .array(configuration.profiles.keys.sorted().map { .string($0) }),
            "max_concurrent": JSONValue(gate.limit),
            "cgroups": .object(cgroupObject),
            "user": .string(identity.denySetgroups ? "unprivileged (uid \(geteuid()))" : "root"),
        ]
    }

    /// Runs `job` once a slot is free. Cancelling the task kills the run (or leaves the queue).
    public func run(_ job: SandboxJob) async throws(SandboxError) -> SandboxResult {
        guard isEnabled else {
            throw SandboxError(.disabled, "the sandbox is disabled (sandbox.enabled = false, or the sandbox option)")
        }
        if let hostProblem { throw SandboxError(.unavailable, hostProblem) }
        if case .code(let language, _) = job.program, job.files.contains(where: { $0.name == language.fileName }) {
            throw SandboxError(.badRequest, "files: '\(language.fileName)' is where the code goes; use another name")
        }
        if let bad = job.files.first(where: { !SandboxFile.isValidName($0.name) }) {
            throw SandboxError(.badRequest, "files: '\(bad.name)' is not a plain file name")
        }
        guard await gate.enter() else { throw SandboxError(.cancelled, "cancelled while queued") }
        defer { gate.leave() }
        var cancel: [Int32] = [-1, -1]
        guard csandbox_pipe(&cancel) == 0 else {
            throw SandboxError(.setupFailed, "could not create the cancel pipe", errno: errno)
        }
        defer {
            close(cancel[0])
            close(cancel[1])
        }
        let cancelRead = cancel[0]
        let cancelWrite = cancel[1]
        let outcome = await withTaskCancellationHandler {
            await DedicatedThread.run { self.execute(job, cancelFD: cancelRead) }
        } onCancel: {
            var byte: UInt8 = 1
            _ = write(cancelWrite, &byte, 1)
        }
        return try outcome.get()
    }

    /// The whole run, blocking, on a dedicated thread.
    private func execute(_ job: SandboxJob, cancelFD: Int32) -> Result<SandboxResult, SandboxError> {
        // Writing to a child that is gone must fail with EPIPE here, not raise SIGPIPE in the daemon: SIGPIPE is
        // thread-directed, and blocked on this dedicated thread any pending one dies with it.
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
        let started = Supervisor.monotonicNanoseconds()
        let profile = job.profile
        var files = job.files
        let executable: String
        var arguments: [String]
        var fitsAddressSpace = true
        switch job.program {
        case .code(let language, let code):
            files.insert(SandboxFile(name: language.fileName, contents: Array(code.utf8)), at: 0)
            executable = language.executable
            arguments = language.arguments + [MountPlan.workspace + "/" + language.fileName]
            fitsAddressSpace = language.fitsAddressSpaceLimit
        case .command(let path, let commandArguments):
            executable = path
            arguments = commandArguments
        }

        let group = cgroups.hierarchies.isEmpty ? nil : cgroups.makeGroup(profile: profile)
        defer { group?.remove() }
        let limits = LimitPlan(
            profile: profile, group: group, unavailable: cgroups.unavailable, fitsAddressSpace: fitsAddressSpace)
        let steps = plan.steps(profile: profile, files: files.map { ($0.name, $0.contents) })
        let request = SpawnRequest(
            executable: executable, arguments: arguments, environment: Self.environment, steps: steps,
            rlimits: limits.rlimits, filter: (group?.enforced[.memory] == nil ? strictFilter : filter).program,
            identity: identity, newCgroupNamespace: true,
            workingDirectory: MountPlan.workspace)

        var child: SpawnedChild
        switch ChildSpawner.spawn(request) {
        case .failure(let error): return .failure(error)
        case .success(let spawned): child = spawned
        }
        // The child builds its root while we move it into its cgroups (an RCU grace period per move in cgroup v1).
        if let error = ChildSpawner.begin(&child) {
            ChildSpawner.abandon(&child)
            return .failure(error)
        }
        if let group, let failure = group.attach(child.pid) {
            ChildSpawner.abandon(&child)
            return .failure(
                SandboxError(.setupFailed, "could not attach the run to \(failure.path)", errno: failure.error))
        }
        ChildSpawner.release(&child)
        let deadline = Supervisor.monotonicNanoseconds() + UInt64(profile[.wallTime]) * 1_000_000
        let supervision = Supervisor(
            child: child, steps: steps, stdin: job.stdin, outputCap: profile[.outputBytes], deadline: deadline,
            cancelFD: cancelFD
        ).run()
        let usage = group?.usage() ?? CgroupGroup.Usage()
        if supervision.cancelled { return .failure(SandboxError(.cancelled, "cancelled while running (killed)")) }
        if let failure = supervision.setupFailure { return .failure(failure) }

        let status = supervision.status ?? 0
        let exited = supervision.status != nil && (status & 0x7f) == 0
        let cpuMicros = usage.cpuNanoseconds.map { Double($0) / 1000 } ?? Double(supervision.cpuMicroseconds)
        return .success(
            SandboxResult(
                exitCode: exited ? Int((status >> 8) & 0xff) : nil,
                signal: supervision.status != nil && !exited ? Int(status & 0x7f) : nil,
                timedOut: supervision.timedOut,
                oomKilled: usage.oomKills > 0,
                truncated: supervision.truncated,
                stdout: String(decoding: supervision.stdout, as: UTF8.self),
                stderr: String(decoding: supervision.stderr, as: UTF8.self),
                durationMillis: Double(Supervisor.monotonicNanoseconds() - started) / 1_000_000,
                cpuMillis: cpuMicros / 1000,
                maxRSSKilobytes: supervision.maxRSSKilobytes,
                limits: limits.applied))
    }

    /// The program's whole environment: nothing of the daemon's.
    static let environment = [
        "PATH=/usr/local/bin:/usr/bin:/bin", "HOME=\(MountPlan.workspace)", "TMPDIR=/tmp", "LANG=C.UTF-8",
        "LC_ALL=C.UTF-8", "USER=sandbox", "LOGNAME=sandbox", "SHELL=/bin/sh", "PYTHONDONTWRITEBYTECODE=1",
        "PYTHONUNBUFFERED=1", "MALLOC_ARENA_MAX=2",
    ]

    /// Why user namespaces cannot work here, if the host says so up front.
    private static func hostProblem() -> String? {
        if SmallFiles.read("/proc/sys/user/max_user_namespaces")?.trimmingWhitespace() == "0" {
            return "user namespaces are disabled (sysctl user.max_user_namespaces = 0)"
        }
        if geteuid() != 0, SmallFiles.read("/proc/sys/kernel/unprivileged_userns_clone")?.trimmingWhitespace() == "0" {
            return "unprivileged user namespaces are disabled (sysctl kernel.unprivileged_userns_clone = 0);"
                + " enable them or run the daemon as root"
        }
        return nil
    }
}
