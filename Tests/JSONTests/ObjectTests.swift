import JSON
import Testing

@Suite("Objects")
struct ObjectTests {
    @Test func setReplacesInPlaceAndAppendsNewKeys() {
        var object: JSONObject = ["status": "ok", "data": [:]]
        object["transaction"] = "t-1"
        object["status"] = "error"
        #expect(object.keys == ["status", "data", "transaction"])
        #expect(object["status"] == "error")
        #expect(JSONValue.object(object).encodedString() == #"{"status":"error","data":{},"transaction":"t-1"}"#)
    }

    @Test func settingNilRemovesAndKeepsOrder() {
        var object: JSONObject = ["a": 1, "b": 2, "c": 3]
        object["b"] = nil
        #expect(object.keys == ["a", "c"])
        #expect(object.removeValue(forKey: "a") == 1)
        #expect(object.removeValue(forKey: "zz") == nil)
        #expect(object.keys == ["c"])
    }

    @Test func largeObjectsKeepOrderAndLookups() throws {
        var object = JSONObject()
        for number in (0..<100).reversed() { object["k\(number)"] = JSONValue(number) }
        #expect(object.count == 100)
        #expect(object.keys.first == "k99")
        #expect(object["k0"] == 0)
        object["k50"] = nil
        #expect(object["k50"] == nil)
        #expect(object["k49"] == 49)
        #expect(object.contains(key: "k51"))
        let parsed = try JSONParser.parse(JSONValue.object(object).encoded())
        #expect(parsed.objectValue?.keys == object.keys)
        #expect(parsed == .object(object))
    }

    @Test func duplicateKeysAreRejectedInLargeObjectsToo() {
        let members = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        #expect(throws: JSONError.self) { try JSONParser.parse("{" + members + ",\"k3\":0}") }
    }

    @Test func equalityIgnoresOrder() {
        let first: JSONValue = ["a": 1, "b": [true, nil]]
        let second: JSONValue = ["b": [true, nil], "a": 1]
        #expect(first == second)
        #expect(first.hashValue == second.hashValue)
        #expect(first != ["a": 1])
        #expect(first != ["a": 2, "b": [true, nil]])
    }

    @Test func iteratesMembersInOrder() {
        let object: JSONObject = ["x": 1, "y": 2]
        #expect(object.map(\.key) == ["x", "y"])
        #expect(object.values == [1, 2])
        #expect(JSONObject([("p", 1), ("q", 2)]).keys == ["p", "q"])
    }
}
