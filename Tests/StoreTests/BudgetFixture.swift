import Store

/// A migrated database file in a fresh folder, and helpers for budget tests.
final class BudgetFixture {
    let folder: TemporaryFolder
    let path: String
    let database: Database
    let berlin: ZoneInfo

    init() throws {
        folder = try TemporaryFolder()
        path = folder.file("council.db")
        database = try StoreSchema.open(path: path)
        berlin = try ZoneInfo.named("Europe/Berlin")
    }

    /// Caps in Europe/Berlin.
    func caps(daily: Double = 1.0, monthly: Double = 20.0, minimumAnswerTokens: Int = 16) -> BudgetCaps {
        BudgetCaps(dailyUSD: daily, monthlyUSD: monthly, timeZone: berlin, minimumAnswerTokens: minimumAnswerTokens)
    }

    /// A ledger on the fixture's database (or another connection to the same file).
    func ledger(
        _ caps: BudgetCaps, runID: String = "run-1", database: Database? = nil, now: Int64 = Instants.june10Noon
    )
        throws -> BudgetLedger
    {
        try BudgetLedger(database: database ?? self.database, caps: caps, runID: runID, now: now)
    }

    /// Another connection to the same file.
    func openAnotherConnection() throws -> Database { try StoreSchema.open(path: path) }
}

/// $1 per million input tokens, $10 per million output tokens: 1,000 and 10,000 nano-dollars per token.
let cloudPrice = ModelPrice(inputUSDPerMillionTokens: 1, outputUSDPerMillionTokens: 10)

/// Unix milliseconds of local times in Europe/Berlin (from python's zoneinfo).
enum Instants {
    /// 2025-06-10T12:00:00+02:00
    static let june10Noon: Int64 = 1_749_549_600_000
    /// 2025-06-11T00:00:00+02:00
    static let june11Midnight: Int64 = 1_749_592_800_000
    /// 2025-06-11T00:30:00+02:00 (still 10 June in UTC)
    static let june11HalfPastMidnight: Int64 = 1_749_594_600_000
    /// 2025-06-12T09:00:00+02:00
    static let june12Morning: Int64 = 1_749_711_600_000
    /// 2025-07-01T00:00:00+02:00
    static let july1Midnight: Int64 = 1_751_320_800_000
    /// 2025-03-30T12:00:00+02:00, the day clocks go forward
    static let springChangeNoon: Int64 = 1_743_328_800_000
    /// 2025-03-30T23:59:59+02:00
    static let springChangeLastSecond: Int64 = 1_743_371_999_000
    /// 2025-03-31T00:00:00+02:00
    static let march31Midnight: Int64 = 1_743_372_000_000
    /// 2025-03-31T23:30:00+02:00
    static let march31LateEvening: Int64 = 1_743_456_600_000
    /// 2025-04-01T00:00:00+02:00
    static let april1Midnight: Int64 = 1_743_458_400_000
    /// 2025-10-26T12:00:00+01:00, the day clocks go back
    static let autumnChangeNoon: Int64 = 1_761_476_400_000
    /// 2025-10-27T00:00:00+01:00
    static let october27Midnight: Int64 = 1_761_519_600_000
}

/// Reserves exactly `usd` (as a call's worst case) and settles it at that cost.
@discardableResult
func spend(_ usd: Double, on ledger: BudgetLedger, model: String = "cloud", at now: Int64) throws
    -> [BudgetThresholdEvent]
{
    let reservation = try ledger.reserve(model: model, worstCaseUSD: usd, now: now)
    return try ledger.settle(
        reservation, costUSD: usd, usage: BudgetUsage(inputTokens: 100, outputTokens: 50), now: now)
}

/// Whether two dollar amounts agree to a nano-dollar.
func same(_ lhs: Double, _ rhs: Double) -> Bool { abs(lhs - rhs) < 1e-9 }
