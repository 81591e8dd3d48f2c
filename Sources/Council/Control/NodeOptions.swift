import JSON
import Logging
import Store
import Synchronization

/// The node's run-time options: changed all-or-nothing by the `options` op, kept in SQLite across restarts (they
/// override the configuration file until set back to `null`), and announced on the retained `state` topic.
public final class NodeOptions: Sendable {
    private let options: [NodeOption]
    private let store: OptionsStore
    private let logger: Logger
    /// Serialises changes so that the stored, applied and announced values always agree.
    private let changing = Mutex(())
    private let listeners = Mutex<[@Sendable (JSONObject) -> Void]>([])

    /// Creates the options and applies the values stored by earlier runs (ignoring, with a warning, any that no
    /// longer exist or are no longer valid).
    public init(_ options: [NodeOption], store: OptionsStore, logger: Logger) {
        self.options = options
        self.store = store
        self.logger = logger
        restoreStoredValues()
    }

    /// The names, in order.
    public var names: [String] { options.map(\.name) }

    /// Every option's value in effect now.
    public func snapshot() -> JSONObject {
        JSONObject(options.map { ($0.name, $0.current()) })
    }

    /// Calls `listener` with the new snapshot after every change.
    public func onChange(_ listener: @escaping @Sendable (JSONObject) -> Void) {
        listeners.withLock { $0.append(listener) }
    }

    /// Applies `changes` if every one is valid, stores them, and returns the snapshot after the change; `null`
    /// restores an option's configured value.
    public func change(_ changes: JSONObject, nowMillis: Int64) -> Result<JSONObject, RequestError> {
        var checked: [(NodeOption, JSONValue, stored: String?)] = []
        var problems: [String] = []
        for (name, value) in changes {
            guard let option = options.first(where: { $0.name == name }) else {
                problems.append("unknown option '\(name)' (known: \(names.joined(separator: ", ")))")
                continue
            }
            if value == .null {
                checked.append((option, option.configured, nil))
                continue
            }
            switch option.check(value) {
            case .success(let normalised):
                checked.append((option, normalised, String(decoding: normalised.encoded(), as: UTF8.self)))
            case .failure(let problem): problems.append("'\(name)' \(problem.reason)")
            }
        }
        guard problems.isEmpty else {
            return .failure(RequestError(.badRequest, "options: " + problems.joined(separator: "; ")))
        }
        let snapshot: JSONObject
        do {
            snapshot = try changing.withLock { _ in
                try store.save(checked.map { ($0.0.name, $0.stored) }, nowMillis: nowMillis)
                for (option, value, _) in checked { option.apply(value) }
                return self.snapshot()
            }
        } catch {
            return .failure(RequestError(.internal, "options: could not store the change: \(error)"))
        }
        if !checked.isEmpty {
            logger.notice(
                "options changed",
                metadata: [
                    "changed": "\(checked.map { "\($0.0.name)=\(String(decoding: $0.1.encoded(), as: UTF8.self))" })"
                ])
            for listener in listeners.withLock({ $0 }) { listener(snapshot) }
        }
        return .success(snapshot)
    }

    private func restoreStoredValues() {
        let stored: [String: String]
        do {
            stored = try store.load()
        } catch {
            logger.warning("could not read stored options, using the configuration's: \(error)")
            return
        }
        for (name, json) in stored.sorted(by: { $0.key < $1.key }) {
            guard let option = options.first(where: { $0.name == name }) else {
                logger.warning("ignoring stored option '\(name)': this Council does not know it")
                continue
            }
            guard let value = try? JSONParser.parse(Array(json.utf8)), case .success(let valid) = option.check(value)
            else {
                logger.warning("ignoring stored option '\(name)': its value \(json) is no longer valid")
                continue
            }
            option.apply(valid)
            logger.info("option \(name) = \(json) (set at run time; send null to restore the configured value)")
        }
    }
}
