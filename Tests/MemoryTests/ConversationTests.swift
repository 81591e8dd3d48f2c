import Memory
import Store
import XCTest

final class ConversationTests: XCTestCase {
    var folder: TestFolder!

    override func setUpWithError() throws { folder = try TestFolder(name) }
    override func tearDown() { folder.remove() }

    func testSessionsNeverSeeEachOthersTurns() throws {
        let conversations = try ConversationMemory(database: folder.openDatabase())
        try conversations.record(session: "alice", question: "My name is Alice.", answer: "Hello Alice.")
        try conversations.record(session: "bob", question: "My name is Bob.", answer: "Hello Bob.")
        let alice = try conversations.recent(session: "alice")
        XCTAssertEqual(alice.map(\.text), ["My name is Alice.", "Hello Alice."])
        XCTAssertEqual(alice.map(\.role), [.user, .assistant])
        XCTAssertEqual(try conversations.recent(session: "bob").map(\.text), ["My name is Bob.", "Hello Bob."])
        XCTAssertEqual(try conversations.recent(session: "carol"), [])
    }

    func testOldestTurnsAreDroppedFirstToFitTheBudget() throws {
        let conversations = try ConversationMemory(
            database: folder.openDatabase(), options: ConversationOptions(tokenBudget: 10))
        for index in 1...6 {
            // 12 bytes → 3 estimated tokens each.
            try conversations.append(session: "s", turns: [(.user, "question \(index)..")])
        }
        XCTAssertEqual(
            try conversations.recent(session: "s").map(\.text), ["question 4..", "question 5..", "question 6.."])
        XCTAssertEqual(try conversations.recent(session: "s", tokenBudget: 2), [])
        XCTAssertEqual(try conversations.recent(session: "s", tokenBudget: 1_000).count, 6)
    }

    func testExpiredTurnsAreIgnoredAndPruned() throws {
        let conversations = try ConversationMemory(
            database: folder.openDatabase(), options: ConversationOptions(tokenBudget: 1_000, expiryDays: 1))
        let day: Int64 = 86_400_000
        let now: Int64 = 1_750_000_000_000
        try conversations.record(session: "s", question: "old", answer: "old answer", nowMillis: now - 2 * day)
        try conversations.record(session: "s", question: "new", answer: "new answer", nowMillis: now - day / 2)
        XCTAssertEqual(try conversations.recent(session: "s", nowMillis: now).map(\.text), ["new", "new answer"])
        XCTAssertEqual(try conversations.pruneExpired(nowMillis: now), 2)
        XCTAssertEqual(try conversations.log.count(session: "s"), 2)
        let forever = try ConversationMemory(
            database: folder.openDatabase(), options: ConversationOptions(expiryDays: nil))
        XCTAssertEqual(try forever.pruneExpired(nowMillis: now + 365 * day), 0)
    }

    func testForgettingASessionDropsOnlyItsTurnsAndTurnsPersist() throws {
        do {
            let conversations = try ConversationMemory(database: folder.openDatabase())
            try conversations.record(session: "a", question: "q1", answer: "a1")
            try conversations.record(session: "b", question: "q2", answer: "a2")
        }
        let reopened = try ConversationMemory(database: folder.openDatabase())
        XCTAssertEqual(try reopened.recent(session: "a").map(\.text), ["q1", "a1"])
        XCTAssertEqual(try reopened.forget(session: "a"), 2)
        XCTAssertEqual(try reopened.recent(session: "a"), [])
        XCTAssertEqual(try reopened.recent(session: "b").map(\.text), ["q2", "a2"])
    }

    func testBadSessionNamesAreRejected() throws {
        let conversations = try ConversationMemory(database: folder.openDatabase())
        for session in ["", "tab\there"] {
            XCTAssertThrowsError(try conversations.record(session: session, question: "q", answer: "a")) { error in
                XCTAssertEqual((error as? MemoryError)?.code, .invalidSession)
            }
        }
    }
}
