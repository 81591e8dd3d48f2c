import Router
import Synchronization

/// A language model whose behaviour a test scripts: it answers with fixed text in chunks, or fails with a given
/// class. Routing logic is what these tests check; the real HTTP clients have their own tests against wire-accurate
/// fake servers and a real llama.cpp server.
final class ScriptedModel: LanguageModel {
    let name: String
    let tier: ModelTier
    let isAvailable: Bool
    private let outcome: Result<[String], ModelFailure>
    private let reportsUsage: Bool
    private let failsAfterStreaming: Bool
    private let calls = Mutex<[Int]>([])

    init(
        _ name: String, tier: ModelTier, answers chunks: [String] = ["ok"], available: Bool = true,
        reportsUsage: Bool = true, failsAfterStreaming: Bool = false
    ) {
        self.failsAfterStreaming = failsAfterStreaming
        self.name = name
        self.tier = tier
        self.isAvailable = available
        self.outcome = .success(chunks)
        self.reportsUsage = reportsUsage
    }

    init(_ name: String, tier: ModelTier, fails kind: ModelFailure.Kind) {
        self.name = name
        self.tier = tier
        self.isAvailable = true
        self.outcome = .failure(ModelFailure(kind, "\(name) scripted \(kind.rawValue)"))
        self.reportsUsage = true
        self.failsAfterStreaming = false
    }

    /// Streams `chunks`, then fails as a dropped connection would.
    convenience init(_ name: String, tier: ModelTier, streamsThenFails chunks: [String]) {
        self.init(name, tier: tier, answers: chunks, failsAfterStreaming: true)
    }

    /// The `maxTokens` of each call made.
    var maxTokensOfCalls: [Int] { calls.withLock { $0 } }

    func complete(_ turns: [ChatTurn], maxTokens: Int, onDelta: (@Sendable (String) -> Void)?) async throws
        -> Completion
    {
        calls.withLock { $0.append(maxTokens) }
        switch outcome {
        case .failure(let failure): throw failure
        case .success(let chunks):
            for chunk in chunks { onDelta?(chunk) }
            if failsAfterStreaming { throw ModelFailure(.failed, "connection dropped mid-stream") }
            let text = chunks.joined()
            let usage = reportsUsage ? TokenUsage(input: 20, output: chunks.count) : nil
            return Completion(text: text, finishReason: "stop", usage: usage)
        }
    }
}

/// A spending gate with a fixed amount left, recording what it was asked (the real ledger has its own tests).
final class RecordingGate: SpendingGate {
    struct State {
        var remainingTokens: Int
        var reserved: [Int64: Int] = [:]
        var settled: [Int64] = []
        var released: [Int64] = []
        var nextID: Int64 = 1
    }
    let state: Mutex<State>

    init(remainingTokens: Int) {
        state = Mutex(State(remainingTokens: remainingTokens))
    }

    func authorize(model: String, promptTokens: Int, maxTokens: Int, requestMaxUSD: Double?) throws -> SpendingGrant {
        try state.withLock { state in
            let affordable = state.remainingTokens - promptTokens
            guard affordable >= 16 else {
                throw BudgetRefusal(message: "daily budget exhausted", data: ["remaining_usd": 0])
            }
            let granted = min(maxTokens, affordable)
            let id = state.nextID
            state.nextID += 1
            state.reserved[id] = promptTokens + granted
            return SpendingGrant(id: id, model: model, maxTokens: granted)
        }
    }

    func settle(_ grant: SpendingGrant, usage: TokenUsage?, promptTokens: Int, outputText: String) -> (
        costUSD: Double, estimated: Bool
    ) {
        state.withLock { $0.settled.append(grant.id) }
        return usage.map { (Double($0.input + $0.output) / 1_000_000, false) } ?? (0.001, true)
    }

    func release(_ grant: SpendingGrant) {
        state.withLock { $0.released.append(grant.id) }
    }
}
