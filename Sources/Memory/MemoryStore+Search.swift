import Store

extension MemoryStore {
    /// Hybrid search: the `k` facts best matching `query` among those `filter` admits, ranked by reciprocal-rank
    /// fusion of FTS5 BM25 and vector similarity, each hit carrying both scores. Facts that share no word with the
    /// query and are less similar than ``MemoryOptions/minimumSimilarity`` are left out, so an unrelated query
    /// finds nothing.
    /// - Throws: ``MemoryError`` `.invalidQuery` for an empty query or `k` below 1; the embedder's or SQLite's
    ///   errors.
    public func search(_ query: String, k: Int = 10, filter: FactFilter = FactFilter()) async throws -> [MemoryHit] {
        guard !FactValidation.trimmed(query).isEmpty else { throw MemoryError(.invalidQuery, "'query' is empty") }
        guard k > 0 else { throw MemoryError(.invalidQuery, "'k' must be at least 1") }
        try synchronize()
        let vector = try await embed([query])[0]
        let pool = max(k, options.candidatePool)
        let terms = state.withLock { $0.terms.selectTerms(QueryTerms.of(query)) }
        // The vector scan runs beside the FTS5 query (on another core when one is free).
        async let scanned = vectorSearch(vector, k: pool, filter: filter)
        let textHits = try textSearch(terms: terms, filter: filter, limit: pool)
        let vectorHits = await scanned
        let similar = vectorHits.filter { $0.score >= options.minimumSimilarity }
        let fused = ReciprocalRankFusion.fuse(
            text: textHits.map(\.id), vector: similar.map(\.id), constant: options.fusionConstant)
        let bm25 = Dictionary(textHits.map { ($0.id, $0.score) }, uniquingKeysWith: max)
        let similarity = Dictionary(vectorHits.map { ($0.id, $0.score) }, uniquingKeysWith: max)
        var hits: [MemoryHit] = []
        for (id, score) in fused where hits.count < k {
            guard let fact = try table.fact(id: id) else { continue }
            hits.append(MemoryHit(fact: fact, bm25: bm25[id], similarity: similarity[id], score: score))
        }
        return hits
    }

    /// Text search: the best BM25 matches of every fact, filtered with the metadata held in memory; SQL does the
    /// filtering instead (a join on every match, slower) when that leaves too few or meets a fact not in memory.
    func textSearch(terms: [String], filter: FactFilter, limit: Int) throws -> [(id: Int64, score: Double)] {
        let fetched = limit * 2
        let matches = try table.textMatches(terms: terms, limit: fetched)
        let admitted = state.withLock { $0.vectors.admitted(matches.map(\.id), filter: filter) }
        if let admitted, admitted.count >= limit || matches.count < fetched {
            return Array(matches.filter { admitted.contains($0.id) }.prefix(limit))
        }
        return try table.textSearch(terms: terms, filter: filter, limit: limit)
    }

    /// Vector search alone over the in-memory vectors (async: runs as a child task of a hybrid search).
    func vectorSearch(_ vector: [Float], k: Int, filter: FactFilter) async -> [VectorHit] {
        vectorSearch(vector, k: k, filter: filter, exact: false)
    }

    /// Vector search alone over the in-memory vectors: the fast path (byte codes, exact rescoring) or, with
    /// `exact`, brute force over the floats. `vector` must have the embedder's dimension.
    public func vectorSearch(_ vector: [Float], k: Int, filter: FactFilter = FactFilter(), exact: Bool = false)
        -> [VectorHit]
    {
        state.withLock { state in
            exact
                ? state.vectors.exactSearch(vector, k: k, filter: filter)
                : state.vectors.search(vector, k: k, filter: filter)
        }
    }

    /// The query's vector from the configured embedder, unit length.
    public func queryVector(_ query: String) async throws -> [Float] {
        try await embed([query])[0]
    }

    /// Calls `body` with every in-memory id and unit vector (for exporting to other tools).
    public func forEachVector(_ body: (Int64, UnsafeBufferPointer<Float>) throws -> Void) rethrows {
        try state.withLock { state in try state.vectors.forEachVector(body) }
    }

    /// How many vectors are held in memory for search.
    public var vectorCount: Int { state.withLock { $0.vectors.count } }
}

/// Reciprocal-rank fusion (Cormack, Clarke and Büttcher, 2009): each list adds 1 / (constant + rank) for every
/// item it ranks, rank counted from 1; items are ordered by the sum, ties by id.
enum ReciprocalRankFusion {
    static func fuse(text: [Int64], vector: [Int64], constant: Double) -> [(id: Int64, score: Double)] {
        var scores: [Int64: Double] = [:]
        for list in [text, vector] {
            for (rank, id) in list.enumerated() { scores[id, default: 0] += 1 / (constant + Double(rank + 1)) }
        }
        return scores.map { ($0.key, $0.value) }.sorted {
            $0.score > $1.score || ($0.score == $1.score && $0.id < $1.id)
        }
    }
}
