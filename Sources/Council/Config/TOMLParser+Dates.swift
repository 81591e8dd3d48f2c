/// Offset date-times, local date-times, local dates and local times (RFC 3339, as TOML 1.0 allows them).
///
/// They are checked strictly (real calendar days, hours 00-23, seconds required) and returned as ``TOMLNode/other(_:)``
/// naming their type, since Council's configuration never uses them.
extension TOMLParser {
    /// Whether `token` starts like a date: four digits and a dash.
    static func looksLikeDate(_ token: ArraySlice<UInt8>) -> Bool {
        token.count >= 5 && token.prefix(4).allSatisfy(TOMLScanner.isDigit)
            && token[token.startIndex + 4] == UInt8(ascii: "-")
    }

    /// Whether `token` starts like a time: two digits and a colon.
    static func looksLikeTime(_ token: ArraySlice<UInt8>) -> Bool {
        token.count >= 3 && token.prefix(2).allSatisfy(TOMLScanner.isDigit)
            && token[token.startIndex + 2] == UInt8(ascii: ":")
    }

    /// Reads a whole date, time or date-time token.
    func parseDateOrTime(_ token: ArraySlice<UInt8>) throws(TOMLSyntaxError) -> TOMLNode {
        var reader = DateTimeReader(rest: token)
        let type: String
        if Self.looksLikeDate(token) {
            guard let year = reader.number(digits: 4), reader.skip("-"), let month = reader.number(digits: 2),
                reader.skip("-"), let day = reader.number(digits: 2)
            else { throw invalidDateTime(token, nil) }
            guard (1...12).contains(month), (1...Self.days(inMonth: month, year: year)).contains(day) else {
                throw invalidDateTime(token, "there is no such day")
            }
            if reader.rest.isEmpty { return .other("date") }
            guard reader.skip("T") || reader.skip("t") || reader.skip(" ") else { throw invalidDateTime(token, nil) }
            try readTime(&reader, token: token)
            if reader.rest.isEmpty { return .other("local date-time") }
            try readOffset(&reader, token: token)
            type = "date-time"
        } else {
            try readTime(&reader, token: token)
            type = "time"
        }
        guard reader.rest.isEmpty else { throw invalidDateTime(token, nil) }
        return .other(type)
    }

    /// Reads `HH:MM:SS` with optional fractional seconds.
    private func readTime(_ reader: inout DateTimeReader, token: ArraySlice<UInt8>) throws(TOMLSyntaxError) {
        guard let hour = reader.number(digits: 2), reader.skip(":"), let minute = reader.number(digits: 2) else {
            throw invalidDateTime(token, nil)
        }
        guard reader.skip(":"), let second = reader.number(digits: 2) else {
            throw invalidDateTime(token, "a time needs seconds (HH:MM:SS)")
        }
        guard hour <= 23, minute <= 59, second <= 60 else { throw invalidDateTime(token, "there is no such time") }
        if reader.skip(".") {
            let digits = reader.rest.prefix(while: TOMLScanner.isDigit).count
            guard digits > 0 else { throw invalidDateTime(token, "a '.' must be followed by digits") }
            reader.rest = reader.rest.dropFirst(digits)
        }
    }

    /// Reads `Z` or `+HH:MM` / `-HH:MM`.
    private func readOffset(_ reader: inout DateTimeReader, token: ArraySlice<UInt8>) throws(TOMLSyntaxError) {
        if reader.skip("Z") || reader.skip("z") { return }
        guard reader.skip("+") || reader.skip("-"), let hours = reader.number(digits: 2), reader.skip(":"),
            let minutes = reader.number(digits: 2)
        else { throw invalidDateTime(token, nil) }
        guard hours <= 23, minutes <= 59 else { throw invalidDateTime(token, "there is no such time zone offset") }
    }

    private func invalidDateTime(_ token: ArraySlice<UInt8>, _ reason: String?) -> TOMLSyntaxError {
        let written = String(decoding: token, as: UTF8.self)
        let detail = reason ?? "expected e.g. 1979-05-27, 07:32:00, 1979-05-27T07:32:00 or 1979-05-27T07:32:00Z"
        return scanner.error("invalid date or time '\(written)': \(detail)", at: token.startIndex)
    }

    /// The number of days in `month` (1-12) of `year` in the Gregorian calendar.
    private static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// Consumes a date or time token from the front.
private struct DateTimeReader {
    var rest: ArraySlice<UInt8>

    /// Reads exactly `digits` decimal digits.
    mutating func number(digits: Int) -> Int? {
        let prefix = rest.prefix(digits)
        guard prefix.count == digits, prefix.allSatisfy(TOMLScanner.isDigit) else { return nil }
        rest = rest.dropFirst(digits)
        return prefix.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }

    /// Consumes `character` if it comes next.
    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard rest.first == UInt8(ascii: character) else { return false }
        rest = rest.dropFirst()
        return true
    }
}
