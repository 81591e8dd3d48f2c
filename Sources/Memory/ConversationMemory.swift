import Store

/// How much of a conversation is kept and handed back (`[memory] session_token_budget`, `session_expiry_days`).
public struct ConversationOptions: Sendable, Equatable {
    /// The most tokens of recent turns handed back for a prompt; older turns are dropped first (default 2,048).
    public var tokenBudget: Int
    /// Turns older than this many days are ignored and pruned; nil keeps them forever (default 30).
    public var expiryDays: Double?

    /// Makes options.
    public init(tokenBudget: Int = 2_048, expiryDays: Double? = 30) {
        self.tokenBudget = tokenBudget
        self.expiryDays = expiryDays
    }

    /// The oldest creation time still in use at `nowMillis`.
    func cutoff(nowMillis: Int64) -> Int64 {
        guard let expiryDays, expiryDays > 0 else { return .min }
        return nowMillis - Int64(expiryDays * 86_400_000)
    }
}

/// Conversations per session: each `ask` with a `session` appends its exchange, and the next one gets the recent
/// turns that fit the token budget. Sessions never see each other's turns.
public struct ConversationMemory: Sendable {
    /// The SQL side.
    public let log: ConversationLog
    /// Budget and expiry.
    public let options: ConversationOptions

    /// Opens the conversations of a migrated database.
    public init(database: Database, options: ConversationOptions = ConversationOptions()) throws {
        log = try ConversationLog(database: database)
        self.options = options
    }

    /// Appends a question and its answer to the session, in one transaction.
    public func record(session: String, question: String, answer: String, nowMillis: Int64? = nil) throws {
        try append(session: session, turns: [(.user, question), (.assistant, answer)], nowMillis: nowMillis)
    }

    /// Appends turns to the session, in one transaction; token counts are estimated from the text.
    public func append(
        session: String, turns: [(role: ConversationTurn.Role, text: String)], nowMillis: Int64? = nil
    ) throws {
        try Self.check(session)
        try log.append(
            session: session, turns: turns.map { ($0.role, $0.text, FactText.estimatedTokens($0.text)) },
            nowMillis: nowMillis ?? WallClock.nowMillis())
    }

    /// The session's recent turns within the token budget, oldest first, without expired ones.
    public func recent(session: String, tokenBudget: Int? = nil, nowMillis: Int64? = nil) throws -> [ConversationTurn] {
        try Self.check(session)
        return try log.recent(
            session: session, tokenBudget: tokenBudget ?? options.tokenBudget,
            notBeforeMillis: options.cutoff(nowMillis: nowMillis ?? WallClock.nowMillis()))
    }

    /// Deletes every turn of the session; returns how many there were.
    @discardableResult
    public func forget(session: String) throws -> Int {
        try Self.check(session)
        return try log.forget(session: session)
    }

    /// Deletes expired turns of every session (none when expiry is off); returns how many.
    @discardableResult
    public func pruneExpired(nowMillis: Int64? = nil) throws -> Int {
        let cutoff = options.cutoff(nowMillis: nowMillis ?? WallClock.nowMillis())
        return cutoff == .min ? 0 : try log.prune(createdBefore: cutoff)
    }

    /// Prunes expired turns every `interval` until the task is cancelled (a daemon service).
    public func keepPruned(
        every interval: Duration = .seconds(3600), onError: @escaping @Sendable (any Error) -> Void = { _ in }
    )
        async
    {
        while !Task.isCancelled {
            do {
                try pruneExpired()
            } catch {
                onError(error)
            }
            try? await Task.sleep(for: interval)
        }
    }

    static func check(_ session: String) throws(MemoryError) {
        do {
            try FactValidation.checkLabel(session, field: "session")
        } catch {
            throw MemoryError(.invalidSession, error.message)
        }
    }
}
