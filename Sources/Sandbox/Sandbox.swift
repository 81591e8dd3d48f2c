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
    /// The part of every run's spawn that does not depend on the job (a spare child does it ahead).
    private let root: RootRequest
    private let cgroups: CgroupHost
    private let identity: SandboxIdentity
    private let gate: ConcurrencyGate
    private let enabled: Atomic<Bool>
    private let hostProblem: String?
    private let spares: SparePool?

    /// Prepares the sandbox: compiles the seccomp program, reads the host's layout, finds the interpreters and the
    /// cgroup hierarchies. Throws only if libseccomp fails.
    public init(configuration: SandboxConfiguration = SandboxConfiguration()) throws(SandboxError) {
        self.configuration = configuration
        filter = try SeccompFilter.build(memoryBounded: true)
        strictFilter = try SeccompFilter.build(memoryBounded: false)
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
        root = RootRequest(steps: MountPlan().rootSteps, identity: identity)
        gate = ConcurrencyGate(limit: configuration.maxConcurrent)
        enabled = Atomic(configuration.enabled)
        hostProblem = Self.hostProblem()
        let spareCount = min(configuration.spares, configuration.maxConcurrent)
        if hostProblem == nil && spareCount > 0 {
            let cgroups = cgroups
            let root = root
            let regionLength = Self.regionLength(configuration)
            // Limited ahead as the default profile says: a run of that profile then writes no limit at all.
            let likely = configuration.profiles[configuration.defaultProfile] ?? .light
            // A sandbox switched off makes none until its first run.
            spares = SparePool(target: spareCount, fillNow: configuration.enabled) { count in
                Self.makeSpares(count, root: root, cgroups: cgroups, profile: likely, regionLength: regionLength)
            }
        } else {
            spares = nil
        }
    }

    deinit { spares?.finish() }

    /// Discards the children kept ready for the next runs (and their cgroups), leaving nothing behind; the next run
    /// starts making them again. For when the daemon stops (deinit and process exit do it too).
    public func stop() { spares?.stop() }

    /// Spare children ready now (for tests: whether the next run will take one).
    var readySpares: Int { spares?.readyCount ?? 0 }

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
            await DedicatedThread.run {
                self.execute(job, cancelFD: cancelRead)
            } afterwards: { _ in
                // Once the result is on its way: the pool thread's clones would otherwise compete with it.
                self.spares?.refill()
            }
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

        // A spare child is already in its namespaces, cgroups and root: it only needs the job's part of its spec
        // (and, for another profile, other limits) and the go-ahead.
        if var spare = spares?.take() {
            spare.group?.limit(to: profile)
            let (limits, request) = prepare(
                job, profile: profile, files: files, executable: executable, arguments: arguments,
                fitsAddressSpace: fitsAddressSpace, group: spare.group)
            if ChildSpawner.fill(request, into: spare.region, from: spare.jobOffset),
                ChildSpawner.release(&spare.child)
            {
                defer { spare.region.unmap() }
                return finish(
                    spare.child, group: spare.group, limits: limits, steps: request.allSteps, job: job,
                    started: started, cancelFD: cancelFD)
            }
            spare.discard()  // the job did not fit its region, or the spare died waiting: spawn a child of our own
        }

        let group = cgroups.hierarchies.isEmpty ? nil : cgroups.makeGroup(profile: profile)
        let (limits, request) = prepare(
            job, profile: profile, files: files, executable: executable, arguments: arguments,
            fitsAddressSpace: fitsAddressSpace, group: group)

        var child: SpawnedChild
        switch ChildSpawner.spawn(request) {
        case .failure(let error):
            retire(group, after: nil)
            return .failure(error)
        case .success(let spawned): child = spawned
        }
        // The child builds its root while we move it into its cgroups (an RCU grace period per move in cgroup v1).
        if let error = ChildSpawner.begin(&child) {
            ChildSpawner.abandon(&child)
            retire(group, after: nil)
            return .failure(error)
        }
        if let group, let failure = group.attach(child.pid) {
            ChildSpawner.abandon(&child)
            retire(group, after: nil)
            return .failure(
                SandboxError(.setupFailed, "could not attach the run to \(failure.path)", errno: failure.error))
        }
        ChildSpawner.release(&child)
        return finish(
            child, group: group, limits: limits, steps: request.allSteps, job: job, started: started,
            cancelFD: cancelFD)
    }

    /// Reaps a run's exiting init, then removes its groups: in the background when there is a pool thread (from the
    /// next ``SparePool/refill()``, or at ``stop()``), else now.
    private func retire(_ group: CgroupGroup?, after exiting: ExitingInit?) {
        if let spares {
            spares.retire(group, after: exiting)
        } else {
            exiting?.reap()
            group?.remove()
        }
    }

    /// The limits and the spawn request of one run.
    private func prepare(
        _ job: SandboxJob, profile: SandboxProfile, files: [SandboxFile], executable: String, arguments: [String],
        fitsAddressSpace: Bool, group: CgroupGroup?
    ) -> (LimitPlan, SpawnRequest) {
        let limits = LimitPlan(
            profile: profile, group: group, unavailable: cgroups.unavailable, fitsAddressSpace: fitsAddressSpace)
        let steps = MountPlan.jobSteps(profile: profile, files: files.map { ($0.name, $0.contents) })
        var request = SpawnRequest(
            root: root, executable: executable, arguments: arguments, environment: Self.environment,
            jobSteps: steps, rlimits: limits.rlimits,
            filter: (group?.enforced[.memory] == nil ? strictFilter : filter).program,
            workingDirectory: MountPlan.workspace)
        if let policy = job.artifacts {
            let workspace = String(MountPlan.workspace.dropFirst()) + "/"
            let seeds = steps.indices.compactMap { index -> (step: Int, name: String)? in
                guard case .file = steps[index].kind, steps[index].path.hasPrefix(workspace) else { return nil }
                return (index, String(steps[index].path.dropFirst(workspace.count)))
            }
            request.artifacts = ArtifactRequest(
                policy: policy.effective(for: profile), directory: MountPlan.workspace, seeds: seeds)
        }
        return (limits, request)
    }

    /// Supervises a released child to its end and makes the result.
    private func finish(
        _ child: SpawnedChild, group: CgroupGroup?, limits: LimitPlan, steps: [PlanStep], job: SandboxJob,
        started: UInt64, cancelFD: Int32
    ) -> Result<SandboxResult, SandboxError> {
        let profile = job.profile
        let deadline = Supervisor.monotonicNanoseconds() + UInt64(profile[.wallTime]) * 1_000_000
        let supervision = Supervisor(
            child: child, steps: steps, stdin: job.stdin, outputCap: profile[.outputBytes], deadline: deadline,
            cancelFD: cancelFD, artifacts: job.artifacts?.effective(for: profile)
        ).run()
        let usage = group?.usage() ?? CgroupGroup.Usage()
        retire(group, after: supervision.unreaped)
        if supervision.cancelled { return .failure(SandboxError(.cancelled, "cancelled while running (killed)")) }
        if let failure = supervision.setupFailure { return .failure(failure) }

        let status = supervision.status ?? 0
        let exited = supervision.status != nil && (status & 0x7f) == 0
        let cpuMicros = usage.cpuNanoseconds.map { Double($0) / 1000 } ?? Double(supervision.cpuMicroseconds)
        var result =
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
                // The memory cgroup's peak counts only the sandbox's own pages; the reaped init's ru_maxrss also
                // counts the pages it shares copy-on-write with the daemon it was forked from.
                maxRSSKilobytes: usage.peakMemoryBytes.map { $0 / 1024 } ?? supervision.maxRSSKilobytes,
                limits: limits.applied)
        if let stream = supervision.artifacts {
            switch stream.outcome {
            case .complete:
                result.artifactCollection = .collected
                result.artifacts = stream.artifacts.sorted { $0.path < $1.path }
                result.skippedArtifacts = stream.skipped.sorted { $0.path < $1.path }
                result.unlistedSkippedArtifacts = stream.unlisted
            case .cut:
                result.artifactCollection = .missing(
                    supervision.timedOut
                        ? "the run timed out: its init was killed before collecting artifacts"
                        : "the sandbox's init was killed before it finished collecting artifacts")
            case .malformed(let problem):
                result.artifactCollection = .missing("the artifact stream was malformed (\(problem)); nothing kept")
            }
        }
        return .success(result)
    }

    /// The program's whole environment: nothing of the daemon's.
    static let environment = [
        "PATH=/usr/local/bin:/usr/bin:/bin", "HOME=\(MountPlan.workspace)", "TMPDIR=/tmp", "LANG=C.UTF-8",
        "LC_ALL=C.UTF-8", "USER=sandbox", "LOGNAME=sandbox", "SHELL=/bin/sh", "PYTHONDONTWRITEBYTECODE=1",
        "PYTHONUNBUFFERED=1", "MALLOC_ARENA_MAX=2",
    ]

    /// Up to `count` spare children for the pool, made together: fresh regions, the clones, fresh groups limited
    /// for `profile`, the attaches one after the other (in cgroup v1 they then wait for one RCU grace period, not one
    /// each), then the children's preparation (their roots), side by side. Those that fail are discarded.
    private static func makeSpares(
        _ count: Int, root: RootRequest, cgroups: CgroupHost, profile: SandboxProfile, regionLength: Int
    ) -> [SpareChild] {
        var spares: [SpareChild] = []
        for _ in 0..<count {
            guard let region = SharedRegion.make(length: regionLength) else { break }
            guard case .success(let spawned) = ChildSpawner.spawnSpare(root, region: region) else {
                region.unmap()
                break
            }
            let group = cgroups.hierarchies.isEmpty ? nil : cgroups.makeGroup(profile: profile)
            spares.append(SpareChild(child: spawned.child, group: group, region: region, jobOffset: spawned.jobOffset))
        }
        var attached: [SpareChild] = []
        for spare in spares {
            if let group = spare.group, group.attach(spare.child.pid) != nil {
                spare.discard()
            } else {
                attached.append(spare)
            }
        }
        var begun: [SpareChild] = []
        for var spare in attached {
            if ChildSpawner.begin(&spare.child) == nil { begun.append(spare) } else { spare.discard() }
        }
        var prepared: [SpareChild] = []
        for var spare in begun {
            if ChildSpawner.waitPrepared(&spare.child, steps: root.steps) == nil {
                prepared.append(spare)
            } else {
                spare.discard()
            }
        }
        return prepared
    }

    /// Room for the largest job's spec: its files fit the largest workspace; argv, plan and filter fit 4 MiB.
    private static func regionLength(_ configuration: SandboxConfiguration) -> Int {
        let workspace = configuration.profiles.values.map { $0[.workspaceBytes] }.max() ?? 0
        return (workspace + (4 << 20) + 0xFFFF) & ~0xFFFF
    }

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
