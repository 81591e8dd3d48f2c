import Dispatch
import Store

/// One result of a vector search: a fact id and its cosine similarity to the query.
public struct VectorHit: Sendable, Equatable {
    /// The fact's id.
    public var id: Int64
    /// Cosine similarity (vectors are unit length), exact for every hit returned.
    public var score: Float

    /// Makes a hit.
    public init(id: Int64, score: Float) {
        self.id = id
        self.score = score
    }
}

/// Unit vectors held in memory for similarity search, with the metadata a ``FactFilter`` needs.
///
/// Rows live in one contiguous Float32 matrix and, beside it, one byte per value: the value quantised to −127…127
/// with a per-row scale, stored offset by 128. ``search(_:k:filter:)`` scans the bytes with an int16 copy of the
/// query (four times less memory traffic than floats, and SSE2's `pmaddwd` does eight multiply-adds an
/// instruction), keeps the ``rescoreCandidates`` best approximate scores, and rescores those exactly with the
/// floats. (Measured here: 4-bit codes were no faster — the scan is bound by instructions, not memory — and two
/// rows per pass compiled to extra shuffles.) ``exactSearch(_:k:filter:)`` scans the floats, to measure the fast path's recall. Removing a row moves
/// the last row into its place, so the matrix stays dense.
public struct VectorIndex: Sendable {
    /// The length of every vector.
    public let dimension: Int
    /// How many approximate best rows are rescored exactly (at least `k`).
    public var rescoreCandidates: Int
    /// Values per row: `dimension` rounded up to a multiple of 16, zero-padded.
    let stride: Int

    private var ids: [Int64] = []
    private var floats: [Float] = []
    private var codes: [UInt8] = []
    private var scales: [Float] = []
    private var scopes: [Int32] = []
    private var sources: [Int32] = []
    private var tags: [[Int32]] = []
    private var rowOfID: [Int64: Int32] = [:]
    private var sessionCodes: [String: Int32] = [:]
    private var sourceCodes: [String: Int32] = [:]
    private var tagCodes: [String: Int32] = [:]
    /// Rows owned by a session: while zero, a filter on the session scope can skip the scope test.
    private var sessionRows = 0

    /// Makes an empty index of `dimension`-value vectors.
    public init(dimension: Int, rescoreCandidates: Int = 64) {
        precondition(dimension > 0, "a vector index needs a positive dimension")
        self.dimension = dimension
        self.rescoreCandidates = rescoreCandidates
        stride = (dimension + 15) / 16 * 16
    }

    /// The number of vectors.
    public var count: Int { ids.count }

    /// Whether a vector with this id is held.
    public func contains(id: Int64) -> Bool { rowOfID[id] != nil }

    /// The ids held, in row order.
    public var allIDs: [Int64] { ids }

    /// Adds a vector, or replaces the one held under `id`. The vector is scaled to unit length.
    public mutating func upsert(id: Int64, vector: [Float], session: String?, source: String?, tags rowTags: [String]) {
        precondition(vector.count == dimension, "vector has \(vector.count) values, the index \(dimension)")
        let row: Int
        if let existing = rowOfID[id] {
            row = Int(existing)
            if scopes[row] != 0 { sessionRows -= 1 }
        } else {
            row = ids.count
            rowOfID[id] = Int32(row)
            ids.append(id)
            floats.append(contentsOf: repeatElement(0, count: stride))
            codes.append(contentsOf: repeatElement(128, count: stride))
            scales.append(0)
            scopes.append(0)
            sources.append(-1)
            tags.append([])
        }
        let unit = VectorMath.normalized(vector)
        let base = row * stride
        var largest: Float = 0
        for (offset, value) in unit.enumerated() {
            floats[base + offset] = value
            largest = max(largest, abs(value))
        }
        let scale = largest > 0 ? largest / 127 : 1
        for (offset, value) in unit.enumerated() {
            codes[base + offset] = UInt8(Int(128 + (value / scale).rounded()))
        }
        scales[row] = scale
        scopes[row] = session.map { Self.intern($0, in: &sessionCodes, first: 1) } ?? 0
        if scopes[row] != 0 { sessionRows += 1 }
        sources[row] = source.map { Self.intern($0, in: &sourceCodes, first: 0) } ?? -1
        tags[row] = rowTags.map { Self.intern($0, in: &tagCodes, first: 0) }
    }

    /// Removes the vector held under `id`; returns whether there was one.
    @discardableResult
    public mutating func remove(id: Int64) -> Bool {
        guard let removed = rowOfID.removeValue(forKey: id).map(Int.init) else { return false }
        if scopes[removed] != 0 { sessionRows -= 1 }
        let last = ids.count - 1
        if removed != last {
            ids[removed] = ids[last]
            rowOfID[ids[removed]] = Int32(removed)
            let (from, to) = (last * stride, removed * stride)
            for offset in 0..<stride {
                floats[to + offset] = floats[from + offset]
                codes[to + offset] = codes[from + offset]
            }
            scales[removed] = scales[last]
            scopes[removed] = scopes[last]
            sources[removed] = sources[last]
            tags[removed] = tags[last]
        }
        ids.removeLast()
        floats.removeLast(stride)
        codes.removeLast(stride)
        scales.removeLast()
        scopes.removeLast()
        sources.removeLast()
        tags.removeLast()
        return true
    }

    /// Removes every vector.
    public mutating func removeAll() {
        self = VectorIndex(dimension: dimension, rescoreCandidates: rescoreCandidates)
    }

    /// The unit vector held under `id`.
    public func vector(id: Int64) -> [Float]? {
        guard let row = rowOfID[id].map(Int.init) else { return nil }
        return Array(floats[(row * stride)..<(row * stride + dimension)])
    }

    /// The cosine similarity of the vector held under `id` to a unit `query`.
    public func similarity(id: Int64, to query: [Float]) -> Float? {
        guard let row = rowOfID[id].map(Int.init) else { return nil }
        let padded = padded(query)
        return floats.withUnsafeBufferPointer { matrix in
            padded.withUnsafeBufferPointer {
                VectorMath.dot(matrix.baseAddress! + row * stride, $0.baseAddress!, count: stride)
            }
        }
    }

    /// The most similar of `ids` to a unit `query`, at least `minimum`, among those owned by exactly this scope:
    /// the session's own facts, or the global facts when `session` is nil.
    func bestMatch(among ids: [Int64], query: [Float], session: String?, minimum: Float) -> VectorHit? {
        guard !ids.isEmpty else { return nil }
        let scope: Int32
        if let session {
            guard let code = sessionCodes[session] else { return nil }
            scope = code
        } else {
            scope = 0
        }
        let padded = padded(query)
        var best: VectorHit? = nil
        floats.withUnsafeBufferPointer { matrix in
            padded.withUnsafeBufferPointer { query in
                for id in ids {
                    guard let row = rowOfID[id].map(Int.init), scopes[row] == scope else { continue }
                    let score = VectorMath.dot(matrix.baseAddress! + row * stride, query.baseAddress!, count: stride)
                    if score >= minimum, score > (best?.score ?? -.infinity) { best = VectorHit(id: id, score: score) }
                }
            }
        }
        return best
    }

    /// Which of `ids` pass `filter`; nil when one of them is not held here (its metadata is unknown).
    func admitted(_ ids: [Int64], filter: FactFilter) -> Set<Int64>? {
        let compiled = compile(filter)
        var passing: Set<Int64> = []
        for id in ids {
            guard let row = rowOfID[id].map(Int.init) else { return nil }
            if let compiled, compiled.admits(row, self) { passing.insert(id) }
        }
        return passing
    }

    // MARK: Searching

    /// The `k` vectors most similar to `query` that pass `filter`, best first, with exact scores: approximate
    /// scores over the byte codes pick ``rescoreCandidates`` rows, the floats rank them.
    public func search(_ query: [Float], k: Int, filter: FactFilter = FactFilter()) -> [VectorHit] {
        guard k > 0, !ids.isEmpty, let compiled = compile(filter) else { return [] }
        let unit = padded(VectorMath.normalized(query))
        let (weights, offset) = quantize(unit)
        let capacity = max(k, rescoreCandidates)
        var best = TopK(capacity: capacity)
        let chunks = ids.count >= Self.rowsPerChunk * 2 ? min(Self.maxChunks, ids.count / Self.rowsPerChunk) : 1
        if chunks == 1 {
            scan(0..<ids.count, query: weights, offset: offset, filter: compiled, into: &best)
        } else {
            // Chunks of rows go to whichever threads are free; the caller takes them all when no other core is.
            let partial = ChunkResults(count: chunks, capacity: capacity)
            let rowCount = ids.count
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let rows = (rowCount * chunk / chunks)..<(rowCount * (chunk + 1) / chunks)
                scan(rows, query: weights, offset: offset, filter: compiled, into: &partial.slots[chunk])
            }
            for part in partial.slots {
                for (score, item) in zip(part.scores, part.items) where score > best.threshold {
                    best.offer(score, item)
                }
            }
        }
        return rescore(best.sorted().map { Int($0.item) }, query: unit, k: k)
    }

    /// The `k` vectors most similar to `query` that pass `filter`, by brute force over the floats.
    public func exactSearch(_ query: [Float], k: Int, filter: FactFilter = FactFilter()) -> [VectorHit] {
        guard k > 0, !ids.isEmpty, let compiled = compile(filter) else { return [] }
        let unit = padded(VectorMath.normalized(query))
        var best = TopK(capacity: k)
        floats.withUnsafeBufferPointer { matrix in
            unit.withUnsafeBufferPointer { query in
                for row in 0..<ids.count where compiled.admits(row, self) {
                    let score = VectorMath.dot(matrix.baseAddress! + row &* stride, query.baseAddress!, count: stride)
                    if score > best.threshold { best.offer(score, Int32(row)) }
                }
            }
        }
        return best.sorted().map { VectorHit(id: ids[Int($0.item)], score: $0.score) }
    }

    /// One best-list per chunk of a parallel scan. `@unchecked Sendable`: each chunk writes only its own slot, and the
    /// caller reads them after `concurrentPerform` has returned.
    private final class ChunkResults: @unchecked Sendable {
        var slots: [TopK]

        init(count: Int, capacity: Int) {
            slots = [TopK](repeating: TopK(capacity: capacity), count: count)
            slots.reserveCapacity(count)
        }
    }

    /// Rows per chunk of a parallel scan, and the most chunks (a 100,000-row scan is eight chunks of 12,500).
    static let rowsPerChunk = 8_192
    static let maxChunks = 8

    /// Approximate scores of `rows` that pass `filter`, offered to `best`.
    private func scan(
        _ rows: Range<Int>, query weights: [Int16], offset: Int32, filter compiled: CompiledFilter,
        into best: inout TopK
    ) {
        codes.withUnsafeBufferPointer { codes in
            scales.withUnsafeBufferPointer { scales in
                weights.withUnsafeBufferPointer { weights in
                    let codeBase = codes.baseAddress!, weightBase = weights.baseAddress!
                    for row in rows where compiled.admits(row, self) {
                        let raw = VectorMath.dot(codes: codeBase + row &* stride, query: weightBase, count: stride)
                        let score = scales[row] * Float(raw &- offset)
                        if score > best.threshold { best.offer(score, Int32(row)) }
                    }
                }
            }
        }
    }

    /// Calls `body` with each id and its unit vector (`dimension` values) in row order, for exporting.
    public func forEachVector(_ body: (Int64, UnsafeBufferPointer<Float>) throws -> Void) rethrows {
        try floats.withUnsafeBufferPointer { matrix in
            for row in 0..<ids.count {
                try body(ids[row], UnsafeBufferPointer(rebasing: matrix[(row * stride)..<(row * stride + dimension)]))
            }
        }
    }

    private func rescore(_ rows: [Int], query: [Float], k: Int) -> [VectorHit] {
        let scored = floats.withUnsafeBufferPointer { matrix in
            query.withUnsafeBufferPointer { query in
                rows.map { row in
                    VectorHit(
                        id: ids[row],
                        score: VectorMath.dot(matrix.baseAddress! + row * stride, query.baseAddress!, count: stride))
                }
            }
        }
        return Array(scored.sorted { $0.score > $1.score || ($0.score == $1.score && $0.id < $1.id) }.prefix(k))
    }

    /// The query as int16 weights (±4095, so sums of products stay far inside Int32 up to 4,096 dimensions) and
    /// the constant the offset codes add: `dot(code, weight) = dot(quantised, weight) + 128 × Σ weight`.
    private func quantize(_ query: [Float]) -> (weights: [Int16], offset: Int32) {
        let largest = query.reduce(Float(0)) { max($0, abs($1)) }
        let scale: Float = largest > 0 ? 4095 / largest : 0
        var sum: Int32 = 0
        let weights = query.map { value -> Int16 in
            let weight = Int16((value * scale).rounded())
            sum &+= Int32(weight)
            return weight
        }
        return (weights, sum &* 128)
    }

    private func padded(_ vector: [Float]) -> [Float] {
        precondition(vector.count == dimension, "query has \(vector.count) values, the index \(dimension)")
        return vector.count == stride ? vector : vector + repeatElement(0, count: stride - vector.count)
    }

    // MARK: Filters

    /// A filter turned into codes; nil when it names a session, source or tag no row has, so nothing can match
    /// (except that an unknown session still sees the global rows).
    private struct CompiledFilter {
        var session: Int32
        var checkScope: Bool
        var source: Int32?
        var tags: [Int32]

        @inline(__always)
        func admits(_ row: Int, _ index: VectorIndex) -> Bool {
            if checkScope {
                let scope = index.scopes[row]
                if scope != 0 && scope != session { return false }
            }
            if let source, index.sources[row] != source { return false }
            if !tags.isEmpty {
                let rowTags = index.tags[row]
                for tag in tags where !rowTags.contains(tag) { return false }
            }
            return true
        }
    }

    private func compile(_ filter: FactFilter) -> CompiledFilter? {
        var compiled = CompiledFilter(session: -1, checkScope: sessionRows > 0, source: nil, tags: [])
        if let session = filter.session { compiled.session = sessionCodes[session] ?? -1 }
        if let source = filter.source {
            guard let code = sourceCodes[source] else { return nil }
            compiled.source = code
        }
        for tag in filter.tags {
            guard let code = tagCodes[tag] else { return nil }
            compiled.tags.append(code)
        }
        return compiled
    }

    private static func intern(_ name: String, in table: inout [String: Int32], first: Int32) -> Int32 {
        if let code = table[name] { return code }
        let code = first + Int32(table.count)
        table[name] = code
        return code
    }
}
