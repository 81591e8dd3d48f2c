import Bus
import Council
import Foundation
import JSON
import Router

/// Gateway overhead: `ask` through Council to the local llama.cpp server versus the same chat request written
/// directly on a keep-alive socket to the same server, interleaved in one run; Council's added cost is its p50
/// minus the direct call's p50 minus the MQTT echo floor (what the broker round trip alone costs).
func runGatewayBenchmark() async throws {
    let llama = try ProvidersBench.LlamaProcess()
    defer { llama.stop() }
    let broker = try BenchBroker()
    defer { broker.stop() }
    let echo = try await startEcho(port: broker.port)
    let config = try CouncilConfig.parse(
        toml: """
            [[models]]
            name = "tiny"
            provider = "openai-compatible"
            endpoint = "http://127.0.0.1:\(llama.port)/v1"
            model = "tiny"
            tier = "local"
            max_tokens = 2
            """, environment: [:])
    var bus = BusOptions(host: "127.0.0.1", port: broker.port, clientID: "bench-gateway", cleanStart: false)
    bus.sessionExpirySeconds = 60
    let settings = DaemonSettings(
        topics: Topics(base: "gateway", node: "bench"), bus: bus, stateDirectory: broker.stateDirectory + "-gateway")
    let events = EventPublisher()
    let daemon = try Daemon(settings: settings, logger: logger, events: events) { database in
        try Capabilities.standard(config: config, database: database, events: events, logger: logger)
    }
    let shutdown = ShutdownSignal(handleSignals: false)
    Task { try await daemon.run(until: shutdown) }
    defer { shutdown.trigger() }
    let echoClient = try await requester(port: broker.port, base: "echo")
    let councilClient = try await requester(port: broker.port, base: "gateway")
    let raw = try ProvidersBench.RawConnection(port: llama.port)
    defer { raw.close() }

    let question = "Say hello."
    // The same conversation Council sends: its system prompt, the question, the same max_tokens.
    let direct = JSONValue.object([
        "model": "tiny",
        "messages": [
            ["role": "system", "content": .string(ModelCascade.defaultSystemPrompt)],
            ["role": "user", "content": .string(question)],
        ],
        "max_tokens": 2,
    ])
    let directBody = String(decoding: direct.encoded(), as: UTF8.self)
    func askCouncil() async throws -> Double {
        let t0 = now()
        let reply = try await councilClient.send(op: "ask", body: ["prompt": .string(question)], timeout: .seconds(30))
        let elapsed = now() - t0
        guard String(decoding: reply, as: UTF8.self).contains(#""model":"tiny""#) else {
            throw ProvidersBench.BenchFailure("gateway: unexpected reply \(String(decoding: reply, as: UTF8.self))")
        }
        return elapsed
    }
    for _ in 0..<30 {
        _ = try raw.roundTrip(body: directBody)
        _ = try await askCouncil()
        _ = try await echoClient.send(op: "ask", body: ["prompt": .string(question)], timeout: .seconds(10))
    }
    var directSamples = Samples(), councilSamples = Samples(), echoSamples = Samples(), addedSamples = Samples()
    let rounds = 1000
    for _ in 0..<rounds {
        let t0 = now()
        _ = try raw.roundTrip(body: directBody)
        let direct = now() - t0
        directSamples.append(direct)
        let council = try await askCouncil()
        councilSamples.append(council)
        let t1 = now()
        _ = try await echoClient.send(op: "ask", body: ["prompt": .string(question)], timeout: .seconds(10))
        let echo = now() - t1
        echoSamples.append(echo)
        // Each round's own difference: the model's time varies by a millisecond between calls, and pairing the
        // calls made back to back cancels most of that.
        addedSamples.append(council - direct - echo)
    }
    let added = councilSamples.percentile(50) - directSamples.percentile(50) - echoSamples.percentile(50)
    print(
        """

        gateway: ask through Council to llama.cpp (tiny, max_tokens 2) vs a direct HTTP call, \(rounds) interleaved
                                 p50          p99
        direct HTTP call      \(format(directSamples.percentile(50))) µs   \(format(directSamples.percentile(99))) µs
        MQTT echo floor       \(format(echoSamples.percentile(50))) µs   \(format(echoSamples.percentile(99))) µs
        ask through Council   \(format(councilSamples.percentile(50))) µs   \(format(councilSamples.percentile(99))) µs
        Council adds (p50 ask − direct − echo floor): \(format(added)) µs
        Council adds (median of each round's ask − direct − echo): \(format(addedSamples.percentile(50))) µs   (target ≤ 1000 µs)
        """)
    await echoClient.close()
    await councilClient.close()
    await echo.stop()
}
