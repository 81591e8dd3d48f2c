/// The POSIX `TZ` string in a TZif file's footer (RFC 8536 §3.3), e.g. `CET-1CEST,M3.5.0,M10.5.0/3`: the rule
/// for every instant after the file's last explicit transition (all of them, in "slim" files).
///
/// Offsets are stored as seconds east of UTC (the POSIX text writes them west of UTC, so `CET-1` is +3600).
struct PosixTimeZoneRule: Sendable, Equatable {
    /// A day of the year on which daylight saving time starts or ends.
    enum Day: Sendable, Equatable {
        /// `Jn`: day 1–365, never counting 29 February.
        case julianSkippingLeapDay(Int)
        /// `n`: day 0–365, counting 29 February.
        case zeroBased(Int)
        /// `Mm.w.d`: weekday `d` (0 = Sunday) of week `w` (1–5, 5 = last) of month `m`.
        case monthWeekDay(month: Int, week: Int, weekday: Int)
    }

    /// A moment of the year: a rule day and seconds after that day's local midnight (may be negative or past 24 h).
    struct Moment: Sendable, Equatable {
        var day: Day
        var seconds: Int
    }

    /// The daylight-saving part of a rule.
    struct Daylight: Sendable, Equatable {
        /// Seconds east of UTC while it is in effect.
        var offset: Int
        /// When it starts, in local standard time.
        var start: Moment
        /// When it ends, in local daylight time.
        var end: Moment
    }

    /// Seconds east of UTC of standard time.
    var standardOffset: Int
    /// Daylight saving time, if the zone observes it.
    var daylight: Daylight?

    /// Parses a TZ string; nil when it is not one this parser understands.
    init?(parsing text: String) {
        var scanner = Scanner(Array(text.utf8))
        guard scanner.skipName(), let standard = scanner.offset(maxHours: 24) else { return nil }
        standardOffset = -standard
        if scanner.atEnd {
            daylight = nil
            return
        }
        guard scanner.skipName() else { return nil }
        var daylightOffset = standardOffset + 3600
        if let peeked = scanner.peek, peeked != UInt8(ascii: ",") {
            guard let explicit = scanner.offset(maxHours: 24) else { return nil }
            daylightOffset = -explicit
        }
        // POSIX leaves the rule implementation-defined when absent; glibc and zic use the US rule.
        var start = Moment(day: .monthWeekDay(month: 3, week: 2, weekday: 0), seconds: 7200)
        var end = Moment(day: .monthWeekDay(month: 11, week: 1, weekday: 0), seconds: 7200)
        if !scanner.atEnd {
            guard scanner.take(","), let startRule = scanner.transition(), scanner.take(","),
                let endRule = scanner.transition(), scanner.atEnd
            else { return nil }
            start = startRule
            end = endRule
        }
        daylight = Daylight(offset: daylightOffset, start: start, end: end)
    }

    /// The offset in effect at `unixSeconds`.
    func offset(at unixSeconds: Int64) -> Int {
        guard daylight != nil else { return standardOffset }
        let year = CivilDate(daysSinceEpoch: floorDivide(unixSeconds, 86_400)).year
        var offset = standardOffset
        for transition in transitions(aroundYear: year) where transition.at <= unixSeconds {
            offset = transition.offset
        }
        return offset
    }

    /// The first instant after `unixSeconds` at which the rule switches offset, or nil when it never does.
    func nextTransition(after unixSeconds: Int64) -> (at: Int64, offset: Int)? {
        guard daylight != nil else { return nil }
        let year = CivilDate(daysSinceEpoch: floorDivide(unixSeconds, 86_400)).year
        return transitions(aroundYear: year).first { $0.at > unixSeconds }
    }

    /// The switches of the years before, of and after `year`, in time order.
    private func transitions(aroundYear year: Int) -> [(at: Int64, offset: Int)] {
        guard let daylight else { return [] }
        var result: [(at: Int64, offset: Int, isDaylight: Bool)] = []
        for candidate in (year - 1)...(year + 1) {
            let start =
                Self.date(of: daylight.start.day, in: candidate).daysSinceEpoch * 86_400
                + Int64(daylight.start.seconds) - Int64(standardOffset)
            let end =
                Self.date(of: daylight.end.day, in: candidate).daysSinceEpoch * 86_400
                + Int64(daylight.end.seconds) - Int64(daylight.offset)
            result.append((start, daylight.offset, true))
            result.append((end, standardOffset, false))
        }
        // On a tie (a rule saying "daylight time all year"), the switch to daylight time wins.
        result.sort { ($0.at, $0.isDaylight ? 1 : 0) < ($1.at, $1.isDaylight ? 1 : 0) }
        return result.map { ($0.at, $0.offset) }
    }

    /// The calendar date a rule day falls on in `year`.
    static func date(of day: Day, in year: Int) -> CivilDate {
        let januaryFirst = CivilDate(year: year, month: 1, day: 1)
        switch day {
        case .julianSkippingLeapDay(let number):
            let leapShift = CivilDate.isLeapYear(year) && number >= 60 ? 1 : 0
            return januaryFirst.adding(days: number - 1 + leapShift)
        case .zeroBased(let number):
            return januaryFirst.adding(days: number)
        case .monthWeekDay(let month, let week, let weekday):
            let first = CivilDate(year: year, month: month, day: 1)
            var dayOfMonth = 1 + (weekday - first.weekday + 7) % 7 + (week - 1) * 7
            let length = CivilDate.daysInMonth(month, of: year)
            while dayOfMonth > length { dayOfMonth -= 7 }
            return CivilDate(year: year, month: month, day: dayOfMonth)
        }
    }

    /// A cursor over the TZ string's bytes.
    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index == bytes.count }
        var peek: UInt8? { atEnd ? nil : bytes[index] }

        mutating func take(_ character: Character) -> Bool {
            guard let peek, let ascii = character.asciiValue, peek == ascii else { return false }
            index += 1
            return true
        }

        /// A zone abbreviation: three or more letters, or anything but `>` between `<` and `>`.
        mutating func skipName() -> Bool {
            if take("<") {
                let start = index
                while let peek, peek != UInt8(ascii: ">") { index += 1 }
                let length = index - start
                return take(">") && length >= 3
            }
            let start = index
            while let peek, (peek | 0x20) >= UInt8(ascii: "a"), (peek | 0x20) <= UInt8(ascii: "z") { index += 1 }
            return index - start >= 3
        }

        mutating func number(maxDigits: Int) -> Int? {
            var value = 0
            var digits = 0
            while let peek, peek >= UInt8(ascii: "0"), peek <= UInt8(ascii: "9"), digits < maxDigits {
                value = value * 10 + Int(peek - UInt8(ascii: "0"))
                digits += 1
                index += 1
            }
            return digits == 0 ? nil : value
        }

        /// `[+-]hh[:mm[:ss]]` in seconds, sign included.
        mutating func offset(maxHours: Int) -> Int? {
            var sign = 1
            if take("-") {
                sign = -1
            } else {
                _ = take("+")
            }
            guard let hours = number(maxDigits: 3), hours <= maxHours else { return nil }
            var seconds = hours * 3600
            if take(":") {
                guard let minutes = number(maxDigits: 2), minutes < 60 else { return nil }
                seconds += minutes * 60
                if take(":") {
                    guard let secs = number(maxDigits: 2), secs < 60 else { return nil }
                    seconds += secs
                }
            }
            return sign * seconds
        }

        /// `date[/time]`; the time defaults to 02:00 and may reach ±167 hours (RFC 8536 §3.3.1).
        mutating func transition() -> Moment? {
            let day: Day
            if take("J") {
                guard let number = number(maxDigits: 3), (1...365).contains(number) else { return nil }
                day = .julianSkippingLeapDay(number)
            } else if take("M") {
                guard let month = number(maxDigits: 2), (1...12).contains(month), take("."),
                    let week = number(maxDigits: 1), (1...5).contains(week), take("."),
                    let weekday = number(maxDigits: 1), (0...6).contains(weekday)
                else { return nil }
                day = .monthWeekDay(month: month, week: week, weekday: weekday)
            } else {
                guard let number = number(maxDigits: 3), (0...365).contains(number) else { return nil }
                day = .zeroBased(number)
            }
            guard take("/") else { return Moment(day: day, seconds: 7200) }
            guard let time = offset(maxHours: 167) else { return nil }
            return Moment(day: day, seconds: time)
        }
    }
}

/// Division rounding toward negative infinity (`-1 / 86400` is -1, not 0).
func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
    let quotient = value / divisor
    return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
}
