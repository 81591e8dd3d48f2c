import Glibc
import Sandbox

// The sandbox's start-to-exit cost: `python3 -S -c pass` spawned bare, in Council's sandbox with full isolation
// (namespaces, tmpfs root, cgroups where allowed, rlimits, seccomp), under bubblewrap and under firejail, in one
// run, interleaved round by round, as ratios of medians to bare; also without cgroups, and without spare children
// (every run clones its child and attaches it to its cgroups on its critical path). Then the throughput of 100 short
// runs, two at a time. Targets: the sandbox at most 1.3x bare and below bubblewrap.

/// Runs the sandbox benchmark and prints its report.
func runSandboxBenchmark() async throws {
    let python = getenv("BENCH_SANDBOX_PROGRAM").map { String(cString: $0) } ?? "/usr/bin/python3"
    let arguments = python.hasSuffix("python3") ? ["-S", "-c", "pass"] : []
    let sandbox = try Sandbox(configuration: SandboxConfiguration(maxConcurrent: 2))
    let rlimitsOnly = try Sandbox(configuration: SandboxConfiguration(maxConcurrent: 2, cgroups: false))
    let coldStart = try Sandbox(configuration: SandboxConfiguration(maxConcurrent: 2, spares: 0))
    let job = SandboxJob(program: .command(executable: python, arguments: arguments), profile: .light)
    let bwrap = [
        "/usr/bin/bwrap", "--unshare-all", "--die-with-parent", "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib",
        "/lib", "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin", "--proc", "/proc", "--dev", "/dev",
        "--tmpfs", "/tmp", "--",
    ]
    let firejail = ["/usr/bin/firejail", "--quiet", "--noprofile", "--"]

    var contenders: [(name: String, measure: () async throws -> Double)] = [
        ("bare", { try spawnAndWait([python] + arguments) }),
        ("council sandbox", { try await timedSandboxRun(sandbox, job) }),
        ("  no cgroups", { try await timedSandboxRun(rlimitsOnly, job) }),
        ("  no spares", { try await timedSandboxRun(coldStart, job) }),
    ]
    if access(bwrap[0], X_OK) == 0 {
        contenders.append(("bubblewrap", { try spawnAndWait(bwrap + [python] + arguments) }))
    }
    if access(firejail[0], X_OK) == 0 {
        contenders.append(("firejail", { try spawnAndWait(firejail + [python] + arguments) }))
    }

    let rounds = Int(getenv("BENCH_SANDBOX_ROUNDS").flatMap { Int(String(cString: $0)) } ?? 40)
    var samples = [[Double]](repeating: [], count: contenders.count)
    for contender in contenders { _ = try await contender.measure() }  // warm the page cache
    for _ in 0..<rounds {
        for (index, contender) in contenders.enumerated() { samples[index].append(try await contender.measure()) }
    }
    let medians = samples.map { median($0) }
    print("sandbox: python3 -S -c pass, start to exit, median of \(rounds) interleaved rounds")
    for (index, contender) in contenders.enumerated() {
        let ratio = medians[index] / medians[0]
        print(
            "  \(contender.name.padding(16)) \(format(medians[index])) ms  p90 \(format(percentile(samples[index], 0.9))) ms"
                + "  \(format(ratio))x bare")
    }

    let runs = 100
    let bareRate = try await throughput(runs: runs) { try spawnAndWait([python] + arguments) }
    let sandboxRate = try await throughput(runs: runs) { try await timedSandboxRun(sandbox, job) }
    print("sandbox: \(runs) short runs, 2 at a time")
    print("  bare             \(format(bareRate)) runs/s")
    print("  council sandbox  \(format(sandboxRate)) runs/s  (\(format(sandboxRate / bareRate))x bare)")
}

private func timedSandboxRun(_ sandbox: Sandbox, _ job: SandboxJob) async throws -> Double {
    let start = monotonicMilliseconds()
    let result = try await sandbox.run(job)
    guard result.exitCode == 0 else { throw BenchError("sandboxed python3 failed: \(result.stderr)") }
    return monotonicMilliseconds() - start
}

/// posix_spawn and waitpid, on the calling thread; milliseconds from spawn to reap.
private func spawnAndWait(_ argv: [String]) throws -> Double {
    let start = monotonicMilliseconds()
    var pid: pid_t = 0
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    var allSignals = sigset_t()
    sigfillset(&allSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    let cArguments = argv.map { strdup($0) } + [nil]
    defer { cArguments.forEach { free($0) } }
    let spawned = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, environ)
    guard spawned == 0 else { throw BenchError("posix_spawn \(argv[0]) failed: \(spawned)") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    guard status == 0 else { throw BenchError("\(argv.joined(separator: " ")) exited with status \(status)") }
    return monotonicMilliseconds() - start
}

private func throughput(runs: Int, _ body: @escaping @Sendable () async throws -> Double) async throws -> Double {
    let start = monotonicMilliseconds()
    try await withThrowingTaskGroup(of: Void.self) { group in
        for lane in 0..<2 {
            group.addTask {
                for _ in stride(from: lane, to: runs, by: 2) { _ = try await body() }
            }
        }
        try await group.waitForAll()
    }
    return Double(runs) / ((monotonicMilliseconds() - start) / 1000)
}

private func monotonicMilliseconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) * 1000 + Double(now.tv_nsec) / 1_000_000
}

private func percentile(_ values: [Double], _ fraction: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * fraction + 0.5))]
}

private func format(_ value: Double) -> String {
    let scaled = (value * 100).rounded() / 100
    return String(scaled)
}

private struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension String {
    fileprivate func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
