/// An incremental `text/event-stream` parser that follows the HTML Living Standard: lines end in CRLF, LF or CR;
/// `data:` lines are joined with LF; `event:`, `id:` and `retry:` are honoured; lines starting with `:` are comments;
/// a leading byte order mark is dropped; an event is dispatched at a blank line, and one left unfinished when the
/// stream ends is discarded. Bytes may be split anywhere between calls to ``feed(_:)``, even inside a CRLF.
public struct ServerSentEventParser: Sendable {
    private var line: [UInt8] = []
    private var lastWasCarriageReturn = false
    private var atStreamStart = true
    private var eventType = ""
    private var data: [UInt8] = []
    private var hasData = false

    /// The last event ID the stream set with `id:`.
    public private(set) var lastEventID = ""
    /// The reconnection time in milliseconds the stream set with `retry:`, if any.
    public private(set) var reconnectionTime: Int?
    /// How many comment lines were skipped (servers send them as keep-alives).
    public private(set) var commentCount = 0

    /// A parser at the start of a stream.
    public init() {}

    /// Parses the next bytes of the stream and returns the events they complete, in order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\n"):
                if lastWasCarriageReturn {
                    lastWasCarriageReturn = false  // the LF of a CRLF split from its CR
                } else {
                    endLine(into: &events)
                }
            case UInt8(ascii: "\r"):
                lastWasCarriageReturn = true
                endLine(into: &events)
            default:
                lastWasCarriageReturn = false
                line.append(byte)
            }
        }
        return events
    }

    private mutating func endLine(into events: inout [ServerSentEvent]) {
        if atStreamStart {
            atStreamStart = false
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        }
        defer { line.removeAll(keepingCapacity: true) }
        guard let first = line.first else {
            dispatch(into: &events)
            return
        }
        if first == UInt8(ascii: ":") {
            commentCount += 1
            return
        }
        let colon = line.firstIndex(of: UInt8(ascii: ":"))
        let name = line[..<(colon ?? line.endIndex)]
        var value = colon.map { line[line.index(after: $0)...] } ?? line[line.endIndex...]
        if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        process(field: name, value: value)
    }

    private mutating func process(field name: ArraySlice<UInt8>, value: ArraySlice<UInt8>) {
        if name.elementsEqual("data".utf8) {
            data.append(contentsOf: value)
            data.append(UInt8(ascii: "\n"))
            hasData = true
        } else if name.elementsEqual("event".utf8) {
            eventType = String(decoding: value, as: UTF8.self)
        } else if name.elementsEqual("id".utf8) {
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        } else if name.elementsEqual("retry".utf8) {
            if !value.isEmpty, value.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
                reconnectionTime = Int(String(decoding: value, as: UTF8.self))
            }
        }
        // Other field names are ignored, as the standard says.
    }

    private mutating func dispatch(into events: inout [ServerSentEvent]) {
        defer {
            data.removeAll(keepingCapacity: true)
            hasData = false
            eventType = ""
        }
        guard hasData else { return }
        data.removeLast()  // the LF after the last data line
        let type = eventType.isEmpty ? "message" : eventType
        events.append(ServerSentEvent(event: type, data: String(decoding: data, as: UTF8.self), id: lastEventID))
    }
}
