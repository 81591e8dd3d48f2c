import Router
import Sandbox
import Synchronization

/// Execution routing: how long the static analysis of a 200-line Python program takes (it runs before every
/// program), against reading the same bytes once and against an empty program's sandbox run.
func runRoutingBenchmark() async throws {
    let program = routingBenchProgram()
    let lines = program.split(separator: "\n", omittingEmptySubsequences: false).count
    let rounds = 2_000

    // Baseline 1: touching every byte of the source once.
    var bytesSeen = 0
    let scanMicros = routingMedianMicros(rounds: rounds) {
        var newlines = 0
        for byte in program.utf8 where byte == 10 { newlines += 1 }
        bytesSeen &+= newlines
    }
    // The analysis itself.
    var signatures = 0
    let analysisMicros = routingMedianMicros(rounds: rounds) {
        let estimate = ExecutionEstimate(analyzing: program, language: "python")
        signatures &+= estimate.signature.utf8.count
    }
    // And with the planner's decision (no history: the SQLite lookup is measured by the store benchmarks).
    let planner = ExecutionPlanner(profiles: ["light": .light, "heavy": .heavy])
    let planMicros = routingMedianMicros(rounds: rounds) {
        signatures &+= planner.plan(language: "python", code: program).estimate.imports.count
    }

    // Baseline 2: an empty Python program in the sandbox (what the analysis precedes).
    var sandboxMicros: Double?
    if let sandbox = try? Sandbox(), let python = sandbox.language(named: "python") {
        var samples: [Double] = []
        for _ in 0..<20 {
            let clock = ContinuousClock()
            let start = clock.now
            if (try? await sandbox.run(SandboxJob(program: .code(python, "pass"), profile: .light))) != nil {
                samples.append(routingMicros(clock.now - start))
            }
        }
        sandbox.stop()
        sandboxMicros = samples.sorted().dropFirst(samples.count / 2).first
    }

    print(
        "Routing: static analysis of a \(lines)-line Python program (\(program.utf8.count) bytes), median of \(rounds)")
    print("  scan of the bytes (baseline)  \(routingFormat(scanMicros)) µs")
    let ratio = routingFormat(analysisMicros / max(scanMicros, 0.001))
    print("  ExecutionEstimate             \(routingFormat(analysisMicros)) µs  (\(ratio)x the scan)")
    print("  ExecutionPlanner.plan         \(routingFormat(planMicros)) µs")
    if let sandboxMicros {
        print(
            "  empty sandbox run (baseline)  \(routingFormat(sandboxMicros)) µs  (analysis = "
                + "\(routingFormat(100 * analysisMicros / sandboxMicros))% of it)")
    }
    if bytesSeen == 42 && signatures == 42 { print("") }  // keeps the measured work from being optimised away
}

/// The median of `rounds` timings of `body`, microseconds.
private func routingMedianMicros(rounds: Int, _ body: () -> Void) -> Double {
    let clock = ContinuousClock()
    for _ in 0..<(rounds / 10) { body() }  // warm up
    var samples: [Double] = []
    samples.reserveCapacity(rounds)
    for _ in 0..<rounds {
        let start = clock.now
        body()
        samples.append(routingMicros(clock.now - start))
    }
    samples.sort()
    return samples[samples.count / 2]
}

private func routingMicros(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) * 1e6 + Double(attoseconds) / 1e12
}

private func routingFormat(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}

/// A 200-line program of the kind the code skill writes: imports, helpers, loops, comprehensions, strings.
func routingBenchProgram() -> String {
    var text = "import math\nimport itertools\nfrom collections import Counter, defaultdict\n\nLIMIT = 10**5\n\n"
    for part in 0..<10 {
        text += """
            # Part \(part): helpers and a computation.
            def helper_\(part)(values, scale=\(part + 1)):
                \"\"\"Scales and filters values; text like 'import socket' here is only text.\"\"\"
                out = []
                for value in values:
                    if value % \(part + 2) == 0:
                        out.append(value * scale)
                return out

            def score_\(part)(n):
                total = 0
                i = 0
                while i < n:
                    total += math.isqrt(i) ^ \(part)
                    i += 1
                return total

            table_\(part) = {k: k * k for k in range(\(100 * (part + 1)))}
            words_\(part) = Counter("abracadabra" * \(part + 1))
            print(f"part \(part):", sum(helper_\(part)(range(LIMIT // 10))), score_\(part)(1000), len(table_\(part)))

            """
    }
    text += "print(max(words_0.values()))\n"
    return text
}
