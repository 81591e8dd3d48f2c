import Glibc
import Sandbox

// What collecting artifacts costs: `python3 -S` writing three small files into its workspace, run in Council's sandbox
// with collection off and on, interleaved round by round, start to result (medians, and the ratio on/off); and
// `python3 -S -c pass` (nothing to collect) the same way, which is the cost of the kill-and-walk alone.

/// Runs the artifacts benchmark and prints its report.
func runArtifactsBenchmark() async throws {
    let python = "/usr/bin/python3"
    let writer = "for n in ('a', 'b', 'c'):\n    open('/work/' + n + '.txt', 'w').write(n * 100)"
    let sandbox = try Sandbox(configuration: SandboxConfiguration(maxConcurrent: 2))
    func job(_ arguments: [String], collecting: Bool) -> SandboxJob {
        SandboxJob(
            program: .command(executable: python, arguments: arguments), profile: .light,
            artifacts: collecting ? ArtifactPolicy() : nil)
    }
    let contenders: [(name: String, job: SandboxJob, files: Int)] = [
        ("3 files, off", job(["-S", "-c", writer], collecting: false), 0),
        ("3 files, on", job(["-S", "-c", writer], collecting: true), 3),
        ("pass, off", job(["-S", "-c", "pass"], collecting: false), 0),
        ("pass, on", job(["-S", "-c", "pass"], collecting: true), 0),
    ]
    let rounds = Int(getenv("BENCH_SANDBOX_ROUNDS").flatMap { Int(String(cString: $0)) } ?? 40)
    var samples = [[Double]](repeating: [], count: contenders.count)
    for contender in contenders { _ = try await timedArtifactRun(sandbox, contender.job, files: contender.files) }
    for _ in 0..<rounds {
        for (index, contender) in contenders.enumerated() {
            samples[index].append(try await timedArtifactRun(sandbox, contender.job, files: contender.files))
        }
    }
    let medians = samples.map { $0.sorted()[$0.count / 2] }
    print("artifacts: start to result, median of \(rounds) interleaved rounds")
    for (index, contender) in contenders.enumerated() {
        let baseline = medians[index - index % 2]
        print(
            "  \(contender.name + String(repeating: " ", count: max(0, 14 - contender.name.count))) "
                + "\(roundedMillis(medians[index])) ms  \(roundedMillis(medians[index] / baseline))x off")
    }
}

private func timedArtifactRun(_ sandbox: Sandbox, _ job: SandboxJob, files: Int) async throws -> Double {
    var start = timespec()
    clock_gettime(CLOCK_MONOTONIC, &start)
    let result = try await sandbox.run(job)
    var end = timespec()
    clock_gettime(CLOCK_MONOTONIC, &end)
    guard result.exitCode == 0, result.artifacts.count == files else {
        throw ArtifactsBenchError(description: "run failed or lost files: \(result.stderr) \(result.artifacts.count)")
    }
    return Double(end.tv_sec - start.tv_sec) * 1000 + Double(end.tv_nsec - start.tv_nsec) / 1_000_000
}

private func roundedMillis(_ value: Double) -> String { String((value * 100).rounded() / 100) }

private struct ArtifactsBenchError: Error, CustomStringConvertible {
    let description: String
}
