/// Gemini generateContent bodies and `alt=sse` streams as the API documents them.
enum GeminiWire {
    static let response = """
        {"candidates":[{"content":{"parts":[{"text":"A haiku "},{"text":"about rain."}],"role":"model"},\
        "finishReason":"STOP","avgLogprobs":-0.12,"index":0}],"usageMetadata":{"promptTokenCount":8,\
        "candidatesTokenCount":5,"totalTokenCount":20,"thoughtsTokenCount":7,"promptTokensDetails":\
        [{"modality":"TEXT","tokenCount":8}]},"modelVersion":"gemini-2.5-flash","responseId":"mBxwaNWlLuO0nvgPhPzuqAQ"}
        """

    static func chunk(_ text: String, finish: String? = nil, usage: String? = nil) -> String {
        var json = #"{"candidates":[{"content":{"parts":[{"text":"\#(text)"}],"role":"model"}"#
        if let finish { json += #","finishReason":"\#(finish)""# }
        json += #","index":0}]"#
        if let usage { json += #","usageMetadata":\#(usage)"# }
        json += #","modelVersion":"gemini-2.0-flash","responseId":"Bx2AaPSeD5Tvz7IPnYqA0A4"}"#
        return "data: \(json)\r\n\r\n"
    }

    static let stream: [String] = [
        chunk("The"),
        chunk(" quick brown"),
        chunk(" fox.", finish: "STOP", usage: #"{"promptTokenCount":4,"candidatesTokenCount":6,"totalTokenCount":10}"#),
    ]

    static func status(_ code: Int, _ status: String, _ message: String, details: String = "[]") -> String {
        #"{"error":{"code":\#(code),"message":"\#(message)","status":"\#(status)","details":\#(details)}}"#
    }
    static let perMinute = status(
        429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and billing details.",
        details: """
            [{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":\
            "generativelanguage.googleapis.com/generate_content_free_tier_requests","quotaId":\
            "GenerateRequestsPerMinutePerProjectPerModel-FreeTier","quotaDimensions":{"location":"global",\
            "model":"gemini-2.0-flash"},"quotaValue":"15"}]},{"@type":"type.googleapis.com/google.rpc.Help",\
            "links":[{"description":"Learn more about Gemini API quotas","url":\
            "https://ai.google.dev/gemini-api/docs/rate-limits"}]},{"@type":"type.googleapis.com/google.rpc.RetryInfo",\
            "retryDelay":"2s"}]
            """)
    static let perDay = status(
        429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and billing details.",
        details: """
            [{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":\
            "generativelanguage.googleapis.com/generate_content_free_tier_requests","quotaId":\
            "GenerateRequestsPerDayPerProjectPerModel-FreeTier","quotaValue":"200"}]},\
            {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"42s"}]
            """)
    static let invalidKey = status(
        400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.",
        details: """
            [{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com",\
            "metadata":{"service":"generativelanguage.googleapis.com"}}]
            """)
    static let overloaded = status(503, "UNAVAILABLE", "The model is overloaded. Please try again later.")
    static let tooLong = status(
        400, "INVALID_ARGUMENT",
        "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).")
}
