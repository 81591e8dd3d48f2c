import Glibc
import Store
import Testing

@Suite("Checkpointer")
struct CheckpointerTests {
    @Test("copies committed WAL pages into the database file, beside a writer that never checkpoints itself")
    func checkpointsTheWAL() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/council.db"
        let writer = try StoreSchema.open(path: path, options: .init(autoCheckpointPages: 0))
        defer { writer.close() }
        let journal = try Journal(database: writer)
        for index in 0..<200 {
            let entry = JournalEntry(
                id: 0, op: "ask", topic: "council/request/ask", payload: Array("{\"prompt\":\"\(index)\"}".utf8),
                replyTopic: "r", correlationData: [UInt8(index)], receivedAtMillis: 1, expiresAtMillis: nil)
            _ = try journal.admit(entry, transaction: nil, nowMillis: 1)
        }
        #expect((folder.size("council.db-wal") ?? 0) > 0, "the writer left its pages in the WAL")

        let checkpointer = try Checkpointer(path: path, synchronous: .normal)
        let (walPages, checkpointed) = try checkpointer.checkpoint()
        #expect(walPages > 0)
        #expect(checkpointed == walPages, "an idle writer lets a PASSIVE checkpoint copy everything")
        checkpointer.stop()
        #expect(try journal.pendingCount() == 200)
    }

    @Test("runs on its own thread until stopped")
    func runsInTheBackground() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/council.db"
        let writer = try StoreSchema.open(path: path, options: .init(autoCheckpointPages: 0))
        defer { writer.close() }
        try writer.execute("CREATE TABLE filler (blob BLOB); INSERT INTO filler VALUES (zeroblob(100000));")
        let checkpointer = try Checkpointer(path: path, synchronous: .normal, intervalMillis: 20)
        checkpointer.start { error in Issue.record("checkpoint failed: \(error)") }
        var size: Int = 0
        for _ in 0..<200 {
            size = folder.size("council.db") ?? 0
            if size > 100_000 { break }
            usleep(10_000)
        }
        checkpointer.stop()
        #expect(size > 100_000, "the background thread copied the WAL into the database file")
    }
}
