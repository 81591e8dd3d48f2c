import Glibc

extension PythonAnalyzer {
    // MARK: Expressions

    /// Scans one expression: its operators, calls (the program's own functions and the library's), comprehensions,
    /// literals and repetitions. Effects that do not end with the expression (sleeps, appends, files, processes,
    /// the network) go into `summary` times `multiplier`; the returned value is one evaluation's work and memory.
    func expression(
        _ range: Range<Int>, multiplier: Double, into summary: inout Summary, function: Int?
    ) -> Value {
        var value = Value()
        guard !range.isEmpty else { return value }
        if let known = constant(range) {
            value.workNanos = Double(range.count / 2) * ExecutionCosts.operationNanos
            _ = known
            return value
        }
        let end = range.upperBound
        var index = range.lowerBound
        while index < end {
            let token = source.tokens[index]
            switch token.kind {
            case .number:
                index += 1
            case .string:
                let length = Double(token.contentEnd - token.contentStart)
                if let times = repetition(after: index, end: end) ?? repetition(before: index, start: range.lowerBound)
                {
                    let bytes = length * times
                    value.bytes += bytes
                    value.workNanos += bytes * ExecutionCosts.byteNanos
                    allocation(bytes, line: Int(token.line), "a string of \(Self.amount(bytes))", into: &summary)
                    if range.count <= 3 { value.count = bytes }
                } else if range.count == 1 {
                    value.count = length
                }
                index += 1
            case .name:
                let name = source.text(index)
                if Self.keywords.contains(name) {
                    index += 1
                    continue
                }
                let isAttribute = index > range.lowerBound && source.isText(index - 1, ".")
                var chain = [name]
                var next = index + 1
                while next + 1 < end, source.isText(next, "."), source.tokens[next + 1].kind == .name {
                    chain.append(source.text(next + 1))
                    next += 2
                }
                let qualified = isAttribute ? nil : qualify(chain)
                // Only names bound by an import can reach a network library.
                if let qualified, bindings[chain[0]] != nil || !starModules.isEmpty, isNetworkName(qualified),
                    !ExecutionKnowledge.networkFunctions.contains(qualified)
                {
                    networkUse(line: Int(token.line), "\(qualified) uses the network")
                }
                if next < end, source.isText(next, "(") {
                    let close = matching(next, end: end)
                    let arguments = (next + 1)..<close
                    let result = call(
                        chain, qualified: qualified, arguments: arguments, line: Int(token.line),
                        multiplier: multiplier, into: &summary, function: function)
                    value.add(result)
                    value.workNanos += ExecutionCosts.operationNanos
                    if index == range.lowerBound, close == end - 1 {
                        value.count = result.count
                        value.endless = result.endless
                    }
                    index = next + 1
                } else {
                    if chain.count == 1, range.count == 1 { value.count = sizes[name] }
                    index = next
                }
            case .op:
                let byte = source.firstByte(index)
                if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "(") {
                    let close = matching(index, end: end)
                    let inner = (index + 1)..<max(index + 1, close)
                    let whole = index == range.lowerBound && close == end - 1
                    if let forIndex = topLevel("for", in: inner) {
                        let made = comprehension(
                            element: (index + 1)..<forIndex, clauses: forIndex..<max(forIndex, close), bracket: byte,
                            line: Int(token.line), multiplier: multiplier, into: &summary, function: function)
                        value.add(made)
                        if whole { value.count = made.count }
                        index = close + 1
                        continue
                    }
                    let subscripted =
                        index > range.lowerBound
                        && (source.tokens[index - 1].kind == .name || source.isText(index - 1, ")")
                            || source.isText(index - 1, "]"))
                    if byte == UInt8(ascii: "["), !subscripted {
                        let elements = Double(commaSeparated(inner).count)
                        if let times = repetition(after: close, end: end)
                            ?? repetition(before: index, start: range.lowerBound)
                        {
                            let slots = elements * times
                            let bytes = slots * ExecutionCosts.slotBytes
                            value.bytes += bytes
                            value.workNanos += slots * ExecutionCosts.bulkElementNanos
                            allocation(
                                bytes, line: Int(token.line),
                                "a list of \(Self.count(slots)) items (\(Self.amount(bytes)))", into: &summary)
                            if range.count <= close - index + 4 { value.count = slots }
                        } else {
                            value.bytes += 56 + elements * ExecutionCosts.slotBytes
                            if whole { value.count = elements }
                        }
                    } else if !subscripted, whole {
                        value.count = Double(commaSeparated(inner).count)
                    }
                    if subscripted { value.workNanos += ExecutionCosts.operationNanos }
                    index += 1
                    continue
                }
                if isOperation(index) { value.workNanos += ExecutionCosts.operationNanos }
                index += 1
            }
        }
        return value
    }

    /// The repetition count when `* n` follows the token at `index`.
    private func repetition(after index: Int, end: Int) -> Double? {
        guard index + 2 <= end - 1 + 1, index + 1 < end, source.isText(index + 1, "*") else { return nil }
        return operand(from: index + 2, end: end)
    }

    /// The repetition count when `n *` precedes the token at `index`.
    private func repetition(before index: Int, start: Int) -> Double? {
        guard index - 2 >= start, source.isText(index - 1, "*") else { return nil }
        let previous = index - 2
        if source.isText(previous, ")") {
            var depth = 0
            var open = previous
            while open >= start {
                if source.isText(open, ")") { depth += 1 }
                if source.isText(open, "(") {
                    depth -= 1
                    if depth == 0 { break }
                }
                open -= 1
            }
            guard open >= start else { return nil }
            return constant(open..<(previous + 1))
        }
        return constant(previous..<(previous + 1))
    }

    /// The constant operand starting at `index`: a number, a name, a parenthesised or `**` expression, a call.
    private func operand(from index: Int, end: Int) -> Double? {
        guard index < end else { return nil }
        var stop = index
        var depth = 0
        while stop < end {
            let token = source.tokens[stop]
            if token.kind == .op {
                let byte = source.firstByte(stop)
                if byte == UInt8(ascii: "(") || byte == UInt8(ascii: "[") {
                    depth += 1
                } else if byte == UInt8(ascii: ")") || byte == UInt8(ascii: "]") {
                    if depth == 0 { break }
                    depth -= 1
                } else if depth == 0, !source.isText(stop, "**"), !source.isText(stop, ".") {
                    break
                }
            } else if depth == 0, token.kind == .name, Self.keywords.contains(source.text(stop)) {
                break
            }
            stop += 1
        }
        return constant(index..<stop)
    }

    /// The index of the bracket closing the one at `open`, or `end` when it is not closed.
    func matching(_ open: Int, end: Int) -> Int {
        var depth = 0
        var index = open
        while index < end {
            if source.tokens[index].kind == .op {
                switch source.firstByte(index) {
                case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
                case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
                    depth -= 1
                    if depth == 0 { return index }
                default: break
                }
            }
            index += 1
        }
        return end
    }

    private func isOperation(_ index: Int) -> Bool {
        switch source.firstByte(index) {
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "%"),
            UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"), UInt8(ascii: "|"), UInt8(ascii: "^"),
            UInt8(ascii: "@"):
            return true
        case UInt8(ascii: "="), UInt8(ascii: "!"):
            return source.tokens[index].end - source.tokens[index].start == 2
        default:
            return false
        }
    }

    /// `[element for x in a for y in b if c]`: its iterations, work and memory.
    private func comprehension(
        element: Range<Int>, clauses: Range<Int>, bracket: UInt8, line: Int, multiplier: Double,
        into summary: inout Summary, function: Int?
    ) -> Value {
        var iterations: Double = 1
        var value = Value()
        var guessed = false
        var rangeTargets: Set<String> = []
        // Split the clauses at their top-level `for` and `if`.
        var starts: [Int] = []
        var depth = 0
        for index in clauses {
            if source.tokens[index].kind == .op {
                switch source.firstByte(index) {
                case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
                case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
                default: break
                }
            } else if depth == 0, source.isText(index, "for") || source.isText(index, "if") {
                if index > clauses.lowerBound, source.isText(index - 1, "async") { continue }
                starts.append(index)
            }
        }
        for (position, start) in starts.enumerated() {
            let stop = position + 1 < starts.count ? starts[position + 1] : clauses.upperBound
            if source.isText(start, "for") {
                guard let inIndex = topLevel("in", in: (start + 1)..<stop) else { continue }
                let iterable = expression(
                    (inIndex + 1)..<stop, multiplier: multiplier * iterations, into: &summary, function: function)
                value.workNanos += iterations * iterable.workNanos
                if source.isText(inIndex + 1, "range") {
                    for target in (start + 1)..<inIndex where source.tokens[target].kind == .name {
                        rangeTargets.insert(source.text(target))
                    }
                }
                if let count = iterable.count {
                    iterations *= max(0, count)
                } else {
                    iterations *= ExecutionCosts.unknownIterations
                    guessed = true
                }
            } else {
                let condition = expression(
                    (start + 1)..<stop, multiplier: multiplier * iterations, into: &summary, function: function)
                value.workNanos += iterations * condition.workNanos
            }
        }
        if guessed, !estimate.hasUnknowns {
            estimate.reasons.append(
                "line \(line): a comprehension over an iterable of unknown size; "
                    + "\(Int(ExecutionCosts.unknownIterations)) items are assumed")
        }
        estimate.hasUnknowns = estimate.hasUnknowns || guessed
        let made = expression(element, multiplier: multiplier * iterations, into: &summary, function: function)
        value.workNanos += iterations * (ExecutionCosts.iterationNanos + made.workNanos)
        value.count = iterations
        // The objects each element makes: none for constants and existing objects, an int for a range's numbers.
        var objectBytes: Double
        if element.count == 1 {
            let token = source.tokens[element.lowerBound]
            objectBytes =
                token.kind == .name && rangeTargets.contains(source.text(element.lowerBound))
                ? ExecutionCosts.numberBytes : 0
        } else {
            objectBytes = made.bytes > 0 ? made.bytes : ExecutionCosts.numberBytes + 4
        }
        switch bracket {
        case UInt8(ascii: "["):
            value.bytes = iterations * (ExecutionCosts.slotBytes + objectBytes)
        case UInt8(ascii: "{"):
            value.bytes = iterations * (ExecutionCosts.dictEntryBytes + objectBytes)
        default:
            value.bytes = made.bytes  // a generator holds one element at a time
        }
        if bracket != UInt8(ascii: "("), !guessed {
            allocation(value.bytes, line: line, "a comprehension of \(Self.count(iterations)) items", into: &summary)
        }
        return value
    }

    /// An allocation whose size the source fixes: the largest is kept as certain and named in the reasons.
    func allocation(_ bytes: Double, line: Int, _ what: String, into summary: inout Summary) {
        summary.certainBytes = max(summary.certainBytes, bytes)
        if !evidenceOnly, bytes > largestAllocationBytes {
            largestAllocationBytes = bytes
            estimate.largestAllocation = ExecutionEstimate.Evidence(line: line, what: what)
        }
    }

    /// The qualified name a dotted chain refers to: through import bindings (`np.zeros` → `numpy.zeros`) and star
    /// imports; the chain itself otherwise.
    func qualify(_ chain: [String]) -> String {
        if let bound = bindings[chain[0]] {
            return chain.count == 1 ? bound : bound + "." + chain.dropFirst().joined(separator: ".")
        }
        if chain.count == 1 {
            for module in starModules {
                let candidate = module + "." + chain[0]
                if isNetworkName(candidate) || ExecutionKnowledge.processFunctions.contains(candidate)
                    || ExecutionKnowledge.sleepFunctions.contains(candidate)
                    || ExecutionKnowledge.fileFunctions.contains(candidate) || module == "numpy"
                    || module == "itertools"
                {
                    return candidate
                }
            }
        }
        return chain.joined(separator: ".")
    }

    /// "400 MiB", "1.5 GiB", "12 KiB".
    static func amount(_ bytes: Double) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = bytes
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(Int(value)) bytes" }
        let tenths = Int((value * 10).rounded())
        let rounded = value >= 10 || tenths % 10 == 0 ? "\(Int(value.rounded()))" : "\(tenths / 10).\(tenths % 10)"
        return rounded + " " + units[unit]
    }

    /// "1,000,000" style counts, or "1.2e+12" beyond a trillion.
    static func count(_ value: Double) -> String {
        guard value.isFinite else { return "unbounded" }
        guard value < 1e12 else {
            let exponent = Int(log10(value))
            return "\(Double(Int(value / pow10(exponent) * 10)) / 10)e+\(exponent)"
        }
        let whole = Int(value.rounded())
        var digits = String(whole)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits = String(digits.dropLast(3))
        }
        return digits + grouped
    }

    private static func pow10(_ exponent: Int) -> Double {
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }
}
