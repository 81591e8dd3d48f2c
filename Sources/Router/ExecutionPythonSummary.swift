import Glibc

extension PythonAnalyzer {
    /// Turns the module's summary into the estimate's figures, reasons and signature.
    func finish(_ module: Summary, called: Set<Int>) {
        let mebibyte = ExecutionKnowledge.mebibyte
        var importMillis = 0.0
        var importBytes = 0.0
        var heavyImports: [String] = []
        let roots = Set(estimate.imports.map { String($0.split(separator: ".").first ?? "") }).sorted()
        for root in roots {
            guard let cost = ExecutionKnowledge.importCost(root) else { continue }
            importMillis += cost.millis
            importBytes += cost.bytes
            if cost.bytes >= 10 * mebibyte {
                heavyImports.append("\(root) (~\(Self.amount(cost.bytes)), ~\(Int(cost.millis)) ms to load)")
            }
        }
        let base = ExecutionKnowledge.baseMemoryBytes("python") + importBytes
        estimate.imports.sort()
        estimate.neverEnds = module.neverEnds
        estimate.cpuMillis =
            module.neverEnds
            ? .infinity : ExecutionKnowledge.startMillis("python") + importMillis + module.workNanos / 1e6
        estimate.sleepMillis = module.sleepMillis
        estimate.peakMemoryBytes = base + module.peakBytes
        estimate.certainMemoryBytes = base + module.certainBytes
        estimate.fileBytes = module.fileBytes
        estimate.processes = 1 + module.processes

        var reasons = estimate.network.map(\.sentence)
        if let largest = estimate.largestAllocation, module.certainBytes >= mebibyte {
            reasons.append(largest.sentence)
        }
        reasons.append(
            "needs about \(Self.amount(estimate.peakMemoryBytes)) at peak (the interpreter's "
                + "\(Self.amount(base)) included)")
        if !module.neverEnds {
            reasons.append("about \(Self.millis(estimate.cpuMillis)) of CPU")
        }
        if !heavyImports.isEmpty { reasons.append("imports " + heavyImports.joined(separator: ", ")) }
        if module.sleepMillis > 0 { reasons.append("sleeps \(Self.millis(module.sleepMillis)) in all") }
        if let (name, calls) = largestCall {
            reasons.append("\(name) calls itself: about \(Self.count(calls)) calls")
        }
        if let (name, depth) = deepRecursion {
            reasons.append(
                "\(name) recurses about \(Self.count(depth)) deep, past Python's recursion limit of "
                    + "\(Self.count(recursionLimit)): expect a RecursionError")
        }
        estimate.reasons = reasons + estimate.reasons
        estimate.signature = signature(module, roots: roots)
    }

    /// Language, imports, loop depth, orders of magnitude of CPU and memory, and flags.
    private func signature(_ module: Summary, roots: [String]) -> String {
        var features = ["imports=" + (roots.isEmpty ? "-" : roots.joined(separator: ","))]
        features.append("loops=\(module.loopDepth)")
        let cpu = estimate.cpuMillis
        features.append("cpu=" + (cpu.isFinite ? String(Int((log10(max(cpu, 1)) * 2).rounded(.down))) : "inf"))
        let mebibytes = estimate.peakMemoryBytes / ExecutionKnowledge.mebibyte
        features.append("mem=" + String(Int(log2(max(mebibytes, 1)).rounded(.down))))
        var flags: [String] = []
        if estimate.usesNetwork { flags.append("net") }
        if estimate.writesFiles { flags.append("files") }
        if estimate.processes > 1 { flags.append("proc") }
        if estimate.sleepMillis > 0 { flags.append("sleep") }
        if largestCall != nil { flags.append("rec") }
        if estimate.neverEnds { flags.append("forever") }
        if estimate.hasUnknowns { flags.append("guess") }
        if !flags.isEmpty { features.append(flags.joined(separator: ",")) }
        return ExecutionEstimate.signature(language: "python", features: features)
    }

    /// "850 ms", "12 s", "3.5 min".
    static func millis(_ value: Double) -> String {
        guard value.isFinite else { return "no end" }
        if value < 1_000 { return "\(Int(value.rounded())) ms" }
        if value < 60_000 { return "\(Double(Int(value / 100)) / 10) s" }
        if value < 3_600_000 { return "\(Double(Int(value / 6_000)) / 10) min" }
        return "\(Double(Int(value / 360_000)) / 10) h"
    }
}
