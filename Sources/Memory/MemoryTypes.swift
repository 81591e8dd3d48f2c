import Store

/// A fact to remember.
public struct NewFact: Sendable, Equatable {
    /// The text (a sentence or a short passage).
    public var text: String
    /// Where it came from, if known.
    public var source: String?
    /// Labels for filtering and forgetting.
    public var tags: [String]
    /// The session that owns it, or nil for a global fact.
    public var session: String?

    /// Makes a fact.
    public init(text: String, source: String? = nil, tags: [String] = [], session: String? = nil) {
        self.text = text
        self.source = source
        self.tags = tags
        self.session = session
    }
}

/// What adding a fact did.
public struct AddOutcome: Sendable, Equatable {
    /// How the fact was stored.
    public enum Kind: Sendable, Equatable {
        /// A new fact.
        case inserted
        /// The same normalised text was already stored in this scope: its tags were merged, `updated_at` refreshed.
        case sameText
        /// A fact this similar (cosine) was stored in this scope: it now holds the new text.
        case nearDuplicate(similarity: Float)
    }

    /// The id of the fact holding the text.
    public var id: Int64
    /// How it was stored.
    public var kind: Kind

    /// Whether an existing fact absorbed it (`deduplicated` in replies).
    public var deduplicated: Bool { kind != .inserted }

    /// Makes an outcome.
    public init(id: Int64, kind: Kind) {
        self.id = id
        self.kind = kind
    }
}

/// One result of a hybrid search.
public struct MemoryHit: Sendable, Equatable {
    /// The fact.
    public var fact: StoredFact
    /// Its BM25 score in text search (higher is better), nil when text search did not return it.
    public var bm25: Double?
    /// Its cosine similarity to the query, nil when vector search did not return it.
    public var similarity: Float?
    /// The reciprocal-rank fusion of both rankings: the order of results.
    public var score: Double

    /// Makes a hit.
    public init(fact: StoredFact, bm25: Double?, similarity: Float?, score: Double) {
        self.fact = fact
        self.bm25 = bm25
        self.similarity = similarity
        self.score = score
    }
}
