/// The hashes Memory uses: 64-bit FNV-1a with a seed and a final avalanche (features, stopwords), and a 128-bit
/// FNV-1a for normalised-text identity.
enum FeatureHash {
    private static let offset64: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime64: UInt64 = 0x0000_0100_0000_01b3

    /// FNV-1a over `bytes` starting from a seeded state, then mixed so that every bit depends on every input bit.
    @inline(__always)
    static func bytes(_ bytes: some Collection<UInt8>, seed: UInt64) -> UInt64 {
        var hash = offset64 ^ (seed &* 0x9e37_79b9_7f4a_7c15)
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= prime64
        }
        return mix(hash)
    }

    /// FNV-1a over a buffer slice, the hot path of the embedder.
    @inline(__always)
    static func bytes(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, seed: UInt64) -> UInt64 {
        var hash = offset64 ^ (seed &* 0x9e37_79b9_7f4a_7c15)
        var index = start
        while index < end {
            hash ^= UInt64(buffer[index])
            hash &*= prime64
            index += 1
        }
        return mix(hash)
    }

    /// Combines two hashes into one (order matters), for word bigrams.
    @inline(__always)
    static func combine(_ first: UInt64, _ second: UInt64) -> UInt64 {
        mix(first &* 0x9e37_79b9_7f4a_7c15 ^ (second &+ 0x632b_e59b_d9b4_e019))
    }

    /// The splitmix64 finaliser.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// 128-bit FNV-1a of the UTF-8 bytes, big-endian: 16 bytes that identify a normalised text.
    static func identity(_ text: String) -> [UInt8] {
        var hash: UInt128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d
        let prime: UInt128 = 0x0000_0000_0100_0000_0000_0000_0000_013b
        for byte in text.utf8 {
            hash ^= UInt128(byte)
            hash &*= prime
        }
        return (0..<16).map { UInt8(truncatingIfNeeded: hash >> UInt128(8 * (15 - $0))) }
    }
}
