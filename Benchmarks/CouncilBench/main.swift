import Bus
import Council
import ExactMath
import Foundation
import JSON
import Logging
import Router
import Skills

// `make bench`: Council's request path against an echo responder on the same Bus and broker, in one run, as ratios.
// The echo floor is what MQTT + libmosquitto + the Bus cost; the ratio is the cost of Council's own handling
// (JSON parsing, journal, skill, reply).

let prompt = "What is 15% of 240?"
let rounds = 6
let sequentialPerRound = Int(ProcessInfo.processInfo.environment["BENCH_SEQUENTIAL"] ?? "") ?? 400
let concurrentPerRound = Int(ProcessInfo.processInfo.environment["BENCH_CONCURRENT"] ?? "") ?? 3000
let inFlight = 32

let logger: Logger = {
    var logger = Logger(label: "bench")
    logger.logLevel = .error
    return logger
}()

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) * 1e6 + Double(ts.tv_nsec) / 1e3
}

// MARK: In-process math

func benchMathInProcess() -> Samples {
    var samples = Samples()
    let questions = [prompt, "What is 25% of 80% of 160?", "Calculate 3.7 × 8.9 - 2.1", "2 + 2"]
    for question in questions { _ = MathSolver.solve(question) }
    for i in 0..<20_000 {
        let question = questions[i % questions.count]
        let start = now()
        let answer = MathSolver.solve(question)
        samples.append(now() - start)
        precondition(answer != nil, "math skill abstained on \(question)")
    }
    return samples
}

/// Council's handling of one `ask` in process, without MQTT: decode the message, plan the answer (the math skill),
/// encode the reply envelope. Measured hot (back to back) and cold (each call after overwriting the CPU's caches,
/// as between requests that arrive one at a time).
func benchHandlingInProcess() -> (hot: Samples, cold: Samples) {
    let decoder = RequestDecoder(topics: Topics(base: "council", node: "bench"), maxPayloadBytes: 256 * 1024)
    let handler = RequestHandler(operations: [AskOperation(cascade: Cascade(skills: [MathSkill()]))])
    let message = InboundMessage(
        topic: "council/request/ask", payload: Array(#"{"prompt":"\#(prompt)"}"#.utf8),
        responseTopic: "bench/reply", correlationData: [1, 2, 3, 4])
    func handle() -> Int {
        guard let (reply, decoded) = decoder.decode(message, receivedAtMillis: 0), case .success(let request) = decoded,
            case .ready(.success(let data)) = handler.plan(request)
        else { preconditionFailure("the bench request was not answered at once") }
        return Envelope.ok(data, transaction: reply.transaction).count
    }
    var eviction = [UInt8](repeating: 1, count: 16 << 20)
    var hot = Samples(), cold = Samples()
    for round in 0..<6_000 {
        if round % 3 == 0 {
            for position in stride(from: round % 64, to: eviction.count, by: 64) { eviction[position] &+= 1 }
            let start = now()
            _ = handle()
            cold.append(now() - start)
        } else {
            let start = now()
            _ = handle()
            hot.append(now() - start)
        }
    }
    return (hot, cold)
}

// MARK: Responders

/// Replies to every request with its own payload: no parsing, no journal, no skill.
func startEcho(port: Int) async throws -> MQTTClient {
    var options = BusOptions(host: "127.0.0.1", port: port, clientID: "bench-echo")
    options.subscriptions = [Subscription("echo/request/#", qos: 1)]
    let echo = try MQTTClient(options: options, logger: logger)
    try echo.start()
    try await echo.waitUntilConnected(timeout: .seconds(5))
    try await echo.subscribe(Subscription("echo/request/#", qos: 1))
    Task {
        while let batch = await echo.receive() {
            for message in batch {
                guard let topic = message.responseTopic else { continue }
                try? echo.publish(
                    OutboundMessage(
                        topic: topic, payload: message.payload, qos: 1, correlationData: message.correlationData))
            }
        }
    }
    return echo
}

func startCouncil(port: Int, state: String) throws -> ShutdownSignal {
    var bus = BusOptions(host: "127.0.0.1", port: port, clientID: "bench-council", cleanStart: false)
    bus.sessionExpirySeconds = 60
    let settings = DaemonSettings(topics: Topics(base: "council", node: "bench"), bus: bus, stateDirectory: state)
    let daemon = try Daemon(settings: settings, skills: [MathSkill()], logger: logger)
    let shutdown = ShutdownSignal(handleSignals: false)
    Task { try await daemon.run(until: shutdown) }
    return shutdown
}

// MARK: Load

func sequential(_ requester: Requester, count: Int) async throws -> (Samples, Double) {
    var samples = Samples()
    let start = now()
    for _ in 0..<count {
        let t0 = now()
        _ = try await requester.send(op: "ask", body: ["prompt": .string(prompt)], timeout: .seconds(10))
        samples.append(now() - t0)
    }
    return (samples, Double(count) / ((now() - start) / 1e6))
}

func concurrent(_ requester: Requester, count: Int, width: Int) async throws -> (Samples, Double) {
    let start = now()
    let samples = try await withThrowingTaskGroup(of: Samples.self) { group in
        for worker in 0..<width {
            group.addTask {
                var local = Samples()
                for _ in stride(from: worker, to: count, by: width) {
                    let t0 = now()
                    _ = try await requester.send(op: "ask", body: ["prompt": .string(prompt)], timeout: .seconds(20))
                    local.append(now() - t0)
                }
                return local
            }
        }
        var all = Samples()
        for try await part in group { all.append(contentsOf: part) }
        return all
    }
    return (samples, Double(count) / ((now() - start) / 1e6))
}

func requester(port: Int, base: String) async throws -> Requester {
    let options = BusOptions(host: "127.0.0.1", port: port, clientID: Requester.uniqueClientID(prefix: "bench"))
    let requester = try Requester(options: options, base: base, node: nil, logger: logger)
    try await requester.start()
    return requester
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// CPU time this process has used so far (every thread: requesters, responders, the daemon), in microseconds.
func processCPUMicros() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let user = Double(usage.ru_utime.tv_sec) * 1e6 + Double(usage.ru_utime.tv_usec)
    return user + Double(usage.ru_stime.tv_sec) * 1e6 + Double(usage.ru_stime.tv_usec)
}

/// Runs `body` and adds the CPU it cost this process and the broker to `total`.
func measuringCPU<T>(_ broker: BenchBroker, into total: inout Double, _ body: () async throws -> T) async rethrows
    -> T
{
    let before = processCPUMicros() + broker.cpuMicros
    let result = try await body()
    total += processCPUMicros() + broker.cpuMicros - before
    return result
}

/// The request path: in-process math, then `ask` round trips through mosquitto against an echo responder.
func runRequestPathBenchmark() async throws {
    let math = benchMathInProcess()
    print(
        "in-process math (\"\(prompt)\" and 3 more): p50 \(format(math.percentile(50), 2)) µs, p99 \(format(math.percentile(99), 2)) µs  (target p50 ≤ 50 µs)"
    )

    let handling = benchHandlingInProcess()
    print(
        "in-process ask handling (decode, math, reply envelope): p50 \(format(handling.hot.percentile(50), 2)) µs hot, \(format(handling.cold.percentile(50), 2)) µs with the caches evicted before each"
    )

    let broker = try BenchBroker()
    defer { broker.stop() }
    let echo = try await startEcho(port: broker.port)
    let council = try startCouncil(port: broker.port, state: broker.stateDirectory)
    let echoClient = try await requester(port: broker.port, base: "echo")
    let councilClient = try await requester(port: broker.port, base: "council")

    // Warm up both paths.
    _ = try await sequential(echoClient, count: 300)
    _ = try await sequential(councilClient, count: 300)

    var echoSeq = Samples(), councilSeq = Samples(), echoConc = Samples(), councilConc = Samples()
    var echoSeqRate: [Double] = [], councilSeqRate: [Double] = [], echoRate: [Double] = [], councilRate: [Double] = []
    var echoCPU = 0.0, councilCPU = 0.0
    for _ in 0..<rounds {
        let (es, er) = try await sequential(echoClient, count: sequentialPerRound)
        let (cs, cr) = try await sequential(councilClient, count: sequentialPerRound)
        echoSeq.append(contentsOf: es); councilSeq.append(contentsOf: cs)
        echoSeqRate.append(er); councilSeqRate.append(cr)
        let (ec, ecr) = try await measuringCPU(broker, into: &echoCPU) {
            try await concurrent(echoClient, count: concurrentPerRound, width: inFlight)
        }
        let (cc, ccr) = try await measuringCPU(broker, into: &councilCPU) {
            try await concurrent(councilClient, count: concurrentPerRound, width: inFlight)
        }
        echoConc.append(contentsOf: ec); councilConc.append(contentsOf: cc)
        echoRate.append(ecr); councilRate.append(ccr)
    }

    let totalConcurrent = Double(rounds * concurrentPerRound)
    print(
        """

        ask round trip over mosquitto on loopback, \(rounds) interleaved rounds (\(sequentialPerRound) sequential + \(concurrentPerRound) at \(inFlight) in flight each)
                              echo floor        council           ratio
        1 in flight  p50      \(format(echoSeq.percentile(50))) µs      \(format(councilSeq.percentile(50))) µs      \(format(councilSeq.percentile(50) / echoSeq.percentile(50), 2))x   (target ≤ 1.3x)
        1 in flight  p99      \(format(echoSeq.percentile(99))) µs      \(format(councilSeq.percentile(99))) µs      \(format(councilSeq.percentile(99) / echoSeq.percentile(99), 2))x
        1 in flight  req/s    \(format(median(echoSeqRate), 0))          \(format(median(councilSeqRate), 0))          \(format(median(councilSeqRate) / median(echoSeqRate), 2))x
        \(inFlight) in flight p50      \(format(echoConc.percentile(50))) µs      \(format(councilConc.percentile(50))) µs      \(format(councilConc.percentile(50) / echoConc.percentile(50), 2))x
        \(inFlight) in flight p99      \(format(echoConc.percentile(99))) µs      \(format(councilConc.percentile(99))) µs      \(format(councilConc.percentile(99) / echoConc.percentile(99), 2))x
        \(inFlight) in flight req/s    \(format(median(echoRate), 0))          \(format(median(councilRate), 0))          \(format(median(councilRate) / median(echoRate), 2))x   (target ≥ 0.8x)
        \(inFlight) in flight CPU/req  \(format(echoCPU / totalConcurrent))          \(format(councilCPU / totalConcurrent))          \(format(councilCPU / echoCPU, 2))x   (µs of CPU per request: requester, broker and responder together)
        """)

    council.trigger()
    await echoClient.close()
    await councilClient.close()
    await echo.stop()
    try? await Task.sleep(for: .milliseconds(300))
}

// `CouncilBench [section ...]`: every section by default; `make bench BENCH="budget providers"` picks some.
lineBufferStandardOutput()
let sections: [(name: String, run: () async throws -> Void)] = [
    ("request", runRequestPathBenchmark),
    ("budget", runBudgetBenchmark),
    ("providers", runProvidersBenchmark),
    ("gateway", runGatewayBenchmark),
    ("sandbox", runSandboxBenchmark),
    ("artifacts", runArtifactsBenchmark),
    ("routing", runRoutingBenchmark),
    ("metrics", runMetricsBenchmark),
    ("prolog", runPrologBenchmark),
    ("memory", runMemoryBenchmark),
]
let chosen = Set(CommandLine.arguments.dropFirst())
for unknown in chosen.subtracting(sections.map(\.name)) {
    print("unknown section \(unknown); sections: \(sections.map(\.name).joined(separator: ", "))")
    exit(2)
}
for section in sections where chosen.isEmpty || chosen.contains(section.name) {
    print("\n== \(section.name) ==")
    try await section.run()
}
