import JSON
import Providers
import Router

/// A configured LLM backend as the cascade sees it: a `LanguageModel` over a Providers `Backend` (retries,
/// cooldown, health), with provider errors classified for routing.
public struct BackendModel: LanguageModel {
    /// The backend: its client, retries and health.
    public let backend: Backend

    /// Wraps a backend.
    public init(backend: Backend) {
        self.backend = backend
    }

    public var name: String { backend.name }
    public var tier: ModelTier { backend.endpoint.tier == .local ? .local : .cloud }
    public var isAvailable: Bool { backend.isAvailable }

    public func complete(_ turns: [ChatTurn], maxTokens: Int, onDelta: (@Sendable (String) -> Void)?) async throws
        -> Completion
    {
        let request = ChatRequest(
            messages: turns.map { ChatMessage(Self.role($0.role), $0.text) },
            maxTokens: min(maxTokens, backend.endpoint.defaultMaxTokens))
        do {
            let result: ChatResult
            if let onDelta {
                var final: ChatResult?
                for try await event in backend.stream(request) {
                    switch event {
                    case .delta(let text): onDelta(text)
                    case .finished(let done): final = done
                    }
                }
                guard let final else { throw ModelFailure(.failed, "\(name): the stream ended without a result") }
                result = final
            } else {
                result = try await backend.complete(request)
            }
            return Completion(
                text: result.text, finishReason: result.finishReason.description,
                usage: result.usage.map {
                    TokenUsage(input: $0.inputTokens, output: $0.outputTokens, cachedInput: $0.cachedInputTokens ?? 0)
                })
        } catch let error as ProviderError {
            throw ModelFailure(Self.kind(of: error.code), error.message)
        }
    }

    private static func role(_ role: ChatTurn.Role) -> ChatMessage.Role {
        switch role {
        case .system: .system
        case .user: .user
        case .assistant: .assistant
        }
    }

    /// How routing treats each provider failure.
    static func kind(of code: ProviderError.Code) -> ModelFailure.Kind {
        switch code {
        case .rateLimited, .overloaded: .rateLimited
        case .timeout: .timeout
        case .connectionFailed, .coolingDown, .serverError: .unavailable
        case .quotaExhausted: .quotaExhausted
        case .contextTooLong: .contextTooLong
        case .authenticationFailed: .unauthorized
        default: .failed
        }
    }
}

extension ModelEndpoint {
    /// The endpoint a `[[models]]` entry describes.
    public init(config model: CouncilConfig.Model) {
        self.init(
            name: model.name,
            kind: Kind(rawValue: model.provider.rawValue) ?? .openAICompatible,
            baseURL: model.endpoint, model: model.model,
            apiKey: model.apiKey.map { APIKey($0.reveal()) },
            tier: model.tier == .local ? .local : .cloud,
            prices: ModelPrices(
                inputUSDPerMillionTokens: model.inputUSDPerMillionTokens,
                outputUSDPerMillionTokens: model.outputUSDPerMillionTokens,
                cachedInputUSDPerMillionTokens: model.cachedInputUSDPerMillionTokens))
        connectTimeout = .seconds(model.connectTimeoutSeconds)
        requestTimeout = .seconds(model.requestTimeoutSeconds)
        defaultMaxTokens = model.maxTokens
        retry.maxAttempts = model.maxAttempts
        failureThreshold = model.failureThreshold
        cooldown = .seconds(model.cooldownSeconds)
        healthCheckInterval = model.effectiveHealthCheckInterval.map { .seconds($0) }
    }
}

extension BackendHealth {
    /// The record for the `health` op.
    var json: JSONValue {
        var object: JSONObject = [
            "name": .string(name), "status": .string(status.rawValue),
            "consecutive_failures": JSONValue(consecutiveFailures), "successes": JSONValue(successes),
            "failures": JSONValue(failures),
        ]
        if let lastErrorCode { object["last_error_code"] = .string(lastErrorCode) }
        if let lastErrorMessage { object["last_error"] = .string(lastErrorMessage) }
        if let cooldownRemaining { object["cooldown_remaining_s"] = JSONValue(cooldownRemaining.seconds) }
        if let lastCheckLatency { object["last_check_ms"] = JSONValue(lastCheckLatency.seconds * 1000) }
        return .object(object)
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
