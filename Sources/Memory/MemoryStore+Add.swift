import Store

extension MemoryStore {
    /// Remembers one fact.
    /// - Throws: ``MemoryError`` `.invalidFact` naming the bad field; the embedder's or SQLite's errors.
    @discardableResult
    public func add(_ fact: NewFact) async throws -> AddOutcome {
        try await add([fact])[0]
    }

    /// Remembers many facts, embedding and committing ``MemoryOptions/batchSize`` at a time; `progress` gets the
    /// number done after each batch. Every fact is validated before the first is written; a later failure keeps
    /// the batches already committed.
    /// - Returns: one outcome per fact, in order.
    public func add(_ facts: [NewFact], progress: ((Int) -> Void)? = nil) async throws -> [AddOutcome] {
        let valid = try facts.enumerated().map { position, fact throws(MemoryError) in
            try FactValidation.validated(
                fact, maxTextBytes: options.maxTextBytes, position: facts.count > 1 ? position : nil)
        }
        var outcomes: [AddOutcome] = []
        outcomes.reserveCapacity(valid.count)
        var start = 0
        while start < valid.count {
            let batch = Array(valid[start..<min(start + max(1, options.batchSize), valid.count)])
            let vectors = try await embed(batch.map(\.text))
            let now = WallClock.nowMillis()
            outcomes += try write { state, transaction in
                try zip(batch, vectors).map { fact, vector in
                    try self.store(fact, vector: vector, nowMillis: now, state: &state, transaction)
                }
            }
            start += batch.count
            progress?(start)
        }
        return outcomes
    }

    private func store(
        _ fact: NewFact, vector: [Float], nowMillis: Int64, state: inout State,
        _ transaction: borrowing FactTransaction
    ) throws -> AddOutcome {
        let hash = FactText.identity(fact.text)
        if let existing = try transaction.existing(textHash: hash, session: fact.session) {
            let tags = existing.tags + fact.tags.filter { !existing.tags.contains($0) }
            let source = fact.source ?? existing.source
            try transaction.touch(id: existing.id, tags: tags, source: source, nowMillis: nowMillis)
            try refresh(existing.id, state: &state, transaction)
            return AddOutcome(id: existing.id, kind: .sameText)
        }
        var record = FactRecord(
            text: fact.text, textHash: hash, source: fact.source, tags: fact.tags, session: fact.session,
            embedder: embedder.name, vector: vector)
        let bandKeys = state.nearDuplicates.bandKeys(vector)
        if let (nearID, similarity) = nearestDuplicate(
            of: vector, bandKeys: bandKeys, session: fact.session, state: &state),
            let near = try transaction.fact(id: nearID)
        {
            record.tags = near.tags + fact.tags.filter { !near.tags.contains($0) }
            record.source = fact.source ?? near.source
            try transaction.replace(id: nearID, with: record, nowMillis: nowMillis)
            try refresh(nearID, state: &state, transaction)
            return AddOutcome(id: nearID, kind: .nearDuplicate(similarity: similarity))
        }
        let id = try transaction.insert(record, nowMillis: nowMillis)
        apply(
            StoredFact(
                id: id, text: record.text, source: record.source, tags: record.tags, session: record.session,
                createdAtMillis: nowMillis, updatedAtMillis: nowMillis, embedder: record.embedder,
                dimension: vector.count, vector: vector),
            bandKeys: bandKeys, to: &state)
        return AddOutcome(id: id, kind: .inserted)
    }

    /// Reloads one fact into memory as the transaction now sees it.
    private func refresh(_ id: Int64, state: inout State, _ transaction: borrowing FactTransaction) throws {
        if let fact = try transaction.fact(id: id, withVector: true) {
            apply(fact, to: &state)
        } else {
            Self.removeFromMemory(id, from: &state)
        }
    }

    /// The most similar fact of the same scope at or above the near-duplicate threshold, if any.
    private func nearestDuplicate(
        of vector: [Float], bandKeys: [UInt16], session: String?, state: inout State
    ) -> (Int64, Float)? {
        guard options.nearDuplicateThreshold <= 1 else { return nil }
        let candidates = state.nearDuplicates.candidates(bandKeys)
        return state.vectors.bestMatch(
            among: candidates, query: vector, session: session, minimum: options.nearDuplicateThreshold
        ).map { ($0.id, $0.score) }
    }
}
