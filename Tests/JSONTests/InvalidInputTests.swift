import JSON
import Testing

@Suite("Rejecting invalid JSON")
struct InvalidInputTests {
    /// Parses `text` expecting failure and returns the error.
    private func failure(_ text: String, maxDepth: Int = JSONParser.defaultMaxDepth) -> JSONError? {
        failure(bytes: Array(text.utf8), maxDepth: maxDepth)
    }

    private func failure(bytes: [UInt8], maxDepth: Int = JSONParser.defaultMaxDepth) -> JSONError? {
        do {
            let value = try JSONParser.parse(bytes, maxDepth: maxDepth)
            Issue.record("expected an error, parsed \(value)")
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        // (input, offset, message fragment)
        (#"{"a":1} x"#, 8, "unexpected 'x' after the JSON value"),
        ("[1,2]]", 5, "after the JSON value"),
        (#"{"abc" 1}"#, 7, "expected ':' after object key"),
        (#""abc"#, 0, "unterminated string"),
        (#"["abc\"#, 1, "unterminated string"),
        (#""a\qb""#, 2, "invalid escape '\\q'"),
        (#""\u12G4""#, 1, "invalid \\u escape"),
        (#""\u12""#, 1, "invalid \\u escape"),
        (#""\ud83d""#, 1, "lone high surrogate"),
        (#""\ud83dx""#, 1, "lone high surrogate"),
        (#""\ud83d\u0041""#, 7, "non-low surrogate"),
        (#""\ude00""#, 1, "lone low surrogate"),
        ("01", 0, "leading zeros"),
        ("-012", 0, "leading zeros"),
        ("[1,]", 3, "trailing comma before ']'"),
        (#"{"a":1,}"#, 7, "trailing comma before '}'"),
        ("[1 2]", 3, "expected ',' or ']'"),
        (#"{"a":1 "b":2}"#, 7, "expected ',' or '}'"),
        ("{a:1}", 1, "expected a string key"),
        ("// c\n1", 0, "unexpected '/'"),
        ("NaN", 0, "expected a value"),
        ("-Infinity", 1, "expected a digit after '-'"),
        ("1.", 2, "expected a digit after the decimal point"),
        (".5", 0, "expected a value"),
        ("1e", 2, "expected a digit in the exponent"),
        ("1e+", 3, "expected a digit in the exponent"),
        ("1e400", 0, "number out of range"),
        ("-1e400", 0, "number out of range"),
        ("tru", 0, "expected 'true'"),
        ("nul", 0, "expected 'null'"),
        ("fals", 0, "expected 'false'"),
        ("", 0, "unexpected end of input"),
        ("   ", 3, "unexpected end of input"),
        ("[", 1, "unexpected end of input"),
        (#"{"a":"#, 5, "unexpected end of input"),
        ("\"a\tb\"", 2, "unescaped control character"),
        ("\"a\nb\"", 2, "unescaped control character"),
        (#"{"k":1,"k":2}"#, 7, "duplicate key \"k\""),
        ("'single'", 0, "unexpected '''"),
    ])
    func reportsMessageAndOffset(input: String, offset: Int, message: String) {
        guard let error = failure(input) else { return }
        #expect(error.offset == offset, "\(input): \(error)")
        #expect(error.message.contains(message), "\(input): \(error)")
        #expect(error.description == "\(error.message) at byte \(error.offset)")
    }

    @Test func errorDescriptionNamesTheByte() {
        let error = failure(#"{"status" "ok"}"#)
        #expect(error?.description == "expected ':' after object key at byte 10")
    }

    @Test(
        arguments: [
            ([0x22, 0xFF, 0x22], 1),  // never valid in UTF-8
            ([0x22, 0xC0, 0xAF, 0x22], 1),  // overlong '/'
            ([0x22, 0xE0, 0x80, 0xAF, 0x22], 1),  // overlong, 3 bytes
            ([0x22, 0xED, 0xA0, 0x80, 0x22], 1),  // encoded surrogate U+D800
            ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 1),  // past U+10FFFF
            ([0x22, 0x61, 0xC3, 0x22], 2),  // truncated sequence
            ([0x22, 0x5C, 0x6E, 0xE2, 0x82, 0x22], 3),  // truncated after an escape (slow path)
        ] as [([UInt8], Int)])
    func rejectsInvalidUTF8(bytes: [UInt8], offset: Int) {
        let error = failure(bytes: bytes)
        #expect(error?.message == "invalid UTF-8")
        #expect(error?.offset == offset)
    }

    @Test func rejectsByteOrderMark() {
        let error = failure(bytes: [0xEF, 0xBB, 0xBF] + Array("{}".utf8))
        #expect(error?.message == "byte-order mark is not allowed")
    }

    @Test func rejectsNestingPastTheLimit() {
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        let error = failure(deep)
        #expect(error?.message == "nesting deeper than 64 levels")
        #expect(error?.offset == 64)
        let objects = String(repeating: "{\"a\":", count: 4) + "1" + String(repeating: "}", count: 4)
        #expect(failure(objects, maxDepth: 3)?.message == "nesting deeper than 3 levels")
    }

    @Test func survivesVeryDeepInputWithoutCrashing() {
        let hostile = String(repeating: "[", count: 1_000_000)
        #expect(failure(hostile)?.message == "nesting deeper than 64 levels")
    }
}
