/// Anthropic Messages bodies and event streams as the API documents them.
enum AnthropicWire {
    static let message = """
        {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-3-5-haiku-20241022",\
        "content":[{"type":"text","text":"Hello! "},{"type":"text","text":"How can I help?"}],\
        "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":0,\
        "cache_read_input_tokens":100,"output_tokens":9}}
        """

    static let messageStart = Respond.event(
        "message_start",
        """
        {"type":"message_start","message":{"id":"msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY","type":"message",\
        "role":"assistant","content":[],"model":"claude-3-5-haiku-20241022","stop_reason":null,\
        "stop_sequence":null,"usage":{"input_tokens":25,"cache_creation_input_tokens":0,\
        "cache_read_input_tokens":0,"output_tokens":1}}}
        """)
    static let blockStart = Respond.event(
        "content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#)
    static let ping = Respond.event("ping", #"{"type": "ping"}"#)
    static func delta(_ text: String) -> String {
        Respond.event(
            "content_block_delta",
            #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\#(text)"}}"#)
    }
    static let blockStop = Respond.event("content_block_stop", #"{"type":"content_block_stop","index":0}"#)
    static let messageDelta = Respond.event(
        "message_delta",
        #"{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}"#
    )
    static let messageStop = Respond.event("message_stop", #"{"type":"message_stop"}"#)
    static let overloadedEvent = Respond.event(
        "error", #"{"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}"#)

    static let stream: [String] = [
        messageStart, blockStart, ping, delta("Hello"), delta("!"), delta(" Hi."), blockStop, messageDelta,
        messageStop,
    ]

    static func error(_ type: String, _ message: String) -> String {
        #"{"type":"error","error":{"type":"\#(type)","message":"\#(message)"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}"#
    }
    static let overloaded = error("overloaded_error", "Overloaded")
    static let rateLimited = error(
        "rate_limit_error",
        "This request would exceed the rate limit for your organization of 50 input tokens per minute.")
    static let creditTooLow = error(
        "invalid_request_error",
        "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."
    )
    static let promptTooLong = error("invalid_request_error", "prompt is too long: 208310 tokens > 200000 maximum")
}
