/// Latencies over a sliding window, in fixed logarithmic buckets (HDR-histogram style).
///
/// Values are microseconds. Below 16 µs every value has its own bucket; above, each power of two is split into 16
/// linear sub-buckets, so a quantile read from a bucket's midpoint is within ~3% of the true value. Values above
/// ~19 hours land in the last bucket. The window is `slotCount` slots of `slotMillis` each: recording goes to the
/// slot of the current time, and a quantile merges the slots still inside the window, so it describes the last
/// `(slotCount - 1) * slotMillis` to `slotCount * slotMillis` milliseconds. Recording never allocates.
struct LatencyWindow {
    static let subBucketBits = 4
    static let subBucketCount = 1 << subBucketBits
    /// The largest power of two with buckets of its own: 2^36 µs is about 19 hours.
    static let maxExponent = 36
    static let bucketCount = subBucketCount + (maxExponent - subBucketBits + 1) * subBucketCount

    let slotMillis: Int64
    let slotCount: Int
    /// `slotCount` rows of `bucketCount` counts.
    private var counts: [UInt32]
    /// The slot number (time / slotMillis) each row currently holds, or -1.
    private var slotNumbers: [Int64]

    init(slotMillis: Int64, slotCount: Int) {
        precondition(slotMillis > 0 && slotCount > 0)
        self.slotMillis = slotMillis
        self.slotCount = slotCount
        counts = Array(repeating: 0, count: slotCount * Self.bucketCount)
        slotNumbers = Array(repeating: -1, count: slotCount)
    }

    /// Records one latency at wall-clock time `nowMillis`.
    mutating func record(micros: UInt64, nowMillis: Int64) {
        let slot = nowMillis / slotMillis
        let row = Int(slot % Int64(slotCount))
        if slotNumbers[row] != slot {
            let start = row * Self.bucketCount
            for index in start..<start + Self.bucketCount { counts[index] = 0 }
            slotNumbers[row] = slot
        }
        let index = row * Self.bucketCount + Self.bucket(of: micros)
        counts[index] &+= 1
    }

    /// The latencies at the quantiles `qs` (each in 0...1), in microseconds, over the window ending at `nowMillis`;
    /// nil when the window holds no latency.
    func quantiles(_ qs: [Double], nowMillis: Int64) -> [Double]? {
        let current = nowMillis / slotMillis
        var merged = [UInt64](repeating: 0, count: Self.bucketCount)
        var total: UInt64 = 0
        for row in 0..<slotCount {
            let slot = slotNumbers[row]
            guard slot >= 0, slot <= current, slot > current - Int64(slotCount) else { continue }
            let start = row * Self.bucketCount
            for bucket in 0..<Self.bucketCount {
                let count = UInt64(counts[start + bucket])
                merged[bucket] += count
                total += count
            }
        }
        guard total > 0 else { return nil }
        return qs.map { q in
            let rank = max(1, UInt64((q * Double(total)).rounded(.up)))
            var seen: UInt64 = 0
            for bucket in 0..<Self.bucketCount {
                seen += merged[bucket]
                if seen >= rank { return Self.midpoint(of: bucket) }
            }
            return Self.midpoint(of: Self.bucketCount - 1)
        }
    }

    /// The bucket a value falls in.
    static func bucket(of micros: UInt64) -> Int {
        if micros < UInt64(subBucketCount) { return Int(micros) }
        let exponent = min(63 - micros.leadingZeroBitCount, maxExponent)
        if exponent == maxExponent && micros >> maxExponent > 1 { return bucketCount - 1 }
        let shift = exponent - subBucketBits
        let sub = Int((micros >> UInt64(shift)) & UInt64(subBucketCount - 1))
        return subBucketCount + shift * subBucketCount + sub
    }

    /// The smallest value of a bucket and how many values it spans.
    static func range(of bucket: Int) -> (lower: UInt64, width: UInt64) {
        if bucket < subBucketCount { return (UInt64(bucket), 1) }
        let shift = (bucket - subBucketCount) / subBucketCount
        let sub = (bucket - subBucketCount) % subBucketCount
        return (UInt64(subBucketCount + sub) << UInt64(shift), 1 << UInt64(shift))
    }

    /// The value a quantile in this bucket reports: its midpoint.
    static func midpoint(of bucket: Int) -> Double {
        let (lower, width) = range(of: bucket)
        return Double(lower) + Double(width - 1) / 2
    }
}
