import Glibc

/// Reads how long a backend asks us to wait: `retry-after-ms` (OpenAI, Anthropic), `Retry-After` in seconds or as
/// an HTTP-date (RFC 9110), and Google's `RetryInfo.retryDelay` (`"34s"`, `"0.5s"`).
enum RetryAfter {
    /// The delay the headers ask for, or nil when they ask for none (or say something unreadable).
    static func delay(in headers: HTTPHeaders, nowUnixSeconds: Double = currentUnixSeconds()) -> Duration? {
        if let text = headers["retry-after-ms"], let milliseconds = Double(text), milliseconds >= 0,
            milliseconds.isFinite
        {
            return .milliseconds(milliseconds)
        }
        guard let text = headers["retry-after"] else { return nil }
        if let seconds = Double(text), seconds >= 0, seconds.isFinite { return .seconds(seconds) }
        guard let date = httpDate(text) else { return nil }
        return .seconds(max(0, Double(date) - nowUnixSeconds))
    }

    /// A protobuf JSON duration (`"34s"`, `"1.5s"`) as Google APIs write it.
    static func googleDuration(_ text: String) -> Duration? {
        guard text.hasSuffix("s"), let seconds = Double(text.dropLast()), seconds >= 0, seconds.isFinite else {
            return nil
        }
        return .seconds(seconds)
    }

    /// Seconds since 1970 of an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form servers must send.
    static func httpDate(_ text: String) -> Int64? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[0].hasSuffix(","), parts[5] == "GMT",
            let day = Int64(parts[1]), (1...31).contains(day),
            let monthIndex = months.firstIndex(of: String(parts[2])),
            let year = Int64(parts[3]), year >= 1970
        else { return nil }
        let clock = parts[4].split(separator: ":")
        guard clock.count == 3, let hour = Int64(clock[0]), let minute = Int64(clock[1]), let second = Int64(clock[2]),
            (0..<24).contains(hour), (0..<60).contains(minute), (0...60).contains(second)
        else { return nil }
        let days = daysSinceEpoch(year: year, month: Int64(monthIndex) + 1, day: day)
        return days * 86_400 + hour * 3_600 + minute * 60 + second
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    private static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The wall clock in seconds since 1970.
    static func currentUnixSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
