import JSON
import Prolog

/// Answers a translated English problem: runs it against the rule base and explains the proof in English.
struct LogicPuzzle {
    let problem: LogicProblem
    let limits: PrologLimits

    /// The rule base, compiled once.
    static let ruleBase: KnowledgeBase = {
        do {
            return try KnowledgeBase(consulting: LogicRuleBase.text)
        } catch {
            preconditionFailure("the logic rule base does not compile: \(error)")
        }
    }()

    func answer(skill: String) async -> SkillAnswer {
        var knowledgeBase = Self.ruleBase
        var steps: [String] = []
        let result: String
        let summary: String
        do {
            try knowledgeBase.consult(problem.clauses.joined(separator: "\n"))
            (result, summary, steps) = try await solve(knowledgeBase)
        } catch {
            let message = "The statements could not be reasoned about: \(error)."
            return SkillAnswer(
                text: message, answer: "unknown", skill: skill, confidence: 1.0,
                details: ["working": [.string(message)]])
        }
        let text = (steps + [summary]).joined(separator: "\n")
        return SkillAnswer(
            text: text, answer: result, skill: skill, confidence: 1.0,
            details: [
                "working": .array(steps.map { .string($0) }),
                "program": .array(problem.clauses.map { .string($0) }),
            ])
    }

    private func proofs(_ knowledgeBase: KnowledgeBase, _ goal: String, max: Int = 50) async throws
        -> [PrologSolution]
    {
        try await knowledgeBase.solveDetached("prove(\(goal), P)", maxSolutions: max, limits: limits).solutions
    }

    private func solve(_ knowledgeBase: KnowledgeBase) async throws -> (String, String, [String]) {
        switch problem.question {
        case .yesNo(let goal, let opposite):
            if let proof = try await proofs(knowledgeBase, goal, max: 1).first {
                let steps = explain(proof)
                return ("yes", "So the answer is yes: \(sentence(goalTerm(proof))).", steps)
            }
            if let opposite, let proof = try await proofs(knowledgeBase, opposite, max: 1).first {
                let steps = explain(proof)
                return ("no", "So the answer is no: \(sentence(goalTerm(proof))).", steps)
            }
            if opposite == nil {
                return ("no", "Nothing in the statements makes it so, so the answer is no.", [])
            }
            return ("unknown", "The statements do not say either way.", [])
        case .who(let goal):
            var found: [(name: String, proof: PrologSolution)] = []
            for solution in try await proofs(knowledgeBase, goal) {
                guard let value = solution.bindings.first(where: { $0.name == "W" })?.term else { continue }
                let name = display(value)
                if !found.contains(where: { $0.name == name }) { found.append((name, solution)) }
            }
            guard !found.isEmpty else { return ("nobody", "No one follows from the statements.", []) }
            let steps = found.flatMap { explain($0.proof) }
            let names = found.map(\.name)
            return (names.joined(separator: ", "), "So the answer is \(Self.list(names)).", Self.unique(steps))
        case .extreme(let relation, let greatest):
            let condition = greatest ? "\\+ greater(\(relation), _, X)" : "\\+ greater(\(relation), X, _)"
            let winners = try await knowledgeBase.solveDetached(
                "setof(X, (compared(\(relation), X), \(condition)), Xs), member(X, Xs)", maxSolutions: 50,
                limits: limits
            ).solutions.compactMap { $0.bindings.first { $0.name == "X" }?.term }
            let all = try await knowledgeBase.solveDetached(
                "setof(X, compared(\(relation), X), Xs), member(X, Xs)", maxSolutions: 200, limits: limits
            ).solutions.compactMap { $0.bindings.first { $0.name == "X" }?.term }
            guard winners.count == 1, let winner = winners.first else {
                let names = winners.map(display)
                return ("unknown", "The statements do not single out one: \(Self.list(names)).", [])
            }
            var steps: [String] = []
            for other in all where other != winner {
                let (larger, smaller) = greatest ? (winner, other) : (other, winner)
                let goal = "greater(\(relation), \(Self.prolog(larger)), \(Self.prolog(smaller)))"
                if let proof = try await proofs(knowledgeBase, goal, max: 1).first { steps += explain(proof) }
            }
            let comparative = Self.words(relation)
            let summary =
                greatest
                ? "No one is \(comparative) than \(display(winner)), so \(display(winner)) is the answer."
                : "\(display(winner)) is not \(comparative) than anyone, so \(display(winner)) is the answer."
            return (display(winner), summary, Self.unique(steps))
        }
    }

    // MARK: Explaining proofs

    private func goalTerm(_ proof: PrologSolution) -> Term {
        guard case .compound("by", let parts)? = proof.bindings.first(where: { $0.name == "P" })?.term else {
            return .atom("true")
        }
        return parts[0]
    }

    /// The proof's steps, from what was stated to what follows.
    private func explain(_ solution: PrologSolution) -> [String] {
        guard let proof = solution.bindings.first(where: { $0.name == "P" })?.term else { return [] }
        var steps: [String] = []
        explain(proof, into: &steps)
        return Self.unique(steps)
    }

    private func explain(_ proof: Term, into steps: inout [String]) {
        switch proof {
        case .compound(",", let parts) where parts.count == 2:
            explain(parts[0], into: &steps)
            explain(parts[1], into: &steps)
        case .compound("by", let parts) where parts.count == 2:
            let premises = Self.premises(parts[1])
            if premises.isEmpty {
                steps.append("Given: \(sentence(parts[0])).")
                return
            }
            explain(parts[1], into: &steps)
            if case .compound("isa", let goal) = parts[0], case .compound("isa", let premise) = premises[0],
                premises.count == 1
            {
                steps.append(
                    "\(sentence(premises[0])), and every \(categoryWord(premise[1])) is "
                        + "\(categoryPhrase(goal[1])), so \(sentence(parts[0])).")
                return
            }
            let reasons = premises.map(sentence).filter { !$0.isEmpty }
            steps.append("\(Self.list(reasons)), so \(sentence(parts[0])).")
        case .compound("absent", let parts) where parts.count == 1:
            steps.append("Nothing shows that \(sentence(parts[0])).")
        default:
            break
        }
    }

    /// The goals a body proof established (the heads of its `by` nodes).
    private static func premises(_ proof: Term) -> [Term] {
        switch proof {
        case .compound(",", let parts) where parts.count == 2: premises(parts[0]) + premises(parts[1])
        case .compound("by", let parts) where parts.count == 2: [parts[0]]
        default: []
        }
    }

    // MARK: English

    func display(_ term: Term) -> String {
        guard case .atom(let atom) = term else { return "\(term)" }
        return problem.names["'\(atom)'"] ?? atom.prefix(1).uppercased() + atom.dropFirst()
    }

    private func categoryWord(_ term: Term) -> String {
        guard case .atom(let atom) = term else { return "\(term)" }
        return atom.replacing("_", with: " ")
    }

    /// "a man", "mortal", "not a dog".
    private func categoryPhrase(_ term: Term) -> String {
        if case .compound("non", let inner) = term, inner.count == 1 { return "not " + categoryPhrase(inner[0]) }
        guard case .atom(let atom) = term else { return "\(term)" }
        let word = categoryWord(term)
        guard problem.nouns.contains("'\(atom)'") else { return word }
        let article = "aeiou".contains(word.first ?? "x") ? "an" : "a"
        return "\(article) \(word)"
    }

    /// A goal as an English sentence.
    func sentence(_ goal: Term) -> String {
        guard case .compound(let name, let arguments) = goal else { return "" }
        switch (name, arguments.count) {
        case ("isa", 2):
            return "\(display(arguments[0])) is \(categoryPhrase(arguments[1]))"
        case ("gender", 2):
            return "\(display(arguments[0])) is \(categoryWord(arguments[1]))"
        case ("parent_of", 2):
            return "\(display(arguments[0])) is a parent of \(display(arguments[1]))"
        case ("sibling_of", 2):
            return "\(display(arguments[0])) and \(display(arguments[1])) are siblings"
        case ("spouse_of", 2):
            return "\(display(arguments[0])) is married to \(display(arguments[1]))"
        case ("grandparent_of", 2):
            return "\(display(arguments[0])) is a grandparent of \(display(arguments[1]))"
        case ("uncle_or_aunt_of", 2), ("uncle_or_aunt", 2):
            return "\(display(arguments[0])) is an uncle or aunt of \(display(arguments[1]))"
        case ("cousin_of", 2):
            return "\(display(arguments[0])) is a cousin of \(display(arguments[1]))"
        case ("ancestor", 2), ("descendant", 2):
            return "\(display(arguments[0])) is an \(name) of \(display(arguments[1]))"
        case ("cmp", 3), ("greater", 3), ("greater", 4):
            return "\(display(arguments[1])) is \(Self.words(arguments[0])) than \(display(arguments[2]))"
        case (let relation, 2) where LogicEnglish.kinship[relation] != nil:
            return "\(display(arguments[0])) is \(display(arguments[1]))'s \(relation)"
        default:
            return ""
        }
    }

    static func words(_ relation: Term) -> String {
        guard case .atom(let atom) = relation else { return "\(relation)" }
        return atom.replacing("_", with: " ")
    }

    static func words(_ relation: String) -> String {
        String(relation.dropFirst().dropLast()).replacing("_", with: " ")
    }

    static func prolog(_ term: Term) -> String {
        guard case .atom(let atom) = term else { return "'?'" }
        return "'" + atom.replacing("'", with: "\\'") + "'"
    }

    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: ""
        case 1: items[0]
        default: items.dropLast().joined(separator: ", ") + " and " + items.last!
        }
    }

    static func unique(_ steps: [String]) -> [String] {
        var seen = Set<String>()
        return steps.filter { seen.insert($0).inserted }
    }
}
