import JSON
import Testing

@Suite("Numbers")
struct NumberTests {
    @Test func keepsIntegersExact() throws {
        let big = try JSONParser.parse("9007199254740993")
        #expect(big == .number(.integer(9_007_199_254_740_993)))
        #expect(big.encodedString() == "9007199254740993")
        #expect(try JSONParser.parse("9223372036854775807").encodedString() == "9223372036854775807")
        #expect(try JSONParser.parse("-9223372036854775808").encodedString() == "-9223372036854775808")
        #expect(try JSONParser.parse("0") == .number(.integer(0)))
    }

    @Test func integersPastInt64BecomeDoubles() throws {
        let value = try JSONParser.parse("9223372036854775808")
        #expect(value == .number(.double(9_223_372_036_854_775_808.0)))
        #expect(value.intValue == nil)
    }

    @Test func minusZeroKeepsItsSign() throws {
        let value = try JSONParser.parse("-0")
        guard case .number(.double(let double)) = value else {
            Issue.record("expected a double, got \(value)")
            return
        }
        #expect(double == 0 && double.sign == .minus)
        #expect(value.encodedString() == "-0.0")
        #expect(value.intValue == 0)
    }

    @Test func doublesPrintShortestRoundTrip() throws {
        #expect(try JSONParser.parse("0.1").encodedString() == "0.1")
        #expect(try JSONParser.parse("0.1") == .number(.double(0.1)))
        #expect(try JSONParser.parse("1.5e3") == .number(.double(1500)))
        #expect(try JSONParser.parse("1E2").doubleValue == 100)
        #expect(try JSONParser.parse("2.5E-3").encodedString() == "0.0025")
        #expect(try JSONParser.parse("1e-400").doubleValue == 0)
        #expect(JSONValue(0.1 + 0.2).encodedString() == "0.30000000000000004")
        #expect(JSONValue(1e300).encodedString() == "1e+300")
    }

    @Test func equalityIsNumericAndExact() {
        #expect(JSONNumber.integer(3) == .double(3.0))
        #expect(JSONNumber.double(3.5) != .integer(3))
        // 2^53 + 1 has no double; it must not equal the nearest double 2^53.
        #expect(JSONNumber.integer(9_007_199_254_740_993) != .double(9_007_199_254_740_992.0))
        #expect(Set<JSONValue>([3, 3.0, 4]).count == 2)
        #expect(JSONNumber.double(.infinity).description == "null")
    }
}
