import JSON

/// The retained payload of `<base>/<node>/last_answer`, read by Home Assistant's "Last answer" sensor.
///
/// Home Assistant caps a state at 255 characters, so `state` is the answer's text cut to 255 (ending in `…` when
/// cut), and the full text and details are attributes: `{"state":..., "text":..., "answer":..., "prompt":...,
/// "skill":..., "model":..., "confidence":..., "cost_usd":..., "duration_ms":..., "answered_at":"...Z"}`.
public enum LastAnswer {
    /// Home Assistant's limit on a state's length, in characters (Unicode code points).
    public static let maxStateCharacters = 255
    /// Text longer than this many characters is cut in the attributes too (Home Assistant does not record
    /// attributes above 16 KiB); `text_truncated` is then true.
    public static let maxTextCharacters = 12_000

    /// The payload for an `ask` reply's `data`, with the question asked (when known), answered at `unixMillis`.
    public static func payload(prompt: String?, data: JSONObject, answeredAtMillis unixMillis: Int64) -> [UInt8] {
        let text = data["text"]?.stringValue ?? data["answer"]?.stringValue ?? ""
        var object: JSONObject = ["state": .string(cut(text, to: maxStateCharacters))]
        let fullText = cut(text, to: maxTextCharacters)
        object["text"] = .string(fullText)
        if fullText != text { object["text_truncated"] = true }
        if let answer = data["answer"] { object["answer"] = answer }
        if let prompt { object["prompt"] = .string(cut(prompt, to: maxStateCharacters)) }
        for key in ["skill", "model", "confidence", "cost_usd", "duration_ms"] {
            if let value = data[key] { object[key] = value }
        }
        object["answered_at"] = .string(MetricsCalendar.iso8601UTC(unixMillis: unixMillis))
        return JSONValue.object(object).encoded()
    }

    /// `text` cut to at most `limit` Unicode code points (as Home Assistant counts), ending in `…` when cut.
    static func cut(_ text: String, to limit: Int) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count > limit else { return text }
        var view = String.UnicodeScalarView(scalars.prefix(limit - 1))
        view.append("…")
        return String(view)
    }
}
