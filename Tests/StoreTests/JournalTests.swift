import Store
import Testing

@Suite("Journal")
struct JournalTests {
    let folder: TemporaryFolder
    let path: String
    let database: Database
    let journal: Journal

    static let window: Int64 = 10_000

    init() throws {
        folder = try TemporaryFolder()
        path = folder.file("council.db")
        database = try StoreSchema.open(path: path)
        journal = try Journal(database: database, dedupeWindowMillis: Self.window)
    }

    static func request(
        _ prompt: String = "2+2",
        replyTopic: String = "council/node/response/ask",
        correlationData: [UInt8]? = [0xC0, 0x00, 0x01],
        receivedAt: Int64 = 1_000,
        expiresAt: Int64? = nil
    ) -> JournalEntry {
        JournalEntry(
            op: "ask",
            topic: "council/request/ask",
            payload: Array("{\"prompt\":\"\(prompt)\"}".utf8),
            replyTopic: replyTopic,
            correlationData: correlationData,
            receivedAtMillis: receivedAt,
            expiresAtMillis: expiresAt
        )
    }

    private func admittedID(_ admission: Admission) throws -> Int64 {
        guard case .admitted(let id) = admission else { throw TestFailure("expected admitted, got \(admission)") }
        return id
    }

    @Test("admitted requests get increasing ids and are pending until marked done")
    func admitAndMarkDone() throws {
        let first = try admittedID(try journal.admit(Self.request("a"), transaction: nil, nowMillis: 1_000))
        let second = try admittedID(try journal.admit(Self.request("b"), transaction: nil, nowMillis: 1_001))
        #expect(second > first)
        #expect(try journal.pendingCount() == 2)
        #expect(try journal.markDone(id: first, nowMillis: 1_100))
        #expect(try !journal.markDone(id: first, nowMillis: 1_200))  // already done
        #expect(try !journal.markDone(id: 999_999, nowMillis: 1_200))  // unknown
        #expect(try journal.pendingCount() == 1)
        #expect(try journal.pendingForReplay(nowMillis: 1_300).replay.map(\.id) == [second])
    }

    @Test("the same request is a duplicate while pending and within the window after done, then admitted again")
    func duplicateWindow() throws {
        let request = Self.request()
        let id = try admittedID(try journal.admit(request, transaction: "t-42", nowMillis: 1_000))
        #expect(try journal.admit(request, transaction: "t-42", nowMillis: 50_000) == .duplicate)  // pending
        try journal.markDone(id: id, nowMillis: 60_000)
        #expect(try journal.admit(request, transaction: "t-42", nowMillis: 60_000 + Self.window - 1) == .duplicate)
        let again = try admittedID(try journal.admit(request, transaction: "t-42", nowMillis: 60_000 + Self.window))
        #expect(again > id)
        #expect(try journal.pendingCount() == 1)
        // The re-admitted request now holds the key.
        #expect(try journal.admit(request, transaction: "t-42", nowMillis: 80_000) == .duplicate)
    }

    @Test("a transaction alone is a dedupe key")
    func transactionOnly() throws {
        let request = Self.request(correlationData: nil)
        _ = try admittedID(try journal.admit(request, transaction: "t-1", nowMillis: 1_000))
        #expect(try journal.admit(request, transaction: "t-1", nowMillis: 1_001) == .duplicate)
        _ = try admittedID(try journal.admit(request, transaction: "t-2", nowMillis: 1_002))
    }

    @Test("requests without correlation data or transaction are never duplicates")
    func noKey() throws {
        let request = Self.request(correlationData: nil)
        let ids = try (0..<3).map { _ in try admittedID(try journal.admit(request, transaction: nil, nowMillis: 1_000))
        }
        #expect(Set(ids).count == 3)
        #expect(try journal.pendingCount() == 3)
    }

    @Test("a different payload, reply topic, correlation data or transaction is a different request")
    func keyParts() throws {
        _ = try admittedID(try journal.admit(Self.request(), transaction: "t", nowMillis: 1_000))
        let variants: [(JournalEntry, String?)] = [
            (Self.request("3+3"), "t"),
            (Self.request(replyTopic: "other/reply"), "t"),
            (Self.request(correlationData: [0xC0, 0x00, 0x02]), "t"),
            (Self.request(correlationData: []), "t"),
            (Self.request(), "u"),
            (Self.request(), nil),
        ]
        for (entry, transaction) in variants {
            _ = try admittedID(try journal.admit(entry, transaction: transaction, nowMillis: 1_000))
        }
        #expect(try journal.pendingCount() == 1 + variants.count)
        for (entry, transaction) in variants {
            #expect(try journal.admit(entry, transaction: transaction, nowMillis: 1_001) == .duplicate)
        }
    }

    @Test("replay returns pending entries oldest first with every field, and counts the expired")
    func replay() throws {
        let kept = Self.request("kept", correlationData: [0, 1, 0], receivedAt: 1_000, expiresAt: 9_000)
        let expired = Self.request("late", receivedAt: 1_001, expiresAt: 5_000)
        let noExpiry = Self.request("forever", correlationData: nil, receivedAt: 1_002, expiresAt: nil)
        let done = Self.request("done", receivedAt: 1_003)
        let keptID = try admittedID(try journal.admit(kept, transaction: nil, nowMillis: 1_000))
        _ = try admittedID(try journal.admit(expired, transaction: nil, nowMillis: 1_001))
        let noExpiryID = try admittedID(try journal.admit(noExpiry, transaction: nil, nowMillis: 1_002))
        let doneID = try admittedID(try journal.admit(done, transaction: nil, nowMillis: 1_003))
        try journal.markDone(id: doneID, nowMillis: 1_500)

        let result = try journal.pendingForReplay(nowMillis: 5_000)  // expiry is inclusive
        var expectedKept = kept
        expectedKept.id = keptID
        var expectedNoExpiry = noExpiry
        expectedNoExpiry.id = noExpiryID
        #expect(result.replay == [expectedKept, expectedNoExpiry])
        #expect(result.expired == 1)
        #expect(try journal.pendingCount() == 2)

        let later = try journal.pendingForReplay(nowMillis: 9_000)
        #expect(later.replay.map(\.id) == [noExpiryID])
        #expect(later.expired == 1)
        #expect(try journal.pendingForReplay(nowMillis: 9_001).expired == 0)
    }

    @Test("an expired request still counts as a duplicate within the window")
    func expiredDeduplicates() throws {
        let request = Self.request(expiresAt: 2_000)
        _ = try admittedID(try journal.admit(request, transaction: nil, nowMillis: 1_000))
        #expect(try journal.pendingForReplay(nowMillis: 3_000).expired == 1)
        #expect(try journal.admit(request, transaction: nil, nowMillis: 3_001) == .duplicate)
        _ = try admittedID(try journal.admit(request, transaction: nil, nowMillis: 3_000 + Self.window))
    }

    @Test("prune deletes finished entries older than the window and keeps pending and recent ones")
    func prune() throws {
        let old = try admittedID(try journal.admit(Self.request("old"), transaction: nil, nowMillis: 1_000))
        let recent = try admittedID(try journal.admit(Self.request("recent"), transaction: nil, nowMillis: 1_000))
        _ = try admittedID(
            try journal.admit(Self.request("expired", expiresAt: 1_500), transaction: nil, nowMillis: 1_000))
        let pending = try admittedID(try journal.admit(Self.request("pending"), transaction: nil, nowMillis: 1_000))
        try journal.markDone(id: old, nowMillis: 2_000)
        #expect(try journal.pendingForReplay(nowMillis: 2_000).expired == 1)
        try journal.markDone(id: recent, nowMillis: 7_000)

        #expect(try journal.prune(nowMillis: 2_000 + Self.window - 1) == 0)
        #expect(try journal.prune(nowMillis: 2_000 + Self.window) == 2)  // old and expired
        #expect(try journal.prune(nowMillis: 2_000 + Self.window) == 0)
        let left = try database.query("SELECT id FROM journal ORDER BY id").map { try $0.get(0, as: Int64.self) }
        #expect(left == [recent, pending])
        #expect(try journal.prune(nowMillis: 1_000_000) == 1)
        #expect(try journal.pendingForReplay(nowMillis: 1_000_000).replay.map(\.id) == [pending])
        // Ids are never reused after pruning.
        let next = try admittedID(try journal.admit(Self.request("next"), transaction: nil, nowMillis: 1_000_000))
        #expect(next > pending)
    }

    @Test("prune keeps the newest entry even when finished, so ids keep increasing")
    func pruneKeepsNewest() throws {
        let first = try admittedID(try journal.admit(Self.request("a"), transaction: nil, nowMillis: 1_000))
        let newest = try admittedID(try journal.admit(Self.request("b"), transaction: nil, nowMillis: 1_000))
        try journal.markDone(id: first, nowMillis: 1_000)
        try journal.markDone(id: newest, nowMillis: 1_000)
        #expect(try journal.prune(nowMillis: 1_000_000) == 1)
        let next = try admittedID(try journal.admit(Self.request("c"), transaction: nil, nowMillis: 1_000_000))
        #expect(next > newest)
    }

    private func isDuplicate(_ journal: Journal, _ entry: JournalEntry, _ transaction: String?, at now: Int64) throws
        -> Bool
    {
        try journal.duplicateCheck(Journal.Arrival(entry, transaction: transaction), nowMillis: now).isDuplicate
    }

    @Test("duplicateCheck agrees with admission: new, pending, within the window, after it")
    func duplicateCheckAgreesWithAdmission() throws {
        let request = Self.request()
        #expect(try !isDuplicate(journal, request, "t", at: 1_000))
        let id = try admittedID(try journal.admit(request, transaction: "t", nowMillis: 1_000))
        #expect(try isDuplicate(journal, request, "t", at: 1_001))
        #expect(try !isDuplicate(journal, request, "u", at: 1_001))
        #expect(try !isDuplicate(journal, Self.request("3+3"), "t", at: 1_001))
        try journal.markDone(id: id, nowMillis: 2_000)
        #expect(try isDuplicate(journal, request, "t", at: 2_000 + Self.window - 1))
        #expect(try !isDuplicate(journal, request, "t", at: 2_000 + Self.window))
        // Nothing was written by the checks.
        #expect(try database.query("SELECT count(*) FROM journal")[0].get(0, as: Int.self) == 1)
    }

    @Test("a journal opened again (a restart) still recognises the requests it holds")
    func duplicatesSurviveReopening() throws {
        let entries = (0..<50).map { Self.request("q\($0)", correlationData: [UInt8(truncatingIfNeeded: $0)]) }
        for entry in entries { _ = try admittedID(try journal.admit(entry, transaction: nil, nowMillis: 1_000)) }
        let reopened = try Journal(database: try StoreSchema.open(path: path), dedupeWindowMillis: Self.window)
        #expect(reopened.keyIndexSummary.count == 50)
        for entry in entries { #expect(try isDuplicate(reopened, entry, nil, at: 1_001)) }
        #expect(try !isDuplicate(reopened, Self.request("new"), nil, at: 1_001))
    }

    @Test("past its capacity the key index gives up and the database answers, until pruning shrinks the journal")
    func keyIndexOverflow() throws {
        let small = try Journal(database: database, dedupeWindowMillis: Self.window, keyIndexCapacity: 3)
        let entries = (0..<5).map { Self.request("q\($0)") }
        var ids: [Int64] = []
        for entry in entries { ids.append(try admittedID(try small.admit(entry, transaction: nil, nowMillis: 1_000))) }
        #expect(small.keyIndexSummary.isComplete == false)
        for entry in entries { #expect(try isDuplicate(small, entry, nil, at: 1_001)) }
        #expect(try !isDuplicate(small, Self.request("new"), nil, at: 1_001))
        for id in ids.dropLast(2) { try small.markDone(id: id, nowMillis: 2_000) }
        #expect(try small.prune(nowMillis: 2_000 + Self.window) == 3)
        #expect(small.keyIndexSummary == (count: 2, isComplete: true))
        for entry in entries.suffix(2) { #expect(try isDuplicate(small, entry, nil, at: 2_000 + Self.window)) }
        for entry in entries.prefix(3) { #expect(try !isDuplicate(small, entry, nil, at: 2_000 + Self.window)) }
    }

    @Test("an arrival whose reply was already delivered is recorded done, still deduplicates, and is pruned later")
    func deliveredArrivalIsRecordedDone() throws {
        var arrival = Journal.Arrival(Self.request("answered"), transaction: nil)
        arrival.isDelivered = true
        let pending = Journal.Arrival(Self.request("working"), transaction: nil)
        let admissions = try journal.record(arrivals: [arrival, pending], done: [], nowMillis: 1_000)
        let answeredID = try admittedID(admissions[0])
        let workingID = try admittedID(admissions[1])
        #expect(try journal.pendingForReplay(nowMillis: 1_001).replay.map(\.id) == [workingID])
        #expect(try !journal.markDone(id: answeredID, nowMillis: 1_002))  // already done
        let withinWindow = 1_000 + Self.window - 1
        let redelivery = try journal.admit(Self.request("answered"), transaction: nil, nowMillis: withinWindow)
        #expect(redelivery == .duplicate)
        try journal.markDone(id: workingID, nowMillis: 1_003)
        #expect(try journal.prune(nowMillis: 1_000 + Self.window) == 1)
    }

    @Test("a database without the journal table is reported as not migrated")
    func notMigrated() throws {
        let bare = try Database(path: folder.file("bare.db"))
        let error = try #require(throws: MigrationError.self) { try Journal(database: bare) }
        #expect(error.code == .notMigrated)
    }
}
