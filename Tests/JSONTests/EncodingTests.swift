import JSON
import Testing

@Suite("Encoding")
struct EncodingTests {
    @Test func writesCompactJSONInKeyOrder() {
        let reply: JSONValue = ["status": "ok", "data": ["answer": "36", "confidence": 1.0], "transaction": "t-42"]
        let expected = #"{"status":"ok","data":{"answer":"36","confidence":1.0},"transaction":"t-42"}"#
        #expect(reply.encodedString() == expected)
        #expect(reply.description == reply.encodedString())
        #expect(reply.encoded() == Array(reply.encodedString().utf8))
    }

    @Test func escapesQuotesBackslashesAndControlCharacters() {
        let value = JSONValue.string("a\"b\\c/d\n\r\t\u{08}\u{0C}\u{0}\u{1F}\u{7F}")
        #expect(value.encodedString() == #""a\"b\\c/d\n\r\t\b\f\u0000\u001f\#u{7F}""#)
    }

    @Test func writesNonASCIIAsUTF8() {
        let value = JSONValue.string("grüße 東京 😀")
        #expect(value.encoded() == Array("\"grüße 東京 😀\"".utf8))
    }

    @Test func writesScalarsAndEmptyContainers() {
        let value: JSONValue = [nil, true, false, [], [:], "", -7]
        #expect(value.encodedString() == #"[null,true,false,[],{},"",-7]"#)
    }

    @Test func writesNonFiniteDoublesAsNull() {
        let value: JSONValue = [JSONValue(Double.infinity), JSONValue(-Double.infinity), JSONValue(Double.nan)]
        #expect(value.encodedString() == "[null,null,null]")
    }

    @Test func writesPrettyFormWithTwoSpaceIndent() {
        let value: JSONValue = ["status": "ok", "data": ["list": [1, 2], "empty": [:]]]
        let expected = """
            {
              "status": "ok",
              "data": {
                "list": [
                  1,
                  2
                ],
                "empty": {}
              }
            }
            """
        #expect(value.encodedString(pretty: true) == expected)
    }

    @Test(arguments: [
        #"{"status":"error","error":"daily budget exhausted","code":"budget_exceeded","data":{},"transaction":"t-42"}"#,
        #"{"status":"partial","seq":3,"delta":"caf\u00e9","transaction":null}"#,
        #"[0,-1,1.5,-0.0,1e-05,1e+300,9223372036854775807,-9223372036854775808,"\ud83d\ude00",[[[]]]]"#,
        #"{"text":"line1\nline2\t\"q\" \\ \u0001"}"#,
    ])
    func roundTripsThroughText(text: String) throws {
        let value = try JSONParser.parse(text)
        let reencoded = value.encoded()
        #expect(try JSONParser.parse(reencoded) == value)
        // A second encoding is byte-identical to the first: the encoding is canonical.
        #expect(try JSONParser.parse(reencoded).encoded() == reencoded)
    }

    @Test func roundTripsKeyOrderExactly() throws {
        let text = #"{"z":1,"a":2,"m":{"y":true,"b":null}}"#
        #expect(try JSONParser.parse(text).encodedString() == text)
    }
}
