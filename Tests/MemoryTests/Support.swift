import Foundation
import Memory
import Store

/// A fresh folder for one test's database, removed by `remove()`.
struct TestFolder {
    let path: String

    init(_ name: String = #function) throws {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        path =
            FileManager.default.temporaryDirectory.appendingPathComponent("council-memory-\(safe)-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    var databasePath: String { path + "/council.db" }

    /// Opens (migrating) the database file in this folder.
    func openDatabase() throws -> Database { try StoreSchema.open(path: databasePath) }

    /// Opens the database and a memory store with the built-in embedder.
    func openStore(options: MemoryOptions = MemoryOptions(), dimension: Int = 256) throws -> MemoryStore {
        try MemoryStore(database: openDatabase(), embedder: HashingEmbedder(dimension: dimension), options: options)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
