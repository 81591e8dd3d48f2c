/// A fact to write: its text, where it came from, its scope and its embedding.
public struct FactRecord: Sendable, Equatable {
    /// The text as given.
    public var text: String
    /// A hash of the normalised text (16 bytes); one fact per hash and scope.
    public var textHash: [UInt8]
    /// Where the fact came from (a file, a URL, a person), if known.
    public var source: String?
    /// Labels for filtering and forgetting; no empty tags and no control characters.
    public var tags: [String]
    /// The session that owns the fact, or nil for a global fact every session sees.
    public var session: String?
    /// The name of the embedder that made `vector`.
    public var embedder: String
    /// The embedding; its count is the dimension.
    public var vector: [Float]

    /// Makes a record.
    public init(
        text: String, textHash: [UInt8], source: String? = nil, tags: [String] = [], session: String? = nil,
        embedder: String, vector: [Float]
    ) {
        self.text = text
        self.textHash = textHash
        self.source = source
        self.tags = tags
        self.session = session
        self.embedder = embedder
        self.vector = vector
    }
}

/// A fact as read back from the `facts` table.
public struct StoredFact: Sendable, Equatable {
    /// The fact's id (its rowid): stable for the fact's life, never reused while it exists.
    public var id: Int64
    /// The text.
    public var text: String
    /// Where it came from, if known.
    public var source: String?
    /// Its tags, in the order first given.
    public var tags: [String]
    /// The owning session, or nil for a global fact.
    public var session: String?
    /// When it was first stored, Unix milliseconds.
    public var createdAtMillis: Int64
    /// When it was last added again or updated, Unix milliseconds.
    public var updatedAtMillis: Int64
    /// The embedder that made its vector.
    public var embedder: String
    /// The vector's dimension.
    public var dimension: Int
    /// The vector, when the read asked for it.
    public var vector: [Float]?

    /// Makes a stored fact (tests and tools; the table builds these from rows).
    public init(
        id: Int64, text: String, source: String?, tags: [String], session: String?, createdAtMillis: Int64,
        updatedAtMillis: Int64, embedder: String, dimension: Int, vector: [Float]? = nil
    ) {
        self.id = id
        self.text = text
        self.source = source
        self.tags = tags
        self.session = session
        self.createdAtMillis = createdAtMillis
        self.updatedAtMillis = updatedAtMillis
        self.embedder = embedder
        self.dimension = dimension
        self.vector = vector
    }
}

/// Which facts a search may return: global facts plus those of `session`, narrowed by source and tags.
public struct FactFilter: Sendable, Equatable, Hashable {
    /// The session asking; its own facts are visible besides the global ones. Nil sees global facts only.
    public var session: String?
    /// Only facts from exactly this source.
    public var source: String?
    /// Only facts carrying every one of these tags.
    public var tags: [String]

    /// Makes a filter; the default sees every global fact.
    public init(session: String? = nil, source: String? = nil, tags: [String] = []) {
        self.session = session
        self.source = source
        self.tags = tags
    }
}

/// Which facts to forget.
public enum FactSelector: Sendable, Equatable {
    /// The fact with this id.
    case id(Int64)
    /// Every fact carrying this tag.
    case tag(String)
    /// Every fact from exactly this source.
    case source(String)
    /// Every fact owned by this session.
    case session(String)
}
