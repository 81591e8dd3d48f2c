/// Parses math expressions written in ASCII or Unicode into an `Expr`.
public enum ExpressionParser {
    /// Parses a whole math expression or fails; never accepts a partial parse. Accepts ASCII and Unicode:
    /// + - − × · * / ÷ ^ ** ² ³ ¹ ⁰–⁹ superscript powers, √ ∛ ∜ prefixes, π, ! factorial, %, ° (degrees, as ×π/180),
    /// parentheses and [ ], |x|, implicit multiplication (2x, 3(4+5), 2π, x²y), function calls sqrt(…), cbrt,
    /// ln, log (base 10), log₂(64) / log_2(64) / log2(64), exp, abs, gcd/gcf/hcf, lcm, nCr/C(n,k), nPr/P(n,k),
    /// sin/cos/tan, factorial(n), "25% of 80", "2/3 of 9"; a function may also take one operand without
    /// parentheses ("sqrt 16", "ln e^2").
    /// Thousands separators "1,000,000" are read only when unambiguous (groups of exactly three digits, not inside a
    /// multi-argument call). A letter "x" that is not one of `variables` is read as the multiplication sign.
    public static func parse(_ text: Substring, variables: Set<Character> = ["x"]) throws(ExpressionError) -> Expr {
        let (tokens, offsets) = try ExpressionLexer.tokenize(text)
        var parser = Parser(tokens: tokens, offsets: offsets, text: text, variables: variables)
        return try parser.parseWhole()
    }
}

/// The recursive-descent parser over lexer tokens. Precedence, loosest first: + −; × ÷ and implicit products;
/// unary signs; ^ (right-associative); postfix ! % ° and superscripts; atoms.
private struct Parser {
    let tokens: [ExpressionToken]
    let offsets: [Int]
    /// The text parsed; its length in characters is the offset of errors at its end.
    let text: Substring
    let variables: Set<Character>
    var position = 0

    init(tokens: [ExpressionToken], offsets: [Int], text: Substring, variables: Set<Character>) {
        self.tokens = tokens
        self.offsets = offsets
        self.text = text
        self.variables = variables
    }

    /// Maximum nesting depth, so hostile input cannot exhaust the stack.
    static let maxDepth = 200
    var depth = 0

    var current: ExpressionToken? { position < tokens.count ? tokens[position] : nil }
    var offset: Int { position < offsets.count ? offsets[position] : text.count }

    func error(_ message: String) -> ExpressionError { ExpressionError(message: message, offset: offset) }

    func describe(_ token: ExpressionToken?) -> String {
        guard let token else { return "end of expression" }
        switch token {
        case .number(let value): return "number \(value)"
        case .word(let word): return "'\(word)'"
        case .plus: return "'+'"
        case .minus: return "'−'"
        case .times: return "'×'"
        case .divide: return "'/'"
        case .caret: return "'^'"
        case .bang: return "'!'"
        case .percent: return "'%'"
        case .degree: return "'°'"
        case .open: return "'('"
        case .close: return "')'"
        case .bar: return "'|'"
        case .comma: return "','"
        case .rootSign: return "'√'"
        case .pi: return "'π'"
        case .superscript: return "superscript"
        case .base: return "logarithm base"
        }
    }

    mutating func parseWhole() throws(ExpressionError) -> Expr {
        guard !tokens.isEmpty else { throw ExpressionError(message: "empty expression", offset: 0) }
        let expression = try parseSum()
        guard position == tokens.count else { throw error("unexpected \(describe(current))") }
        return expression
    }

    mutating func enter() throws(ExpressionError) {
        depth += 1
        if depth > Parser.maxDepth { throw error("expression is nested too deeply") }
    }

    mutating func parseSum() throws(ExpressionError) -> Expr {
        try enter()
        defer { depth -= 1 }
        var result = try parseProduct()
        while let token = current {
            if token == .plus {
                position += 1
                result = .add(result, try parseProduct())
            } else if token == .minus {
                position += 1
                result = .subtract(result, try parseProduct())
            } else {
                break
            }
        }
        return result
    }

    /// True when `word` names something that can start an operand (so "2x" or "3 sqrt 2" multiply).
    func startsOperand(_ word: String) -> Bool {
        if Parser.functionNames[word] != nil || word == "pi" || word == "e" { return true }
        if word == "factorial" || word == "fact" { return true }
        return !word.isEmpty && word.allSatisfy { variables.contains($0) || $0 == "e" }
    }

    mutating func parseProduct() throws(ExpressionError) -> Expr {
        var result = try parseUnary()
        while let token = current {
            switch token {
            case .times:
                position += 1
                result = .multiply(result, try parseUnary())
            case .divide:
                position += 1
                result = .divide(result, try parseUnary())
            case .word("of") where isFractionLiteral(result):
                // "2/3 of 9" multiplies, like "25% of 80".
                position += 1
                result = .multiply(result, try parseUnary())
            case .word("x") where !variables.contains("x"):
                position += 1
                result = .multiply(result, try parseUnary())
            case .number:
                // "2 3" is not a product; a number may follow only an explicit operator.
                throw error("unexpected \(describe(token))")
            case .open, .pi, .rootSign:
                result = .multiply(result, try parsePower())
            case .word(let word) where startsOperand(word):
                result = .multiply(result, try parsePower())
            default:
                return result
            }
        }
        return result
    }

    /// True for a fraction written with two whole numbers, such as 2/3.
    func isFractionLiteral(_ expr: Expr) -> Bool {
        if case .divide(.number(let a), .number(let b)) = expr, a.isInteger, b.isInteger { return true }
        return false
    }

    mutating func parseUnary() throws(ExpressionError) -> Expr {
        try enter()
        defer { depth -= 1 }
        if current == .minus {
            position += 1
            return .negate(try parseUnary())
        }
        if current == .plus {
            position += 1
            return try parseUnary()
        }
        return try parsePower()
    }

    mutating func parsePower() throws(ExpressionError) -> Expr {
        let base = try parsePostfix()
        if current == .caret {
            position += 1
            return .power(base, try parseUnary())
        }
        return base
    }

    mutating func parsePostfix() throws(ExpressionError) -> Expr {
        var result = try parseAtom()
        while let token = current {
            switch token {
            case .bang:
                position += 1
                result = .factorial(result)
            case .percent:
                position += 1
                result = .percent(result)
                // "25% of 80% of 160": "of" after a percentage multiplies, binding to its right.
                if current == .word("of") {
                    position += 1
                    return .multiply(result, try parseUnary())
                }
            case .degree:
                position += 1
                result = .multiply(result, .divide(.constant(.pi), .number(180)))
            case .superscript(let exponent):
                position += 1
                result = .power(
                    result, exponent < 0 ? .negate(.number(Rational(-exponent))) : .number(Rational(exponent)))
            default:
                return result
            }
        }
        return result
    }

    mutating func expect(_ token: ExpressionToken, _ what: String) throws(ExpressionError) {
        guard current == token else { throw error("expected \(what), found \(describe(current))") }
        position += 1
    }

    mutating func parseAtom() throws(ExpressionError) -> Expr {
        try enter()
        defer { depth -= 1 }
        guard let token = current else { throw error("expression ends too early") }
        switch token {
        case .number(let value):
            position += 1
            return .number(value)
        case .pi:
            position += 1
            return .constant(.pi)
        case .open:
            position += 1
            let inner = try parseSum()
            try expect(.close, "')'")
            return inner
        case .bar:
            position += 1
            let inner = try parseSum()
            try expect(.bar, "closing '|'")
            return .function(.abs, [inner])
        case .rootSign(let index):
            position += 1
            return try parseRoot(index)
        case .superscript(let index)
        where index >= 2 && position + 1 < tokens.count
            && tokens[position + 1] == .rootSign(2):
            // ⁵√32: a superscript index written before the root sign.
            position += 2
            return try parseRoot(index)
        case .word(let word):
            position += 1
            return try parseWord(word)
        default:
            throw error("unexpected \(describe(token))")
        }
    }

    /// The operand of a root sign: a signed postfix expression (√16, √(2x), √−4).
    mutating func parseRoot(_ index: Int) throws(ExpressionError) -> Expr {
        let operand: Expr
        if current == .minus {
            position += 1
            operand = .negate(try parsePostfix())
        } else {
            operand = try parsePostfix()
        }
        switch index {
        case 2: return .function(.sqrt, [operand])
        case 3: return .function(.cbrt, [operand])
        default: return .function(.root, [.number(Rational(index)), operand])
        }
    }

    static let functionNames: [String: MathFunction] = [
        "sqrt": .sqrt, "cbrt": .cbrt, "ln": .ln, "log": .log10, "exp": .exp, "abs": .abs, "gcd": .gcd, "gcf": .gcd,
        "hcf": .gcd, "lcm": .lcm, "ncr": .nCr, "npr": .nPr, "sin": .sin, "cos": .cos, "tan": .tan,
    ]

    mutating func parseWord(_ word: String) throws(ExpressionError) -> Expr {
        let wordOffset = offsets[position - 1]
        if word == "pi" { return .constant(.pi) }
        if word == "factorial" || word == "fact" {
            let arguments = try parseArguments()
            guard arguments.count == 1 else { throw error("factorial takes one argument") }
            return .factorial(arguments[0])
        }
        if (word == "c" || word == "p") && !variables.contains(Character(word)) && current == .open {
            let arguments = try parseArguments()
            guard arguments.count == 2 else { throw error("\(word.uppercased())(n, k) takes two arguments") }
            return .function(word == "c" ? .nCr : .nPr, arguments)
        }
        if word == "log", case .base(let base)? = current {
            position += 1
            let arguments = try parseArguments()
            guard arguments.count == 1 else { throw error("log with a base takes one argument") }
            return .function(.log, [.number(base), arguments[0]])
        }
        if let function = Parser.functionNames[word] {
            let arguments = try parseArguments()
            switch function {
            case .gcd, .lcm:
                guard arguments.count >= 2 else { throw error("\(word) needs at least two numbers") }
            case .nCr, .nPr:
                guard arguments.count == 2 else { throw error("\(word) takes two arguments") }
            default:
                guard arguments.count == 1 else {
                    throw ExpressionError(message: "\(word) takes one argument", offset: wordOffset)
                }
            }
            return .function(function, arguments)
        }
        // A run of variable letters (and e) is their product: "xy" → x·y.
        guard word.allSatisfy({ variables.contains($0) || $0 == "e" }) else {
            throw ExpressionError(message: "unknown word '\(word)'", offset: wordOffset)
        }
        var result: Expr? = nil
        for letter in word {
            let factor: Expr = letter == "e" && !variables.contains("e") ? .constant(.e) : .variable(String(letter))
            result = result.map { .multiply($0, factor) } ?? factor
        }
        return result!
    }

    /// "(a, b, …)" or a single operand without parentheses ("sqrt 16", "ln e^2").
    mutating func parseArguments() throws(ExpressionError) -> [Expr] {
        if current == .open {
            position += 1
            var arguments = [try parseSum()]
            while current == .comma {
                position += 1
                arguments.append(try parseSum())
            }
            try expect(.close, "')'")
            return arguments
        }
        guard current != nil else { throw error("expression ends too early") }
        // "abs -7", "sqrt -4": a sign may start the single operand.
        if current == .minus {
            position += 1
            return [.negate(try parsePower())]
        }
        return [try parsePower()]
    }
}
