/// How the fact store deduplicates, searches and imports (`[memory]` in the configuration).
public struct MemoryOptions: Sendable, Equatable {
    /// A new fact at least this similar (cosine) to one in the same scope updates it instead of adding another
    /// (`dedupe_threshold`, default 0.95); above 1 turns near-duplicate detection off. Detection uses
    /// locality-sensitive hashing tuned for thresholds of 0.9 and above.
    public var nearDuplicateThreshold: Float
    /// How many approximate vector matches are rescored exactly (default 64).
    public var rescoreCandidates: Int
    /// How many candidates each of text and vector search hands to the fusion (at least `k`; default 50).
    public var candidatePool: Int
    /// Vector matches less similar than this (cosine) are left out of hybrid results unless text search also found
    /// them: below it, the nearest vectors of an unrelated query are noise (default 0.15).
    public var minimumSimilarity: Float
    /// The constant of reciprocal-rank fusion: a result at rank r in one list scores 1 / (constant + r).
    public var fusionConstant: Double
    /// Facts embedded and committed together during a bulk add (default 256).
    public var batchSize: Int
    /// The longest fact text accepted, in UTF-8 bytes (default 16,384).
    public var maxTextBytes: Int
    /// Change-log entries kept for other processes to catch up with (default 50,000).
    public var changeLogKeep: Int

    /// Makes options; the defaults suit a home-lab node.
    public init(
        nearDuplicateThreshold: Float = 0.95, rescoreCandidates: Int = 64, candidatePool: Int = 50,
        minimumSimilarity: Float = 0.15, fusionConstant: Double = 60, batchSize: Int = 256, maxTextBytes: Int = 16_384,
        changeLogKeep: Int = 50_000
    ) {
        self.nearDuplicateThreshold = nearDuplicateThreshold
        self.rescoreCandidates = rescoreCandidates
        self.candidatePool = candidatePool
        self.minimumSimilarity = minimumSimilarity
        self.fusionConstant = fusionConstant
        self.batchSize = batchSize
        self.maxTextBytes = maxTextBytes
        self.changeLogKeep = changeLogKeep
    }
}
