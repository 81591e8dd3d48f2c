import Foundation
import Prolog

// The logic engine against SWI-Prolog, on the same program in the same run: naive reverse of a 30-element list
// (the classic LIPS benchmark, 496 inferences per reverse) and all solutions of 8-queens. Each side is timed in
// process CPU time around the same loop (SWI-Prolog with statistics(cputime, _), excluding its startup), best of
// three; the ratio is Council's speed over SWI-Prolog's (1.0 = as fast).

private let prologBenchProgram = """
    app([], L, L).
    app([H|T], L, [H|R]) :- app(T, L, R).
    nrev([], []).
    nrev([H|T], R) :- nrev(T, RT), app(RT, [H], R).
    range(N, N, [N]) :- !.
    range(I, N, [I|T]) :- I < N, I1 is I + 1, range(I1, N, T).
    run_nrev(K) :- range(1, 30, L), ( between(1, K, _), nrev(L, _), fail ; true ).
    queens(N, Qs) :- range(1, N, Ns), queens(Ns, [], Qs).
    queens([], Qs, Qs).
    queens(Unplaced, Safe, Qs) :- sel(Q, Unplaced, R), not_attack(Safe, Q, 1), queens(R, [Q|Safe], Qs).
    not_attack([], _, _).
    not_attack([Y|Ys], X, N) :- X =\\= Y + N, X =\\= Y - N, N1 is N + 1, not_attack(Ys, X, N1).
    sel(X, [X|T], T).
    sel(X, [H|T], [H|R]) :- sel(X, T, R).
    run_queens(K) :- ( between(1, K, _), queens(8, _), fail ; true ).
    """

private let nrevIterations = Int(ProcessInfo.processInfo.environment["BENCH_NREV"] ?? "") ?? 20_000
private let queensRepeats = Int(ProcessInfo.processInfo.environment["BENCH_QUEENS"] ?? "") ?? 20
private let prologRounds = 3

/// Process CPU time in seconds (the engine runs its queries on a thread of its own).
private func processCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Best-of-rounds CPU seconds of `goal` in Council's engine.
private func councilSeconds(_ knowledgeBase: KnowledgeBase, _ goal: String) throws -> Double {
    var best = Double.infinity
    let limits = PrologLimits(maxInferences: .max, timeout: .seconds(600))
    for _ in 0..<prologRounds {
        let start = processCPUSeconds()
        _ = try knowledgeBase.solve(goal, maxSolutions: 1, limits: limits)
        best = min(best, processCPUSeconds() - start)
    }
    return best
}

/// Best-of-rounds CPU seconds of each goal in SWI-Prolog, or nil when swipl cannot run.
private func swiSeconds(_ goals: [String]) throws -> [Double]? {
    let swipl = "/usr/bin/swipl"
    guard FileManager.default.isExecutableFile(atPath: swipl) else { return nil }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("prolog-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let programFile = folder.appendingPathComponent("bench.pl")
    let timing = goals.enumerated().map { index, goal in
        "bench_time((\(goal)), T\(index)), format(\"~15f~n\", [T\(index)])"
    }
    let driver = """
        \(prologBenchProgram)
        bench_time(Goal, Best) :-
            findall(T, (between(1, \(prologRounds), _), statistics(cputime, T0), once(Goal),
                        statistics(cputime, T1), T is T1 - T0), Ts),
            min_list(Ts, Best).
        bench_main :- \(timing.joined(separator: ", ")).
        """
    try driver.write(to: programFile, atomically: true, encoding: .utf8)
    let output = folder.appendingPathComponent("out.txt")
    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: swipl)
    process.arguments = ["-q", "-g", "bench_main", "-t", "halt", programFile.path]
    process.standardOutput = try FileHandle(forWritingTo: output)
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n").compactMap { Double($0) }
    return lines.count == goals.count ? lines : nil
}

/// Runs the logic benchmark and prints its report.
func runPrologBenchmark() async throws {
    let knowledgeBase = try KnowledgeBase(consulting: prologBenchProgram)
    let goals = ["run_nrev(\(nrevIterations))", "run_queens(\(queensRepeats))"]
    // Warm up (the library and both goals) before timing.
    _ = try knowledgeBase.solve("run_nrev(100), run_queens(1)")
    let ours = try goals.map { try councilSeconds(knowledgeBase, $0) }
    let reference = try swiSeconds(goals)
    let inferences = Double(496 * nrevIterations)
    print("Logic engine (best of \(prologRounds), process CPU time):")
    print(
        String(
            format: "  nrev30 x %d:        Council %7.3f s (%5.1f M LIPS)", nrevIterations, ours[0],
            inferences / ours[0] / 1e6), terminator: "")
    if let reference {
        print(
            String(
                format: "   SWI-Prolog %7.3f s (%5.1f M LIPS)   ratio %.2f", reference[0],
                inferences / reference[0] / 1e6, reference[0] / ours[0]))
    } else {
        print("   (swipl not found: no comparison)")
    }
    print(String(format: "  8-queens all x %d:  Council %7.3f s", queensRepeats, ours[1]), terminator: "")
    if let reference {
        print(
            String(
                format: "                    SWI-Prolog %7.3f s                  ratio %.2f", reference[1],
                reference[1] / ours[1]))
    } else {
        print("")
    }
    print("  (ratio: Council's speed over SWI-Prolog's in the same run; target >= 0.30)")
}
