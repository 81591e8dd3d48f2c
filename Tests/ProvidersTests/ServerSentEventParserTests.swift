import Providers
import XCTest

/// The SSE parser against the HTML standard's rules, fed in every possible split.
final class ServerSentEventParserTests: XCTestCase {
    private func parse(_ text: String) -> [ServerSentEvent] {
        var parser = ServerSentEventParser()
        return parser.feed(Array(text.utf8))
    }

    func testJoinsDataLinesAndReadsEventNames() {
        let events = parse("event: add\ndata: first\ndata: second\n\ndata:{\"x\":1}\n\n")
        XCTAssertEqual(
            events,
            [
                ServerSentEvent(event: "add", data: "first\nsecond"),
                ServerSentEvent(event: "message", data: "{\"x\":1}"),
            ])
    }

    func testEveryLineEndingEndsALine() {
        let expected = [ServerSentEvent(data: "a\nb"), ServerSentEvent(event: "e", data: "c")]
        XCTAssertEqual(parse("data: a\r\ndata: b\r\n\r\nevent: e\r\ndata: c\r\n\r\n"), expected)
        XCTAssertEqual(parse("data: a\rdata: b\r\revent: e\rdata: c\r\r"), expected)
        XCTAssertEqual(parse("data: a\ndata: b\r\n\revent: e\ndata: c\r\n\n"), expected)
    }

    func testCommentsAndUnknownFieldsAreSkipped() {
        var parser = ServerSentEventParser()
        let events = parser.feed(Array(": keep-alive\n:\nfoo: bar\ndata: x\n\n: another\n\n".utf8))
        XCTAssertEqual(events, [ServerSentEvent(data: "x")])
        XCTAssertEqual(parser.commentCount, 3)
    }

    func testOnlyOneLeadingSpaceIsStrippedAndFieldsMayLackAColon() {
        XCTAssertEqual(parse("data:  two spaces\n\n"), [ServerSentEvent(data: " two spaces")])
        XCTAssertEqual(parse("data\n\n"), [ServerSentEvent(data: "")])
        XCTAssertEqual(parse("data:\ndata\n\n"), [ServerSentEvent(data: "\n")])
        XCTAssertEqual(parse("data: a:b: c\n\n"), [ServerSentEvent(data: "a:b: c")])
    }

    func testBlankLinesWithoutDataDispatchNothingAndResetTheEventName() {
        XCTAssertEqual(parse("event: ping\n\n\n\ndata: x\n\n"), [ServerSentEvent(data: "x")])
    }

    func testAnUnfinishedEventAtTheEndIsNotDispatched() {
        XCTAssertEqual(parse("data: done\n\ndata: half"), [ServerSentEvent(data: "done")])
        XCTAssertEqual(parse("data: done\n\ndata: half\n"), [ServerSentEvent(data: "done")])
    }

    func testIdAndRetry() {
        var parser = ServerSentEventParser()
        let events = parser.feed(
            Array("id: 7\nretry: 3000\ndata: a\n\nretry: soon\ndata: b\n\nid: 8\u{0}\ndata: c\n\n".utf8))
        XCTAssertEqual(events.map(\.id), ["7", "7", "7"])
        XCTAssertEqual(parser.lastEventID, "7")
        XCTAssertEqual(parser.reconnectionTime, 3000)
    }

    func testALeadingByteOrderMarkIsDropped() {
        XCTAssertEqual(parse("\u{FEFF}data: x\n\n"), [ServerSentEvent(data: "x")])
        XCTAssertEqual(parse("data: \u{FEFF}x\n\n"), [ServerSentEvent(data: "\u{FEFF}x")])
    }

    func testSplittingTheStreamAnywhereGivesTheSameEvents() {
        let stream = Array(
            "\u{FEFF}event: message_start\r\ndata: {\"a\":\"é😀\"}\r\n\r\n: ping\r\ndata: one\rdata: two\r\rdata: [DONE]\n\n"
                .utf8)
        var whole = ServerSentEventParser()
        let expected = whole.feed(stream)
        XCTAssertEqual(expected.count, 3)
        XCTAssertEqual(expected[0], ServerSentEvent(event: "message_start", data: "{\"a\":\"é😀\"}"))
        for first in 0...stream.count {
            for second in first...stream.count
            where second == first || second == stream.count || (second - first) % 7 == 0 {
                var parser = ServerSentEventParser()
                var events = parser.feed(stream[..<first])
                events += parser.feed(stream[first..<second])
                events += parser.feed(stream[second...])
                XCTAssertEqual(events, expected, "split at \(first) and \(second)")
            }
        }
        var byteByByte = ServerSentEventParser()
        XCTAssertEqual(stream.flatMap { byteByByte.feed([$0]) }, expected)
    }
}
