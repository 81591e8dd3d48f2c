extension StoreSchema {
    /// Memory: facts with their embeddings and a full-text index, and conversation turns (see ``FactTable`` and
    /// ``ConversationLog``).
    ///
    /// - `facts.session` is `''` for a global fact, else the session that owns it; the same normalised text
    ///   (`text_hash`, 16 bytes) is stored once per scope.
    /// - `facts.tags` holds each tag between U+001F separators (`"\u{1F}a\u{1F}b\u{1F}"`, `''` for none), so a tag
    ///   matches with one `instr` and never as part of another tag.
    /// - `facts.vector` is `dimension` little-endian Float32 values made by the embedder named in `embedder`.
    /// - `facts_fts` is an external-content FTS5 index over `facts.text`.
    /// - `fact_changes` logs the id of every inserted, updated or deleted fact, so a process holding facts in memory
    ///   catches up with what another process wrote (``FactTransaction/changes(after:limit:)``).
    ///
    /// ``FactTransaction`` keeps both in step with `facts`, not triggers: a statement with triggers runs inside a
    /// statement savepoint, and FTS5 in SQLite 3.40 flushes its pending terms to disk at every savepoint, which
    /// made bulk imports about twice as slow.
    static let memory = Migration(
        name: "0004-memory",
        sql: """
            CREATE TABLE facts (
                id INTEGER PRIMARY KEY,
                text TEXT NOT NULL,
                text_hash BLOB NOT NULL,
                source TEXT,
                tags TEXT NOT NULL DEFAULT '',
                session TEXT NOT NULL DEFAULT '',
                created_at_ms INTEGER NOT NULL,
                updated_at_ms INTEGER NOT NULL,
                embedder TEXT NOT NULL,
                dimension INTEGER NOT NULL,
                vector BLOB NOT NULL,
                CHECK (length(vector) = 4 * dimension)
            ) STRICT;
            CREATE UNIQUE INDEX facts_scope_hash ON facts (session, text_hash);
            CREATE INDEX facts_source ON facts (source) WHERE source IS NOT NULL;
            CREATE VIRTUAL TABLE facts_fts USING fts5(
                text, content = 'facts', content_rowid = 'id', tokenize = 'porter unicode61 remove_diacritics 2'
            );
            CREATE TABLE fact_changes (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                fact_id INTEGER NOT NULL
            ) STRICT;

            CREATE TABLE conversation_turns (
                id INTEGER PRIMARY KEY,
                session TEXT NOT NULL,
                role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
                text TEXT NOT NULL,
                tokens INTEGER NOT NULL CHECK (tokens >= 0),
                created_at_ms INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX conversation_turns_session ON conversation_turns (session, id);
            CREATE INDEX conversation_turns_created ON conversation_turns (created_at_ms);
            """
    )
}
