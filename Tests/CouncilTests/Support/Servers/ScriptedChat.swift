import Foundation
import Synchronization

/// A fake OpenAI-compatible server whose n-th chat completion returns `replies[n]` (the last one from then on),
/// reporting 120 prompt and 30 completion tokens each time: the scripted model of the code skill and run tests.
func scriptedChatServer(_ replies: [String]) throws -> FakeServer {
    let served = Mutex(0)
    return try FakeServer { request in
        guard request.path.hasSuffix("/chat/completions") else { return Respond.json("{}", status: 404) }
        let index = served.withLock { count in
            defer { count += 1 }
            return min(count, replies.count - 1)
        }
        return Respond.json(chatCompletion(replies[index]))
    }
}

/// A chat completion body as OpenAI documents it, with `content` as the message and 120 + 30 tokens of usage.
func chatCompletion(_ content: String) -> String {
    let body: [String: Any] = [
        "id": "chatcmpl-scripted", "object": "chat.completion", "created": 1_741_569_952, "model": "coder-1",
        "choices": [
            [
                "index": 0, "message": ["role": "assistant", "content": content, "refusal": NSNull()],
                "logprobs": NSNull(), "finish_reason": "stop",
            ]
        ],
        "usage": ["prompt_tokens": 120, "completion_tokens": 30, "total_tokens": 150],
    ]
    let data = try! JSONSerialization.data(withJSONObject: body)  // a literal dictionary of plain values
    return String(decoding: data, as: UTF8.self)
}

/// The chat completions `server` received (health checks left out).
func chatRequests(_ server: FakeServer) -> [FakeServer.Request] {
    server.requests.filter { $0.path.hasSuffix("/chat/completions") }
}
