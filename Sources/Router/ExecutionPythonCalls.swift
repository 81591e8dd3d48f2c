import Glibc

extension PythonAnalyzer {
    // MARK: Calls

    /// One call: the program's own function (its summary, times its recursion), or a library function the
    /// knowledge tables describe. `whole` is the call's tokens, from the name to the closing parenthesis.
    func call(
        _ chain: [String], qualified: String?, arguments argumentRange: Range<Int>, line: Int, multiplier: Double,
        into summary: inout Summary, function: Int?
    ) -> Value {
        let name = chain[chain.count - 1]
        lazy var arguments = Arguments(analyzer: self, range: argumentRange)
        var value = Value()
        // The program's own functions (methods too, by name), and classes through their __init__.
        if bindings[chain[0]] == nil, let index = functions[name] {
            if index == function {
                summary.selfCalls.append((multiplier, shrink(of: arguments.positional.first)))
                return value
            }
            guard let callee = self.summary(of: index) else { return value }
            let calls = recursionCalls(callee, definitions[index], argument: arguments.positional.first)
            summary.sleepMillis += multiplier * calls * callee.sleepMillis
            summary.accumulatedBytes += multiplier * calls * callee.accumulatedBytes
            summary.fileBytes += multiplier * calls * callee.fileBytes
            summary.processes = max(summary.processes, callee.processes)
            summary.certainBytes = max(summary.certainBytes, callee.certainBytes)
            summary.neverEnds = summary.neverEnds || callee.neverEnds
            value.workNanos = calls * callee.workNanos
            value.bytes = callee.peakBytes
            return value
        }
        let known = qualified.map { ExecutionKnowledge.knownCalls.contains($0) || $0.hasPrefix("numpy.") } ?? false
        if let qualified, known {
            libraryCall(
                qualified, arguments: arguments, line: line, multiplier: multiplier, into: &summary, value: &value)
        }
        if chain.count > 1 || qualified == nil, ExecutionKnowledge.knownMethods.contains(name) {
            method(
                name, receiver: chain.count > 1 ? chain[0] : nil, qualified: qualified, arguments: arguments,
                line: line, multiplier: multiplier, into: &summary, value: &value)
        }
        if let qualified, known || ["items", "keys", "values"].contains(name) {
            if chain.count == 2, ["items", "keys", "values"].contains(name), bindings[chain[0]] == nil {
                value.count = sizes[chain[0]]
            } else {
                value.count = countOfCall(
                    qualified.hasPrefix("numpy.") ? String(qualified.dropFirst(6)) : qualified, arguments: arguments)
                let endless = ["itertools.count", "itertools.cycle", "itertools.repeat"].contains(qualified)
                value.endless = endless && value.count == nil
            }
        }
        return value
    }

    /// A call's arguments split into positional ones and `name=value` ones.
    struct Arguments {
        var positional: [Range<Int>] = []
        var keywords: [String: Range<Int>] = [:]
        var all: Range<Int>

        init(analyzer: PythonAnalyzer, range: Range<Int>) {
            all = range
            for part in analyzer.commaSeparated(range) {
                if part.count >= 3, analyzer.source.tokens[part.lowerBound].kind == .name,
                    analyzer.source.isText(part.lowerBound + 1, "=")
                {
                    keywords[analyzer.source.text(part.lowerBound)] = (part.lowerBound + 2)..<part.upperBound
                } else if !(analyzer.source.isText(part.lowerBound, "*")
                    || analyzer.source.isText(part.lowerBound, "**"))
                {
                    positional.append(part)
                }
            }
        }

        /// Positional argument `index`, or else the keyword argument `keyword`.
        func argument(_ index: Int, _ keyword: String? = nil) -> Range<Int>? {
            if index < positional.count { return positional[index] }
            return keyword.flatMap { keywords[$0] }
        }
    }

    private func libraryCall(
        _ qualified: String, arguments: Arguments, line: Int, multiplier: Double, into summary: inout Summary,
        value: inout Value
    ) {
        if ExecutionKnowledge.networkFunctions.contains(qualified), !mentions(arguments.all, "AF_UNIX") {
            networkUse(line: line, "\(qualified) opens a network connection")
        }
        if ExecutionKnowledge.processFunctions.contains(qualified) {
            summary.processes = max(summary.processes, 1)
            note(line: line, "\(qualified) starts another process")
            if ExecutionKnowledge.commandFunctions.contains(qualified) {
                for index in arguments.all where source.tokens[index].kind == .string {
                    if let tool = ShellAnalyzer.networkTool(in: source.content(index)) {
                        networkUse(line: line, "\(qualified) runs \(tool), which uses the network")
                    }
                }
                if let tool = listCommandNetworkTool(arguments.all) {
                    networkUse(line: line, "\(qualified) runs \(tool), which uses the network")
                }
            }
        }
        if ExecutionKnowledge.poolFunctions.contains(qualified) {
            let workers =
                arguments.argument(0, "processes").flatMap { constant($0) }
                ?? arguments.keywords["max_workers"].flatMap { constant($0) } ?? 2
            summary.processes = max(summary.processes, workers)
        }
        if ExecutionKnowledge.threadFunctions.contains(qualified) { summary.processes += multiplier }
        if ExecutionKnowledge.fileFunctions.contains(qualified) { writesFiles(line: line, "\(qualified)") }
        if ExecutionKnowledge.sleepFunctions.contains(qualified),
            let seconds = arguments.argument(0, "delay").flatMap({ constant($0) })
        {
            summary.sleepMillis += multiplier * max(0, seconds) * 1000
        }
        switch qualified {
        case "open", "io.open", "builtins.open", "codecs.open", "gzip.open", "bz2.open", "lzma.open":
            if let mode = arguments.argument(1, "mode"), mode.count == 1,
                source.tokens[mode.lowerBound].kind == .string,
                source.content(mode.lowerBound).contains(where: { "wax+".contains($0) })
            {
                writesFiles(line: line, "open(..., '\(source.content(mode.lowerBound))')")
            }
        case "__import__", "importlib.import_module":
            if let first = arguments.argument(0), first.count == 1, source.tokens[first.lowerBound].kind == .string {
                imported(source.content(first.lowerBound), line: line)
            }
        case "sys.setrecursionlimit":
            if let limit = arguments.argument(0).flatMap({ constant($0) }) { recursionLimit = limit }
        case "list", "tuple":
            if let iterable = arguments.argument(0), let count = countOf(iterable) {
                let ints = source.isText(iterable.lowerBound, "range")
                let bytes = count * (ExecutionCosts.slotBytes + (ints ? ExecutionCosts.numberBytes : 0))
                value.bytes += bytes
                value.workNanos += count * (ints ? ExecutionCosts.objectElementNanos : ExecutionCosts.bulkElementNanos)
                allocation(
                    bytes, line: line, "\(qualified)(...) of \(Self.count(count)) items (\(Self.amount(bytes)))",
                    into: &summary)
            }
        case "set", "frozenset", "dict.fromkeys", "collections.Counter", "dict":
            if let iterable = arguments.argument(0), let count = countOf(iterable) {
                let entry = qualified.hasSuffix("set") ? ExecutionCosts.setEntryBytes : ExecutionCosts.dictEntryBytes
                let bytes = count * entry
                value.bytes += bytes
                value.workNanos += count * 2 * ExecutionCosts.objectElementNanos
                allocation(
                    bytes, line: line, "\(qualified)(...) of \(Self.count(count)) items (\(Self.amount(bytes)))",
                    into: &summary)
            }
        case "sorted":
            if let iterable = arguments.argument(0), let count = countOf(iterable) {
                value.bytes += count * ExecutionCosts.slotBytes
                value.workNanos += count * max(1, log2(max(count, 2))) * ExecutionCosts.sortCompareNanos
            }
        case "sum", "min", "max", "any", "all", "math.fsum", "math.prod", "statistics.mean", "statistics.median",
            "statistics.stdev", "len", "str.join":
            if let iterable = arguments.argument(0), let count = countOf(iterable) {
                value.workNanos += count * ExecutionCosts.bulkElementNanos
            }
        case "bytearray", "bytes", "os.urandom", "secrets.token_bytes", "random.randbytes":
            if let size = arguments.argument(0).flatMap({ constant($0) }), size > 0 {
                value.bytes += size
                value.workNanos += size * (qualified == "bytearray" || qualified == "bytes" ? 0.5 : 2)
                allocation(
                    size, line: line, "\(qualified)(...) allocates \(Self.amount(size))",
                    into: &summary)
            }
        default:
            if qualified.hasPrefix("numpy.") {
                numpyCall(
                    String(qualified.dropFirst(6)), arguments: arguments, line: line, into: &summary,
                    value: &value)
            }
        }
    }

    /// A method call on a value (or a call on something the program named itself).
    private func method(
        _ name: String, receiver: String?, qualified: String?, arguments: Arguments, line: Int, multiplier: Double,
        into summary: inout Summary, value: inout Value
    ) {
        switch name {
        case "append", "add", "appendleft", "put", "push":
            // What is appended is usually a new object (a number, a string, a tuple): at least a number's size.
            let element = arguments.argument(0).map { pureBytes($0) } ?? 0
            summary.accumulatedBytes +=
                multiplier * (ExecutionCosts.slotBytes + max(element, ExecutionCosts.numberBytes))
        case "extend", "update":
            if let iterable = arguments.argument(0), let count = countOf(iterable) {
                summary.accumulatedBytes += multiplier * count * (ExecutionCosts.slotBytes + ExecutionCosts.numberBytes)
                value.workNanos += count * ExecutionCosts.objectElementNanos
            }
        case "sort":
            if let receiver, let count = sizes[receiver] {
                value.workNanos += count * max(1, log2(max(count, 2))) * ExecutionCosts.sortCompareNanos
            }
        case "join":
            if let iterable = arguments.argument(0), let count = countOf(iterable) {
                value.workNanos += count * ExecutionCosts.bulkElementNanos
                value.bytes += count * 2
            }
        case "write", "writelines":
            let toConsole = qualified?.hasPrefix("sys.stdout") == true || qualified?.hasPrefix("sys.stderr") == true
            if !toConsole, let data = arguments.argument(0) {
                summary.fileBytes += multiplier * max(pureBytes(data), 1)
            }
        default:
            break
        }
        if ExecutionKnowledge.fileMethods.contains(name), qualified.map({ !$0.hasPrefix("os.") }) ?? true {
            writesFiles(line: line, ".\(name)(...)")
        }
        if importsSocketModules, ExecutionKnowledge.networkMethods.contains(name),
            qualified.map({ bindings[String($0.split(separator: ".")[0])] == nil }) ?? true
        {
            // A string first argument is a Unix socket's path: local, allowed.
            let local = arguments.argument(0).map { $0.count == 1 && source.tokens[$0.lowerBound].kind == .string }
            if local != true { networkUse(line: line, ".\(name)(...) opens a network connection") }
        }
    }

    /// numpy's array constructors: elements × item size.
    private func numpyCall(
        _ function: String, arguments: Arguments, line: Int, into summary: inout Summary, value: inout Value
    ) {
        var elements: Double?
        var dtype = arguments.keywords["dtype"]
        switch function {
        case "zeros", "ones", "empty", "full":
            elements = arguments.argument(0, "shape").flatMap { shapeElements($0) }
            if dtype == nil {
                dtype =
                    arguments.positional.count > (function == "full" ? 2 : 1)
                    ? arguments.positional[function == "full" ? 2 : 1] : nil
            }
        case "random.rand", "random.randn":
            elements = arguments.positional.reduce(Double?(1)) { product, dimension in
                guard let product, let size = constant(dimension) else { return nil }
                return product * size
            }
        case "random.random", "random.random_sample", "random.sample":
            elements = arguments.argument(0, "size").flatMap { shapeElements($0) } ?? 1
        case "random.randint", "random.uniform", "random.normal", "random.integers", "random.choice":
            elements = arguments.argument(2, "size").flatMap { shapeElements($0) } ?? 1
        case "arange", "linspace", "eye", "identity":
            elements = countOfCall(function, arguments: arguments)
        default:
            return
        }
        guard let elements, elements > 0 else { return }
        let itemSize = dtype.map { itemBytes($0) } ?? 8
        let bytes = elements * itemSize
        value.bytes += bytes
        value.workNanos += elements * 2
        allocation(
            bytes, line: line,
            "numpy.\(function) makes \(Self.count(elements)) elements "
                + "(\(Self.amount(bytes)))", into: &summary)
    }

    /// The element count of a shape: `(a, b)`, `[a, b]` or `n`.
    private func shapeElements(_ range: Range<Int>) -> Double? {
        if range.count >= 2, source.isText(range.lowerBound, "(") || source.isText(range.lowerBound, "["),
            matching(range.lowerBound, end: range.upperBound) == range.upperBound - 1
        {
            var product = 1.0
            for dimension in commaSeparated((range.lowerBound + 1)..<(range.upperBound - 1)) {
                guard let size = constant(dimension) else { return nil }
                product *= size
            }
            return product
        }
        return constant(range)
    }

    /// Bytes per element of a numpy dtype written as `np.float32`, `'uint8'`, `bool`, ...
    private func itemBytes(_ range: Range<Int>) -> Double {
        var text = ""
        for index in range { text += source.tokens[index].kind == .string ? source.content(index) : source.text(index) }
        if text.contains("complex64") { return 8 }
        if text.contains("complex") { return 16 }
        if text.contains("int8") || text.contains("bool") || text.hasSuffix("u1") || text.hasSuffix("i1") { return 1 }
        if text.contains("16") || text.hasSuffix("2") { return 2 }
        if text.contains("32") || text.hasSuffix("4") { return 4 }
        return 8
    }

    /// Marks the program as writing files.
    private func writesFiles(line: Int, _ what: String) {
        if !estimate.writesFiles { note(line: line, "\(what) writes files (in the sandbox's workspace)") }
        estimate.writesFiles = true
    }

    /// Whether `range` mentions the name `word`.
    private func mentions(_ range: Range<Int>, _ word: StaticString) -> Bool {
        range.contains { source.tokens[$0].kind == .name && source.isText($0, word) }
    }

    /// `["curl", "-s", url]`: the network tool a list-form command runs.
    private func listCommandNetworkTool(_ range: Range<Int>) -> String? {
        guard let open = range.first(where: { source.isText($0, "[") }) else { return nil }
        let strings = (open + 1..<range.upperBound).prefix(4).filter { source.tokens[$0].kind == .string }
        guard let first = strings.first, first == open + 1 else { return nil }
        let words = strings.map { source.content($0) }
        return ShellAnalyzer.networkTool(in: words.joined(separator: " "))
    }

    // MARK: Sizes without side effects

    /// The elements an iterable expression yields, when the source fixes them: `range(...)`, a literal, a string, a
    /// name bound to a collection of known size, wrappers (`enumerate`, `zip`, `sorted`, ...), `itertools`'
    /// combinatorics, `d.items()`.
    func countOf(_ range: Range<Int>) -> Double? {
        guard !range.isEmpty else { return nil }
        let first = range.lowerBound
        let token = source.tokens[first]
        if range.count == 1 {
            if token.kind == .name { return sizes[source.text(first)] }
            if token.kind == .string { return Double(token.contentEnd - token.contentStart) }
            return nil
        }
        if token.kind == .op, source.isText(first, "[") || source.isText(first, "(") || source.isText(first, "{"),
            matching(first, end: range.upperBound) == range.upperBound - 1
        {
            let inner = (first + 1)..<(range.upperBound - 1)
            return topLevel("for", in: inner) == nil ? Double(commaSeparated(inner).count) : nil
        }
        guard token.kind == .name else { return nil }
        var chain = [source.text(first)]
        var next = first + 1
        while next + 1 < range.upperBound, source.isText(next, "."), source.tokens[next + 1].kind == .name {
            chain.append(source.text(next + 1))
            next += 2
        }
        guard next < range.upperBound, source.isText(next, "("),
            matching(next, end: range.upperBound) == range.upperBound - 1
        else { return nil }
        let arguments = Arguments(analyzer: self, range: (next + 1)..<(range.upperBound - 1))
        let qualified = qualify(chain)
        if chain.count == 2, ["items", "keys", "values"].contains(chain[1]), bindings[chain[0]] == nil {
            return sizes[chain[0]]
        }
        return countOfCall(
            qualified.hasPrefix("numpy.") ? String(qualified.dropFirst(6)) : qualified, arguments: arguments)
    }

    /// The elements the call of `name` (qualified; numpy's without `numpy.`) with `arguments` yields, when known.
    func countOfCall(_ name: String, arguments: Arguments) -> Double? {
        func value(_ index: Int, _ keyword: String? = nil) -> Double? {
            arguments.argument(index, keyword).flatMap { constant($0) }
        }
        switch name {
        case "range", "arange":
            let values = arguments.positional.map { constant($0) }
            guard !values.isEmpty, !values.contains(where: { $0 == nil }) else { return nil }
            let numbers = values.map { $0! }
            let start = numbers.count >= 2 ? numbers[0] : 0
            let stop = numbers.count >= 2 ? numbers[1] : numbers[0]
            let step = numbers.count >= 3 ? numbers[2] : 1
            guard step != 0 else { return nil }
            return max(0, ((stop - start) / step).rounded(.up))
        case "linspace": return value(2, "num") ?? 50
        case "eye", "identity": return value(0).map { $0 * $0 }
        case "enumerate", "reversed", "sorted", "list", "tuple", "set", "frozenset", "iter", "itertools.cycle":
            return arguments.argument(0).flatMap { countOf($0) }
        case "map", "filter", "itertools.starmap": return arguments.argument(1).flatMap { countOf($0) }
        case "zip":
            let counts = arguments.positional.map { countOf($0) }
            guard !counts.isEmpty, !counts.contains(where: { $0 == nil }) else { return nil }
            return counts.map { $0! }.min()
        case "itertools.product":
            let repeatCount = value(99, "repeat") ?? 1
            var product = 1.0
            for argument in arguments.positional {
                guard let count = countOf(argument) else { return nil }
                product *= count
            }
            return Glibc.pow(product, repeatCount)
        case "itertools.permutations", "itertools.combinations", "itertools.combinations_with_replacement":
            guard let n = arguments.argument(0).flatMap({ countOf($0) }) else { return nil }
            let r = value(1, "r") ?? n
            return combinatorial(name, n: n, r: r)
        case "itertools.repeat": return value(1, "times")
        case "itertools.islice":
            if arguments.positional.count == 2 { return value(1) }
            guard let start = value(1), let stop = value(2) else { return nil }
            return max(0, stop - start)
        case "os.urandom", "bytearray", "bytes": return value(0)
        default:
            return nil
        }
    }

    private func combinatorial(_ name: String, n: Double, r: Double) -> Double {
        guard r >= 0, n >= 0 else { return 0 }
        var result = 1.0
        switch name {
        case "itertools.permutations":
            guard r <= n else { return 0 }
            var k = 0.0
            while k < r, result < 1e18 {
                result *= n - k
                k += 1
            }
        case "itertools.combinations":
            guard r <= n else { return 0 }
            let m = min(r, n - r)
            var k = 0.0
            while k < m, result < 1e18 {
                result = result * (n - k) / (k + 1)
                k += 1
            }
        default:
            let total = n + r - 1
            let m = min(r, total - r)
            var k = 0.0
            while k < m, result < 1e18 {
                result = result * (total - k) / (k + 1)
                k += 1
            }
        }
        return result
    }

    /// Bytes an expression certainly allocates, without side effects: `"x" * n`, `[0] * n`, `bytearray(n)`, a
    /// string literal; 0 when unknown.
    func pureBytes(_ range: Range<Int>) -> Double {
        guard !range.isEmpty else { return 0 }
        let first = range.lowerBound
        let token = source.tokens[first]
        if token.kind == .string {
            let length = Double(token.contentEnd - token.contentStart)
            if range.count >= 3, source.isText(first + 1, "*"), let times = constant((first + 2)..<range.upperBound) {
                return length * times
            }
            return length
        }
        if source.isText(first, "[") {
            let close = matching(first, end: range.upperBound)
            if close + 2 < range.upperBound + 1, close + 1 < range.upperBound, source.isText(close + 1, "*"),
                let times = constant((close + 2)..<range.upperBound)
            {
                return Double(commaSeparated((first + 1)..<close).count) * times * ExecutionCosts.slotBytes
            }
        }
        if token.kind == .name, source.isText(first, "bytearray") || source.isText(first, "bytes"),
            range.count >= 4, source.isText(first + 1, "(")
        {
            return constant((first + 2)..<(range.upperBound - 1)) ?? 0
        }
        return 0
    }

    // MARK: Recursion

    /// How a recursive call's first argument shrinks: `n - 2` → minus 2, `n // 2` → divided, `xs[1:]` → minus 1,
    /// `xs[:mid]` → divided.
    private func shrink(of argument: Range<Int>?) -> Shrink {
        guard let argument, argument.count >= 3 else { return .minus(1) }
        for index in argument where source.tokens[index].kind == .op {
            if source.isText(index, "-"), let step = constant((index + 1)..<argument.upperBound), step > 0 {
                return .minus(step)
            }
            if source.isText(index, "//") || source.isText(index, ">>") || source.isText(index, "/") {
                return .divided
            }
            if source.isText(index, ":") {
                let before = index - 1
                let after = index + 1
                if source.isText(before, "["), after < argument.upperBound, source.tokens[after].kind == .number {
                    return .minus(constant(after..<(after + 1)) ?? 1)
                }
                return .divided
            }
        }
        return .minus(1)
    }

    /// How many times a recursive function runs for one outside call with `argument`.
    func recursionCalls(_ callee: Summary, _ function: Function, argument: Range<Int>?) -> Double {
        guard !callee.selfCalls.isEmpty else { return 1 }
        var size: Double
        if let argument, let known = constant(argument) ?? countOf(argument) {
            size = max(1, known)
        } else {
            size = ExecutionCosts.unknownDepth
            estimate.hasUnknowns = true
        }
        let total = callee.selfCalls.reduce(0) { $0 + $1.times }
        var calls: Double
        let allDivided = callee.selfCalls.allSatisfy { if case .divided = $0.shrink { true } else { false } }
        if function.memoised {
            calls = size * max(1, total)
        } else if allDivided {
            let depth = log2(max(size, 2))
            calls = total <= 1 ? depth : Glibc.pow(total, depth) * 2
        } else {
            let steps = callee.selfCalls.map { call -> (times: Double, step: Double) in
                if case .minus(let step) = call.shrink { return (call.times, step) }
                return (call.times, size / 2)
            }
            let smallest = steps.map(\.step).min() ?? 1
            if total <= 1 {
                calls = size / smallest
            } else {
                // T(n) = Σ T(n - step): grows like r^n, where Σ times · r^-step = 1.
                var low = 1.0
                var high = max(total, 1.0001)
                for _ in 0..<50 {
                    let middle = (low + high) / 2
                    let sum = steps.reduce(0) { $0 + $1.times * Glibc.pow(middle, -$1.step) }
                    if sum > 1 { low = middle } else { high = middle }
                }
                calls = min(1e30, Glibc.pow(high, size))
            }
            let depth = size / smallest
            if depth > recursionLimit, deepRecursion.map({ $0.depth < depth }) ?? true {
                deepRecursion = (function.name, depth)
            }
        }
        calls = max(1, calls)
        if calls > 1, largestCall.map({ $0.calls < calls }) ?? true { largestCall = (function.name, calls) }
        return calls
    }
}
