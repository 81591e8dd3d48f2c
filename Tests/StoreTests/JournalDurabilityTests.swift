import Store
import Synchronization
import Testing

import func Glibc.usleep

@Suite("Journal durability and concurrency")
struct JournalDurabilityTests {
    let folder: TemporaryFolder
    let path: String

    init() throws {
        folder = try TemporaryFolder()
        path = folder.file("council.db")
    }

    private func admitThree(_ journal: Journal) throws -> [Int64] {
        var ids: [Int64] = []
        for prompt in ["one", "two", "three"] {
            let entry = JournalTests.request(prompt, correlationData: Array(prompt.utf8))
            guard case .admitted(let id) = try journal.admit(entry, transaction: nil, nowMillis: 1_000) else {
                throw TestFailure("\(prompt) was not admitted")
            }
            ids.append(id)
        }
        try journal.markDone(id: ids[1], nowMillis: 2_000)
        return ids
    }

    @Test("pending entries survive closing and reopening the file")
    func reopen() throws {
        let ids: [Int64]
        do {
            let database = try StoreSchema.open(path: path)
            ids = try admitThree(try Journal(database: database))
            database.close()
        }
        let journal = try Journal(database: try StoreSchema.open(path: path))
        let replay = try journal.pendingForReplay(nowMillis: 3_000).replay
        #expect(replay.map(\.id) == [ids[0], ids[2]])
        #expect(replay.map(\.payload) == [JournalTests.request("one").payload, JournalTests.request("three").payload])
        #expect(replay.map(\.correlationData) == [Array("one".utf8), Array("three".utf8)])
        // Deduplication also survives: the same request arriving again after the restart is a duplicate.
        let again = JournalTests.request("one", correlationData: Array("one".utf8))
        #expect(try journal.admit(again, transaction: nil, nowMillis: 3_000) == .duplicate)
    }

    @Test("committed entries survive a process that dies without closing (files copied while still open)")
    func unclean() throws {
        let database = try StoreSchema.open(path: path)
        let ids = try admitThree(try Journal(database: database))
        // What a killed process leaves on disk: the main file and the WAL, never checkpointed, never closed.
        #expect((folder.size("council.db-wal") ?? 0) > 0)
        try folder.copy("council.db", to: folder.file("crashed.db"))
        try folder.copy("council.db-wal", to: folder.file("crashed.db-wal"))

        let recovered = try Journal(database: try StoreSchema.open(path: folder.file("crashed.db")))
        #expect(try recovered.pendingForReplay(nowMillis: 3_000).replay.map(\.id) == [ids[0], ids[2]])

        // A second connection opened beside the never-closed one sees the same state.
        let beside = try Journal(database: try StoreSchema.open(path: path))
        #expect(try beside.pendingCount() == 2)
        _ = database  // still open here
    }

    @Test("concurrent admits from many threads and two connections get unique ids and no errors")
    func concurrentAdmits() throws {
        let first = try Journal(database: try StoreSchema.open(path: path))
        let second = try Journal(database: try StoreSchema.open(path: path))
        let threads = 8
        let perThread = 150
        let ids = Mutex<[Int64]>([])
        let failures = Mutex<[String]>([])
        runOnThreads(threads) { thread in
            let journal = thread.isMultiple(of: 2) ? first : second
            for index in 0..<perThread {
                do {
                    let entry = JournalTests.request("\(thread)-\(index)", correlationData: [UInt8(thread)])
                    let admission = try journal.admit(entry, transaction: "t-\(index)", nowMillis: 1_000)
                    guard case .admitted(let id) = admission else {
                        failures.withLock { $0.append("\(thread)-\(index) counted as duplicate") }
                        continue
                    }
                    ids.withLock { $0.append(id) }
                    if index.isMultiple(of: 3) { try journal.markDone(id: id, nowMillis: 1_001) }
                    // The same request again, racing the other threads, is always a duplicate.
                    if try journal.admit(entry, transaction: "t-\(index)", nowMillis: 1_002) != .duplicate {
                        failures.withLock { $0.append("\(thread)-\(index) admitted twice") }
                    }
                } catch {
                    failures.withLock { $0.append("\(thread)-\(index): \(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 } == [])
        let all = ids.withLock { $0 }
        #expect(all.count == threads * perThread)
        #expect(Set(all).count == all.count)
        let done = threads * ((perThread + 2) / 3)
        #expect(try first.pendingCount() == threads * perThread - done)
    }

    @Test("a writer on another connection waits for the lock (busy_timeout) instead of failing")
    func busyWaits() throws {
        let holder = try StoreSchema.open(path: path)
        let waiter = try Journal(database: try StoreSchema.open(path: path))
        let locked = Mutex(false)
        let holdMillis: UInt32 = 300
        let elapsed = Mutex<Int64>(0)
        let outcome = Mutex<String>("not run")
        runOnThreads(2) { thread in
            if thread == 0 {
                _ = try? holder.transaction(.immediate) { connection in
                    try connection.run(
                        "INSERT INTO journal (op, topic, payload, reply_topic, received_at_ms) "
                            + "VALUES ('ask', 't', x'', 'r', 0)")
                    locked.withLock { $0 = true }
                    usleep(holdMillis * 1_000)
                }
            } else {
                while !locked.withLock({ $0 }) { usleep(1_000) }
                let start = ContinuousClock.now
                do {
                    let admission = try waiter.admit(JournalTests.request(), transaction: nil, nowMillis: 1_000)
                    outcome.withLock { $0 = "\(admission)" }
                } catch {
                    outcome.withLock { $0 = "\(error)" }
                }
                let waited = (ContinuousClock.now - start).components
                elapsed.withLock { $0 = waited.seconds * 1_000 + waited.attoseconds / 1_000_000_000_000_000 }
            }
        }
        #expect(outcome.withLock { $0 }.hasPrefix("admitted"))
        #expect(elapsed.withLock { $0 } >= Int64(holdMillis) / 2)
        #expect(try waiter.pendingCount() == 2)
    }
}
