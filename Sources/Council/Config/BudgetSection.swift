extension CouncilConfig {
    /// `[budget]`: spending caps for paid models; local models are never blocked.
    public struct BudgetSection: Sendable, Equatable {
        /// Where time-zone files live.
        static let zoneDirectory = "/usr/share/zoneinfo"

        /// `daily_usd`: cap per day in US dollars. Default 1.0.
        public var dailyUSD = 1.0
        /// `monthly_usd`: cap per month in US dollars. Default 20.0.
        public var monthlyUSD = 20.0
        /// `timezone`: IANA zone whose midnight resets the caps (`Europe/Berlin`). Default `UTC`.
        public var timezone = "UTC"
        /// `min_answer_tokens`: when the budget left cannot cover a paid call's full `max_tokens`, the answer is
        /// shortened, but never below this; below it the call is refused with `budget_exceeded`. Default 16.
        public var minimumAnswerTokens = 16

        /// The defaults.
        public init() {}

        init(reading table: inout TableReader) {
            dailyUSD = table.number("daily_usd", default: dailyUSD, minimum: 0)
            monthlyUSD = table.number("monthly_usd", default: monthlyUSD, minimum: 0)
            timezone = table.string("timezone", default: timezone)
            minimumAnswerTokens = table.integer("min_answer_tokens", default: minimumAnswerTokens, in: 1...4096)
            if let reason = Self.problem(withTimeZone: timezone) {
                table.problems.invalid(table.name("timezone"), reason)
                timezone = "UTC"
            }
        }

        /// Why `name` is not a time zone this machine knows, or `nil` if it is.
        static func problem(withTimeZone name: String) -> String? {
            if name == "UTC" { return nil }
            let wellFormed =
                !name.isEmpty && !name.hasPrefix("/") && !name.split(separator: "/").contains("..")
                && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/_+-".contains($0)) }
            guard wellFormed, FileText.isRegularFile("\(zoneDirectory)/\(name)") else {
                return "unknown time zone \(tomlQuoted(name)) (expected \"UTC\" or a name in "
                    + "\(zoneDirectory), like \"Europe/Berlin\")"
            }
            return nil
        }
    }

    /// `[router]`: how questions are routed.
    public struct RouterSection: Sendable, Equatable {
        /// `cloud_escalation`: may questions that local skills and models cannot answer go to cloud models?
        /// Default true.
        public var cloudEscalation = true

        /// The defaults.
        public init() {}

        init(reading table: inout TableReader) {
            cloudEscalation = table.bool("cloud_escalation", default: cloudEscalation)
        }
    }
}
