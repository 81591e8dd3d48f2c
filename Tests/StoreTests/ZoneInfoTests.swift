import Glibc
import Store
import Testing

@Suite("ZoneInfo")
struct ZoneInfoTests {
    let berlin: ZoneInfo

    init() throws {
        berlin = try ZoneInfo.named("Europe/Berlin")
    }

    // Expected values below were taken from `TZ=Europe/Berlin date -d @<t> --iso-8601=seconds` and python's zoneinfo.

    @Test func offsetsAroundTheSpringChange() {
        // 2025-03-30: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
        #expect(berlin.secondsFromUTC(at: 1_743_296_399) == 3600)
        #expect(berlin.secondsFromUTC(at: 1_743_296_400) == 7200)
        #expect(berlin.rfc3339(unixSeconds: 1_743_296_399) == "2025-03-30T01:59:59+01:00")
        #expect(berlin.rfc3339(unixSeconds: 1_743_296_400) == "2025-03-30T03:00:00+02:00")
    }

    @Test func offsetsAroundTheAutumnChange() {
        // 2025-10-26: 03:00 CEST becomes 02:00 CET at 01:00 UTC.
        #expect(berlin.secondsFromUTC(at: 1_761_440_399) == 7200)
        #expect(berlin.secondsFromUTC(at: 1_761_440_400) == 3600)
        #expect(berlin.rfc3339(unixSeconds: 1_761_440_399) == "2025-10-26T02:59:59+02:00")
        #expect(berlin.rfc3339(unixSeconds: 1_761_440_400) == "2025-10-26T02:00:00+01:00")
    }

    @Test func theSpringDayIsTwentyThreeHoursAndTheAutumnDayTwentyFive() {
        let springMidnight: Int64 = 1_743_289_200  // 2025-03-30T00:00:00+01:00
        let springNext: Int64 = 1_743_372_000  // 2025-03-31T00:00:00+02:00
        #expect(berlin.startOfDay(containing: 1_743_296_400) == springMidnight)
        #expect(berlin.nextMidnight(after: springMidnight) == springNext)
        #expect(springNext - springMidnight == 23 * 3600)
        #expect(berlin.rfc3339(unixSeconds: springNext) == "2025-03-31T00:00:00+02:00")

        let autumnMidnight: Int64 = 1_761_429_600  // 2025-10-26T00:00:00+02:00
        let autumnNext: Int64 = 1_761_519_600  // 2025-10-27T00:00:00+01:00
        #expect(berlin.startOfDay(containing: 1_761_440_400) == autumnMidnight)
        #expect(berlin.nextMidnight(after: 1_761_440_400) == autumnNext)
        #expect(autumnNext - autumnMidnight == 25 * 3600)
    }

    @Test func midnightBelongsToTheNewDay() {
        let midnight: Int64 = 1_743_372_000  // 2025-03-31T00:00:00+02:00
        #expect(berlin.localDate(at: midnight - 1) == CivilDate(year: 2025, month: 3, day: 30))
        #expect(berlin.localDate(at: midnight) == CivilDate(year: 2025, month: 3, day: 31))
        #expect(berlin.nextMidnight(after: midnight - 1) == midnight)
        #expect(berlin.nextMidnight(after: midnight) == midnight + 86_400)
        #expect(berlin.startOfDay(containing: midnight) == midnight)
    }

    @Test func monthStartsAndRollovers() {
        // 2025-03-31T23:30:00+02:00: the month ends in half an hour, across the spring change.
        let lateMarch: Int64 = 1_743_456_600
        #expect(berlin.startOfMonth(containing: lateMarch) == 1_740_783_600)  // 2025-03-01T00:00:00+01:00
        #expect(berlin.nextMonthStart(after: lateMarch) == 1_743_458_400)  // 2025-04-01T00:00:00+02:00
        // New Year in Berlin is 23:00 UTC on 31 December.
        let newYear: Int64 = 1_767_222_000  // 2026-01-01T00:00:00+01:00
        #expect(berlin.nextMonthStart(after: newYear - 1) == newYear)
        #expect(berlin.localDate(at: newYear) == CivilDate(year: 2026, month: 1, day: 1))
        #expect(berlin.localDate(at: newYear - 1) == CivilDate(year: 2025, month: 12, day: 31))
        #expect(berlin.rfc3339(unixSeconds: newYear) == "2026-01-01T00:00:00+01:00")
    }

    @Test func farFutureInstantsFollowTheFooterRule() {
        // Past the file's explicit transitions (2037), the POSIX rule CET-1CEST,M3.5.0,M10.5.0/3 decides.
        // 2050-03-27 is the last Sunday of March 2050: the change is at 01:00 UTC = 2_531_955_600.
        #expect(berlin.secondsFromUTC(at: 2_531_955_599) == 3600)
        #expect(berlin.secondsFromUTC(at: 2_531_955_600) == 7200)
        #expect(berlin.rfc3339(unixSeconds: 2_531_955_600) == "2050-03-27T03:00:00+02:00")
    }

    @Test func aSlimFileWithOnlyAFooterAgreesWithTheFullOne() throws {
        let slim = try ZoneInfo(identifier: "Slim/Berlin", tzif: Self.footerOnlyTZif("CET-1CEST,M3.5.0,M10.5.0/3"))
        var instant: Int64 = 1_700_000_000
        while instant < 1_900_000_000 {
            #expect(slim.secondsFromUTC(at: instant) == berlin.secondsFromUTC(at: instant), "at \(instant)")
            #expect(slim.nextMidnight(after: instant) == berlin.nextMidnight(after: instant), "at \(instant)")
            instant += 86_400 * 3 + 3_607
        }
    }

    @Test func aVersionOneFileIsReadFromItsThirtyTwoBitBlock() throws {
        // One transition at t = 1000 from +00:00 ("AAA") to +01:00 ("BBB"); no footer in version 1.
        func be32(_ value: Int32) -> [UInt8] {
            let bits = UInt32(bitPattern: value)
            return [UInt8(bits >> 24), UInt8(bits >> 16 & 0xff), UInt8(bits >> 8 & 0xff), UInt8(bits & 0xff)]
        }
        var file = Array("TZif".utf8) + [0] + [UInt8](repeating: 0, count: 15)
        for count: Int32 in [0, 0, 0, 1, 2, 8] { file += be32(count) }  // isut, isstd, leap, time, type, char
        file += be32(1000) + [1]
        file += be32(0) + [0, 0] + be32(3600) + [1, 4]
        file += Array("AAA\0BBB\0".utf8)
        let zone = try ZoneInfo(identifier: "Test/V1", tzif: file)
        #expect(zone.secondsFromUTC(at: 999) == 0)
        #expect(zone.secondsFromUTC(at: 1000) == 3600)
        #expect(zone.secondsFromUTC(at: 2_000_000_000) == 3600)
        #expect(zone.nextMidnight(after: 1000) == 86_400 - 3600)
    }

    @Test func utcIsBuiltInAndUnknownZonesAreRefused() {
        #expect(ZoneInfo.utc.rfc3339(unixSeconds: 0) == "1970-01-01T00:00:00+00:00")
        #expect(ZoneInfo.utc.nextMidnight(after: 86_399) == 86_400)
        #expect(ZoneInfo.utc.nextMonthStart(after: 0) == 31 * 86_400)
        #expect(throws: ZoneInfoError.self) { try ZoneInfo.named("Mars/Olympus_Mons") }
        #expect(throws: ZoneInfoError.self) { try ZoneInfo.named("../etc/passwd") }
    }

    @Test func truncatedOrForeignFilesAreRefusedWithAReason() {
        do {
            _ = try ZoneInfo(identifier: "Junk", tzif: Array("not a zone file at all".utf8))
            Issue.record("a non-TZif file was accepted")
        } catch {
            #expect(error.code == .malformed)
            #expect(error.message.contains("TZif magic"))
        }
        var truncated = Self.footerOnlyTZif("CET-1CEST,M3.5.0,M10.5.0/3")
        truncated.removeLast(10)
        #expect(throws: ZoneInfoError.self) { try ZoneInfo(identifier: "Cut", tzif: truncated) }
    }

    /// Checks offsets, local dates, midnights and month starts against python's zoneinfo for zones with unusual
    /// rules: southern hemisphere, half-hour DST, changes at midnight, +13:45, no DST, a 2011 date-line jump.
    @Test func agreesWithPythonZoneinfoAcrossManyZonesAndInstants() throws {
        let zones = [
            "Europe/Berlin", "America/New_York", "Australia/Sydney", "America/Santiago", "Australia/Lord_Howe",
            "America/Havana", "Pacific/Chatham", "Asia/Kolkata", "Pacific/Apia", "Asia/Tehran", "UTC",
        ]
        let output = try Self.runPython(Self.pythonScript, arguments: zones)
        var checked = 0
        var loaded: [String: ZoneInfo] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count == 7, let instant = Int64(fields[1]), let offset = Int(fields[2]),
                let nextMidnight = Int64(fields[4]), let startOfDay = Int64(fields[5]),
                let nextMonth = Int64(fields[6])
            else {
                Issue.record("unexpected line from python: \(line)")
                continue
            }
            let zone = try loaded[fields[0]] ?? ZoneInfo.named(fields[0])
            loaded[fields[0]] = zone
            let context = "\(fields[0]) at \(instant)"
            #expect(zone.secondsFromUTC(at: instant) == offset, "offset, \(context)")
            #expect(zone.localDate(at: instant).description == fields[3], "date, \(context)")
            #expect(zone.nextMidnight(after: instant) == nextMidnight, "next midnight, \(context)")
            #expect(zone.startOfDay(containing: instant) == startOfDay, "start of day, \(context)")
            #expect(zone.nextMonthStart(after: instant) == nextMonth, "next month, \(context)")
            checked += 1
        }
        #expect(checked > 40_000)
    }

    /// For each zone: every transition from 2000 to 2045 (found by bisection) ±1 s, instants every 7 h through
    /// 2024–2025, and every 13 h through 2036–2041 (past the explicit table of "fat" files).
    static let pythonScript = """
        import sys, zoneinfo
        from datetime import datetime, timedelta, timezone
        def off(z, t):
            return int(datetime.fromtimestamp(t, z).utcoffset().total_seconds())
        def midnight(z, d):
            return int(datetime(d.year, d.month, d.day, tzinfo=z).timestamp())
        for name in sys.argv[1:]:
            z = zoneinfo.ZoneInfo(name)
            instants = set(range(1704067200, 1767225600, 7 * 3600)) | set(range(2082758400, 2240524800, 13 * 3600))
            t = 946684800
            while t < 2366755200:
                u = t + 12 * 3600
                if off(z, t) != off(z, u):
                    lo, hi = t, u
                    while hi - lo > 1:
                        mid = (lo + hi) // 2
                        if off(z, mid) == off(z, t): lo = mid
                        else: hi = mid
                    instants |= {hi - 1, hi, hi + 1}
                t = u
            for t in sorted(instants):
                local = datetime.fromtimestamp(t, z)
                day = local.date()
                following = day + timedelta(days=1)
                nxt = midnight(z, following)
                if nxt <= t:
                    nxt = midnight(z, following + timedelta(days=1))
                month = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
                print(name, t, off(z, t), day.isoformat(), nxt, midnight(z, day), midnight(z, month))
        """

    static func runPython(_ script: String, arguments: [String]) throws -> String {
        let folder = try TemporaryFolder()
        let path = folder.file("zones.py")
        guard let file = fopen(path, "w") else { throw TestFailure("cannot write \(path)") }
        fputs(script, file)
        fclose(file)
        let command = "/usr/bin/python3 \(path) \(arguments.joined(separator: " ")) 2>&1"
        guard let pipe = popen(command, "r") else { throw TestFailure("cannot run \(command)") }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = fread(&buffer, 1, buffer.count, pipe)
            if count == 0 { break }
            output.append(contentsOf: buffer[0..<count])
        }
        let status = pclose(pipe)
        let text = String(decoding: output, as: UTF8.self)
        guard status == 0 else { throw TestFailure("python3 failed (\(status)): \(text.prefix(2000))") }
        return text
    }

    /// A TZif v2 file with no transitions, one time type and a footer rule: what `zic -b slim` makes for a zone
    /// whose whole history is its current rule.
    static func footerOnlyTZif(_ rule: String) -> [UInt8] {
        func header() -> [UInt8] {
            var bytes = Array("TZif2".utf8) + [UInt8](repeating: 0, count: 15)
            for count: UInt32 in [0, 0, 0, 0, 1, 4] {  // isut, isstd, leap, time, type, char
                bytes += [UInt8(count >> 24), UInt8(count >> 16 & 0xff), UInt8(count >> 8 & 0xff), UInt8(count & 0xff)]
            }
            return bytes
        }
        let type: [UInt8] = [0, 0, 0x0e, 0x10, 0, 0] + Array("CET\0".utf8)  // +3600 s, not DST, "CET"
        return header() + type + header() + type + Array("\n\(rule)\n".utf8)
    }
}
