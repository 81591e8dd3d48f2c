/// OpenAI Chat Completions bodies and streams as the API documents them.
enum OpenAIWire {
    static let completion = """
        {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741569952,\
        "model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant",\
        "content":"Paris is the capital of France.","refusal":null,"annotations":[]},"logprobs":null,\
        "finish_reason":"stop"}],"usage":{"prompt_tokens":19,"completion_tokens":8,"total_tokens":27,\
        "prompt_tokens_details":{"cached_tokens":12,"audio_tokens":0},"completion_tokens_details":\
        {"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},\
        "service_tier":"default","system_fingerprint":"fp_06737a9306"}
        """

    static func chunk(_ delta: String, finish: String? = nil) -> String {
        let reason = finish.map { "\"\($0)\"" } ?? "null"
        return Respond.data(
            """
            {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,\
            "model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,\
            "delta":\(delta),"logprobs":null,"finish_reason":\(reason)}],"usage":null}
            """)
    }

    /// Role chunk, three content chunks, the finish chunk, the usage chunk (`include_usage`), `[DONE]`.
    static let stream: [String] = [
        chunk(#"{"role":"assistant","content":"","refusal":null}"#),
        chunk(#"{"content":"Paris"}"#),
        chunk(#"{"content":" is the"}"#),
        chunk(#"{"content":" capital."}"#),
        chunk("{}", finish: "stop"),
        Respond.data(
            """
            {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,\
            "model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_44709d6fcb","choices":[],\
            "usage":{"prompt_tokens":19,"completion_tokens":4,"total_tokens":23,\
            "prompt_tokens_details":{"cached_tokens":0}}}
            """),
        "data: [DONE]\n\n",
    ]

    static let rateLimited = """
        {"error":{"message":"Rate limit reached for gpt-4o-mini in organization org-abc on requests per min (RPM): \
        Limit 3, Used 3, Requested 1. Please try again in 20s.","type":"requests","param":null,\
        "code":"rate_limit_exceeded"}}
        """
    static let insufficientQuota = """
        {"error":{"message":"You exceeded your current quota, please check your plan and billing details. For more \
        information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",\
        "type":"insufficient_quota","param":null,"code":"insufficient_quota"}}
        """
    static func invalidKey(_ shown: String) -> String {
        """
        {"error":{"message":"Incorrect API key provided: \(shown). You can find your API key at \
        https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,\
        "code":"invalid_api_key"}}
        """
    }
    static let contextLength = """
        {"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted in \
        130532 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages",\
        "code":"context_length_exceeded"}}
        """
    static let serverError = """
        {"error":{"message":"The server had an error while processing your request. Sorry about that!",\
        "type":"server_error","param":null,"code":null}}
        """
    /// vLLM's error shape (top-level fields).
    static let vllmContextLength = """
        {"object":"error","message":"This model's maximum context length is 4096 tokens. However, you requested \
        5000 tokens (4000 in the messages, 1000 in the completion). Please reduce the length of the messages or \
        completion.","type":"BadRequestError","param":null,"code":400}
        """
}
