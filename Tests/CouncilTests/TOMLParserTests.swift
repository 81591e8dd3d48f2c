import Glibc
import Testing

@testable import Council

/// Parses `toml` and renders the root table compactly: `{a: 1, b: "x", c: [1.5, true], d: <date>}`.
private func parsed(_ toml: String) throws -> String {
    render(.table(try TOMLDocument.parse(toml, origin: "t.toml")))
}

/// The syntax error message for `toml`, e.g. `t.toml:1:5: invalid TOML: ...`; records an issue if it parses.
private func syntaxError(_ toml: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
    do {
        let members = try TOMLDocument.parse(toml, origin: "t.toml")
        Issue.record("expected a syntax error, parsed \(render(.table(members)))", sourceLocation: sourceLocation)
        return ""
    } catch {
        #expect(error.code == .syntax, sourceLocation: sourceLocation)
        #expect(error.problems.first?.key == nil, sourceLocation: sourceLocation)
        return error.description
    }
}

/// The syntax error for `toml` without the origin and the "invalid TOML" label: `line:column: what`.
private func problem(_ toml: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
    let message = syntaxError(toml, sourceLocation: sourceLocation)
    let prefix = "t.toml:"
    guard message.hasPrefix(prefix) else { return message }
    return String(message.dropFirst(prefix.count)).replacing(" invalid TOML:", with: "", maxReplacements: 1)
}

/// A node in the compact notation of ``parsed(_:)``.
private func render(_ node: TOMLNode) -> String {
    switch node {
    case .string(let text): return text.debugDescription
    case .integer(let value): return String(value)
    case .float(let value): return value.description
    case .boolean(let value): return value ? "true" : "false"
    case .table(let members):
        return "{" + members.map { "\($0.key): \(render($0.value))" }.joined(separator: ", ") + "}"
    case .array(let elements): return "[" + elements.map(render).joined(separator: ", ") + "]"
    case .other(let type): return "<\(type)>"
    }
}

@Suite("TOML: documents, keys and tables")
struct TOMLStructureTests {
    @Test func emptyDocumentsAndComments() throws {
        #expect(try parsed("") == "{}")
        #expect(try parsed("\n\n  \t\n# only a comment\n   # indented comment") == "{}")
        #expect(try parsed("a = 1 # trailing comment\r\nb = 2\r\n") == "{a: 1, b: 2}")
        #expect(try parsed("\u{FEFF}a = 1") == "{a: 1}")
        #expect(try parsed("# comment with ünïcode and \t tab\na = 1") == "{a: 1}")
    }

    @Test func keysBareQuotedAndDotted() throws {
        #expect(try parsed("bare_key-1 = 1\n1234 = 2\n-_- = 3") == "{bare_key-1: 1, 1234: 2, -_-: 3}")
        #expect(try parsed(#""key with spaces" = 1"#) == #"{key with spaces: 1}"#)
        #expect(try parsed(#""quoted \"escaped\" \u00e9" = 1"#) == #"{quoted "escaped" é: 1}"#)
        #expect(try parsed(#"'literal \n key' = 1"#) == #"{literal \n key: 1}"#)
        #expect(try parsed(#""" = 1"#) == "{: 1}")
        #expect(try parsed("a.b.c = 1\na . \"d\" . 'e' = 2") == "{a: {b: {c: 1}, d: {e: 2}}}")
        #expect(try parsed("3.14159 = \"pi\"") == #"{3: {14159: "pi"}}"#)
        #expect(
            try parsed("fruit.apple.color = 'red'\nfruit.apple.taste.sweet = true\nfruit.orange = 2")
                == #"{fruit: {apple: {color: "red", taste: {sweet: true}}, orange: 2}}"#)
    }

    @Test func tablesKeepDocumentOrder() throws {
        let toml = """
            top = 0
            [zeta]
            z = 1
            [alpha]
            a = 2
            [alpha.inner]
            i = 3
            [ dog . "tater.man" ]
            type = "pug"
            """
        #expect(
            try parsed(toml)
                == #"{top: 0, zeta: {z: 1}, alpha: {a: 2, inner: {i: 3}}, dog: {tater.man: {type: "pug"}}}"#)
    }

    @Test func superTablesMayBeDefinedLater() throws {
        #expect(try parsed("[x.y.z.w]\na = 1\n[x]\nb = 2") == "{x: {y: {z: {w: {a: 1}}}, b: 2}}")
        #expect(
            try parsed("[fruit]\napple.color = 'red'\n[fruit.apple.texture]\nsmooth = true")
                == #"{fruit: {apple: {color: "red", texture: {smooth: true}}}}"#)
        #expect(try parsed("[a.b.c]\n[a]\nb.d = 1") == "{a: {b: {c: {}, d: 1}}}")
    }

    @Test func arraysOfTables() throws {
        let toml = """
            [[fruits]]
            name = "apple"
            [fruits.physical]
            color = "red"
            [[fruits.varieties]]
            name = "red delicious"
            [[fruits.varieties]]
            name = "granny smith"

            [[fruits]]
            name = "banana"
            [[fruits.varieties]]
            name = "plantain"
            """
        #expect(
            try parsed(toml) == """
                {fruits: [{name: "apple", physical: {color: "red"}, varieties: [{name: "red delicious"}, \
                {name: "granny smith"}]}, {name: "banana", varieties: [{name: "plantain"}]}]}
                """)
        #expect(try parsed("[[a]]\n[[a]]\nx = 1\n[[ a ]]") == "{a: [{}, {x: 1}, {}]}")
    }

    @Test func inlineTables() throws {
        #expect(
            try parsed("name = { first = \"Tom\", last = 'Preston-Werner' }")
                == #"{name: {first: "Tom", last: "Preston-Werner"}}"#)
        #expect(
            try parsed("point = {x=1,y=2}\nempty = {}\nnested = { a = { b = [ { c = 1 } ] } }")
                == "{point: {x: 1, y: 2}, empty: {}, nested: {a: {b: [{c: 1}]}}}")
        #expect(
            try parsed("animal = { type.name = \"pug\", type.size = 'small' }")
                == #"{animal: {type: {name: "pug", size: "small"}}}"#)
    }
}

@Suite("TOML: values")
struct TOMLValueTests {
    @Test func basicStringsWithEveryEscape() throws {
        #expect(try parsed(#"s = "a\bb\tc\nd\fe\rf\"g\\h""#) == #"{s: "a\u{08}b\tc\nd\u{0C}e\rf\"g\\h"}"#)
        #expect(try parsed(#"s = "\u00E9\u20AC \U0001F600 \u0000""#) == #"{s: "é€ 😀 \0"}"#)
        #expect(try parsed("s = \"tab\there ünï\"") == #"{s: "tab\there ünï"}"#)
        #expect(try parsed(#"s = """#) == #"{s: ""}"#)
    }

    @Test func literalStrings() throws {
        #expect(try parsed(#"p = 'C:\Users\nodejs\templates'"#) == #"{p: "C:\\Users\\nodejs\\templates"}"#)
        #expect(try parsed(#"q = 'Tom "Dubs" Preston'"#) == #"{q: "Tom \"Dubs\" Preston"}"#)
        #expect(try parsed("e = ''") == #"{e: ""}"#)
    }

    @Test func multiLineBasicStrings() throws {
        #expect(
            try parsed("s = \"\"\"\nRoses are red\nViolets are blue\"\"\"")
                == #"{s: "Roses are red\nViolets are blue"}"#)
        #expect(try parsed("s = \"\"\"\r\none\r\ntwo\"\"\"") == #"{s: "one\ntwo"}"#)
        let continued = "s = \"\"\"\nThe quick brown \\\n\n\n   fox jumps \\   \n   over.\\\n   \"\"\""
        #expect(try parsed(continued) == #"{s: "The quick brown fox jumps over."}"#)
        #expect(
            try parsed(#"s = """Here are two quotation marks: "". Simple enough.""""#)
                == #"{s: "Here are two quotation marks: \"\". Simple enough."}"#)
        #expect(
            try parsed(#"s = """Here are fifteen quotation marks: ""\"""\"""\"""\"""\".""""#)
                == #"{s: "Here are fifteen quotation marks: \"\"\"\"\"\"\"\"\"\"\"\"\"\"\"."}"#)
        #expect(
            try parsed(#"s = """"This," she said, "is just a pointless statement."""""#)
                == #"{s: "\"This,\" she said, \"is just a pointless statement.\""}"#)
        #expect(try parsed("s = \"\"\"a\\tb \\u00e9\"\"\"") == #"{s: "a\tb é"}"#)
    }

    @Test func multiLineLiteralStrings() throws {
        #expect(try parsed("re = '''I [dw]on't need \\d{2} apples'''") == #"{re: "I [dw]on\'t need \\d{2} apples"}"#)
        #expect(
            try parsed("s = '''\nThe first newline is\ntrimmed in raw strings.\n   All other whitespace\n'''")
                == #"{s: "The first newline is\ntrimmed in raw strings.\n   All other whitespace\n"}"#)
        #expect(
            try parsed("q = '''Here are fifteen quotation marks: \"\"\"\"\"\"\"\"\"\"\"\"\"\"\"'''")
                == #"{q: "Here are fifteen quotation marks: \"\"\"\"\"\"\"\"\"\"\"\"\"\"\""}"#)
        #expect(
            try parsed("a = ''''That,' she said, 'is still pointless.''''")
                == #"{a: "\'That,\' she said, \'is still pointless.\'"}"#)
    }

    @Test func integers() throws {
        #expect(
            try parsed("a = +99\nb = 42\nc = 0\nd = -17\ne = +0\nf = -0")
                == "{a: 99, b: 42, c: 0, d: -17, e: 0, f: 0}")
        #expect(
            try parsed("a = 1_000\nb = 5_349_221\nc = 53_49_221\nd = 1_2_3_4_5")
                == "{a: 1000, b: 5349221, c: 5349221, d: 12345}")
        #expect(
            try parsed("h = 0xDEADBEEF\ni = 0xdead_beef\no = 0o01234567\np = 0o755\nb = 0b11010110\nz = 0x0")
                == "{h: 3735928559, i: 3735928559, o: 342391, p: 493, b: 214, z: 0}")
        #expect(
            try parsed("max = 9_223_372_036_854_775_807\nmin = -9223372036854775808\nhex = 0x7FFFFFFFFFFFFFFF")
                == "{max: 9223372036854775807, min: -9223372036854775808, hex: 9223372036854775807}")
    }

    @Test func floats() throws {
        #expect(
            try parsed("a = +1.0\nb = 3.1415\nc = -0.01\nd = 5e+22\ne = 1e06\nf = -2E-2\ng = 6.626e-34")
                == "{a: 1.0, b: 3.1415, c: -0.01, d: 5e+22, e: 1000000.0, f: -0.02, g: 6.626e-34}")
        #expect(
            try parsed("a = 224_617.445_991_228\nb = 1e1_0\nc = -0.0\nd = 0.0\ne = 0e0")
                == "{a: 224617.445991228, b: 10000000000.0, c: -0.0, d: 0.0, e: 0.0}")
        #expect(try parsed("a = inf\nb = +inf\nc = -inf") == "{a: inf, b: inf, c: -inf}")
        let nans = try TOMLDocument.parse("a = nan\nb = +nan\nc = -nan", origin: "t.toml")
        for (_, value) in nans {
            guard case .float(let number) = value, number.isNaN else {
                Issue.record("expected nan, got \(render(value))")
                continue
            }
        }
    }

    @Test func booleans() throws {
        #expect(try parsed("t = true\nf = false") == "{t: true, f: false}")
    }

    @Test func datesAndTimesAreRecognisedByType() throws {
        #expect(
            try parsed(
                """
                odt1 = 1979-05-27T07:32:00Z
                odt2 = 1979-05-27T00:32:00-07:00
                odt3 = 1979-05-27T00:32:00.999999+05:30
                odt4 = 1979-05-27 07:32:00z
                odt5 = 1979-05-27t07:32:00Z
                ldt1 = 1979-05-27T07:32:00
                ldt2 = 1979-05-27 00:32:00.999999
                ld = 1979-05-27
                leap = 2000-02-29
                lt1 = 07:32:00
                lt2 = 00:32:00.999999
                """) == """
                    {odt1: <date-time>, odt2: <date-time>, odt3: <date-time>, odt4: <date-time>, odt5: <date-time>, \
                    ldt1: <local date-time>, ldt2: <local date-time>, ld: <date>, leap: <date>, lt1: <time>, lt2: <time>}
                    """)
        #expect(
            try parsed("dates = [1979-05-27, 07:32:00, 1979-05-27 07:32:00Z]")
                == "{dates: [<date>, <time>, <date-time>]}")
        #expect(try parsed("d = 1979-05-27 # a date, then a comment") == "{d: <date>}")
    }

    @Test func arraysOfAnythingAcrossLines() throws {
        #expect(
            try parsed("a = [ 1, 2, 3 ]\nb = []\nc = [ \"x\", 'y', \"\"\"z\"\"\" ]")
                == #"{a: [1, 2, 3], b: [], c: ["x", "y", "z"]}"#)
        #expect(
            try parsed("m = [ 0.1, 2, \"three\", [4, [5]], { six = 6 }, true, 1979-05-27 ]")
                == #"{m: [0.1, 2, "three", [4, [5]], {six: 6}, true, <date>]}"#)
        let multiLine = """
            numbers = [
              1,  # one
              2,
              # a comment alone
              3,
            ]
            trailing = [1,2,]
            """
        #expect(try parsed(multiLine) == "{numbers: [1, 2, 3], trailing: [1, 2]}")
        #expect(try parsed("a = [\r\n1\r\n,\r\n2\r\n]") == "{a: [1, 2]}")
    }

    @Test func parsesTheShippedConfiguration() throws {
        let members = try TOMLDocument.parse(try readTextFile(shippedConfigPath()), origin: "council.toml")
        #expect(
            members.map(\.key) == [
                "node", "mqtt", "journal", "requests", "log", "budget", "router", "sandbox", "control", "memory",
                "agents", "runs", "logic", "metrics", "homeassistant",
            ])
        let mqtt = members.first { $0.key == "mqtt" }.map { render($0.value) } ?? ""
        #expect(mqtt.hasPrefix(#"{url: "mqtt://127.0.0.1:1883", base_topic: "council", client_id: "", protocol: "5""#))
        #expect(mqtt.contains("keepalive_s: 30, session_expiry_s: 86400"))
        #expect(mqtt.hasSuffix("tls_insecure: false}"))
        #expect(
            render(members.first { $0.key == "budget" }!.value)
                == #"{daily_usd: 1.0, monthly_usd: 20.0, timezone: "UTC", min_answer_tokens: 16}"#)
    }

    /// etc/council.toml, found from this source file (through a symlink if the test was built from one).
    private func shippedConfigPath() throws -> String {
        guard let resolved = realpath(#filePath, nil) else { throw TOMLTestFailure("cannot resolve #filePath") }
        defer { free(resolved) }
        var components = String(cString: resolved).split(separator: "/", omittingEmptySubsequences: false)
        components.removeLast(3)  // Tests/CouncilTests/TOMLParserTests.swift
        return components.joined(separator: "/") + "/etc/council.toml"
    }

    private func readTextFile(_ path: String) throws -> String {
        do {
            return try FileText.read(path)
        } catch {
            throw TOMLTestFailure("cannot read \(path): \(error.reason)")
        }
    }
}

private struct TOMLTestFailure: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

@Suite("TOML: errors carry line and column")
struct TOMLErrorTests {
    @Test func messageFormat() {
        #expect(syntaxError("a = 1\nb = = 2") == "t.toml:2:5: invalid TOML: expected a value, found '='")
        #expect(syntaxError("\u{FEFF}a = ?") == "t.toml:1:5: invalid TOML: expected a value, found '?'")
        #expect(syntaxError("ü = 1") == "t.toml:1:1: invalid TOML: expected a key, found 'ü'")
        #expect(syntaxError("s = \"ü\" x") == "t.toml:1:9: invalid TOML: expected a newline after a value, found 'x'")
    }

    @Test func duplicateKeys() {
        #expect(problem("name = 1\nname = 2") == "2:1: duplicate key 'name'")
        #expect(problem("name = 1\n\"name\" = 2") == "2:1: duplicate key 'name'")
        #expect(problem("[t]\na.b = 1\n  a . b = 2") == "3:7: duplicate key 'a.b'")
        #expect(problem("x = { a = 1, a = 2 }") == "1:14: duplicate key 'a'")
        #expect(problem("a.b = 1\na = 2") == "2:1: duplicate key 'a'")
        #expect(problem("\"a b\" = 1\n'a b' = 2") == #"2:1: duplicate key '"a b"'"#)
    }

    @Test func redefinedTables() {
        #expect(
            problem("[fruit]\napple = 1\n\n[fruit]\norange = 2")
                == "4:2: table [fruit] is defined twice")
        #expect(problem("[a.b]\n[a]\n[a.b]") == "3:4: table [a.b] is defined twice")
        #expect(
            problem("[fruit]\napple.color = 'red'\n[fruit.apple]")
                == "3:8: table [fruit.apple] is already defined by dotted keys")
        #expect(
            problem("[a.b.c]\nz = 9\n[a]\nb.c.t = 1")
                == "4:3: table [a.b.c] is defined by its own header; dotted keys cannot add to it")
        #expect(problem("[[a]]\n[a]") == "2:2: table [a] is already an array of tables [[a]]")
        #expect(
            problem("[a]\n[[a]]")
                == "2:3: array of tables [[a]] conflicts with table [a]")
        #expect(
            problem("[[a]]\nb.c = 1\n[a.b]")
                == "3:4: table [a.b] is already defined by dotted keys")
    }

    @Test func keysIntoInlineTablesAndValues() {
        #expect(
            problem("point = { x = 1 }\npoint.y = 2")
                == "2:1: 'point' is an inline table, which cannot be extended")
        #expect(
            problem("point = { x = 1 }\n[point]")
                == "2:2: 'point' is an inline table, which cannot be extended")
        #expect(
            problem("point = { x = 1 }\n[point.z]")
                == "2:2: 'point' is an inline table, which cannot be extended")
        #expect(problem("a = { b.c = 1, b = 2 }") == "1:16: duplicate key 'b'")
        #expect(
            problem("name = \"x\"\nname.first = \"y\"")
                == "2:1: 'name' is a string, not a table")
        #expect(problem("a = 1\n[a.b]") == "2:2: 'a' is an integer, not a table")
        #expect(problem("a = 1\n[a]") == "2:2: 'a' is an integer, not a table")
        #expect(problem("a = 1979-05-27\n[[a]]") == "2:3: 'a' is a date, not a table")
        #expect(
            problem("fruits = []\n[[fruits]]")
                == "2:3: 'fruits' is a static array; [[fruits]] cannot add to it")
        #expect(
            problem("[[a.b]]\n[a]\nb.c = 1")
                == "3:1: 'b' is an array of tables; dotted keys cannot add to it")
        #expect(
            problem("[[fruits]]\n[x]\n[fruits]")
                == "3:2: table [fruits] is already an array of tables [[fruits]]")
    }

    @Test func invalidCharacters() {
        #expect(problem("a$b = 1") == "1:2: expected '=' after the key 'a', found '$'")
        #expect(problem("a\u{A0}= 1") == "1:2: expected '=' after the key 'a', found U+00A0")
        #expect(problem("a = 1\u{200B}") == "1:6: expected a newline after a value, found U+200B")
        #expect(problem("a = \"bell\u{7}\"") == "1:10: U+0007 is not allowed in a string (write it as an escape)")
        #expect(problem("a = 'nul\u{0}'") == "1:9: U+0000 is not allowed in a string (write it as an escape)")
        #expect(
            problem("a = \"\"\"del\u{7F}\"\"\"")
                == "1:11: U+007F is not allowed in a string (write it as an escape)")
        #expect(problem("a = 1 # esc\u{1B}") == "1:12: U+001B is not allowed in a comment")
        #expect(problem("a = 1\rb = 2") == "1:6: a carriage return (U+000D) must be followed by a newline")
        #expect(problem("a = '''x\ry'''") == "1:9: U+000D is not allowed in a string (write it as an escape)")
        #expect(problem("[a b]") == "1:4: expected ']' to close the table header, found 'b'")
        #expect(problem("[]") == "1:2: expected a key, found ']'")
        #expect(problem("[[a] ]") == "1:5: expected ']]' to close the array of tables header, found a space")
        #expect(problem("a = True") == "1:5: expected a value, found 'True'")
        #expect(problem("a = truex") == "1:9: expected a newline after a value, found 'x'")
        #expect(
            problem("name = kitchen")
                == "1:8: expected a value, found 'kitchen' (a string needs quotes)")
        #expect(problem("a = .5") == "1:5: expected a value, found '.'")
    }

    @Test func invalidEscapes() {
        #expect(problem(#"a = "x\qy""#) == #"1:7: invalid escape '\q' (write \\ for a backslash)"#)
        #expect(problem(#"a = "\e""#) == #"1:6: invalid escape '\e' (write \\ for a backslash)"#)
        #expect(problem(#"a = "\x41""#) == #"1:6: invalid escape '\x' (write \\ for a backslash)"#)
        #expect(problem("a = \"\\ \"") == #"1:6: invalid escape '\' followed by a space (write \\ for a backslash)"#)
        #expect(problem(#"a = "\u12""#) == #"1:6: \u needs exactly 4 hexadecimal digits"#)
        #expect(problem(#"a = "\U0000004""#) == #"1:6: \U needs exactly 8 hexadecimal digits"#)
        #expect(problem(#"a = "\uD800""#) == #"1:6: \uD800 is not a Unicode scalar value"#)
        #expect(problem(#"a = "\U00110000""#) == #"1:6: \U00110000 is not a Unicode scalar value"#)
        #expect(
            problem("a = \"\"\"x\\ y\"\"\"")
                == #"1:9: invalid escape '\' followed by a space (write \\ for a backslash)"#)
        #expect(problem("a = '''\\e'''\nb = \"\\e\"") == #"2:6: invalid escape '\e' (write \\ for a backslash)"#)
    }

    @Test func unterminatedStrings() {
        #expect(
            problem("a = \"abc\nb = 1")
                == #"1:5: unterminated string (missing closing ")"#)
        #expect(problem("x = 1\n  a = 'abc") == "2:7: unterminated string (missing closing ')")
        #expect(problem("a = \"\"\"abc\n\"\"") == #"1:5: unterminated multi-line string (missing closing """)"#)
        #expect(problem("a = '''abc\n''") == "1:5: unterminated multi-line string (missing closing ''')")
        #expect(problem("a = \"abc\\") == "1:9: unterminated string: the document ends after a backslash")
        #expect(problem("\"key = 1") == #"1:1: unterminated string (missing closing ")"#)
        #expect(
            problem("a = \"\"\"x\"\"\"\"\"\"")
                == "1:9: a multi-line string cannot contain three quotes in a row; escape one of them")
        #expect(problem("\"\"\"key\"\"\" = 1") == "1:1: a key cannot be a multi-line string")
        #expect(
            problem("a = '''x''''''")
                == "1:9: a multi-line literal string cannot contain three apostrophes in a row; use a basic string")
    }

    @Test func missingEquals() {
        #expect(
            problem("[mqtt]\nurl \"mqtt://x\"")
                == #"2:5: expected '=' after the key 'url', found '"'"#)
        #expect(problem("a.b\n") == "1:4: expected '=' after the key 'a.b', found a newline")
        #expect(problem("key") == "1:4: expected '=' after the key 'key', found end of file")
        #expect(problem("a =") == "1:4: expected a value, found end of file")
        #expect(problem("a =\nb = 1") == "1:4: expected a value, found a newline")
        #expect(problem("x = { a 1 }") == "1:9: expected '=' after the key 'a', found '1'")
    }

    @Test func oneValuePerLine() {
        #expect(problem("a = 1 b = 2") == "1:7: expected a newline after a value, found 'b'")
        #expect(problem("a = \"x\" \"y\"") == #"1:9: expected a newline after a value, found '"'"#)
        #expect(problem("[a] b = 1") == "1:5: expected a newline after a table header, found 'b'")
        #expect(problem("a = [1] [2]") == "1:9: expected a newline after a value, found '['")
    }

    @Test func malformedArraysAndInlineTables() {
        #expect(problem("a = [1 2]") == "1:8: expected ',' or ']' in an array, found '2'")
        #expect(problem("a = [1,,2]") == "1:8: expected a value, found ','")
        #expect(problem("a = [,]") == "1:6: expected a value, found ','")
        #expect(problem("a = [1,\n2") == "1:5: unterminated array (missing ']')")
        #expect(problem("a = [1\nb = 2]") == "2:1: expected ',' or ']' in an array, found 'b'")
        #expect(problem("a = { b = 1,\n c = 2 }") == "1:13: an inline table must be on one line (missing '}')")
        #expect(problem("a = {\n}") == "1:6: an inline table must be on one line (missing '}')")
        #expect(problem("a = { b = 1, }") == "1:14: an inline table cannot end with a comma")
        #expect(problem("a = { b = 1") == "1:5: unterminated inline table (missing '}')")
        #expect(problem("a = { b = 1 c = 2 }") == "1:13: expected ',' or '}' in an inline table, found 'c'")
        #expect(problem("a = { b = 1 # no }") == "1:13: an inline table cannot contain comments (missing '}')")
        let deep = "a = " + String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(problem(deep) == "1:133: arrays and inline tables nest more than 128 deep")
    }

    @Test func invalidIntegers() {
        #expect(problem("a = 012") == "1:5: invalid number '012': leading zeros are not allowed")
        #expect(problem("a = -01") == "1:5: invalid number '-01': leading zeros are not allowed")
        #expect(problem("a = 1__000") == "1:5: invalid number '1__000': an underscore must be between two digits")
        #expect(problem("a = 1000_") == "1:5: invalid number '1000_': an underscore must be between two digits")
        #expect(problem("a = _1") == "1:5: expected a value, found '_1' (a string needs quotes)")
        #expect(problem("a = 0x_1") == "1:5: invalid number '0x_1': an underscore must be between two digits")
        #expect(problem("a = 0x") == "1:5: invalid number '0x'")
        #expect(problem("a = 0xG") == "1:5: invalid number '0xG'")
        #expect(problem("a = 0o8") == "1:5: invalid number '0o8'")
        #expect(problem("a = 0b102") == "1:5: invalid number '0b102'")
        #expect(problem("a = 0X1F") == "1:5: invalid number '0X1F'")
        #expect(problem("a = +0x1") == "1:5: invalid number '+0x1': a hexadecimal integer cannot have a sign")
        #expect(
            problem("a = 9223372036854775808")
                == "1:5: invalid number '9223372036854775808': it does not fit in 64 bits")
        #expect(
            problem("a = -9223372036854775809")
                == "1:5: invalid number '-9223372036854775809': it does not fit in 64 bits")
        #expect(
            problem("a = 0x1_0000_0000_0000_0000")
                == "1:5: invalid number '0x1_0000_0000_0000_0000': it does not fit in 64 bits")
        #expect(problem("a = 1 000") == "1:7: expected a newline after a value, found '0'")
        #expect(problem("a = --1") == "1:5: invalid number '--1'")
    }

    @Test func invalidFloats() {
        #expect(problem("a = 1.") == "1:5: invalid number '1.': a '.' must be followed by digits")
        #expect(problem("a = 1.e5") == "1:5: invalid number '1.e5': a '.' must be followed by digits")
        #expect(problem("a = 3.e+20") == "1:5: invalid number '3.e+20': a '.' must be followed by digits")
        #expect(problem("a = 1e") == "1:5: invalid number '1e'")
        #expect(problem("a = 1.5e+") == "1:5: invalid number '1.5e+'")
        #expect(problem("a = 01.5") == "1:5: invalid number '01.5': leading zeros are not allowed")
        #expect(problem("a = 1_.5") == "1:5: invalid number '1_.5': an underscore must be between two digits")
        #expect(problem("a = 1._5") == "1:5: invalid number '1._5': an underscore must be between two digits")
        #expect(problem("a = 1.2.3") == "1:5: invalid number '1.2.3'")
        #expect(problem("a = 1e400") == "1:5: invalid number '1e400': it is out of range")
        #expect(problem("a = Inf") == "1:5: expected a value, found 'Inf'")
        #expect(problem("a = infinity") == "1:5: invalid number 'infinity'")
        #expect(problem("a = NaN") == "1:5: expected a value, found 'NaN'")
    }

    @Test func invalidDatesAndTimes() {
        let hint = "expected e.g. 1979-05-27, 07:32:00, 1979-05-27T07:32:00 or 1979-05-27T07:32:00Z"
        #expect(problem("d = 1979-13-01") == "1:5: invalid date or time '1979-13-01': there is no such day")
        #expect(problem("d = 2021-02-29") == "1:5: invalid date or time '2021-02-29': there is no such day")
        #expect(problem("d = 1900-02-29") == "1:5: invalid date or time '1900-02-29': there is no such day")
        #expect(problem("d = 1979-04-31") == "1:5: invalid date or time '1979-04-31': there is no such day")
        #expect(problem("d = 1979-05-00") == "1:5: invalid date or time '1979-05-00': there is no such day")
        #expect(problem("t = 24:00:00") == "1:5: invalid date or time '24:00:00': there is no such time")
        #expect(problem("t = 07:60:00") == "1:5: invalid date or time '07:60:00': there is no such time")
        #expect(problem("t = 07:32") == "1:5: invalid date or time '07:32': a time needs seconds (HH:MM:SS)")
        #expect(problem("t = 07:32:00.") == "1:5: invalid date or time '07:32:00.': a '.' must be followed by digits")
        #expect(problem("t = 07:32:00Z") == "1:5: invalid date or time '07:32:00Z': \(hint)")
        #expect(problem("d = 1979-5-27") == "1:5: invalid date or time '1979-5-27': \(hint)")
        #expect(
            problem("d = 1979-05-27T07:32:00+25:00")
                == "1:5: invalid date or time '1979-05-27T07:32:00+25:00': there is no such time zone offset")
        #expect(
            problem("d = 1979-05-27T07:32:00+0700")
                == "1:5: invalid date or time '1979-05-27T07:32:00+0700': \(hint)")
        #expect(problem("d = 1979-05-27X07:32:00") == "1:5: invalid date or time '1979-05-27X07:32:00': \(hint)")
        #expect(
            problem("d = 1979-05-27 07:32")
                == "1:5: invalid date or time '1979-05-27 07:32': a time needs seconds (HH:MM:SS)")
        #expect(problem("d = 1979-05-27 x") == "1:16: expected a newline after a value, found 'x'")
    }
}
