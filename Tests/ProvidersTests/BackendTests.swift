import Foundation
import Providers
import XCTest

/// Retries, Retry-After, the cooldown and health, as a caller of ``Backend`` sees them.
final class BackendTests: XCTestCase {
    var client: HTTPClient!

    override func setUp() { client = HTTPClient() }
    override func tearDown() { client.shutdown() }

    private func backend(
        _ server: FakeServer, kind: ModelEndpoint.Kind = .openAI, configure: (inout ModelEndpoint) -> Void = { _ in }
    ) -> Backend {
        var endpoint = fakeEndpoint(kind, server: server, key: "sk-test-key-0123456789")
        configure(&endpoint)
        return Backend(endpoint: endpoint, client: client, logger: quietLogger)
    }

    /// Answers the first `failures` requests with `failure`, the rest with `success`.
    private func failingFirst(
        _ failures: Int, with failure: @escaping @Sendable () -> [FakeServer.Step],
        then success: @escaping @Sendable () -> [FakeServer.Step] = { Respond.json(OpenAIWire.completion) }
    ) throws -> FakeServer {
        let count = Counter()
        return try FakeServer { _ in count.next() <= failures ? failure() : success() }
    }

    func testA429IsRetriedAfterRetryAfterAndSucceeds() async throws {
        let server = try failingFirst(1) {
            Respond.json(OpenAIWire.rateLimited, status: 429, headers: [("retry-after-ms", "300")])
        }
        defer { server.stop() }
        let start = ContinuousClock.now
        let result = try await backend(server).complete(question(), deadline: .now + .seconds(20))
        XCTAssertEqual(result.text, "Paris is the capital of France.")
        XCTAssertEqual(result.attempts, 2)
        XCTAssertEqual(server.requests.count, 2)
        XCTAssertGreaterThanOrEqual(ContinuousClock.now - start, .milliseconds(300), "Retry-After was not honoured")
    }

    func testServerErrorsAreRetriedUpToTheAttemptLimit() async throws {
        let server = try failingFirst(10) { Respond.json(OpenAIWire.serverError, status: 500) }
        defer { server.stop() }
        let backend = backend(server) { $0.failureThreshold = 10 }
        let error = await providerError { try await backend.complete(question()) }
        XCTAssertEqual(error?.code, .serverError)
        XCTAssertEqual(error?.attempts, 3)
        XCTAssertEqual(server.requests.count, 3)
        XCTAssertEqual(backend.health.status, .degraded)
        XCTAssertEqual(backend.health.consecutiveFailures, 3)
    }

    func testAnExhaustedQuotaIsNeverRetriedAndCoolsTheBackendDown() async throws {
        let server = try failingFirst(10) { Respond.json(OpenAIWire.insufficientQuota, status: 429) }
        defer { server.stop() }
        let backend = backend(server)
        let error = await providerError { try await backend.complete(question()) }
        XCTAssertEqual(error?.code, .quotaExhausted)
        XCTAssertEqual(error?.providerCode, "insufficient_quota")
        XCTAssertEqual(error?.attempts, 1)
        XCTAssertEqual(server.requests.count, 1)
        XCTAssertEqual(backend.health.status, .coolingDown)
        let second = await providerError { try await backend.complete(question()) }
        XCTAssertEqual(second?.code, .coolingDown)
        XCTAssertEqual(server.requests.count, 1, "a cooling-down backend must not be called")
    }

    func testRequestFaultsAreNotRetried() async throws {
        let server = try failingFirst(10) { Respond.json(OpenAIWire.contextLength, status: 400) }
        defer { server.stop() }
        let backend = backend(server)
        let error = await providerError { try await backend.complete(question()) }
        XCTAssertEqual(error?.code, .contextTooLong)
        XCTAssertEqual(server.requests.count, 1)
        XCTAssertNotEqual(backend.health.status, .coolingDown)
    }

    func testARetryAfterBeyondTheDeadlineIsNotWaitedFor() async throws {
        let server = try failingFirst(10) {
            Respond.json(OpenAIWire.rateLimited, status: 429, headers: [("retry-after", "30")])
        }
        defer { server.stop() }
        let start = ContinuousClock.now
        let error = await providerError {
            try await self.backend(server).complete(question(), deadline: .now + .seconds(3))
        }
        XCTAssertEqual(error?.code, .rateLimited)
        XCTAssertEqual(error?.retryAfter, .seconds(30))
        XCTAssertEqual(server.requests.count, 1)
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(3))
    }

    func testAnHTTPDateRetryAfterIsHonoured() async throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let date = formatter.string(from: Date().addingTimeInterval(120))
        let server = try FakeServer { _ in
            Respond.json(OpenAIWire.rateLimited, status: 429, headers: [("Retry-After", date)])
        }
        defer { server.stop() }
        let error = await providerError { try await self.backend(server).complete(question()) }
        let wait = try XCTUnwrap(error?.retryAfter)
        XCTAssertGreaterThan(wait, .seconds(100))
        XCTAssertLessThanOrEqual(wait, .seconds(121))
        XCTAssertEqual(server.requests.count, 1, "120 s is beyond the policy's longest wait")
    }

    func testAFailingBackendCoolsDownThenIsProbedAgain() async throws {
        let server = try failingFirst(3) { Respond.json(OpenAIWire.serverError, status: 503) }
        defer { server.stop() }
        let backend = backend(server) {
            $0.retry = RetryPolicy(maxAttempts: 1)
            $0.failureThreshold = 3
            $0.cooldown = .milliseconds(400)
        }
        for _ in 0..<3 {
            let error = await providerError { try await backend.complete(question()) }
            XCTAssertEqual(error?.code, .overloaded)
        }
        XCTAssertEqual(backend.health.status, .coolingDown)
        XCTAssertFalse(backend.isAvailable)
        let skipped = await providerError { try await backend.complete(question()) }
        XCTAssertEqual(skipped?.code, .coolingDown)
        XCTAssertEqual(skipped?.attempts, 0)
        XCTAssertNotNil(skipped?.retryAfter)
        XCTAssertEqual(server.requests.count, 3)

        let cooled = await eventually { backend.isAvailable }
        XCTAssertTrue(cooled)
        let result = try await backend.complete(question())
        XCTAssertEqual(result.text, "Paris is the capital of France.")
        XCTAssertEqual(backend.health.status, .healthy)
        XCTAssertEqual(server.requests.count, 4)
    }

    func testAFailedProbeReopensTheCooldownAtOnce() async throws {
        let server = try failingFirst(10) { [.close] }
        defer { server.stop() }
        let backend = backend(server) {
            $0.retry = RetryPolicy(maxAttempts: 1)
            $0.failureThreshold = 2
            $0.cooldown = .milliseconds(200)
        }
        for _ in 0..<2 { _ = await providerError { try await backend.complete(question()) } }
        XCTAssertEqual(backend.health.status, .coolingDown)
        _ = await eventually { backend.isAvailable }
        let probe = await providerError { try await backend.complete(question()) }
        XCTAssertEqual(probe?.code, .connectionFailed)
        XCTAssertEqual(backend.health.status, .coolingDown, "one failed probe is enough to cool down again")
    }

    func testAStreamIsRetriedWhenItFailsBeforeAnyText() async throws {
        let server = try failingFirst(1) {
            Respond.sse([AnthropicWire.messageStart, AnthropicWire.ping, AnthropicWire.overloadedEvent])
        } then: {
            Respond.sse(AnthropicWire.stream)
        }
        defer { server.stop() }
        let (deltas, result) = try await drain(backend(server, kind: .anthropic).stream(question()))
        XCTAssertEqual(deltas, ["Hello", "!", " Hi."])
        XCTAssertEqual(result?.attempts, 2)
        XCTAssertEqual(server.requests.count, 2)
    }

    func testAStreamIsNotRetriedOnceTextWasDelivered() async throws {
        let server = try failingFirst(1) {
            Respond.sse([AnthropicWire.messageStart, AnthropicWire.delta("Hel"), AnthropicWire.overloadedEvent])
        } then: {
            Respond.sse(AnthropicWire.stream)
        }
        defer { server.stop() }
        var deltas: [String] = []
        let error = await providerError {
            for try await event in self.backend(server, kind: .anthropic).stream(question()) {
                if case .delta(let text) = event { deltas.append(text) }
            }
        }
        XCTAssertEqual(deltas, ["Hel"])
        XCTAssertEqual(error?.code, .overloaded)
        XCTAssertEqual(error?.attempts, 1)
        XCTAssertEqual(server.requests.count, 1)
    }

    func testCancellingAStreamAbortsTheRequest() async throws {
        let server = try FakeServer { _ in
            [Respond.streamHead()] + Respond.split([AnthropicWire.messageStart, AnthropicWire.delta("Hel")]) + [.hang]
        }
        defer { server.stop() }
        let stream = backend(server, kind: .anthropic).stream(question())
        let task = Task {
            var deltas: [String] = []
            for try await event in stream { if case .delta(let text) = event { deltas.append(text) } }
            return deltas
        }
        _ = await eventually { server.requests.count == 1 }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        let error = await providerError { try await task.value }
        XCTAssertEqual(error?.code, .cancelled)
        let closed = await eventually { server.clientDisconnects == 1 }
        XCTAssertTrue(closed)
    }

    func testATimeoutIsReportedAndCounted() async throws {
        let server = try FakeServer { _ in [.pause(.seconds(3))] + Respond.json(OpenAIWire.completion) }
        defer { server.stop() }
        let backend = backend(server) {
            $0.requestTimeout = .milliseconds(300)
            $0.retry = RetryPolicy(maxAttempts: 1)
        }
        let error = await providerError { try await backend.complete(question()) }
        XCTAssertEqual(error?.code, .timeout)
        XCTAssertEqual(backend.health.lastErrorCode, "timeout")
        XCTAssertEqual(backend.health.consecutiveFailures, 1)
    }

    func testHealthChecksTrackABackendThatGoesAwayAndComesBack() async throws {
        let down = Flag()
        let server = try FakeServer { request in
            guard !down.isSet else { return [.close] }
            return request.path == "/v1/models" ? Respond.json(#"{"object":"list","data":[{"id":"tiny"}]}"#) : []
        }
        defer { server.stop() }
        let backend = backend(server, kind: .openAICompatible) {
            $0.healthCheckInterval = .milliseconds(50)
            $0.failureThreshold = 2
            $0.cooldown = .seconds(60)
        }
        XCTAssertEqual(backend.health.status, .unknown)
        let monitor = HealthMonitor(backends: [backend])
        let running = Task { await monitor.run() }
        defer { running.cancel() }

        let healthy = await eventually { backend.health.status == .healthy }
        XCTAssertTrue(healthy)
        XCTAssertNotNil(monitor.snapshot.first?.lastCheckLatency)
        XCTAssertTrue(server.requests.allSatisfy { $0.method == "GET" && $0.path == "/v1/models" })

        down.set(true)
        let cooling = await eventually { backend.health.status == .coolingDown }
        XCTAssertTrue(cooling)
        XCTAssertEqual(backend.health.lastErrorCode, "connection_failed")

        down.set(false)
        let recovered = await eventually { backend.health.status == .healthy }
        XCTAssertTrue(recovered, "a successful check ends the cooldown of a backend that was unreachable")
    }
}

/// A thread-safe request counter for scripted servers.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.withLock {
            value += 1
            return value
        }
    }
}

/// A thread-safe switch for scripted servers.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { lock.withLock { value } }
    func set(_ newValue: Bool) { lock.withLock { value = newValue } }
}
