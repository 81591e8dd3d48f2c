/// Where days and months end, for the metrics that reset daily (`*_today`) and monthly (`*_month`).
///
/// Both closures take and return Unix milliseconds and must return a time strictly after their argument. The
/// default is UTC; plug in the configured time zone's rules (the `[budget] timezone`) so the metrics reset at the
/// same midnight as the budget.
public struct MetricsCalendar: Sendable {
    /// The first local midnight strictly after the given instant.
    public var nextMidnight: @Sendable (_ afterUnixMillis: Int64) -> Int64
    /// The first local midnight that starts a month, strictly after the given instant.
    public var nextMonthStart: @Sendable (_ afterUnixMillis: Int64) -> Int64

    /// Creates a calendar from its two boundary functions.
    public init(
        nextMidnight: @escaping @Sendable (_ afterUnixMillis: Int64) -> Int64,
        nextMonthStart: @escaping @Sendable (_ afterUnixMillis: Int64) -> Int64
    ) {
        self.nextMidnight = nextMidnight
        self.nextMonthStart = nextMonthStart
    }

    /// Days and months in UTC.
    public static let utc = MetricsCalendar(
        nextMidnight: { millis in
            (floorDivide(millis, millisPerDay) + 1) * millisPerDay
        },
        nextMonthStart: { millis in
            let (year, month, _) = civilDate(daysSinceEpoch: floorDivide(millis, millisPerDay))
            let next = month == 12 ? (year + 1, 1) : (year, month + 1)
            return daysSinceEpoch(year: next.0, month: next.1, day: 1) * millisPerDay
        })

    static let millisPerDay: Int64 = 86_400_000

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civilDate(daysSinceEpoch days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    private static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let adjustedYear = month <= 2 ? year - 1 : year
        let era = floorDivide(adjustedYear, 400)
        let yearOfEra = adjustedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// `2024-05-06T07:08:09Z` for a Unix time in milliseconds (seconds precision).
    static func iso8601UTC(unixMillis: Int64) -> String {
        let days = floorDivide(unixMillis, millisPerDay)
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let seconds = (unixMillis - days * millisPerDay) / 1000
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let date = "\(year)-\(two(month))-\(two(day))"
        return "\(date)T\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))Z"
    }
}
