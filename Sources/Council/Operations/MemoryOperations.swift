import JSON
import Memory
import Store

/// The memory ops: `memory/add`, `memory/search`, `memory/forget` and `knowledge/add` over one ``MemoryStore``.
public enum MemoryOperations {
    /// Every memory op; `memory/forget` with `session` also drops the session's conversation when given one.
    public static func all(store: MemoryStore, conversations: ConversationMemory? = nil) -> [any Operation] {
        [
            MemoryAddOperation(store: store), MemorySearchOperation(store: store),
            MemoryForgetOperation(store: store, conversations: conversations), KnowledgeAddOperation(store: store),
        ]
    }
}

/// `memory/add`: `text`, `source?`, `tags?`, `session?` → `id`, `deduplicated` (and `kind`: `inserted`, `same_text`
/// or `near_duplicate` with its `similarity`).
public struct MemoryAddOperation: Operation {
    public let name = "memory/add"
    private let store: MemoryStore

    /// Creates the op.
    public init(store: MemoryStore) { self.store = store }

    public func plan(_ body: JSONObject, context: OperationContext) -> OperationPlan {
        let fact: NewFact
        do throws(RequestError) {
            let fields = MemoryFields(op: name, body: body)
            fact = NewFact(
                text: try fields.requiredString("text"), source: try fields.string("source"),
                tags: try fields.strings("tags"), session: try fields.string("session"))
        } catch {
            return .ready(.failure(error))
        }
        let store = self.store, name = self.name
        return .pending {
            do {
                return .success(MemoryFields.data(try await store.add(fact)))
            } catch {
                return .failure(MemoryFields.requestError(error, op: name))
            }
        }
    }
}

/// `memory/search`: `query`, `k?` (1–100, default 10), `tags?`, `source?`, `session?` → `results`: [{`id`, `text`,
/// `source`, `tags`, `score`, `bm25`, `similarity`}], best first; `score` is the fused rank score.
public struct MemorySearchOperation: Operation {
    public let name = "memory/search"
    private let store: MemoryStore

    /// Creates the op.
    public init(store: MemoryStore) { self.store = store }

    public func plan(_ body: JSONObject, context: OperationContext) -> OperationPlan {
        let query: String, k: Int, filter: FactFilter
        do throws(RequestError) {
            let fields = MemoryFields(op: name, body: body)
            query = try fields.requiredString("query")
            k = try fields.integer("k", in: 1...100) ?? 10
            filter = FactFilter(
                session: try fields.string("session"), source: try fields.string("source"),
                tags: try fields.strings("tags"))
        } catch {
            return .ready(.failure(error))
        }
        let store = self.store, name = self.name
        return .pending {
            do {
                let hits = try await store.search(query, k: k, filter: filter)
                return .success(["results": .array(hits.map { .object(MemoryFields.result($0)) })])
            } catch {
                return .failure(MemoryFields.requestError(error, op: name))
            }
        }
    }
}

/// `memory/forget`: exactly one of `id`, `tag`, `source`, `session` → `forgotten` (facts); with `session`, also
/// `turns` (conversation turns dropped).
public struct MemoryForgetOperation: Operation {
    public let name = "memory/forget"
    private let store: MemoryStore
    private let conversations: ConversationMemory?

    /// Creates the op; with `conversations`, forgetting a session also drops its conversation.
    public init(store: MemoryStore, conversations: ConversationMemory? = nil) {
        self.store = store
        self.conversations = conversations
    }

    public func plan(_ body: JSONObject, context: OperationContext) -> OperationPlan {
        let selector: FactSelector
        do throws(RequestError) {
            selector = try Self.selector(MemoryFields(op: name, body: body))
        } catch {
            return .ready(.failure(error))
        }
        let store = self.store, conversations = self.conversations, name = self.name
        return .pending {
            do {
                var data: JSONObject = ["forgotten": JSONValue(try store.forget(selector))]
                if case .session(let session) = selector, let conversations {
                    data["turns"] = JSONValue(try conversations.forget(session: session))
                }
                return .success(data)
            } catch {
                return .failure(MemoryFields.requestError(error, op: name))
            }
        }
    }

    private static func selector(_ fields: MemoryFields) throws(RequestError) -> FactSelector {
        let given = ["id", "tag", "source", "session"].filter { fields.body[$0] != nil }
        guard given.count == 1 else {
            throw fields.error(
                given.isEmpty
                    ? "give one of 'id', 'tag', 'source' or 'session'"
                    : "give only one of 'id', 'tag', 'source' or 'session' (got \(given.joined(separator: ", ")))")
        }
        if let id = try fields.integer("id", in: 1...Int.max) { return .id(Int64(id)) }
        if let tag = try fields.string("tag") { return .tag(tag) }
        if let source = try fields.string("source") { return .source(source) }
        return .session(try fields.requiredString("session"))
    }
}

/// `knowledge/add`: `facts`: [{`text`, `source?`, `tags?`}] (at most 10,000) → `added`, `deduplicated`, `ids`.
public struct KnowledgeAddOperation: Operation {
    public let name = "knowledge/add"
    private let store: MemoryStore
    /// The most facts one request may carry.
    public static let maxFacts = 10_000

    /// Creates the op.
    public init(store: MemoryStore) { self.store = store }

    public func plan(_ body: JSONObject, context: OperationContext) -> OperationPlan {
        var facts: [NewFact] = []
        do throws(RequestError) {
            let fields = MemoryFields(op: name, body: body)
            guard case .array(let items)? = body["facts"] else {
                throw fields.error("'facts' \(body["facts"] == nil ? "is missing" : "must be an array")")
            }
            guard !items.isEmpty, items.count <= Self.maxFacts else {
                throw fields.error("'facts' must hold 1 to \(Self.maxFacts) facts (got \(items.count))")
            }
            for (index, item) in items.enumerated() {
                guard case .object(let object) = item else { throw fields.error("facts[\(index)] must be an object") }
                let fact = MemoryFields(op: "\(name): facts[\(index)]", body: object)
                facts.append(
                    NewFact(
                        text: try fact.requiredString("text"), source: try fact.string("source"),
                        tags: try fact.strings("tags")))
            }
        } catch {
            return .ready(.failure(error))
        }
        let store = self.store, name = self.name, batch = facts
        return .pending {
            do {
                let outcomes = try await store.add(batch)
                let deduplicated = outcomes.filter(\.deduplicated).count
                return .success([
                    "added": JSONValue(outcomes.count - deduplicated), "deduplicated": JSONValue(deduplicated),
                    "ids": .array(outcomes.map { JSONValue($0.id) }),
                ])
            } catch {
                return .failure(MemoryFields.requestError(error, op: name))
            }
        }
    }
}

/// Reads and checks the fields of a memory op's body; every message names the op and the field.
struct MemoryFields {
    let op: String
    let body: JSONObject

    func error(_ message: String) -> RequestError { RequestError(.badRequest, "\(op): \(message)") }

    func string(_ field: String) throws(RequestError) -> String? {
        guard let value = body[field], value != .null else { return nil }
        guard case .string(let string) = value else { throw error("'\(field)' must be a string") }
        return string
    }

    func requiredString(_ field: String) throws(RequestError) -> String {
        guard let string = try string(field) else { throw error("'\(field)' is missing") }
        guard !string.allSatisfy(\.isWhitespace) else { throw error("'\(field)' is empty") }
        return string
    }

    func strings(_ field: String) throws(RequestError) -> [String] {
        guard let value = body[field], value != .null else { return [] }
        guard case .array(let items) = value else { throw error("'\(field)' must be an array of strings") }
        return try items.map { item throws(RequestError) in
            guard case .string(let string) = item else { throw error("'\(field)' must be an array of strings") }
            return string
        }
    }

    func integer(_ field: String, in range: ClosedRange<Int>) throws(RequestError) -> Int? {
        guard let value = body[field], value != .null else { return nil }
        guard let number = value.intValue, range.contains(number) else {
            let upper = range.upperBound == Int.max ? "" : " to \(range.upperBound)"
            throw error("'\(field)' must be an integer from \(range.lowerBound)\(upper)")
        }
        return number
    }

    static func requestError(_ error: any Error, op: String) -> RequestError {
        if let error = error as? MemoryError { return RequestError(.badRequest, "\(op): \(error.message)") }
        return RequestError(.internal, "\(op) failed: \(error)")
    }

    static func data(_ outcome: AddOutcome) -> JSONObject {
        var data: JSONObject = ["id": JSONValue(outcome.id), "deduplicated": JSONValue(outcome.deduplicated)]
        switch outcome.kind {
        case .inserted: data["kind"] = "inserted"
        case .sameText: data["kind"] = "same_text"
        case .nearDuplicate(let similarity):
            data["kind"] = "near_duplicate"
            data["similarity"] = JSONValue((Double(similarity) * 10_000).rounded() / 10_000)
        }
        return data
    }

    static func result(_ hit: MemoryHit) -> JSONObject {
        [
            "id": JSONValue(hit.fact.id), "text": .string(hit.fact.text),
            "source": hit.fact.source.map { .string($0) } ?? .null,
            "tags": .array(hit.fact.tags.map { .string($0) }), "score": JSONValue(hit.score),
            "bm25": hit.bm25.map { JSONValue($0) } ?? .null,
            "similarity": hit.similarity.map { JSONValue((Double($0) * 10_000).rounded() / 10_000) } ?? .null,
            "session": hit.fact.session.map { .string($0) } ?? .null,
        ]
    }
}
