import Glibc

/// Estimates what a Python program needs from its tokens: imports and the names they bind, loops and their bounds,
/// allocations, calls (of the program's own functions too, recursion included), sleeps, files, processes and the
/// network. Each function's body is summarised once and its cost counted at every call.
final class PythonAnalyzer {
    /// One function's (or the module's) body, summarised.
    struct Summary {
        /// CPU work of one run of the body, nanoseconds (self-calls excluded).
        var workNanos: Double = 0
        /// Sleeping in one run, milliseconds.
        var sleepMillis: Double = 0
        /// Memory held by names the body binds (largest value of each), bytes.
        var namedBytes: [String: Double] = [:]
        /// The largest allocation the body makes without binding it, or a callee's peak, bytes.
        var transientBytes: Double = 0
        /// Memory that grows with every iteration (appends, `+=` on strings and lists), bytes.
        var accumulatedBytes: Double = 0
        /// The largest single allocation whose size the source fixes, bytes.
        var certainBytes: Double = 0
        /// Bytes written to files.
        var fileBytes: Double = 0
        /// Processes and threads started at once beyond the interpreter.
        var processes: Double = 0
        /// The body's calls of its own function: how often per run, and how the first argument shrinks.
        var selfCalls: [(times: Double, shrink: Shrink)] = []
        /// The deepest loop nesting.
        var loopDepth = 0
        /// Whether a loop never ends.
        var neverEnds = false

        /// Peak memory of one run of the body, bytes.
        var peakBytes: Double { namedBytes.values.reduce(0, +) + transientBytes + accumulatedBytes }
    }

    /// How a recursive call's first argument relates to the caller's.
    enum Shrink {
        /// `n - k`.
        case minus(Double)
        /// `n // k`, `n >> 1`, a half of a sequence.
        case divided
    }

    /// A function definition: its header line, its body's lines and whether it is memoised.
    struct Function {
        var name: String
        var header: Int
        var bodyLines: [Int]
        var inlineBody: Range<Int>?
        var memoised: Bool
    }

    let source: PythonTokenizer
    var estimate: ExecutionEstimate
    /// Local names bound by imports: `np` → `numpy`, `get` → `requests.get`.
    var bindings: [String: String] = [:]
    /// Modules imported with `*`.
    var starModules: [String] = []
    /// Names assigned exactly once, with their constant value.
    var constants: [String: Double] = [:]
    /// The latest constant a name was given, as the walk goes (for `while` loops' starting values).
    var lastValues: [String: Double] = [:]
    /// How often each name is assigned anywhere.
    var assignmentCounts: [String: Int] = [:]
    /// Names bound to dicts (entries added by subscript assignment grow them).
    var dictionaries: Set<String> = []
    /// Element counts of collections bound to names.
    var sizes: [String: Double] = [:]
    /// Functions by name; classes map to their `__init__`.
    var functions: [String: Int] = [:]
    var definitions: [Function] = []
    /// Summaries by function index; the module's is computed last.
    var summaries: [Int: Summary] = [:]
    var inProgress: Set<Int> = []
    /// The line indices of the module's own body (outside every `def`).
    var moduleLines: [Int] = []
    /// For each logical line, the index of the first line after its indented body.
    var bodyEnds: [Int] = []
    /// Evidence already noted, to list each once.
    var noted: Set<String> = []
    var recursionLimit = ExecutionCosts.recursionLimit
    var deepRecursion: (name: String, depth: Double)?
    var importsSocketModules = false
    var largestCall: (name: String, calls: Double)?
    /// The largest certain allocation so far, bytes (the one ``ExecutionEstimate/largestAllocation`` names).
    var largestAllocationBytes: Double = 0
    /// Set while functions that are never called are walked: they show evidence but cost nothing.
    var evidenceOnly = false

    init(_ code: String) {
        source = PythonTokenizer(code)
        estimate = ExecutionEstimate(language: "python")
    }

    // MARK: The walk

    /// Runs the analysis.
    func run() -> ExecutionEstimate {
        findBodies()
        readImports()
        countAssignments()
        let module = summarise(lines: moduleLines, inline: nil, function: nil)
        let called = Set(summaries.keys)
        let calls = largestCall
        let recursion = deepRecursion
        evidenceOnly = true
        for index in definitions.indices where summaries[index] == nil {
            // Functions never called still show what they would do (network, files), though they cost nothing.
            _ = summary(of: index)
        }
        largestCall = calls
        deepRecursion = recursion
        finish(module, called: called)
        return estimate
    }

    /// Finds each line's body and the `def`s, and which lines belong to the module itself.
    private func findBodies() {
        let lines = source.lines
        bodyEnds = Array(repeating: 0, count: lines.count)
        var open: [Int] = []
        for index in lines.indices {
            while let last = open.last, lines[last].level >= lines[index].level {
                bodyEnds[last] = index
                open.removeLast()
            }
            open.append(index)
        }
        for last in open { bodyEnds[last] = lines.count }
        var index = 0
        var classInits: [(name: String, end: Int)] = []
        while index < lines.count {
            let first = lines[index].range.lowerBound
            if let (name, isClass) = definitionName(at: index) {
                if isClass {
                    classInits.append((name, bodyEnds[index]))
                    moduleLines.append(index)
                    index += 1
                    continue
                }
                let function = Function(
                    name: name, header: index, bodyLines: collectLines(index + 1, bodyEnds[index]),
                    inlineBody: inlineBody(of: index), memoised: isMemoised(before: index))
                definitions.append(function)
                if functions[name] == nil { functions[name] = definitions.count - 1 }
                if name == "__init__", let owner = classInits.last(where: { $0.end > index }) {
                    functions[owner.name] = definitions.count - 1
                }
                index = bodyEnds[index]
                continue
            }
            _ = first
            moduleLines.append(index)
            index += 1
        }
    }

    /// The lines from `start` to `end`, skipping nested `def` bodies (their own functions, found as well).
    private func collectLines(_ start: Int, _ end: Int) -> [Int] {
        var collected: [Int] = []
        var index = start
        while index < end {
            if let (name, isClass) = definitionName(at: index), !isClass {
                let function = Function(
                    name: name, header: index, bodyLines: collectLines(index + 1, bodyEnds[index]),
                    inlineBody: inlineBody(of: index), memoised: isMemoised(before: index))
                definitions.append(function)
                if functions[name] == nil { functions[name] = definitions.count - 1 }
                index = bodyEnds[index]
                continue
            }
            collected.append(index)
            index += 1
        }
        return collected
    }

    /// The name defined by a `def` or `class` line.
    private func definitionName(at line: Int) -> (String, Bool)? {
        var token = source.lines[line].range.lowerBound
        let end = source.lines[line].range.upperBound
        if token < end, source.isText(token, "async") { token += 1 }
        guard token + 1 < end, source.tokens[token + 1].kind == .name else { return nil }
        if source.isText(token, "def") { return (source.text(token + 1), false) }
        if source.isText(token, "class") { return (source.text(token + 1), true) }
        return nil
    }

    /// The statement after a one-line `def f(x): return x`.
    private func inlineBody(of line: Int) -> Range<Int>? {
        let range = source.lines[line].range
        guard let colon = headerColon(in: range), colon + 1 < range.upperBound else { return nil }
        return (colon + 1)..<range.upperBound
    }

    /// Whether the decorators above line `line` memoise the function (`@cache`, `@lru_cache`).
    private func isMemoised(before line: Int) -> Bool {
        var index = line - 1
        while index >= 0, source.isText(source.lines[index].range.lowerBound, "@") {
            for token in source.lines[index].range where source.tokens[token].kind == .name {
                let name = source.text(token)
                if name == "cache" || name == "lru_cache" || name == "memoize" { return true }
            }
            index -= 1
        }
        return false
    }

    /// The summary of function `index`, computed once.
    func summary(of index: Int) -> Summary? {
        if let known = summaries[index] { return known }
        guard !inProgress.contains(index) else { return nil }
        inProgress.insert(index)
        let function = definitions[index]
        let result = summarise(lines: function.bodyLines, inline: function.inlineBody, function: index)
        inProgress.remove(index)
        summaries[index] = result
        return result
    }

    /// Walks a body's lines with the loops around each, summing what each statement does.
    private func summarise(lines body: [Int], inline: Range<Int>?, function: Int?) -> Summary {
        var summary = Summary()
        if let inline { statements(in: inline, multiplier: 1, into: &summary, function: function) }
        var loops: [(level: Int, multiplier: Double, isLoop: Bool)] = []
        for index in body {
            let line = source.lines[index]
            while let last = loops.last, last.level >= line.level { loops.removeLast() }
            let multiplier = loops.last?.multiplier ?? 1
            let first = line.range.lowerBound
            if source.isText(first, "@") { continue }
            guard let colon = compoundColon(line.range) else {
                statements(in: line.range, multiplier: multiplier, into: &summary, function: function)
                continue
            }
            let header = first..<colon
            let iterations = loopIterations(
                header: header, line: index, multiplier: multiplier, into: &summary,
                function: function)
            let inner = multiplier * (iterations ?? 1)
            if let iterations { summary.workNanos += inner * ExecutionCosts.iterationNanos * min(iterations, 1) }
            let depth = loops.filter(\.isLoop).count + (iterations == nil ? 0 : 1)
            summary.loopDepth = max(summary.loopDepth, depth)
            if colon + 1 < line.range.upperBound {
                statements(
                    in: (colon + 1)..<line.range.upperBound, multiplier: inner, into: &summary,
                    function: function)
            } else {
                loops.append((line.level, inner, iterations != nil))
            }
        }
        return summary
    }

    /// The colon ending a compound statement's header (`for ...:`, `if ...:`), or nil for a simple statement.
    private func compoundColon(_ range: Range<Int>) -> Int? {
        var first = range.lowerBound
        if source.isText(first, "async"), first + 1 < range.upperBound { first += 1 }
        let keywords: [StaticString] = [
            "for", "while", "if", "elif", "else", "try", "except", "finally", "with", "class", "match", "case", "def",
        ]
        guard source.tokens[first].kind == .name, keywords.contains(where: { source.isText(first, $0) }) else {
            return nil
        }
        guard let colon = headerColon(in: range) else { return nil }
        if source.isText(first, "match") || source.isText(first, "case") {
            // Soft keywords: only a header when the colon ends it or starts its body.
            guard colon > first + 1 else { return nil }
        }
        return colon
    }

    /// The first colon at bracket depth 0 that is not a lambda's.
    func headerColon(in range: Range<Int>) -> Int? {
        var depth = 0
        var lambdas = 0
        for index in range {
            let token = source.tokens[index]
            guard token.kind == .op || token.kind == .name else { continue }
            if token.kind == .name {
                if depth == 0, source.isText(index, "lambda") { lambdas += 1 }
                continue
            }
            switch source.firstByte(index) {
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            case UInt8(ascii: ":") where depth == 0 && token.end - token.start == 1:
                if lambdas > 0 {
                    lambdas -= 1
                } else {
                    return index
                }
            default: break
            }
        }
        return nil
    }

    /// A compound header's effect: a loop's iterations (nil for other headers), after counting the header's own
    /// expression.
    private func loopIterations(
        header: Range<Int>, line: Int, multiplier: Double, into summary: inout Summary, function: Int?
    ) -> Double? {
        var first = header.lowerBound
        if source.isText(first, "async") { first += 1 }
        if source.isText(first, "for") {
            guard let inIndex = topLevel("in", in: (first + 1)..<header.upperBound) else { return nil }
            let iterable = (inIndex + 1)..<header.upperBound
            let value = expression(iterable, multiplier: multiplier, into: &summary, function: function)
            summary.workNanos += multiplier * (ExecutionCosts.statementNanos + value.workNanos)
            summary.transientBytes = max(summary.transientBytes, value.bytes)
            for target in (first + 1)..<inIndex where source.tokens[target].kind == .name {
                lastValues[source.text(target)] = nil
            }
            if let count = value.count { return max(0, count) }
            if value.endless { return unknownIterations(line: line, why: "an endless iterator") }
            return unknownIterations(line: line, why: "an iterable of unknown size")
        }
        if source.isText(first, "while") {
            let condition = (first + 1)..<header.upperBound
            let value = expression(condition, multiplier: multiplier, into: &summary, function: function)
            summary.workNanos += multiplier * (ExecutionCosts.statementNanos + value.workNanos)
            return whileIterations(condition: condition, line: line, into: &summary)
        }
        if source.isText(first, "with") || source.isText(first, "if") || source.isText(first, "elif")
            || source.isText(first, "except") || source.isText(first, "match") || source.isText(first, "case")
        {
            var value = expression(
                (first + 1)..<header.upperBound, multiplier: multiplier, into: &summary,
                function: function)
            value.workNanos += ExecutionCosts.statementNanos
            summary.workNanos += multiplier * value.workNanos
            summary.transientBytes = max(summary.transientBytes, value.bytes)
        }
        return nil
    }

    /// A loop bound the source does not fix: noted as a guess.
    private func unknownIterations(line: Int, why: String) -> Double {
        if !estimate.hasUnknowns {
            estimate.reasons.append(
                "line \(source.lines[line].line): a loop over \(why); \(Int(ExecutionCosts.unknownIterations)) "
                    + "iterations are assumed")
        }
        estimate.hasUnknowns = true
        return ExecutionCosts.unknownIterations
    }

    /// The iterations of `while condition:` from the condition and the body's updates of its variable; infinite
    /// for `while True:` without a way out.
    private func whileIterations(condition: Range<Int>, line: Int, into summary: inout Summary) -> Double {
        let bodyRange = (line + 1)..<bodyEnds[line]
        let inline = inlineBody(of: line)
        if condition.count == 1,
            source.isText(condition.lowerBound, "True")
                || (source.tokens[condition.lowerBound].kind == .number && constant(condition) ?? 0 != 0)
        {
            if hasExit(lines: bodyRange, inline: inline, loopLevel: source.lines[line].level) {
                return unknownIterations(line: line, why: "a `while True:` that ends on a condition")
            }
            summary.neverEnds = true
            estimate.neverEnds = true
            note(
                line: source.lines[line].line,
                "`while True:` has no break, return, raise or exit: it runs until the time limit stops it")
            return 1
        }
        if let counted = countedLoop(condition: condition, body: bodyRange, inline: inline) { return counted }
        return unknownIterations(line: line, why: "a condition the code does not bound")
    }

    /// Whether a loop's body can leave it: a `break` of this loop, `return`, `raise`, or an exit call.
    private func hasExit(lines: Range<Int>, inline: Range<Int>?, loopLevel: Int) -> Bool {
        var nestedLoopLevels: [Int] = []
        func scan(_ range: Range<Int>, level: Int, nested: Bool) -> Bool {
            for index in range where source.tokens[index].kind == .name {
                if source.isText(index, "return") || source.isText(index, "raise") { return true }
                if source.isText(index, "break"), !nested { return true }
                if source.isText(index, "exit") || source.isText(index, "quit") || source.isText(index, "_exit") {
                    return true
                }
            }
            return false
        }
        if let inline, scan(inline, level: loopLevel + 1, nested: false) { return true }
        for index in lines {
            let line = source.lines[index]
            while let last = nestedLoopLevels.last, last >= line.level { nestedLoopLevels.removeLast() }
            if scan(line.range, level: line.level, nested: !nestedLoopLevels.isEmpty) { return true }
            let first = line.range.lowerBound
            if source.isText(first, "for") || source.isText(first, "while") { nestedLoopLevels.append(line.level) }
        }
        return false
    }

    /// `while i < n:` with `i += k` (or `n //= 2`, `x *= 2`) in the body: the number of iterations.
    private func countedLoop(condition: Range<Int>, body: Range<Int>, inline: Range<Int>?) -> Double? {
        // The variable, the bound it is compared with, and the comparison.
        var variable: String?
        var bound: Double = 0
        let tokens = Array(condition)
        if tokens.count == 1, source.tokens[tokens[0]].kind == .name {
            variable = source.text(tokens[0])
        } else if let comparison = tokens.firstIndex(where: { isComparison($0) }), comparison > 0 {
            let left = tokens[0]..<tokens[comparison]
            let right = (tokens[comparison] + 1)..<condition.upperBound
            if left.count == 1, source.tokens[left.lowerBound].kind == .name, let value = constant(right) {
                variable = source.text(left.lowerBound)
                bound = value
            } else if right.count == 1, source.tokens[right.lowerBound].kind == .name, let value = constant(left) {
                variable = source.text(right.lowerBound)
                bound = value
            }
        }
        guard let variable, let start = lastValues[variable] ?? constants[variable] else { return nil }
        var ranges: [Range<Int>] = body.map { source.lines[$0].range }
        if let inline { ranges.append(inline) }
        for range in ranges {
            guard range.count >= 3, source.tokens[range.lowerBound].kind == .name,
                source.text(range.lowerBound) == variable
            else { continue }
            let op = source.text(range.lowerBound + 1)
            var step: Double?
            var kind = op
            if op.count >= 2, op.hasSuffix("="), op != "==" {
                step = constant((range.lowerBound + 2)..<range.upperBound)
                kind = String(op.dropLast())
            } else if op == "=", range.count >= 5, source.text(range.lowerBound + 2) == variable {
                kind = source.text(range.lowerBound + 3)
                step = constant((range.lowerBound + 4)..<range.upperBound)
            }
            guard let step, step != 0 else { continue }
            switch kind {
            case "+", "-":
                return max(1, (abs(bound - start) / abs(step)).rounded(.up))
            case "*", "<<":
                let factor = kind == "<<" ? pow2(step) : abs(step)
                guard factor > 1, start != 0 else { return nil }
                return max(1, (log(abs(bound / start)) / log(factor)).rounded(.up))
            case "//", "/", ">>":
                let factor = kind == ">>" ? pow2(step) : abs(step)
                guard factor > 1 else { return nil }
                return max(1, (log(max(abs(start), 1) / max(abs(bound), 1)) / log(factor)).rounded(.up) + 1)
            default: continue
            }
        }
        return nil
    }

    private func pow2(_ exponent: Double) -> Double { Double.pow2(exponent) }

    private func isComparison(_ index: Int) -> Bool {
        guard source.tokens[index].kind == .op else { return false }
        return source.isText(index, "<") || source.isText(index, "<=") || source.isText(index, ">")
            || source.isText(index, ">=") || source.isText(index, "!=")
    }

    /// The first `word` at bracket depth 0 in `range`.
    func topLevel(_ word: StaticString, in range: Range<Int>) -> Int? {
        var depth = 0
        for index in range {
            let token = source.tokens[index]
            if token.kind == .op {
                switch source.firstByte(index) {
                case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
                case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
                default: break
                }
            } else if depth == 0, token.kind == .name, source.isText(index, word) {
                return index
            }
        }
        return nil
    }

    /// Notes one piece of evidence as a reason (once).
    func note(line: Int, _ what: String) {
        let sentence = "line \(line): \(what)"
        if noted.insert(sentence).inserted { estimate.reasons.append(sentence) }
    }
}

extension Double {
    /// 2 to the power `exponent`.
    static func pow2(_ exponent: Double) -> Double { exp2(exponent) }
}
