import Foundation
import Logging
import Providers
import XCTest

/// The error `body` throws, failing the test when it throws none or something other than a ``ProviderError``.
func providerError<T>(
    file: StaticString = #filePath, line: UInt = #line, _ body: () async throws -> T
) async -> ProviderError? {
    do {
        let value = try await body()
        XCTFail("expected a ProviderError, got \(value)", file: file, line: line)
    } catch let error as ProviderError {
        return error
    } catch {
        XCTFail("expected a ProviderError, got \(error)", file: file, line: line)
    }
    return nil
}

/// An endpoint on the fake server with quick retry and cooldown settings.
func fakeEndpoint(
    _ kind: ModelEndpoint.Kind, server: FakeServer, basePath: String = "/v1", model: String = "test-model",
    key: String? = nil, tier: ModelEndpoint.Tier = .cloud
) -> ModelEndpoint {
    var endpoint = ModelEndpoint(
        name: "fake-\(kind.rawValue)", kind: kind, baseURL: server.url(basePath), model: model,
        apiKey: key.map(APIKey.init), tier: tier)
    endpoint.retry = RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(20), maxBackoff: .milliseconds(100))
    endpoint.connectTimeout = .seconds(5)
    endpoint.requestTimeout = .seconds(20)
    return endpoint
}

/// A logger that drops everything (the tests assert behaviour, not log lines).
let quietLogger = Logger(label: "providers-tests", factory: { _ in SwiftLogNoOpLogHandler() })

/// Waits until `condition` holds, polling, for at most `timeout`; returns whether it held.
func eventually(timeout: Duration = .seconds(10), _ condition: () async -> Bool) async -> Bool {
    let end = ContinuousClock.now + timeout
    while ContinuousClock.now < end {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return await condition()
}

/// Every delta and the final result of a stream.
func drain(_ stream: ChatStream) async throws -> (deltas: [String], result: ChatResult?) {
    var deltas: [String] = []
    var result: ChatResult?
    for try await event in stream {
        switch event {
        case .delta(let text): deltas.append(text)
        case .finished(let final): result = final
        }
    }
    return (deltas, result)
}

/// A user question.
func question(_ text: String = "What is the capital of France?", maxTokens: Int? = nil) -> ChatRequest {
    ChatRequest(messages: [ChatMessage(.user, text)], maxTokens: maxTokens)
}
