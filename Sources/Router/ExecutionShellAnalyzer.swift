/// A simpler estimate for `sh` and `bash` scripts: the commands they run (network tools, sleeps, file writes,
/// background jobs), in quoting-aware words so that `echo "curl is a tool"` runs `echo`, not `curl`; loops over
/// `seq`, `{a..b}` and `while true`.
struct ShellAnalyzer {
    /// One word or a separator between commands.
    private enum Item: Equatable {
        case word(String, line: Int)
        case separator(String)
    }

    private let language: String
    private var items: [Item] = []

    init(_ code: String, language: String) {
        self.language = language
        items = Self.split(Array(code.utf8))
    }

    /// Command words that only prefix the real command.
    private static let prefixes: Set<String> = [
        "sudo", "env", "nohup", "time", "exec", "nice", "timeout", "command", "builtin", "xargs", "then", "do",
        "else", "elif", "if", "while", "until", "!", "{", "(", "stdbuf", "ionice",
    ]

    /// The network tool a command line runs (`curl`, `git clone`), if any.
    static func networkTool(in text: String) -> String? {
        let segments = text.split(whereSeparator: { ";|&\n".contains($0) })
        for segment in segments {
            var words = segment.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            while let first = words.first, prefixes.contains(first) || first.contains("=") || first.hasPrefix("-") {
                words.removeFirst()
            }
            guard let command = words.first else { continue }
            let name = String(command.split(separator: "/").last ?? Substring(command))
            guard let subcommands = ExecutionKnowledge.networkCommands[name] else { continue }
            guard let subcommands else { return name }
            if let sub = words.dropFirst().first(where: { !$0.hasPrefix("-") }), subcommands.contains(sub) {
                return "\(name) \(sub)"
            }
        }
        return nil
    }

    /// The estimate.
    func estimate() -> ExecutionEstimate {
        var estimate = ExecutionEstimate(language: language)
        var commands: [String] = []
        var reasons: [String] = []
        var multipliers: [Double] = [1]
        var pendingLoop: Double?
        var expectCommand = true
        var cpuMillis = ExecutionKnowledge.startMillis(language)
        var index = 0
        var loopDepth = 0
        while index < items.count {
            switch items[index] {
            case .separator(let separator):
                expectCommand = true
                if separator == ">" || separator == ">>" {
                    if case .word(let target, let line)? = items.dropFirst(index + 1).first, target != "/dev/null",
                        !target.hasPrefix("&")
                    {
                        if !estimate.writesFiles { reasons.append("line \(line): writes the file \(target)") }
                        estimate.writesFiles = true
                    }
                    expectCommand = false
                    index += 2
                    continue
                }
                if separator == "&" { estimate.processes += 1 }
            case .word(let word, let line):
                guard expectCommand else {
                    index += 1
                    continue
                }
                if word == "do" {
                    multipliers.append((multipliers.last ?? 1) * (pendingLoop ?? 1))
                    loopDepth = max(loopDepth, multipliers.count - 1)
                    pendingLoop = nil
                    index += 1
                    continue
                }
                if word == "done" {
                    if multipliers.count > 1 { multipliers.removeLast() }
                    expectCommand = false
                    index += 1
                    continue
                }
                if word == "for" {
                    pendingLoop = forCount(from: index + 1)
                    if pendingLoop == nil {
                        pendingLoop = ExecutionCosts.unknownIterations
                        estimate.hasUnknowns = true
                    }
                    expectCommand = false
                    index += 1
                    continue
                }
                if word == "while" || word == "until" {
                    let condition = items.dropFirst(index + 1).prefix(2)
                    let forever =
                        condition.first == .word("true", line: line)
                        || condition.first == .word(":", line: line)
                    if forever, !hasBreak(after: index) {
                        estimate.neverEnds = true
                        reasons.append("line \(line): `while true` without break runs until the time limit stops it")
                        pendingLoop = 1
                    } else {
                        pendingLoop = ExecutionCosts.unknownIterations
                        estimate.hasUnknowns = true
                    }
                    index += 1
                    continue
                }
                if Self.prefixes.contains(word) || word.contains("=") && !word.hasPrefix("=") {
                    index += 1
                    continue
                }
                expectCommand = false
                let name = String(word.split(separator: "/").last ?? Substring(word))
                commands.append(name)
                let times = multipliers.last ?? 1
                cpuMillis += times * 1.0
                var arguments: [String] = []
                var cursor = index + 1
                while cursor < items.count, case .word(let argument, _) = items[cursor] {
                    arguments.append(argument)
                    cursor += 1
                }
                if let tool = Self.networkTool(in: ([word] + arguments).joined(separator: " ")) {
                    estimate.network.append(
                        ExecutionEstimate.Evidence(line: line, what: "\(tool) uses the network"))
                }
                switch name {
                case "sleep":
                    if let seconds = arguments.first.flatMap(Self.seconds) { estimate.sleepMillis += times * seconds }
                case "touch", "mkdir", "cp", "mv", "rm", "tee", "dd", "ln", "install", "truncate", "mkfifo":
                    if !estimate.writesFiles { reasons.append("line \(line): \(name) writes files") }
                    estimate.writesFiles = true
                default: break
                }
            }
            index += 1
        }
        estimate.cpuMillis = estimate.neverEnds ? .infinity : cpuMillis
        estimate.peakMemoryBytes = ExecutionKnowledge.baseMemoryBytes(language) + 2 * ExecutionKnowledge.mebibyte
        estimate.certainMemoryBytes = ExecutionKnowledge.baseMemoryBytes(language)
        let unique = Array(Set(commands)).sorted()
        estimate.imports = unique
        estimate.reasons = estimate.network.map(\.sentence) + reasons
        if !estimate.neverEnds {
            estimate.reasons.append(
                "runs \(commands.count) command\(commands.count == 1 ? "" : "s")"
                    + (estimate.sleepMillis > 0 ? " and sleeps \(PythonAnalyzer.millis(estimate.sleepMillis))" : ""))
        }
        var features = ["commands=" + (unique.isEmpty ? "-" : unique.prefix(12).joined(separator: ","))]
        features.append("loops=\(loopDepth)")
        var flags: [String] = []
        if estimate.usesNetwork { flags.append("net") }
        if estimate.writesFiles { flags.append("files") }
        if estimate.sleepMillis > 0 { flags.append("sleep") }
        if estimate.neverEnds { flags.append("forever") }
        if estimate.hasUnknowns { flags.append("guess") }
        if !flags.isEmpty { features.append(flags.joined(separator: ",")) }
        estimate.signature = ExecutionEstimate.signature(language: language, features: features)
        return estimate
    }

    /// `for x in $(seq 1 N)`, `for x in {1..N}`, `for x in a b c`: the iterations.
    private func forCount(from start: Int) -> Double? {
        var words: [String] = []
        var index = start
        while index < items.count {
            if case .word(let word, _) = items[index] {
                if word == "do" { break }
                words.append(word)
            }
            index += 1
        }
        guard words.count >= 2, words[1] == "in" else { return nil }
        let list = Array(words.dropFirst(2))
        if list.count == 1, list[0].hasPrefix("{"), list[0].hasSuffix("}") {
            let bounds = list[0].dropFirst().dropLast().split(separator: "..")
            if bounds.count >= 2, let low = Double(bounds[0]), let high = Double(bounds[1]) {
                return abs(high - low) + 1
            }
        }
        if list.first == "seq" {
            let numbers = list.dropFirst().compactMap { Double($0) }
            if numbers.count == 1 { return numbers[0] }
            if numbers.count >= 2 { return abs(numbers[numbers.count - 1] - numbers[0]) + 1 }
            return nil
        }
        guard !list.isEmpty, !list.contains(where: { $0.contains("$") || $0.contains("*") }) else { return nil }
        return Double(list.count)
    }

    private func hasBreak(after start: Int) -> Bool {
        items.dropFirst(start).contains { item in
            if case .word(let word, _) = item { return word == "break" || word == "exit" || word == "return" }
            return false
        }
    }

    /// `sleep 2`, `sleep 0.5`, `sleep 1m`: milliseconds.
    private static func seconds(_ text: String) -> Double? {
        var number = text
        var scale = 1000.0
        if let last = text.last, "smhd".contains(last) {
            number = String(text.dropLast())
            scale = ["s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000][String(last)] ?? 1000
        }
        return Double(number).map { $0 * scale }
    }

    /// Quoting-aware words and separators; comments dropped; `$(...)` and backticks inside double quotes are code.
    private static func split(_ bytes: [UInt8]) -> [Item] {
        var items: [Item] = []
        var word: [UInt8] = []
        var line = 1
        var wordLine = 1
        var index = 0
        var inDouble = false
        var depth = 0
        var resumeQuotes: [Int] = []
        func flush() {
            if !word.isEmpty { items.append(.word(String(decoding: word, as: UTF8.self), line: wordLine)) }
            word.removeAll(keepingCapacity: true)
        }
        while index < bytes.count {
            let byte = bytes[index]
            if inDouble {
                if byte == UInt8(ascii: "\"") {
                    inDouble = false
                } else if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                    word.append(bytes[index + 1])
                    index += 1
                } else if byte == UInt8(ascii: "$"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "(") {
                    // Command substitution inside quotes: its commands run.
                    flush()
                    items.append(.separator("$("))
                    inDouble = false
                    depth += 1
                    resumeQuotes.append(depth)
                    index += 2
                    continue
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    word.append(byte)
                }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "'"):
                if word.isEmpty { wordLine = line }
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "'") {
                    if bytes[index] == UInt8(ascii: "\n") { line += 1 }
                    word.append(bytes[index])
                    index += 1
                }
            case UInt8(ascii: "\""):
                if word.isEmpty { wordLine = line }
                inDouble = true
            case UInt8(ascii: "\\"):
                if index + 1 < bytes.count {
                    if bytes[index + 1] == UInt8(ascii: "\n") {
                        line += 1
                    } else {
                        word.append(bytes[index + 1])
                    }
                    index += 1
                }
            case UInt8(ascii: "#") where word.isEmpty:
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                continue
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                flush()
            case UInt8(ascii: "\n"), UInt8(ascii: ";"), UInt8(ascii: "|"), UInt8(ascii: "&"), UInt8(ascii: "("),
                UInt8(ascii: ")"), UInt8(ascii: "`"), UInt8(ascii: "<"), UInt8(ascii: ">"):
                if byte == UInt8(ascii: ">") || byte == UInt8(ascii: "<"),
                    word.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
                {
                    word.removeAll()  // 2>file: the descriptor number belongs to the redirection
                }
                if byte == UInt8(ascii: "(") && word.last == UInt8(ascii: "$") { word.removeLast() }
                flush()
                var separator = String(UnicodeScalar(byte))
                if byte == UInt8(ascii: ">"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ">") {
                    separator = ">>"
                    index += 1
                } else if byte == UInt8(ascii: ">"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "&") {
                    index += 2  // >&2: a descriptor, not a file
                    items.append(.separator("dup"))
                    while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                        index += 1
                    }
                    continue
                }
                if byte == UInt8(ascii: "\n") { line += 1 }
                items.append(.separator(separator))
                if byte == UInt8(ascii: "(") { depth += 1 }
                if byte == UInt8(ascii: ")") {
                    if resumeQuotes.last == depth {
                        resumeQuotes.removeLast()
                        inDouble = true  // back inside the quotes the substitution was in
                    }
                    depth = max(0, depth - 1)
                }
            default:
                if word.isEmpty { wordLine = line }
                word.append(byte)
            }
            index += 1
        }
        flush()
        return items
    }
}
