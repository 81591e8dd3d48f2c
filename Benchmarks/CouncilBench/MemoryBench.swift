import Foundation
import Memory
import Store

// Memory at 100,000 passages of WordNet glosses (Debian's `wordnet-base`): ingest rate through MemoryStore (embed,
// dedupe, SQLite + FTS5 writes), top-10 vector search (fast path and brute force, recall@10), FAISS IndexFlatIP
// on the same vectors in the same run, hybrid search, and the knowledge skill's lookup.

/// Runs the memory benchmark and prints its report. `BENCH_MEMORY_PASSAGES` changes the corpus size.
func runMemoryBenchmark() async throws {
    let environment = ProcessInfo.processInfo.environment
    let passageCount = Int(environment["BENCH_MEMORY_PASSAGES"] ?? "") ?? 100_000
    let queryCount = 500
    print("\n== Memory: \(passageCount) WordNet glosses, hashing embedder, top-10 ==")
    let glosses = try WordNetGlosses.load(limit: passageCount + queryCount)
    guard glosses.count >= passageCount + queryCount else {
        print("skipped: /usr/share/wordnet has \(glosses.count) glosses (install wordnet-base)")
        return
    }
    let corpus = glosses.prefix(passageCount).map {
        NewFact(text: $0.text, source: "wordnet:\($0.offset)", tags: [$0.pos])
    }
    let queries = glosses.suffix(queryCount).map { $0.gloss.split(separator: " ").prefix(8).joined(separator: " ") }

    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
        "council-memory-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let database = try StoreSchema.open(path: folder.appendingPathComponent("council.db").path)
    let store = try MemoryStore(database: database, embedder: HashingEmbedder(dimension: 256))

    // Ingest.
    let ingestStart = benchNow(), ingestCPUStart = cpuSeconds()
    let outcomes = try await store.add(corpus)
    let ingestSeconds = (benchNow() - ingestStart) / 1e6, ingestCPU = cpuSeconds() - ingestCPUStart
    let deduplicated = outcomes.filter(\.deduplicated).count
    print(
        "ingest: \(passageCount) passages in \(format(ingestSeconds, 2)) s = "
            + "\(Int(Double(passageCount) / ingestSeconds)) passages/s (target ≥ 5,000; "
            + "\(Int(Double(passageCount) / ingestCPU)) per CPU-second, so a busy machine slows the first figure); "
            + "\(deduplicated) merged as duplicates, \(store.vectorCount) vectors held")

    // Vector search: the fast path, brute force and FAISS IndexFlatIP on the same vectors, query by query in turn,
    // so that all three see the same machine (on a shared machine, load changes by the minute).
    var vectors: [[Float]] = []
    for query in queries { vectors.append(try await store.queryVector(query)) }
    let faiss = try FAISSWorker.start(store: store, queries: vectors, folder: folder)
    defer { faiss?.stop() }
    for vector in vectors.prefix(20) { _ = store.vectorSearch(vector, k: 10) }
    var fast = Samples(), exact = Samples(), flat = Samples()
    var recallSum = 0.0, faissRecallSum = 0.0
    for round in 0..<3 {
        for (index, vector) in vectors.enumerated() {
            var start = benchNow()
            let approximate = store.vectorSearch(vector, k: 10)
            fast.append(benchNow() - start)
            start = benchNow()
            let truth = store.vectorSearch(vector, k: 10, exact: true)
            exact.append(benchNow() - start)
            if let faiss, let (micros, ids) = try faiss.search(index) {
                flat.append(micros)
                if round == 0 { faissRecallSum += recall(ids, truth.map(\.id)) }
            }
            if round == 0 { recallSum += recall(approximate.map(\.id), truth.map(\.id)) }
        }
    }
    let fastRecall = recallSum / Double(vectors.count)
    print(
        "vector top-10, fast path (uint8 scan + exact rescoring of 64): p50 \(format(fast.percentile(50) / 1000, 3)) ms, "
            + "p99 \(format(fast.percentile(99) / 1000, 3)) ms; recall@10 vs brute force \(format(fastRecall, 4)) "
            + "(target ≥ 0.98)")
    print(
        "vector top-10, brute force over Float32: p50 \(format(exact.percentile(50) / 1000, 3)) ms, "
            + "p99 \(format(exact.percentile(99) / 1000, 3)) ms")
    if !flat.values.isEmpty {
        print(
            "FAISS IndexFlatIP (faiss-cpu, one thread, timed in Python around index.search): "
                + "p50 \(format(flat.percentile(50) / 1000, 3)) ms, p99 \(format(flat.percentile(99) / 1000, 3)) ms, "
                + "its recall@10 vs our brute force \(format(faissRecallSum / Double(vectors.count), 4))")
        print(
            "ratio fast path / FAISS flat p50: \(format(fast.percentile(50) / flat.percentile(50), 3))× (target ≤ 0.5×)"
        )
    }

    // Hybrid search.
    for query in queries.prefix(20) { _ = try await store.search(query, k: 10) }
    var hybrid = Samples()
    for query in queries {
        let start = benchNow()
        _ = try await store.search(query, k: 10)
        hybrid.append(benchNow() - start)
    }
    print(
        "hybrid top-10 (embed + FTS5 BM25 + vector + RRF + fetch): p50 \(format(hybrid.percentile(50) / 1000, 3)) ms, "
            + "p99 \(format(hybrid.percentile(99) / 1000, 3)) ms (target p50 ≤ 5 ms)")

    // Knowledge lookups among the 100k passages.
    let capitals = [
        ("France", "Paris"), ("Germany", "Berlin"), ("Japan", "Tokyo"), ("Kenya", "Nairobi"), ("Peru", "Lima"),
        ("Canada", "Ottawa"), ("Egypt", "Cairo"), ("Norway", "Oslo"),
    ]
    _ = try await store.add(
        capitals.map { NewFact(text: "The capital of \($0.0) is \($0.1).", source: "capitals.jsonl") })
    var knowledge = Samples()
    for round in 0..<20_000 {
        let (country, capital) = capitals[round % capitals.count]
        let start = benchNow()
        let answer = store.knowledgeAnswer(to: "What is the capital of \(country)?")
        knowledge.append(benchNow() - start)
        precondition(answer?.answer == capital, "knowledge lookup failed for \(country)")
    }
    print(
        "knowledge answer (parse + lookup, \(store.knownRelationCount) relations known): "
            + "p50 \(format(knowledge.percentile(50), 2)) µs, p99 \(format(knowledge.percentile(99), 2)) µs")
}

/// Microseconds on the monotonic clock.
private func benchNow() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) * 1e6 + Double(spec.tv_nsec) / 1e3
}

/// CPU time this process has used (user + system), in seconds.
private func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    return user + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

/// Glosses from WordNet's data files: "dog, domestic dog (noun): a member of the genus Canis ...".
private struct WordNetGlosses {
    let offset: String
    let pos: String
    let gloss: String
    let text: String

    static func load(limit: Int) throws -> [WordNetGlosses] {
        var glosses: [WordNetGlosses] = []
        for (file, pos) in [
            ("data.noun", "noun"), ("data.verb", "verb"), ("data.adj", "adjective"), ("data.adv", "adverb"),
        ] {
            let path = "/usr/share/wordnet/" + file
            guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            for line in contents.split(separator: "\n") where !line.hasPrefix("  ") {
                guard let bar = line.range(of: " | ") else { continue }
                let fields = line[..<bar.lowerBound].split(separator: " ")
                guard fields.count > 4, let wordCount = Int(fields[3], radix: 16) else { continue }
                let words = (0..<wordCount).compactMap { index -> String? in
                    let position = 4 + index * 2
                    return position < fields.count ? String(fields[position].replacing("_", with: " ")) : nil
                }
                let gloss = line[bar.upperBound...].trimmingCharacters(in: .whitespaces)
                glosses.append(
                    WordNetGlosses(
                        offset: String(fields[0]), pos: pos, gloss: gloss,
                        text: "\(words.joined(separator: ", ")) (\(pos)): \(gloss)"))
                if glosses.count >= limit { return glosses }
            }
        }
        return glosses
    }
}

/// The share of `truth` found in `found`.
private func recall(_ found: [Int64], _ truth: [Int64]) -> Double {
    Double(Set(found).intersection(truth).count) / Double(max(1, truth.count))
}

/// FAISS `IndexFlatIP` in a Python process (a virtualenv at `.venv-bench`, created with `pip install faiss-cpu
/// numpy` when missing) over the vectors MemoryStore holds: it answers one query at a time on request, timing
/// `index.search` itself, so its searches interleave with ours.
private final class FAISSWorker {
    private let process: Process
    private let input: FileHandle
    private let output: FileHandle
    private var buffer = Data()
    private let rowIDs: [Int64]

    static func start(store: MemoryStore, queries: [[Float]], folder: URL) throws -> FAISSWorker? {
        guard let python = try ensureVirtualenv() else { return nil }
        var ids: [Int64] = []
        var matrix = Data()
        store.forEachVector { id, vector in
            ids.append(id)
            vector.withMemoryRebound(to: UInt8.self) { matrix.append($0) }
        }
        var queryData = Data()
        for query in queries { query.withUnsafeBytes { queryData.append(contentsOf: $0) } }
        try matrix.write(to: folder.appendingPathComponent("vectors.f32"))
        try queryData.write(to: folder.appendingPathComponent("queries.f32"))
        let script = folder.appendingPathComponent("faiss_flat.py")
        try scriptText.write(to: script, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script.path, folder.path, String(queries[0].count)]
        let toWorker = Pipe(), fromWorker = Pipe()
        process.standardInput = toWorker
        process.standardOutput = fromWorker
        try process.run()
        let worker = FAISSWorker(
            process: process, input: toWorker.fileHandleForWriting, output: fromWorker.fileHandleForReading, ids: ids)
        guard try worker.readLine() == "ready" else {
            print("FAISS baseline skipped: the worker did not start")
            return nil
        }
        return worker
    }

    private init(process: Process, input: FileHandle, output: FileHandle, ids: [Int64]) {
        self.process = process
        self.input = input
        self.output = output
        rowIDs = ids
    }

    /// Searches query `index`; returns FAISS's own timing in microseconds and the ids it found.
    func search(_ index: Int) throws -> (Double, [Int64])? {
        input.write(Data("\(index)\n".utf8))
        guard let line = try readLine() else { return nil }
        let fields = line.split(separator: " ")
        guard let micros = fields.first.flatMap({ Double($0) }) else { return nil }
        let ids = fields.dropFirst().compactMap { Int($0) }.filter { $0 >= 0 }.map { rowIDs[$0] }
        return (micros, ids)
    }

    func stop() {
        try? input.close()
        process.waitUntilExit()
    }

    private func readLine() throws -> String? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0a) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer = Data(buffer[(newline + 1)...])
                return line
            }
            let chunk = output.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }

    /// The venv's python, creating the venv first if needed; nil (with a note) when that fails.
    private static func ensureVirtualenv() throws -> String? {
        let venv = FileManager.default.currentDirectoryPath + "/.venv-bench"
        let python = venv + "/bin/python"
        if FileManager.default.isExecutableFile(atPath: python),
            try run(python, ["-c", "import faiss, numpy"]).status == 0
        {
            return python
        }
        print("creating \(venv) with faiss-cpu and numpy (first run only) ...")
        var result = try run("/usr/bin/python3", ["-m", "venv", venv])
        if result.status == 0 { result = try run(venv + "/bin/pip", ["install", "--quiet", "faiss-cpu", "numpy"]) }
        guard result.status == 0 else {
            print("FAISS baseline skipped: could not set up \(venv): \(result.stderr.suffix(400))")
            return nil
        }
        return python
    }

    private static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stderr, as: UTF8.self))
    }

    /// Reads query numbers on stdin and answers each with "microseconds id id ...", one thread (FAISS does not
    /// split a single query across threads; its OpenMP workers only add wake-up time here).
    private static let scriptText = """
        import sys, time
        import numpy as np
        import faiss
        folder, d = sys.argv[1], int(sys.argv[2])
        x = np.fromfile(folder + "/vectors.f32", dtype="float32").reshape(-1, d)
        q = np.fromfile(folder + "/queries.f32", dtype="float32").reshape(-1, d)
        faiss.omp_set_num_threads(1)
        index = faiss.IndexFlatIP(d)
        index.add(x)
        for row in q[:20]:
            index.search(row.reshape(1, -1), 10)
        print("ready", flush=True)
        for line in sys.stdin:
            row = q[int(line)].reshape(1, -1)
            start = time.perf_counter()
            _, ids = index.search(row, 10)
            micros = (time.perf_counter() - start) * 1e6
            print("%.1f %s" % (micros, " ".join(str(i) for i in ids[0])), flush=True)
        """
}
