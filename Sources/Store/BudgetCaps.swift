/// The spending limits for paid models: `[budget]` in the config, swappable while the daemon runs
/// (``BudgetLedger/caps``).
public struct BudgetCaps: Sendable, Equatable {
    /// Most that paid calls may cost per local day, in USD (`daily_usd`). Zero blocks every paid call.
    public var dailyUSD: Double
    /// Most that paid calls may cost per local month, in USD (`monthly_usd`).
    public var monthlyUSD: Double
    /// The zone whose midnight starts a new day and whose first of the month starts a new month (`timezone`).
    public var timeZone: ZoneInfo
    /// The shortest answer worth paying for (`min_answer_tokens`): a call is refused, rather than shortened, when
    /// not even this many output tokens fit what is left.
    public var minimumAnswerTokens: Int

    /// Makes caps; negative amounts count as zero, and the minimum answer is at least one token.
    public init(dailyUSD: Double, monthlyUSD: Double, timeZone: ZoneInfo = .utc, minimumAnswerTokens: Int = 16) {
        self.dailyUSD = max(0, dailyUSD)
        self.monthlyUSD = max(0, monthlyUSD)
        self.timeZone = timeZone
        self.minimumAnswerTokens = max(1, minimumAnswerTokens)
    }

    var dailyNanos: Int64 { USD.nanos(dailyUSD) }
    var monthlyNanos: Int64 { USD.nanos(monthlyUSD) }
}

/// Conversions between dollars (the API) and nano-dollars (what the ledger stores, so sums are exact).
enum USD {
    static func nanos(_ usd: Double) -> Int64 {
        guard usd.isFinite else { return usd > 0 ? Int64.max / 4 : 0 }
        return Int64((min(usd, 1e9) * 1e9).rounded())
    }

    static func dollars(_ nanos: Int64) -> Double { Double(nanos) / 1e9 }
}
