import Glibc

/// An IANA time zone read from the system's TZif files (`/usr/share/zoneinfo`), for local dates, midnights and
/// month starts, daylight saving time included.
///
/// FoundationEssentials cannot do this on Linux: without ICU its `TimeZone(identifier: "Europe/Berlin")` is nil.
/// It lives in Store because the budget ledger is what needs it (caps reset at local midnight); it has no other
/// dependency.
public struct ZoneInfo: Sendable, Equatable, CustomStringConvertible {
    /// The zone's name, e.g. `Europe/Berlin`.
    public let identifier: String
    private let transitionTimes: [Int64]
    private let transitionOffsets: [Int]
    private let initialOffset: Int
    private let rule: PosixTimeZoneRule?

    /// Where Debian keeps the TZif files.
    public static let systemDirectory = "/usr/share/zoneinfo"

    /// Coordinated Universal Time, built in (no file needed).
    public static let utc = ZoneInfo(
        identifier: "UTC",
        contents: .init(transitionTimes: [], transitionOffsets: [], initialOffset: 0, rule: nil))

    /// Loads a zone by IANA name from `directory`; `UTC` is built in.
    /// - Throws: ``ZoneInfoError`` `.unknownZone` for a malformed name or a missing file, `.malformed` for a file
    ///   that is not valid TZif.
    public static func named(_ identifier: String, directory: String = systemDirectory) throws(ZoneInfoError)
        -> ZoneInfo
    {
        let wellFormed =
            !identifier.isEmpty && !identifier.hasPrefix("/") && !identifier.split(separator: "/").contains("..")
            && identifier.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/_+-".contains($0)) }
        guard wellFormed else {
            throw ZoneInfoError(
                code: .unknownZone, message: "\"\(identifier)\" is not a time zone name (like \"Europe/Berlin\")")
        }
        guard let bytes = readFile("\(directory)/\(identifier)") else {
            if identifier == "UTC" { return utc }
            throw ZoneInfoError(
                code: .unknownZone, message: "unknown time zone \"\(identifier)\": no file in \(directory)")
        }
        return try ZoneInfo(identifier: identifier, tzif: bytes)
    }

    /// Reads a zone from the bytes of a TZif file.
    /// - Throws: ``ZoneInfoError`` `.malformed` naming what is wrong with the file.
    public init(identifier: String, tzif: [UInt8]) throws(ZoneInfoError) {
        do {
            self.init(identifier: identifier, contents: try TZifParser.parse(tzif))
        } catch {
            throw ZoneInfoError(code: .malformed, message: "time zone file of \"\(identifier)\": \(error.message)")
        }
    }

    private init(identifier: String, contents: TZifParser.Contents) {
        self.identifier = identifier
        transitionTimes = contents.transitionTimes
        transitionOffsets = contents.transitionOffsets
        initialOffset = contents.initialOffset
        rule = contents.rule
    }

    /// The identifier.
    public var description: String { identifier }

    // MARK: Offsets

    /// Seconds east of UTC in effect at a Unix time (3600 for Berlin in winter, 7200 in summer).
    public func secondsFromUTC(at unixSeconds: Int64) -> Int {
        guard let last = transitionTimes.last else { return rule?.offset(at: unixSeconds) ?? initialOffset }
        if unixSeconds >= last, let rule { return rule.offset(at: unixSeconds) }
        let index = Self.partitionIndex(transitionTimes) { $0 > unixSeconds }  // first transition after the instant
        return index == 0 ? initialOffset : transitionOffsets[index - 1]
    }

    /// The first instant after `unixSeconds` at which the offset may change, or nil when it never does again.
    func nextTransition(after unixSeconds: Int64) -> Int64? {
        let index = Self.partitionIndex(transitionTimes) { $0 > unixSeconds }
        if index < transitionTimes.count { return transitionTimes[index] }
        return rule?.nextTransition(after: unixSeconds)?.at
    }

    // MARK: Local dates

    /// The local calendar date at a Unix time.
    public func localDate(at unixSeconds: Int64) -> CivilDate {
        CivilDate(daysSinceEpoch: floorDivide(unixSeconds + Int64(secondsFromUTC(at: unixSeconds)), 86_400))
    }

    /// When the local day containing `unixSeconds` began: its local midnight, or the first instant after a
    /// daylight-saving gap that skipped midnight.
    public func startOfDay(containing unixSeconds: Int64) -> Int64 {
        firstInstant(atOrAfterLocal: localDate(at: unixSeconds), notBefore: unixSeconds - Self.searchWindow)
    }

    /// The next local midnight strictly after `unixSeconds` (the daily cap's reset).
    public func nextMidnight(after unixSeconds: Int64) -> Int64 {
        firstInstant(atOrAfterLocal: localDate(at: unixSeconds).adding(days: 1), notBefore: unixSeconds + 1)
    }

    /// When the local month containing `unixSeconds` began (local midnight of its first day).
    public func startOfMonth(containing unixSeconds: Int64) -> Int64 {
        var first = localDate(at: unixSeconds)
        first.day = 1
        let lower = first.daysSinceEpoch * 86_400 - Self.searchWindow
        return firstInstant(atOrAfterLocal: first, notBefore: lower)
    }

    /// The start of the next local month strictly after `unixSeconds` (the monthly cap's reset).
    public func nextMonthStart(after unixSeconds: Int64) -> Int64 {
        firstInstant(atOrAfterLocal: localDate(at: unixSeconds).firstOfNextMonth, notBefore: unixSeconds + 1)
    }

    /// An RFC 3339 timestamp with this zone's offset at that instant: `2025-03-30T00:00:00+01:00`. Offsets that are
    /// not whole minutes (local mean time before 1900) are written in UTC.
    public func rfc3339(unixSeconds: Int64) -> String {
        var offset = secondsFromUTC(at: unixSeconds)
        if offset % 60 != 0 { offset = 0 }
        let local = unixSeconds + Int64(offset)
        let date = CivilDate(daysSinceEpoch: floorDivide(local, 86_400))
        let secondOfDay = Int(local - floorDivide(local, 86_400) * 86_400)
        let sign = offset < 0 ? "-" : "+"
        let magnitude = abs(offset) / 60
        return "\(date)T\(CivilDate.padded(secondOfDay / 3600, 2)):\(CivilDate.padded(secondOfDay / 60 % 60, 2)):"
            + "\(CivilDate.padded(secondOfDay % 60, 2))\(sign)\(CivilDate.padded(magnitude / 60, 2)):"
            + "\(CivilDate.padded(magnitude % 60, 2))"
    }

    // MARK: Searching

    /// Wider than any UTC offset ever used (−12 h … +14 h, with room for historical oddities).
    private static let searchWindow: Int64 = 30 * 3600

    /// The first instant at or after `lower` whose local wall clock reads `date` 00:00 or later. Walks the spans of
    /// constant offset: within one, the wall clock is the instant plus that offset, so the answer is either the
    /// span's start or `midnight - offset`, if that falls inside the span.
    private func firstInstant(atOrAfterLocal date: CivilDate, notBefore lower: Int64) -> Int64 {
        let localMidnight = date.daysSinceEpoch * 86_400
        var spanStart = lower
        // A day's search crosses a handful of transitions at most; the bound only guards against a broken file.
        for _ in 0..<64 {
            let candidate = max(spanStart, localMidnight - Int64(secondsFromUTC(at: spanStart)))
            guard let next = nextTransition(after: spanStart), next <= candidate else { return candidate }
            spanStart = next
        }
        return max(spanStart, localMidnight - Int64(secondsFromUTC(at: spanStart)))
    }

    /// The index of the first element for which `isAfter` holds (elements are sorted so it holds for a suffix).
    private static func partitionIndex(_ times: [Int64], _ isAfter: (Int64) -> Bool) -> Int {
        var low = 0
        var high = times.count
        while low < high {
            let middle = (low + high) / 2
            if isAfter(times[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    private static func readFile(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count > 0 { bytes.append(contentsOf: buffer[0..<count]) }
            if count < buffer.count { break }
            if bytes.count > 4 << 20 { return nil }  // no TZif file is this large
        }
        return ferror(file) == 0 ? bytes : nil
    }
}

/// Why a time zone cannot be used.
public struct ZoneInfoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong; more kinds may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: Hashable, Sendable { case unknownZone, malformed }
        private let kind: Kind

        /// The name is not well formed, or no file of that name exists: check the spelling (`Europe/Berlin`) and that
        /// the `tzdata` package is installed.
        public static let unknownZone = Code(kind: .unknownZone)
        /// The file exists but is not valid TZif.
        public static let malformed = Code(kind: .malformed)

        /// A short name for the code.
        public var description: String {
            switch kind {
            case .unknownZone: "unknown_zone"
            case .malformed: "malformed"
            }
        }
    }

    /// What went wrong.
    public var code: Code
    /// A sentence for the operator.
    public var message: String

    /// Makes an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    static func malformed(_ reason: String) -> ZoneInfoError { ZoneInfoError(code: .malformed, message: reason) }

    /// The message.
    public var description: String { message }
}
