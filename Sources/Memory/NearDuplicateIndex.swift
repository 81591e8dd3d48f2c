/// Finds stored vectors that may be near duplicates of a new one, in time independent of the store's size.
///
/// Locality-sensitive hashing with random hyperplanes (SimHash): each vector gets 640 sign bits, cut into 40 bands
/// of 16 bits, and a stored vector is a candidate when it shares at least two whole bands with the new one. Two
/// unit vectors at angle θ agree on a bit with probability p = 1 − θ/π; a pair at cosine 0.95 (p = 0.899) shares two
/// or more bands with probability 0.997 (0.97: 0.9999), while a pair at cosine 0.3 does with probability 5 × 10⁻⁷,
/// so unrelated facts almost never need checking. The hyperplanes are the rows of randomised Walsh–Hadamard
/// transforms (random sign flips, then the transform: ±1 planes, orthogonal within a round), which cost n log n
/// instead of 640 × n. Candidates are only candidates: the caller checks the exact similarity. Each band is a table
/// of 65,536 list heads with the lists threaded through per-slot `next` links; removed slots are skipped until dead
/// slots outnumber live ones, then the lists are rebuilt.
struct NearDuplicateIndex: Sendable {
    static let bands = 40
    /// Bands a stored vector must share to be a candidate.
    static let requiredMatches: UInt8 = 2
    static let bitsPerBand = 16
    static let bitCount = bands * bitsPerBand
    private static let bucketCount = 1 << bitsPerBand

    let dimension: Int
    /// The transform's length: the dimension rounded up to a power of two (at least 16).
    private let transformLength: Int
    /// One ±1 sign pattern of `transformLength` values per round; enough rounds for `bitCount` bits.
    private let signs: [[Float]]
    private var heads: [Int32]
    private var next: [Int32] = []
    private var keys: [UInt16] = []
    private var slotIDs: [Int64] = []
    private var slotOfID: [Int64: Int32] = [:]
    private var deadSlots = 0
    private var seenStamp: [UInt32] = []
    private var matches: [UInt8] = []
    private var stamp: UInt32 = 0

    init(dimension: Int) {
        self.dimension = dimension
        var length = 16
        while length < dimension { length *= 2 }
        transformLength = length
        var generator = SplitMix64(seed: 0x5eed_0f_d0c5)
        let rounds = (Self.bitCount + length - 1) / length
        signs = (0..<rounds).map { _ in (0..<length).map { _ in generator.next() & 1 == 0 ? 1 : -1 } }
        heads = [Int32](repeating: -1, count: Self.bands * Self.bucketCount)
    }

    /// The 16-bit key of each band: bit `i` is set when the vector lies on the positive side of hyperplane `i`.
    func bandKeys(_ vector: [Float]) -> [UInt16] {
        precondition(vector.count == dimension, "vector has \(vector.count) values, the index \(dimension)")
        var keys = [UInt16](repeating: 0, count: Self.bands)
        var work = [Float](repeating: 0, count: transformLength)
        var bit = 0
        for pattern in signs {
            for index in 0..<dimension { work[index] = vector[index] * pattern[index] }
            for index in dimension..<transformLength { work[index] = 0 }
            work.withUnsafeMutableBufferPointer { Self.walshHadamard($0) }
            for value in work where bit < Self.bitCount {
                if value > 0 { keys[bit / Self.bitsPerBand] |= 1 << UInt16(bit % Self.bitsPerBand) }
                bit += 1
            }
        }
        return keys
    }

    /// The unnormalised fast Walsh–Hadamard transform in place (length a power of two).
    private static func walshHadamard(_ values: UnsafeMutableBufferPointer<Float>) {
        let count = values.count
        var half = 1
        while half < count {
            var block = 0
            while block < count {
                for index in block..<(block + half) {
                    let a = values[index], b = values[index + half]
                    values[index] = a + b
                    values[index + half] = a - b
                }
                block += 2 * half
            }
            half *= 2
        }
    }

    /// Number of live entries.
    var count: Int { slotOfID.count }

    /// Adds (or moves) `id` under `bandKeys` (from ``bandKeys(_:)``).
    mutating func insert(id: Int64, bandKeys: [UInt16]) {
        remove(id: id)
        let slot = Int32(slotIDs.count)
        slotIDs.append(id)
        slotOfID[id] = slot
        seenStamp.append(0)
        matches.append(0)
        keys.append(contentsOf: bandKeys)
        next.append(contentsOf: repeatElement(-1, count: Self.bands))
        link(slot: Int(slot))
    }

    /// Forgets `id` (its slot is skipped from now on).
    mutating func remove(id: Int64) {
        guard let slot = slotOfID.removeValue(forKey: id) else { return }
        slotIDs[Int(slot)] = -1
        deadSlots += 1
        if deadSlots > 1024 && deadSlots > slotOfID.count { compact() }
    }

    /// Ids sharing at least ``requiredMatches`` band keys with `bandKeys`, each once.
    mutating func candidates(_ bandKeys: [UInt16]) -> [Int64] {
        stamp &+= 1
        if stamp == 0 {
            for index in seenStamp.indices { seenStamp[index] = 0 }
            stamp = 1
        }
        var found: [Int64] = []
        for band in 0..<Self.bands {
            var slot = heads[band * Self.bucketCount + Int(bandKeys[band])]
            while slot >= 0 {
                let index = Int(slot)
                if seenStamp[index] != stamp {
                    seenStamp[index] = stamp
                    matches[index] = 1
                } else {
                    matches[index] &+= 1
                }
                if matches[index] == Self.requiredMatches, slotIDs[index] >= 0 { found.append(slotIDs[index]) }
                slot = next[index * Self.bands + band]
            }
        }
        return found
    }

    private mutating func link(slot: Int) {
        for band in 0..<Self.bands {
            let head = band * Self.bucketCount + Int(keys[slot * Self.bands + band])
            next[slot * Self.bands + band] = heads[head]
            heads[head] = Int32(slot)
        }
    }

    /// Drops dead slots and relinks the live ones.
    private mutating func compact() {
        var liveIDs: [Int64] = []
        var liveKeys: [UInt16] = []
        for (slot, id) in slotIDs.enumerated() where id >= 0 {
            liveIDs.append(id)
            liveKeys.append(contentsOf: keys[(slot * Self.bands)..<((slot + 1) * Self.bands)])
        }
        heads = [Int32](repeating: -1, count: Self.bands * Self.bucketCount)
        slotIDs = liveIDs
        keys = liveKeys
        next = [Int32](repeating: -1, count: liveIDs.count * Self.bands)
        seenStamp = [UInt32](repeating: 0, count: liveIDs.count)
        matches = [UInt8](repeating: 0, count: liveIDs.count)
        slotOfID = [:]
        for (slot, id) in liveIDs.enumerated() {
            slotOfID[id] = Int32(slot)
            link(slot: slot)
        }
        deadSlots = 0
    }
}

/// A small deterministic pseudo-random generator (splitmix64), so hyperplanes are the same in every run.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        return FeatureHash.mix(state)
    }
}
