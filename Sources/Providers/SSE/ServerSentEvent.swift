/// One event of a `text/event-stream`, as the HTML Living Standard's "dispatch the event" step produces it.
public struct ServerSentEvent: Sendable, Equatable {
    /// The `event:` field, or `message` when the event had none.
    public var event: String
    /// The `data:` lines joined with line feeds.
    public var data: String
    /// The last event ID seen so far in the stream (empty when none was sent).
    public var id: String

    /// Creates an event.
    public init(event: String = "message", data: String, id: String = "") {
        self.event = event
        self.data = data
        self.id = id
    }
}
