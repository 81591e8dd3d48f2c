import Glibc

/// The built-in embedder: deterministic, no model weights, about ten microseconds a sentence.
///
/// Features of the lowercased words (``WordScanner``): word unigrams, word bigrams, and character 3-, 4- and
/// 5-grams of each word with boundary marks (`<par`, `ris>`), which make "capital" and "capitals" close. Function
/// words ("the", "of") count a little as unigrams and not at all as character n-grams. Each feature's weight is
/// scaled by `1 + ln(tf)` (sublinear term frequency), added with a hash-chosen sign to a hash-chosen coordinate
/// (the hashing trick: collisions cancel out on average), and the vector is normalised to unit length.
public struct HashingEmbedder: Embedder {
    /// The vector length.
    public let dimension: Int

    /// Names the version of the feature scheme and the dimension: vectors from another version are not comparable.
    public var name: String { "hashing-v1-\(dimension)" }

    /// Weight of one word unigram.
    static let unigramWeight: Float = 1.0
    /// Weight of a function word's unigram.
    static let stopwordWeight: Float = 0.15
    /// Weight of one word bigram.
    static let bigramWeight: Float = 0.7
    /// Weight of one character n-gram.
    static let charGramWeight: Float = 0.25
    /// Character n-gram lengths, boundary marks included.
    static let charGramLengths = 3...5

    /// Makes an embedder producing `dimension` values (at least 8; 256 or 384 suit most stores).
    public init(dimension: Int = 256) {
        precondition(dimension >= 8, "a hashing embedder needs at least 8 dimensions")
        self.dimension = dimension
    }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        var scratch = Scratch()
        return texts.map { vector(for: $0, scratch: &scratch) }
    }

    /// The vector of one text, synchronously.
    public func vector(for text: String) -> [Float] {
        var scratch = Scratch()
        return vector(for: text, scratch: &scratch)
    }

    /// Buffers reused from one text to the next.
    struct Scratch {
        var scanner = WordScanner()
        var unigrams: [UInt64] = []
        var stopUnigrams: [UInt64] = []
        var bigrams: [UInt64] = []
        var charGrams: [UInt64] = []
        var word: [UInt8] = []
    }

    func vector(for text: String, scratch: inout Scratch) -> [Float] {
        scratch.scanner.scan(text)
        scratch.unigrams.removeAll(keepingCapacity: true)
        scratch.stopUnigrams.removeAll(keepingCapacity: true)
        scratch.bigrams.removeAll(keepingCapacity: true)
        scratch.charGrams.removeAll(keepingCapacity: true)
        collectFeatures(&scratch)
        var vector = [Float](repeating: 0, count: dimension)
        vector.withUnsafeMutableBufferPointer { out in
            Self.accumulate(&scratch.unigrams, weight: Self.unigramWeight, into: out)
            Self.accumulate(&scratch.stopUnigrams, weight: Self.stopwordWeight, into: out)
            Self.accumulate(&scratch.bigrams, weight: Self.bigramWeight, into: out)
            Self.accumulate(&scratch.charGrams, weight: Self.charGramWeight, into: out)
            VectorMath.normalize(out)
        }
        return vector
    }

    private func collectFeatures(_ scratch: inout Scratch) {
        let ranges = scratch.scanner.ranges
        scratch.scanner.bytes.withUnsafeBufferPointer { bytes in
            var previous: (hash: UInt64, stop: Bool)? = nil
            for range in ranges {
                let hash = FeatureHash.bytes(bytes, from: range.lowerBound, to: range.upperBound, seed: 0)
                let stop = Stopwords.hashes.contains(hash)
                if stop {
                    scratch.stopUnigrams.append(hash)
                } else {
                    scratch.unigrams.append(hash)
                    Self.appendCharGrams(bytes[range], word: &scratch.word, to: &scratch.charGrams)
                }
                if let previous, !(previous.stop && stop) {
                    scratch.bigrams.append(FeatureHash.combine(previous.hash, hash))
                }
                previous = (hash, stop)
            }
        }
    }

    /// Character n-grams of `<word>`; a word shorter than the n-gram contributes the whole marked word once.
    private static func appendCharGrams(
        _ word: Slice<UnsafeBufferPointer<UInt8>>, word buffer: inout [UInt8], to out: inout [UInt64]
    ) {
        buffer.removeAll(keepingCapacity: true)
        buffer.append(0x02)
        buffer.append(contentsOf: word)
        buffer.append(0x03)
        buffer.withUnsafeBufferPointer { marked in
            let count = marked.count
            for length in charGramLengths {
                if count < length {
                    if length == charGramLengths.lowerBound {
                        out.append(FeatureHash.bytes(marked, from: 0, to: count, seed: UInt64(length)))
                    }
                    break
                }
                for start in 0...(count - length) {
                    out.append(FeatureHash.bytes(marked, from: start, to: start + length, seed: UInt64(length)))
                }
            }
        }
    }

    /// Adds each distinct feature once with weight `weight × (1 + ln tf)` and a sign from its hash.
    private static func accumulate(
        _ features: inout [UInt64], weight: Float, into out: UnsafeMutableBufferPointer<Float>
    ) {
        guard !features.isEmpty else { return }
        features.sort()
        let dimension = UInt64(out.count)
        var index = 0
        while index < features.count {
            let hash = features[index]
            var end = index + 1
            while end < features.count, features[end] == hash { end += 1 }
            let frequency = end - index
            let scaled = frequency == 1 ? weight : weight * (1 + Float(log(Double(frequency))))
            let bucket = Int(hash.multipliedFullWidth(by: dimension).high)
            out[bucket] += (hash & 1 == 0) ? scaled : -scaled
            index = end
        }
    }
}
