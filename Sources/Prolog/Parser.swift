import ExactMath

/// One clause or query as read: its term and the names of its variables.
struct ReadClause: Sendable {
    var term: Term
    /// Names of the variables, by number; anonymous variables are named `_`.
    var variableNames: [String]
    /// Line where the clause starts.
    var line: Int
}

/// Reads clauses from Prolog text with an operator-precedence parser.
struct Reader {
    private var lexer: Lexer
    /// The operators in force; `op/3` directives change them between clauses.
    var operators: OperatorTable

    init(_ text: String, operators: OperatorTable) {
        lexer = Lexer(text)
        self.operators = operators
    }

    /// The next clause, or nil at the end of the text.
    mutating func next() throws(PrologSyntaxError) -> ReadClause? {
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            if token.kind == .eof {
                if tokens.isEmpty { return nil }
                throw PrologSyntaxError(
                    "operator expected (missing '.' at the end of the clause?)", line: token.line,
                    column: token.column)
            }
            tokens.append(token)
            if token.kind == .end { break }
        }
        var parser = Parser(tokens: tokens, operators: operators)
        let term = try parser.readClause()
        return ReadClause(term: term, variableNames: parser.variableNames, line: tokens[0].line)
    }

    /// Reads exactly one term from `text` (a `.` at the end is optional).
    static func readTerm(_ text: String, operators: OperatorTable) throws(PrologSyntaxError) -> ReadClause {
        var lexer = Lexer(text)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            if token.kind == .eof {
                guard let last = tokens.last else {
                    throw PrologSyntaxError("unexpected end of text", line: token.line, column: token.column)
                }
                tokens.append(Token(kind: .end, line: last.line, column: last.column + 1, layoutBefore: false))
                break
            }
            tokens.append(token)
            if token.kind == .end {
                if !lexer.atEnd {
                    let extra = try lexer.next()
                    throw PrologSyntaxError("end of clause expected", line: extra.line, column: extra.column)
                }
                break
            }
        }
        var parser = Parser(tokens: tokens, operators: operators)
        let term = try parser.readClause()
        return ReadClause(term: term, variableNames: parser.variableNames, line: tokens[0].line)
    }
}

/// Parses the tokens of one clause.
struct Parser {
    let tokens: [Token]
    let operators: OperatorTable
    var position = 0
    /// Inside an argument or list element: `,` and `|` end the term.
    private var inArgument = false
    /// Nested `parse` calls now; bounded so that deeply nested text cannot exhaust the stack.
    private var nesting = 0
    static let maxNesting = 1_000
    var variableNames: [String] = []
    private var variableNumbers: [String: Int] = [:]

    init(tokens: [Token], operators: OperatorTable) {
        self.tokens = tokens
        self.operators = operators
    }

    mutating func readClause() throws(PrologSyntaxError) -> Term {
        let (term, _) = try parse(1200)
        guard tokens[position].kind == .end else { throw error("operator expected", at: tokens[position]) }
        return term
    }

    private var current: Token { tokens[position] }

    private func error(_ message: String, at token: Token) -> PrologSyntaxError {
        PrologSyntaxError(message, line: token.line, column: token.column)
    }

    private mutating func expect(_ punct: Character) throws(PrologSyntaxError) {
        guard current.kind == .punct(punct) else {
            throw error("expected '\(punct)'", at: current)
        }
        position += 1
    }

    /// The name a token has when it may act as an operator.
    private func operatorName(_ token: Token) -> String? {
        switch token.kind {
        case .name(let name), .quoted(let name): name
        case .punct(","): ","
        case .punct("|"): "|"
        default: nil
        }
    }

    /// Whether `token` can only end a term (so a prefix operator before it is an atom).
    private func isTerminator(_ token: Token) -> Bool {
        switch token.kind {
        case .end, .eof, .punct(")"), .punct("]"), .punct("}"), .punct(","), .punct("|"): true
        default: false
        }
    }

    /// Parses a term of at most `maxPriority`. In an argument (of a compound or a list), `,` and `|` end the term
    /// and the priority may reach 1200, as SWI-Prolog reads `f(a :- b)`.
    mutating func parse(_ maxPriority: Int, argument: Bool? = nil) throws(PrologSyntaxError) -> (Term, Int) {
        nesting += 1
        if nesting > Parser.maxNesting { throw error("term nested too deeply", at: current) }
        let saved = inArgument
        if let argument { inArgument = argument }
        defer {
            inArgument = saved
            nesting -= 1
        }
        var (left, leftPriority) = try parsePrimary(maxPriority)
        while true {
            let token = current
            if inArgument, case .punct = token.kind { break }
            guard let name = operatorName(token) else { break }
            if let definition = operators.infix[name], definition.priority <= maxPriority,
                leftPriority <= definition.leftMax
            {
                if name == "|" && definition.priority < 1100 { break }
                position += 1
                let (right, _) = try parse(definition.rightMax)
                left = .compound(name, [left, right])
                leftPriority = definition.priority
                continue
            }
            if let definition = operators.postfix[name], definition.priority <= maxPriority,
                leftPriority <= definition.leftMax
            {
                position += 1
                left = .compound(name, [left])
                leftPriority = definition.priority
                continue
            }
            break
        }
        return (left, leftPriority)
    }

    private mutating func variable(_ name: String) -> Term {
        if name == "_" {
            variableNames.append("_")
            return .variable(variableNames.count - 1)
        }
        if let number = variableNumbers[name] { return .variable(number) }
        variableNames.append(name)
        variableNumbers[name] = variableNames.count - 1
        return .variable(variableNames.count - 1)
    }

    private mutating func parsePrimary(_ maxPriority: Int) throws(PrologSyntaxError) -> (Term, Int) {
        let token = current
        position += 1
        switch token.kind {
        case .int(let value): return (.int(value), 0)
        case .bigInt(let value): return (.bigInt(value), 0)
        case .float(let value): return (.float(value), 0)
        case .string(let text): return (.string(text), 0)
        case .backquoted(let text): return (.list(text.unicodeScalars.map { .int(Int($0.value)) }), 0)
        case .variable(let name): return (variable(name), 0)
        case .punct("("):
            let (term, _) = try parse(1200, argument: false)
            try expect(")")
            return (term, 0)
        case .punct("["):
            if current.kind == .punct("]") {
                position += 1
                return try atomOrCompound("[]", token: token, reserved: true, maxPriority: maxPriority)
            }
            var elements: [Term] = []
            while true {
                let (element, _) = try parse(1200, argument: true)
                elements.append(element)
                if current.kind == .punct(",") {
                    position += 1
                    continue
                }
                break
            }
            var tail = Term.emptyList
            if current.kind == .punct("|") {
                position += 1
                (tail, _) = try parse(1200, argument: true)
            }
            try expect("]")
            return (.list(elements, tail: tail), 0)
        case .punct("{"):
            if current.kind == .punct("}") {
                position += 1
                return try atomOrCompound("{}", token: token, reserved: false, maxPriority: maxPriority)
            }
            let (term, _) = try parse(1200, argument: false)
            try expect("}")
            return (.compound("{}", [term]), 0)
        case .name(let name):
            return try atomOrCompound(name, token: token, reserved: false, maxPriority: maxPriority)
        case .quoted(let name):
            if current.kind == .punct("("), !current.layoutBefore {
                return (.compound(name, try arguments()), 0)
            }
            return (.atom(name), 0)
        case .punct(let punct):
            throw error("unexpected '\(punct)'", at: token)
        case .end:
            throw error("unexpected end of clause", at: token)
        case .eof:
            throw error("unexpected end of text", at: token)
        }
    }

    private mutating func arguments() throws(PrologSyntaxError) -> [Term] {
        position += 1  // "("
        var arguments: [Term] = []
        while true {
            let (argument, _) = try parse(1200, argument: true)
            arguments.append(argument)
            if current.kind == .punct(",") {
                position += 1
                continue
            }
            try expect(")")
            return arguments
        }
    }

    private mutating func atomOrCompound(
        _ name: String, token: Token, reserved: Bool, maxPriority: Int
    ) throws(PrologSyntaxError) -> (Term, Int) {
        let atom: Term = reserved ? .emptyList : .atom(name)
        if current.kind == .punct("("), !current.layoutBefore {
            return (.compound(name, try arguments()), 0)
        }
        if reserved { return (atom, 0) }
        if name == "-", !current.layoutBefore {
            switch current.kind {
            case .int(let value):
                position += 1
                return (.int(-value), 0)
            case .bigInt(let value):
                position += 1
                return (.integer(BigInt(0) - value), 0)
            case .float(let value):
                position += 1
                return (.float(-value), 0)
            default: break
            }
        }
        guard let definition = operators.prefix[name] else {
            return (atom, 0)
        }
        if isTerminator(current) { return (atom, 0) }
        if let next = operatorName(current), operators.infix[next] != nil || operators.postfix[next] != nil,
            operators.prefix[next] == nil
        {
            // `- = x`: the prefix operator is itself the left operand of the infix operator that follows,
            // unless that operator is written as a functor (`\\+ =(a, b)`).
            let following = tokens[position + 1]
            if !(following.kind == .punct("(") && !following.layoutBefore) { return (atom, 0) }
        }
        var priority = definition.priority
        var argumentMax = definition.rightMax
        if priority > maxPriority {
            priority = 999
            argumentMax = 999
            if maxPriority < 999 { throw error("operator priority clash", at: token) }
        }
        let saved = position
        do {
            let (argument, _) = try parse(argumentMax)
            return (.compound(name, [argument]), priority)
        } catch let failure {
            position = saved
            if isTerminator(current) { return (atom, 0) }
            throw failure
        }
    }
}
