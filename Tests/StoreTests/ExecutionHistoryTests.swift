import Store
import Testing

/// The execution history in a real SQLite file: records, per-profile summaries, the bound, reopening.
@Suite("Execution history")
struct ExecutionHistoryTests {
    let folder: TemporaryFolder
    let path: String

    init() throws {
        folder = try TemporaryFolder()
        path = folder.file("council.db")
    }

    /// Council's migrations with the history's (once the lead lists it, it is not added twice).
    private var migrations: [Migration] {
        StoreSchema.migrations.contains(ExecutionHistory.migration)
            ? StoreSchema.migrations : StoreSchema.migrations + [ExecutionHistory.migration]
    }

    private func open() throws -> Database {
        let database = try Database(path: path)
        try Migrator(migrations).migrate(database)
        return database
    }

    private func run(
        _ signature: String, profile: String = "light", predicted: Double = 100, duration: Double, rss: Int = 9_000,
        timedOut: Bool = false, oom: Bool = false
    ) -> ExecutionHistory.Run {
        ExecutionHistory.Run(
            signature: signature, language: "python", profile: profile, predictedMillis: predicted,
            durationMillis: duration, cpuMillis: duration * 0.9, maxRSSKilobytes: rss,
            exitCode: timedOut || oom ? nil : 0, timedOut: timedOut, oomKilled: oom)
    }

    @Test("runs are summarised per profile: medians of finished runs, timeouts, OOM kills, prediction error")
    func summaries() throws {
        let history = try ExecutionHistory(database: try open())
        for duration in [300.0, 100, 200] { try history.record(run("sig-a", duration: duration)) }
        try history.record(run("sig-a", duration: 5_000, timedOut: true))
        try history.record(run("sig-a", profile: "heavy", duration: 900, rss: 420_000))
        try history.record(run("sig-b", duration: 50))

        let summaries = try history.summaries(signature: "sig-a")
        let light = try #require(summaries["light"])
        #expect(light.runs == 4)
        #expect(light.medianDurationMillis == 200, "the timed-out run is not a duration")
        #expect(light.timeouts == 1)
        #expect(light.oomKills == 0)
        #expect(light.medianErrorMillis == 100)
        let heavy = try #require(summaries["heavy"])
        #expect(heavy.runs == 1)
        #expect(heavy.maxRSSKilobytes == 420_000)
        #expect(try history.summaries(signature: "sig-missing").isEmpty)
        #expect(try history.runs(signature: "sig-a", last: 2).map(\.profile) == ["heavy", "light"])
    }

    @Test("only the newest runs are kept; the history survives reopening")
    func boundedAndDurable() throws {
        do {
            let history = try ExecutionHistory(database: try open(), capacity: 5)
            for index in 0..<12 { try history.record(run("sig", duration: Double(index))) }
            #expect(try history.count() == 5)
            #expect(try history.runs(signature: "sig").map(\.durationMillis) == [11, 10, 9, 8, 7])
        }
        let reopened = try ExecutionHistory(database: try open())
        #expect(try reopened.count() == 5)
        #expect(try reopened.summaries(signature: "sig")["light"]?.medianDurationMillis == 9)
    }

    @Test("a database without the migration is refused with a clear error")
    func notMigrated() throws {
        let database = try Database(path: path)
        #expect(throws: MigrationError.self) { try ExecutionHistory(database: database) }
    }
}
