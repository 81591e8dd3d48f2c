import JSON
import Testing

@Suite("Parsing valid JSON")
struct ParsingTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONParser.parse(#" { "a" : [1, -2.5, true, false, null, "x", {}, []] } "#)
        let expected: JSONValue = ["a": [1, -2.5, true, false, nil, "x", [:], []]]
        #expect(value == expected)
    }

    @Test func parsesScalarsAtTopLevel() throws {
        #expect(try JSONParser.parse("null") == .null)
        #expect(try JSONParser.parse(" true ") == .bool(true))
        #expect(try JSONParser.parse("\"hi\"") == .string("hi"))
        #expect(try JSONParser.parse("\t\r\n42\n") == 42)
    }

    @Test func parsesFromAnyByteCollection() throws {
        let bytes: [UInt8] = Array(#"{"k":"v"}"#.utf8)
        #expect(try JSONParser.parse(bytes)["k"] == "v")
        #expect(try JSONParser.parse(bytes[...])["k"] == "v")
        // A non-contiguous collection goes through a copy.
        #expect(try JSONParser.parse(bytes.lazy.map { $0 })["k"] == "v")
    }

    @Test func decodesEveryEscape() throws {
        let value = try JSONParser.parse(#""\" \\ \/ \b \f \n \r \t \u0041 \u00e9 \u20AC \u0000""#)
        #expect(value == .string("\" \\ / \u{08} \u{0C} \n \r \t A é € \u{0}"))
    }

    @Test func decodesSurrogatePairs() throws {
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try JSONParser.parse(#""x\uD834\uDD1Ey""#) == .string("x𝄞y"))
    }

    @Test func keepsRawUTF8() throws {
        let text = "\"grüße, 東京, 😀\""
        #expect(try JSONParser.parse(text) == .string("grüße, 東京, 😀"))
        #expect(try JSONParser.parse(Array(text.utf8)) == .string("grüße, 東京, 😀"))
    }

    @Test func preservesKeyOrder() throws {
        let value = try JSONParser.parse(#"{"status":"ok","b":1,"a":2,"data":{"z":0,"y":1}}"#)
        #expect(value.objectValue?.keys == ["status", "b", "a", "data"])
        #expect(value["data"]?.objectValue?.keys == ["z", "y"])
    }

    @Test func acceptsNestingUpToTheLimit() throws {
        let deep = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try JSONParser.parse(deep) }
        let custom = String(repeating: "{\"a\":", count: 100) + "1" + String(repeating: "}", count: 100)
        #expect(throws: Never.self) { try JSONParser.parse(custom, maxDepth: 100) }
    }

    @Test func accessorsReturnOnlyTheirKind() throws {
        let value = try JSONParser.parse(#"{"s":"x","i":3,"f":3.0,"h":3.5,"b":true,"a":[1],"o":{"k":null}}"#)
        #expect(value["s"]?.stringValue == "x")
        #expect(value["s"]?.intValue == nil)
        #expect(value["i"]?.intValue == 3)
        #expect(value["f"]?.intValue == 3)
        #expect(value["h"]?.intValue == nil)
        #expect(value["h"]?.doubleValue == 3.5)
        #expect(value["b"]?.boolValue == true)
        #expect(value["a"]?.arrayValue == [1])
        #expect(value["a"]?[0] == 1)
        #expect(value["a"]?[1] == nil)
        #expect(value["o"]?["k"]?.isNull == true)
        #expect(value["missing"] == nil)
        #expect(value["o"]?.objectValue?.count == 1)
    }
}
