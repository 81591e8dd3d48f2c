/// Translates grammar rules (`Head --> Body`) into clauses with two extra arguments, the list before and after.
struct DCGTranslator {
    /// The next free variable number of the clause being translated.
    private(set) var nextVariable: Int

    init(nextVariable: Int) {
        self.nextVariable = nextVariable
    }

    private mutating func fresh() -> Term {
        nextVariable += 1
        return .variable(nextVariable - 1)
    }

    /// The clause for `head --> body`, or nil when the rule has no valid form.
    mutating func translate(head: Term, body: Term) -> Term? {
        let start = fresh()
        let end = fresh()
        guard let newHead = Self.extend(head, start, end), let newBody = translateBody(body, start, end) else {
            return nil
        }
        return .compound(":-", [newHead, newBody])
    }

    private static func extend(_ term: Term, _ start: Term, _ end: Term) -> Term? {
        switch term {
        case .atom(let name): return .compound(name, [start, end])
        case .compound(let name, let arguments): return .compound(name, arguments + [start, end])
        default: return nil
        }
    }

    private mutating func translateBody(_ body: Term, _ start: Term, _ end: Term) -> Term? {
        switch body {
        case .variable:
            return .compound("phrase", [body, start, end])
        case .compound(",", let parts) where parts.count == 2:
            let middle = fresh()
            guard let first = translateBody(parts[0], start, middle),
                let second = translateBody(parts[1], middle, end)
            else { return nil }
            return .compound(",", [first, second])
        case .compound(let name, let parts) where (name == ";" || name == "|") && parts.count == 2:
            guard let first = translateBody(parts[0], start, end), let second = translateBody(parts[1], start, end)
            else { return nil }
            return .compound(";", [first, second])
        case .compound("->", let parts) where parts.count == 2:
            let middle = fresh()
            guard let condition = translateBody(parts[0], start, middle),
                let then = translateBody(parts[1], middle, end)
            else { return nil }
            return .compound("->", [condition, then])
        case .compound("\\+", let parts) where parts.count == 1:
            guard let inner = translateBody(parts[0], start, fresh()) else { return nil }
            return .compound(",", [.compound("\\+", [inner]), .compound("=", [start, end])])
        case .compound("{}", let parts) where parts.count == 1:
            return .compound(",", [parts[0], .compound("=", [start, end])])
        case .atom("!"):
            return .compound(",", [.atom("!"), .compound("=", [start, end])])
        case .emptyList:
            return .compound("=", [start, end])
        case .list(let elements, let tail):
            guard tail == .emptyList else { return nil }
            return .compound("=", [start, .list(elements, tail: end)])
        case .string(let text):
            return .compound("=", [start, .list(text.unicodeScalars.map { .int(Int($0.value)) }, tail: end)])
        case .compound("call", let arguments):
            return .compound("call", arguments + [start, end])
        default:
            return Self.extend(body, start, end)
        }
    }
}
