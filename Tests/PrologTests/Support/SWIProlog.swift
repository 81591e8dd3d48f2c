import Foundation
import Prolog
import XCTest

/// Runs goals in SWI-Prolog and in Council's engine against the same program, in the same textual format, so the
/// two can be compared line for line.
enum SWIProlog {
    static let path = "/usr/bin/swipl"

    /// The driver: reads goals from standard input and prints every solution, then `END`.
    private static let driver = #"""
        '$diff_main' :-
            catch(read_term(user_input, Goal, [variable_names(Names)]), error(syntax_error(_), _), Goal = '$syntax'),
            (   Goal == end_of_file
            ->  true
            ;   Goal == '$syntax'
            ->  format("SYNTAX ERROR~nEND~n"), '$diff_main'
            ;   '$diff_run'(Goal, Names), '$diff_main'
            ).
        '$diff_run'(Goal, Names) :-
            catch(forall(call(Goal), '$diff_print'(Names)), E, format("EXCEPTION ~q~n", [E])),
            format("END~n").
        '$diff_print'(Names) :-
            format("SOL"),
            forall(( member(Name=Value, Names), \+ sub_atom(Name, 0, _, _, '_') ),
                   format(" ~w=~q", [Name, Value])),
            nl.
        """#

    /// SWI-Prolog's output for each goal (lines up to and including `END`), variable names normalised.
    static func run(program: String, goals: [String]) throws -> [[String]] {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw ReferenceUnavailable("SWI-Prolog is not installed at \(path) (Debian package swi-prolog-nox)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("prolog-diff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let programFile = folder.appendingPathComponent("program.pl")
        let driverFile = folder.appendingPathComponent("driver.pl")
        let inputFile = folder.appendingPathComponent("goals.txt")
        let outputFile = folder.appendingPathComponent("out.txt")
        try program.write(to: programFile, atomically: true, encoding: .utf8)
        try driver.write(to: driverFile, atomically: true, encoding: .utf8)
        try goals.map { $0 + ".\n" }.joined().write(to: inputFile, atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-q", "-g", "'$diff_main'", "-t", "halt", driverFile.path, programFile.path]
        process.standardInput = try FileHandle(forReadingFrom: inputFile)
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        var status: Int32 = 0
        while true {
            let reaped = waitpid(process.processIdentifier, &status, WNOHANG)
            // -1 with ECHILD: Foundation reaped the child already.
            if reaped == process.processIdentifier || (reaped == -1 && errno == ECHILD) { break }
            if Date() > deadline {
                kill(process.processIdentifier, SIGKILL)
                throw ReferenceUnavailable("swipl did not finish within 60 s")
            }
            usleep(10_000)
        }
        let text = try String(contentsOf: outputFile, encoding: .utf8)
        return split(text)
    }

    /// Council's engine: the same lines for each goal.
    static func council(program: String, goals: [String]) throws -> [[String]] {
        let knowledgeBase = try KnowledgeBase(consulting: program)
        var text = ""
        for goal in goals {
            let outcome = Result { () throws(PrologError) in try knowledgeBase.solve(goal, maxSolutions: 100_000) }
            switch outcome {
            case .success(let result):
                for solution in result.solutions {
                    text += "SOL" + solution.bindings.map { " \($0.name)=\($0.text)" }.joined() + "\n"
                }
            case .failure(.uncaught(let ball)):
                text += "EXCEPTION \(ball)\n"
            case .failure(.syntax):
                text += "SYNTAX ERROR\n"
            case .failure(let error):
                text += "ERROR \(error)\n"
            }
            text += "END\n"
        }
        return split(text)
    }

    /// Splits output into one block per goal and renames fresh variables (`_123`, `_G123`) to `_V1`, `_V2`, ...
    /// in order of appearance within each block.
    private static func split(_ text: String) -> [[String]] {
        var blocks: [[String]] = []
        var current: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            current.append(String(line))
            if line == "END" {
                blocks.append(normalise(current))
                current = []
            }
        }
        if !current.isEmpty && current != [""] { blocks.append(normalise(current)) }
        return blocks
    }

    private static func normalise(_ lines: [String]) -> [String] {
        var names: [String: String] = [:]
        let pattern = try! NSRegularExpression(pattern: "_G?[0-9]+")
        return lines.map { line in
            var result = ""
            var last = line.startIndex
            let range = NSRange(line.startIndex..., in: line)
            for match in pattern.matches(in: line, range: range) {
                let matchRange = Range(match.range, in: line)!
                // Only a variable when not part of a longer name (`a_1`, `'x_2'`).
                if matchRange.lowerBound > line.startIndex {
                    let before = line[line.index(before: matchRange.lowerBound)]
                    if before.isLetter || before.isNumber || before == "_" { continue }
                }
                result += line[last..<matchRange.lowerBound]
                let name = String(line[matchRange])
                if names[name] == nil { names[name] = "_V\(names.count + 1)" }
                result += names[name]!
                last = matchRange.upperBound
            }
            result += line[last...]
            return result
        }
    }
}

/// SWI-Prolog could not run: a test failure (never a skip), with the reason.
struct ReferenceUnavailable: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
