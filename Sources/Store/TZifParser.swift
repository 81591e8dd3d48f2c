/// Reads the Time Zone Information Format (RFC 8536): versions 1 to 4, the 64-bit data block of version 2+ and its
/// footer rule. Leap-second records (the `right/` zones) are refused: Unix time does not count leap seconds.
enum TZifParser {
    /// What a TZif file says, in the shape ``ZoneInfo`` uses.
    struct Contents {
        /// Transition instants, Unix seconds, ascending.
        var transitionTimes: [Int64]
        /// The offset (seconds east of UTC) in effect from each transition on.
        var transitionOffsets: [Int]
        /// The offset before the first transition (time type 0).
        var initialOffset: Int
        /// The footer's rule for instants after the last transition, if any.
        var rule: PosixTimeZoneRule?
    }

    /// Parses a whole TZif file; the error names what is wrong.
    static func parse(_ bytes: [UInt8]) throws(ZoneInfoError) -> Contents {
        var reader = Reader(bytes: bytes)
        let first = try reader.header()
        guard first.version >= 2 else { return try reader.dataBlock(first, timeSize: 4) }
        try reader.skip(first.dataBlockSize(timeSize: 4))
        let second = try reader.header()
        var contents = try reader.dataBlock(second, timeSize: 8)
        contents.rule = try reader.footer()
        return contents
    }

    private struct Header {
        var version: Int
        var utIndicatorCount, standardIndicatorCount, leapCount, transitionCount, typeCount, characterCount: Int

        func dataBlockSize(timeSize: Int) -> Int {
            transitionCount * (timeSize + 1) + typeCount * 6 + characterCount + leapCount * (timeSize + 4)
                + standardIndicatorCount + utIndicatorCount
        }
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        mutating func skip(_ count: Int) throws(ZoneInfoError) {
            guard count >= 0, bytes.count - index >= count else { throw .malformed("the file is truncated") }
            index += count
        }

        mutating func byte() throws(ZoneInfoError) -> UInt8 {
            guard index < bytes.count else { throw .malformed("the file is truncated") }
            defer { index += 1 }
            return bytes[index]
        }

        mutating func integer(size: Int) throws(ZoneInfoError) -> Int64 {
            guard bytes.count - index >= size else { throw .malformed("the file is truncated") }
            var value: UInt64 = 0
            for offset in 0..<size { value = value << 8 | UInt64(bytes[index + offset]) }
            index += size
            // Sign-extend from `size` bytes.
            let shift = UInt64(64 - size * 8)
            return Int64(bitPattern: value << shift) >> Int64(shift)
        }

        mutating func header() throws(ZoneInfoError) -> Header {
            guard bytes.count - index >= 44, Array(bytes[index..<index + 4]) == Array("TZif".utf8) else {
                throw .malformed("it does not start with the TZif magic")
            }
            let versionByte = bytes[index + 4]
            let version: Int
            switch versionByte {
            case 0: version = 1
            case UInt8(ascii: "2"), UInt8(ascii: "3"), UInt8(ascii: "4"): version = Int(versionByte - UInt8(ascii: "0"))
            default: throw .malformed("unknown TZif version byte \(versionByte)")
            }
            index += 20
            var counts: [Int] = []
            for _ in 0..<6 {
                let count = try integer(size: 4)
                guard count >= 0, count < 1 << 24 else { throw .malformed("implausible count \(count) in its header") }
                counts.append(Int(count))
            }
            let header = Header(
                version: version, utIndicatorCount: counts[0], standardIndicatorCount: counts[1],
                leapCount: counts[2], transitionCount: counts[3], typeCount: counts[4], characterCount: counts[5])
            guard header.typeCount >= 1 else { throw .malformed("it declares no local time type") }
            return header
        }

        mutating func dataBlock(_ header: Header, timeSize: Int) throws(ZoneInfoError) -> Contents {
            guard header.leapCount == 0 else {
                throw .malformed("it has leap-second records (a right/ zone); use the zone without right/")
            }
            guard bytes.count - index >= header.dataBlockSize(timeSize: timeSize) else {
                throw .malformed("the file is truncated")
            }
            var times: [Int64] = []
            times.reserveCapacity(header.transitionCount)
            for _ in 0..<header.transitionCount {
                let time = try integer(size: timeSize)
                if let last = times.last, time <= last { throw .malformed("its transition times are not ascending") }
                times.append(time)
            }
            var typeIndices: [Int] = []
            for _ in 0..<header.transitionCount {
                let typeIndex = Int(try byte())
                guard typeIndex < header.typeCount else { throw .malformed("a transition names a missing type") }
                typeIndices.append(typeIndex)
            }
            var typeOffsets: [Int] = []
            for _ in 0..<header.typeCount {
                let offset = try integer(size: 4)
                guard offset > -25 * 3600, offset < 26 * 3600 else {
                    throw .malformed("implausible UTC offset \(offset) s")
                }
                typeOffsets.append(Int(offset))
                try skip(2)  // is-DST flag and abbreviation index: not needed here
            }
            try skip(header.characterCount + header.standardIndicatorCount + header.utIndicatorCount)
            return Contents(
                transitionTimes: times, transitionOffsets: typeIndices.map { typeOffsets[$0] },
                initialOffset: typeOffsets[0], rule: nil)
        }

        /// `\n<TZ string>\n`; an empty string means "no rule".
        mutating func footer() throws(ZoneInfoError) -> PosixTimeZoneRule? {
            guard try byte() == UInt8(ascii: "\n") else { throw .malformed("its footer does not start with a newline") }
            guard let end = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) else {
                throw .malformed("its footer does not end with a newline")
            }
            let text = String(decoding: bytes[index..<end], as: UTF8.self)
            index = end + 1
            if text.isEmpty { return nil }
            guard let rule = PosixTimeZoneRule(parsing: text) else {
                throw .malformed("its footer rule \"\(text)\" cannot be read")
            }
            return rule
        }
    }
}
