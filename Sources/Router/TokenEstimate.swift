/// Token counts estimated from text when no tokenizer is at hand: about four characters a token for English,
/// rounded up, plus a few tokens of framing per chat message. Used to reserve budget before a call (a slight
/// overestimate is the safe side) and to price a stream that ended without reported usage.
public enum TokenEstimate {
    /// Tokens of framing per message (role markers and separators).
    static let perMessage = 4

    /// Estimated tokens of `text`.
    public static func tokens(in text: String) -> Int {
        (text.utf8.count + 3) / 4
    }

    /// Estimated prompt tokens of a conversation.
    public static func tokens(in turns: [ChatTurn]) -> Int {
        turns.reduce(3) { $0 + perMessage + tokens(in: $1.text) }
    }

    /// A bound no tokenizer exceeds: one token per UTF-8 byte plus the framing. Budget reservations use it, so that
    /// an unusual prompt (code, non-Latin scripts) can never make a paid call cost more than was reserved.
    public static func upperBound(in turns: [ChatTurn]) -> Int {
        turns.reduce(3) { $0 + perMessage + $1.text.utf8.count }
    }
}
