import Store
import Synchronization

/// Council's fact memory: facts in SQLite (``FactTable``), their vectors and extracted relations held in memory
/// for fast search, both kept in step.
///
/// - Adding deduplicates: the same normalised text in the same scope is stored once; a fact at least
///   ``MemoryOptions/nearDuplicateThreshold`` similar to one in the same scope replaces its text.
/// - Searching is hybrid: SQLite FTS5 (BM25) and vector similarity (``VectorIndex``), fused by reciprocal rank.
/// - Other processes (the `council knowledge import` command while the daemon runs) write to the same file: every
///   operation first applies what the change log says happened since, and ``synchronize()`` does it on demand.
///
/// Lock order: the in-memory state's lock, then the database's; nothing takes them the other way round.
public final class MemoryStore: Sendable {
    /// Makes the vectors of new facts and queries.
    public let embedder: any Embedder
    /// Thresholds and sizes.
    public let options: MemoryOptions
    /// The SQL side.
    public let table: FactTable
    let state: Mutex<State>

    /// What is held in memory, always matching the database up to change-log entry `lastChange`.
    struct State: Sendable {
        var vectors: VectorIndex
        var nearDuplicates: NearDuplicateIndex
        var knowledge: KnowledgeIndex
        var terms = TermStatistics()
        var lastChange: Int64 = 0
    }

    /// Opens the facts of a migrated database (``StoreSchema/open(path:options:)``) and loads every vector made by
    /// `embedder` into memory. Facts whose vectors another embedder made are found by text search only until
    /// ``reembed(all:progress:)``.
    public init(database: Database, embedder: any Embedder, options: MemoryOptions = MemoryOptions()) throws {
        self.embedder = embedder
        self.options = options
        table = try FactTable(database: database)
        state = Mutex(Self.emptyState(embedder: embedder, options: options))
        try state.withLock { state in
            try table.read { transaction in try self.reload(&state, transaction) }
        }
    }

    static func emptyState(embedder: any Embedder, options: MemoryOptions) -> State {
        State(
            vectors: VectorIndex(dimension: embedder.dimension, rescoreCandidates: options.rescoreCandidates),
            nearDuplicates: NearDuplicateIndex(dimension: embedder.dimension),
            knowledge: KnowledgeIndex())
    }

    // MARK: Reading

    /// How many facts are stored.
    public func count() throws -> Int { try table.count() }

    /// How many facts have vectors from another embedder or dimension (run ``reembed(all:progress:)``).
    public func otherEmbedderCount() throws -> Int {
        try table.countOtherVectors(embedder: embedder.name, dimension: embedder.dimension)
    }

    /// The fact with this id.
    public func fact(id: Int64) throws -> StoredFact? { try table.fact(id: id) }

    /// Calls `body` with every fact in id order, a page at a time (vectors included when asked).
    public func forEachFact(withVectors: Bool = false, _ body: (StoredFact) throws -> Void) throws {
        var after: Int64 = 0
        while true {
            let page = try table.read { try $0.page(after: after, limit: 1000, withVectors: withVectors) }
            for fact in page { try body(fact) }
            guard let last = page.last else { return }
            after = last.id
        }
    }

    // MARK: Keeping in step with the database

    /// Applies what other processes changed since the last call and returns how many facts changed.
    @discardableResult
    public func synchronize() throws -> Int {
        try state.withLock { state in
            try table.read { transaction in try self.catchUp(&state, transaction) }
        }
    }

    /// Applies other processes' changes every `interval` until the task is cancelled: run it as a daemon service so
    /// the knowledge skill, which does no I/O while claiming, sees facts `council knowledge import` wrote.
    public func keepSynchronized(
        every interval: Duration = .seconds(1), onError: @escaping @Sendable (any Error) -> Void = { _ in }
    ) async {
        while !Task.isCancelled {
            do {
                try synchronize()
            } catch {
                onError(error)
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// Applies logged changes after `state.lastChange`; reloads everything when the log was pruned past it.
    func catchUp(_ state: inout State, _ transaction: borrowing FactTransaction) throws -> Int {
        var applied = 0
        while true {
            let changes = try transaction.changes(after: state.lastChange, limit: 4096)
            guard let first = changes.first, let last = changes.last else { return applied }
            guard first.seq == state.lastChange + 1 else {
                try reload(&state, transaction)
                return applied + state.vectors.count
            }
            var seen: Set<Int64> = []
            for change in changes where seen.insert(change.factID).inserted {
                if let fact = try transaction.fact(id: change.factID, withVector: true) {
                    apply(fact, to: &state)
                } else {
                    Self.removeFromMemory(change.factID, from: &state)
                }
            }
            applied += seen.count
            state.lastChange = last.seq
        }
    }

    /// Rebuilds the in-memory state from the database.
    func reload(_ state: inout State, _ transaction: borrowing FactTransaction) throws {
        var fresh = Self.emptyState(embedder: embedder, options: options)
        fresh.lastChange = try transaction.latestChange()
        var after: Int64 = 0
        while true {
            let page = try transaction.page(after: after, limit: 2000, withVectors: true)
            for fact in page { apply(fact, to: &fresh) }
            guard let last = page.last else { break }
            after = last.id
        }
        state = fresh
    }

    /// Puts a fact as stored into memory: its vector when the configured embedder made it, its relations always.
    /// `bandKeys`, when given, are the vector's near-duplicate keys already computed.
    func apply(_ fact: StoredFact, bandKeys: [UInt16]? = nil, to state: inout State) {
        if let vector = fact.vector, fact.embedder == embedder.name, vector.count == embedder.dimension {
            state.vectors.upsert(
                id: fact.id, vector: vector, session: fact.session, source: fact.source, tags: fact.tags)
            state.nearDuplicates.insert(id: fact.id, bandKeys: bandKeys ?? state.nearDuplicates.bandKeys(vector))
        } else {
            state.vectors.remove(id: fact.id)
            state.nearDuplicates.remove(id: fact.id)
        }
        state.knowledge.update(fact)
        state.terms.update(id: fact.id, text: fact.text)
    }

    static func removeFromMemory(_ id: Int64, from state: inout State) {
        state.vectors.remove(id: id)
        state.nearDuplicates.remove(id: id)
        state.knowledge.remove(id: id)
        state.terms.remove(id: id)
    }

    /// Runs `body` in a write transaction after catching up with other processes, and records the log position
    /// after it. If anything throws, memory is reloaded from the database (the transaction rolled back).
    @discardableResult
    func write<T: Sendable>(_ body: (inout State, borrowing FactTransaction) throws -> T) throws -> T {
        try state.withLock { state in
            do {
                return try table.write { transaction in
                    _ = try catchUp(&state, transaction)
                    let result = try body(&state, transaction)
                    try transaction.pruneChanges(keeping: options.changeLogKeep)
                    state.lastChange = try transaction.latestChange()
                    return result
                }
            } catch {
                try? table.read { transaction in try reload(&state, transaction) }
                throw error
            }
        }
    }

    /// The embedder's vectors for `texts`, checked and scaled to unit length.
    func embed(_ texts: [String]) async throws -> [[Float]] {
        let vectors = try await embedder.embed(texts)
        guard vectors.count == texts.count else {
            throw MemoryError(
                .embedderFailed,
                "embedder '\(embedder.name)' returned \(vectors.count) vectors for \(texts.count) texts")
        }
        return try vectors.map { vector in
            guard vector.count == embedder.dimension else {
                throw MemoryError(
                    .embedderFailed,
                    "embedder '\(embedder.name)' returned \(vector.count) values instead of \(embedder.dimension)")
            }
            return VectorMath.normalized(vector)
        }
    }
}
