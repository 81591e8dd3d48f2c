import JSON

/// Keeps paid calls within the budget: the worst case is reserved before a call and settled after it.
public protocol SpendingGate: Sendable {
    /// Reserves the worst-case cost of a call to `model` (prompt + `maxTokens`), lowering `maxTokens` when only a
    /// shorter answer fits what is left (or `requestMaxUSD`).
    /// - Throws: `BudgetRefusal` when not even a short answer fits.
    func authorize(model: String, promptTokens: Int, maxTokens: Int, requestMaxUSD: Double?) throws
        -> SpendingGrant
    /// Replaces the reservation with the real cost, computed from `usage`, or estimated from the texts' lengths
    /// when the provider reported none. Returns the cost and whether it is an estimate.
    func settle(_ grant: SpendingGrant, usage: TokenUsage?, promptTokens: Int, outputText: String) -> (
        costUSD: Double, estimated: Bool
    )
    /// Drops the reservation of a call that failed before it spent anything.
    func release(_ grant: SpendingGrant)
    /// This gate for calls made on behalf of the agent profile `agent`: its spend is recorded under the agent's
    /// name and, when `dailyUSD` is set, each call must also fit what the agent has left today.
    func forAgent(_ agent: String, dailyUSD: Double?) -> any SpendingGate
}

extension SpendingGate {
    /// Gates that keep no accounts by agent return themselves.
    public func forAgent(_ agent: String, dailyUSD: Double?) -> any SpendingGate { self }
}

/// A reservation the budget granted.
public struct SpendingGrant: Sendable {
    /// The reservation's id in the ledger.
    public var id: Int64
    /// The model it is for.
    public var model: String
    /// The largest answer it covers (may be lower than asked).
    public var maxTokens: Int

    /// Creates a grant.
    public init(id: Int64, model: String, maxTokens: Int) {
        self.id = id
        self.model = model
        self.maxTokens = maxTokens
    }
}

/// The budget refused a paid call: what is left and when it resets, for the `budget_exceeded` reply.
public struct BudgetRefusal: Error, Sendable, CustomStringConvertible {
    /// A human explanation ("daily budget exhausted: $0.002 left, resets at ...").
    public var message: String
    /// `remaining_usd`, `resets_at`, `cap` and the like.
    public var data: JSONObject

    /// Creates a refusal.
    public init(message: String, data: JSONObject = JSONObject()) {
        self.message = message
        self.data = data
    }

    public var description: String { message }
}
