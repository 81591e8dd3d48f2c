extension PythonAnalyzer {
    /// What one evaluation of an expression costs and makes.
    struct Value {
        /// CPU work, nanoseconds.
        var workNanos: Double = 0
        /// Memory allocated, bytes.
        var bytes: Double = 0
        /// Elements of the collection it makes or iterates (a `range`, a list), when known.
        var count: Double?
        /// Whether it iterates without end (`itertools.count()`).
        var endless = false

        mutating func add(_ other: Value) {
            workNanos += other.workNanos
            bytes += other.bytes
        }
    }

    /// Keywords that never name a value.
    static let keywords: Set<String> = [
        "and", "or", "not", "in", "is", "if", "else", "for", "while", "lambda", "None", "True", "False", "return",
        "yield", "await", "async", "from", "import", "as", "with", "def", "class", "pass", "break", "continue", "del",
        "global", "nonlocal", "try", "except", "finally", "raise", "assert", "elif",
    ]

    // MARK: Statements

    /// The simple statements in `range` (split at `;`), each run `multiplier` times.
    func statements(in range: Range<Int>, multiplier: Double, into summary: inout Summary, function: Int?) {
        var start = range.lowerBound
        var depth = 0
        for index in range {
            let token = source.tokens[index]
            guard token.kind == .op else { continue }
            switch source.firstByte(index) {
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            case UInt8(ascii: ";") where depth == 0:
                statement(start..<index, multiplier: multiplier, into: &summary, function: function)
                start = index + 1
            default: break
            }
        }
        if start < range.upperBound {
            statement(start..<range.upperBound, multiplier: multiplier, into: &summary, function: function)
        }
    }

    /// One simple statement: an assignment, an expression, `return`, ...
    private func statement(
        _ range: Range<Int>, multiplier: Double, into summary: inout Summary, function: Int?
    ) {
        let first = range.lowerBound
        if source.tokens[first].kind == .name {
            if source.isText(first, "import") || source.isText(first, "from") || source.isText(first, "pass")
                || source.isText(first, "global") || source.isText(first, "nonlocal")
                || source.isText(first, "break") || source.isText(first, "continue")
            {
                summary.workNanos += multiplier * ExecutionCosts.statementNanos
                return
            }
        }
        // Assignment targets: everything before the last top-level `=`; augmented assignment: `x += ...`.
        var valueStart = first
        var target: String?
        var augmented: String?
        var depth = 0
        for index in range where source.tokens[index].kind == .op {
            switch source.firstByte(index) {
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default:
                guard depth == 0 else { continue }
                let length = source.tokens[index].end - source.tokens[index].start
                if source.isText(index, "=") {
                    target = index == first + 1 && source.tokens[first].kind == .name ? source.text(first) : nil
                    valueStart = index + 1
                } else if length >= 2, index == first + 1, isAugmented(index) {
                    augmented = source.text(index)
                    target = source.tokens[first].kind == .name ? source.text(first) : nil
                    valueStart = index + 1
                }
            }
            if augmented != nil { break }
        }
        if source.tokens[first].kind == .name,
            source.isText(first, "return") || source.isText(first, "yield") || source.isText(first, "assert")
                || source.isText(first, "raise") || source.isText(first, "del") || source.isText(first, "await")
        {
            valueStart = max(valueStart, first + 1)
        }
        let valueRange = valueStart..<range.upperBound
        let value = expression(valueRange, multiplier: multiplier, into: &summary, function: function)
        summary.workNanos += multiplier * (ExecutionCosts.statementNanos + value.workNanos)
        if augmented != nil { summary.workNanos += multiplier * ExecutionCosts.operationNanos }
        if let augmented, let target {
            lastValues[target] = nil
            // `text += "..."` or `items += [...]` in a loop grows the value every time.
            if augmented == "+=", multiplier > 1, value.bytes > 0 || value.count != nil {
                let grown = multiplier * max(value.bytes, (value.count ?? 0) * ExecutionCosts.slotBytes)
                summary.accumulatedBytes += grown
            }
            return
        }
        // `table[key] = value` in a loop on a name bound to a dict adds an entry each time.
        if target == nil, valueStart > first + 2, source.tokens[first].kind == .name, source.isText(first + 1, "["),
            dictionaries.contains(source.text(first)), multiplier > 1
        {
            summary.accumulatedBytes += multiplier * (ExecutionCosts.dictEntryBytes + ExecutionCosts.numberBytes)
        }
        if let target {
            if Self.isDictionary(source, valueRange) {
                dictionaries.insert(target)
            } else {
                dictionaries.remove(target)
            }
            if let size = value.count { sizes[target] = size } else { sizes[target] = nil }
            lastValues[target] = constant(valueRange)
            if value.bytes > 0 { summary.namedBytes[target] = max(summary.namedBytes[target] ?? 0, value.bytes) }
        } else {
            summary.transientBytes = max(summary.transientBytes, value.bytes)
        }
    }

    /// Whether an expression makes a dict (`{}`, `dict()`, `defaultdict(...)`, `Counter()`, `{k: v}`).
    static func isDictionary(_ source: PythonTokenizer, _ range: Range<Int>) -> Bool {
        guard let first = range.first else { return false }
        if source.isText(first, "{") { return range.count == 2 || range.contains { source.isText($0, ":") } }
        return source.isText(first, "dict") || source.isText(first, "defaultdict") || source.isText(first, "Counter")
            || source.isText(first, "OrderedDict") || (range.count > 2 && source.isText(first + 2, "defaultdict"))
    }

    private func isAugmented(_ index: Int) -> Bool {
        let text = source.text(index)
        return text.hasSuffix("=") && text != "==" && text != "<=" && text != ">=" && text != "!="
    }

    // MARK: Imports and assignments

    /// Reads every `import` and `from ... import` (anywhere: inside functions too) into bindings, costs and
    /// network evidence.
    func readImports() {
        for line in source.lines {
            var index = line.range.lowerBound
            let end = line.range.upperBound
            // `if x: import y` and `try: import y` put the import after a colon.
            if let colon = headerColon(in: line.range), colon + 1 < end, compoundKeyword(index) { index = colon + 1 }
            guard index < end, source.tokens[index].kind == .name else { continue }
            if source.isText(index, "import") {
                for clause in commaSeparated((index + 1)..<end) {
                    let parts = dottedName(clause)
                    guard !parts.name.isEmpty else { continue }
                    let module = parts.name
                    if let alias = parts.alias {
                        bindings[alias] = module
                    } else {
                        let root = String(module.split(separator: ".")[0])
                        bindings[root] = root
                    }
                    imported(module, line: line.line)
                }
            } else if source.isText(index, "from") {
                guard let importIndex = topLevel("import", in: (index + 1)..<end) else { continue }
                let module = dottedName((index + 1)..<importIndex).name
                guard !module.isEmpty, !module.hasPrefix(".") else { continue }
                imported(module, line: line.line)
                var names = (importIndex + 1)..<end
                if names.count >= 2, source.isText(names.lowerBound, "(") {
                    names = (names.lowerBound + 1)..<(names.upperBound - 1)
                }
                for clause in commaSeparated(names) {
                    if clause.count == 1, source.isText(clause.lowerBound, "*") {
                        starModules.append(module)
                        continue
                    }
                    let parts = dottedName(clause)
                    guard !parts.name.isEmpty else { continue }
                    let full = module + "." + parts.name
                    bindings[parts.alias ?? parts.name] = full
                    if isNetworkName(full) && !isNetworkName(module) {
                        networkUse(line: line.line, "imports \(full), a network library")
                    }
                }
            }
        }
    }

    private func compoundKeyword(_ index: Int) -> Bool {
        source.isText(index, "try") || source.isText(index, "if") || source.isText(index, "else")
            || source.isText(index, "except") || source.isText(index, "with")
    }

    /// A module the program imports: its cost, and whether it is a network library.
    func imported(_ module: String, line: Int) {
        if !estimate.imports.contains(module) { estimate.imports.append(module) }
        let root = String(module.split(separator: ".").first ?? "")
        if ExecutionKnowledge.socketModules.contains(root) { importsSocketModules = true }
        if isNetworkName(module) {
            networkUse(line: line, "imports \(module), a network library")
        }
    }

    /// Whether a qualified name is a network library or one of its parts, or a function that opens connections.
    func isNetworkName(_ name: String) -> Bool {
        if ExecutionKnowledge.networkFunctions.contains(name) { return true }
        var prefix = Substring(name)
        while true {
            if ExecutionKnowledge.networkModules.contains(String(prefix)) { return true }
            guard let dot = prefix.lastIndex(of: ".") else { return false }
            prefix = prefix[..<dot]
        }
    }

    /// Records network use.
    func networkUse(line: Int, _ what: String) {
        let evidence = ExecutionEstimate.Evidence(line: line, what: what)
        if !estimate.network.contains(evidence) { estimate.network.append(evidence) }
    }

    /// `a.b.c as d` → ("a.b.c", "d").
    private func dottedName(_ range: Range<Int>) -> (name: String, alias: String?) {
        var name = ""
        var alias: String?
        var index = range.lowerBound
        while index < range.upperBound {
            if source.isText(index, "as"), index + 1 < range.upperBound {
                alias = source.text(index + 1)
                break
            }
            name += source.text(index)
            index += 1
        }
        return (name, alias)
    }

    /// The parts of `range` between top-level commas.
    func commaSeparated(_ range: Range<Int>) -> [Range<Int>] {
        var parts: [Range<Int>] = []
        var start = range.lowerBound
        var depth = 0
        for index in range where source.tokens[index].kind == .op {
            switch source.firstByte(index) {
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            case UInt8(ascii: ",") where depth == 0:
                if start < index { parts.append(start..<index) }
                start = index + 1
            default: break
            }
        }
        if start < range.upperBound { parts.append(start..<range.upperBound) }
        return parts
    }

    /// Counts the assignments of each name, so that only names given a value once count as constants, and reads
    /// those constants in source order.
    func countAssignments() {
        for line in source.lines {
            let range = line.range
            let first = range.lowerBound
            guard range.count >= 3, source.tokens[first].kind == .name else { continue }
            let name = source.text(first)
            if source.isText(first + 1, "=") {
                assignmentCounts[name, default: 0] += 1
            } else if source.tokens[first + 1].kind == .op, isAugmented(first + 1) {
                assignmentCounts[name, default: 0] += 2
            } else if source.isText(first, "for"), let inIndex = topLevel("in", in: (first + 1)..<range.upperBound) {
                for target in (first + 1)..<inIndex where source.tokens[target].kind == .name {
                    assignmentCounts[source.text(target), default: 0] += 2
                }
            }
        }
        for line in source.lines {
            let range = line.range
            let first = range.lowerBound
            guard range.count >= 3, source.tokens[first].kind == .name, source.isText(first + 1, "=") else {
                continue
            }
            let name = source.text(first)
            guard assignmentCounts[name] == 1, let value = constant((first + 2)..<range.upperBound) else { continue }
            constants[name] = value
        }
    }
}
