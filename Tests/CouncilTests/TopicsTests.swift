import Council
import Testing

@Suite("Topics")
struct TopicsTests {
    let topics = Topics(base: "council", node: "kitchen")

    @Test("a request topic names its op, on the shared and on the node's own prefix")
    func opFromRequestTopic() {
        #expect(topics.op(fromRequestTopic: "council/request/ask") == "ask")
        #expect(topics.op(fromRequestTopic: "council/kitchen/request/ask") == "ask")
        #expect(topics.op(fromRequestTopic: "council/request/memory/add") == "memory/add")
        #expect(topics.op(fromRequestTopic: "council/kitchen/request/ünïcode") == "ünïcode")
    }

    @Test("other topics, another node's requests and an empty op are not request topics")
    func notRequestTopics() {
        for topic in [
            "council/request/", "council/kitchen/request/", "council/request", "council/garage/request/ask",
            "council/kitchen/response/ask", "other/request/ask", "council/requests/ask", "", "council/kitchen/status",
        ] {
            #expect(topics.op(fromRequestTopic: topic) == nil, "\(topic)")
        }
    }

    @Test("the subscriptions cover both prefixes")
    func requestFilters() {
        #expect(topics.requestFilters == ["council/request/#", "council/kitchen/request/#"])
    }
}
