/// Reads typed values out of one TOML table, records every problem under the key's full name
/// (`mqtt.keepalive_s`), and reports keys nobody asked for as unknown.
struct TableReader {
    /// The table's own name: "" for the root, "mqtt", "models[0]".
    let path: String
    let problems: ProblemList
    private let members: [(key: String, value: TOMLNode)]
    private var known: [String] = []

    init(path: String, members: [(key: String, value: TOMLNode)], problems: ProblemList) {
        self.path = path
        self.members = members
        self.problems = problems
    }

    /// The full name of `key` in this table.
    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The raw value of `key`, if present; marks the key as known.
    mutating func value(_ key: String) -> TOMLNode? {
        known.append(key)
        return members.first { $0.key == key }?.value
    }

    /// Whether the table sets `key` at all.
    func contains(_ key: String) -> Bool { members.contains { $0.key == key } }

    /// A string, or `fallback` when absent. `expected` describes the value in a type error.
    mutating func string(_ key: String, default fallback: String, expected: String = "a string") -> String {
        guard let node = value(key) else { return fallback }
        guard case .string(let text) = node else {
            wrongType(key, expected: expected, got: node)
            return fallback
        }
        return text
    }

    /// An integer within `range`, or `fallback` when absent or wrong.
    mutating func integer(_ key: String, default fallback: Int, in range: ClosedRange<Int>) -> Int {
        guard let node = value(key) else { return fallback }
        guard case .integer(let number) = node else {
            wrongType(key, expected: "an integer", got: node)
            return fallback
        }
        guard range.contains(number) else {
            problems.invalid(name(key), "must be \(Self.describe(range)), got \(number)")
            return fallback
        }
        return number
    }

    /// A finite number (integer or float) of at least `minimum`, or `fallback` when absent or wrong.
    mutating func number(_ key: String, default fallback: Double, minimum: Double) -> Double {
        guard let node = value(key) else { return fallback }
        let number: Double
        switch node {
        case .integer(let integer): number = Double(integer)
        case .float(let float): number = float
        default:
            wrongType(key, expected: "a number", got: node)
            return fallback
        }
        guard number.isFinite, number >= minimum else {
            problems.invalid(name(key), "must be a finite number of at least \(minimum), got \(node.shown)")
            return fallback
        }
        return number
    }

    /// `true` or `false`, or `fallback` when absent or wrong.
    mutating func bool(_ key: String, default fallback: Bool) -> Bool {
        guard let node = value(key) else { return fallback }
        guard case .boolean(let flag) = node else {
            wrongType(key, expected: "true or false", got: node)
            return fallback
        }
        return flag
    }

    /// One of a fixed set of strings, or `fallback` when absent or wrong.
    mutating func choice<Choice: CaseIterable & RawRepresentable<String>>(
        _ key: String, default fallback: Choice
    ) -> Choice {
        guard let node = value(key) else { return fallback }
        if case .string(let text) = node, let choice = Choice(rawValue: text) { return choice }
        let options = Choice.allCases.map { tomlQuoted($0.rawValue) }
        let list = options.count == 2 ? "\(options[0]) or \(options[1])" : "one of " + options.joined(separator: ", ")
        let code: ConfigError.Code = if case .string = node { .invalidValue } else { .wrongType }
        problems.add(code, key: name(key), "\(name(key)): must be \(list), got \(node.shown)")
        return fallback
    }

    /// The keys whose values are tables (`[section.name]` headers under this table), in order.
    func subtableKeys() -> [String] {
        members.compactMap { member in
            if case .table = member.value { return member.key }
            return nil
        }
    }

    /// The sub-table `key` (empty when absent; a problem when it is not a table).
    mutating func table(_ key: String) -> TableReader {
        let empty = TableReader(path: name(key), members: [], problems: problems)
        guard let node = value(key) else { return empty }
        guard case .table(let members) = node else {
            wrongType(key, expected: "a table [\(name(key))]", got: node)
            return empty
        }
        return TableReader(path: name(key), members: members, problems: problems)
    }

    /// The array of tables `key` (`[[key]]`), each named `key[i]`.
    mutating func tables(_ key: String) -> [TableReader] {
        guard let node = value(key) else { return [] }
        let expected = "an array of tables [[\(name(key))]]"
        guard case .array(let elements) = node else {
            wrongType(key, expected: expected, got: node)
            return []
        }
        var readers: [TableReader] = []
        for (position, element) in elements.enumerated() {
            guard case .table(let members) = element else {
                wrongType(key, expected: expected, got: element)
                continue
            }
            readers.append(TableReader(path: "\(name(key))[\(position)]", members: members, problems: problems))
        }
        return readers
    }

    /// Records a problem for every key in the table that was never asked for, with a suggestion when one is close.
    func reportUnknownKeys() {
        for member in members where !known.contains(member.key) {
            var message = "unknown key '\(name(member.key))'"
            if let suggestion = Self.closest(to: member.key, among: known) {
                message += " (did you mean '\(name(suggestion))'?)"
            }
            problems.add(.unknownKey, key: name(member.key), message)
        }
    }

    private func wrongType(_ key: String, expected: String, got node: TOMLNode) {
        problems.add(.wrongType, key: name(key), "\(name(key)): expected \(expected), got \(node.shown)")
    }

    private static func describe(_ range: ClosedRange<Int>) -> String {
        if range.upperBound == Int.max { return "at least \(range.lowerBound)" }
        return "between \(range.lowerBound) and \(range.upperBound)"
    }

    /// The candidate within a small edit distance of `word`, if there is one.
    static func closest(to word: String, among candidates: [String]) -> String? {
        let limit = max(1, min(2, word.count / 3))
        let scored = candidates.map { (candidate: $0, distance: editDistance(word, $0)) }
        guard let best = scored.min(by: { $0.distance < $1.distance }), best.distance <= limit else { return nil }
        return best.candidate
    }

    /// Levenshtein distance over characters, with adjacent transpositions counted as one edit.
    static func editDistance(_ first: String, _ second: String) -> Int {
        let a = Array(first.lowercased()), b = Array(second.lowercased())
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            previous2 = previous
            previous = current
        }
        return previous[b.count]
    }
}
