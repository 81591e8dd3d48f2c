import Store

extension MemoryStore {
    /// Forgets the selected facts and returns how many there were.
    @discardableResult
    public func forget(_ selector: FactSelector) throws -> Int {
        try write { state, transaction in
            let ids = try transaction.delete(selector)
            for id in ids { Self.removeFromMemory(id, from: &state) }
            return ids.count
        }
    }

    /// Re-embeds stored facts with the configured embedder: those whose vectors another embedder or dimension made,
    /// or every fact with `all`. `progress` gets (done, total) after each batch. Returns how many were re-embedded.
    @discardableResult
    public func reembed(all: Bool = false, progress: ((Int, Int) -> Void)? = nil) async throws -> Int {
        try synchronize()
        var pending: [(id: Int64, text: String)] = []
        try forEachFact { fact in
            if all || fact.embedder != embedder.name || fact.dimension != embedder.dimension {
                pending.append((fact.id, fact.text))
            }
        }
        var done = 0
        let batchSize = max(1, options.batchSize)
        while done < pending.count {
            let batch = Array(pending[done..<min(done + batchSize, pending.count)])
            let vectors = try await embed(batch.map(\.text))
            try write { state, transaction in
                for (item, vector) in zip(batch, vectors) {
                    try transaction.replaceVector(id: item.id, vector: vector, embedder: embedder.name)
                    if let fact = try transaction.fact(id: item.id, withVector: true) { apply(fact, to: &state) }
                }
                return true
            }
            done += batch.count
            progress?(done, pending.count)
        }
        return pending.count
    }
}
