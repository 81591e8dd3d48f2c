/// Solves one-variable polynomial equations exactly: linear, quadratic (rational, irrational and complex roots),
/// and higher degrees when the rational-root theorem leaves at most a quadratic. "3x + 7 = 22", "x^2 = 2",
/// "x(x+1) = 6", "2y − 3 = y + 4", "x³ = 8", "the equation 5x − 3 = 2x + 9 for x".
public struct EquationRecognizer: MathRecognizer {
    /// Creates the recogniser.
    public init() {}

    /// Solves the equation in `question.core`, or returns nil when it is not one equation in one variable whose
    /// sides are polynomials.
    public func solve(_ question: MathQuestion) -> MathAnswer? {
        let core = Substring(question.core)
        let equalsCount = TextTools.count(of: "=", in: core)
        guard equalsCount <= 1,
            !TextTools.containsAny(
                core,
                of: [
                    UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: ";"),
                    UInt8(ascii: "\n"),
                ]),
            let request = Self.equationText(core), equalsCount == 1 || request.impliedZero,
            request.equation.bytesRange(of: ", ") == nil
        else { return nil }
        let equation = request.equation
        let letters = TextTools.singleLetters(in: equation).filter { $0 != "e" && $0 != "i" }
        guard letters.count == 1, let letter = letters.first, request.variable == nil || request.variable == letter
        else { return nil }
        let sides: (lhs: Polynomial, rhs: Polynomial)
        if equalsCount == 0 {
            guard let expression = try? ExpressionParser.parse(equation, variables: [letter]),
                let polynomial = Polynomial(expression, variable: String(letter)), polynomial.degree > 0
            else { return nil }
            sides = (polynomial, Polynomial(constant: .zero, variable: String(letter)))
        } else {
            guard let parsed = Self.sides(of: equation, variable: letter) else { return nil }
            sides = parsed
        }
        let style = NumberStyle.of(equation)
        let equationLine = "Equation: " + Format.prettify(equation) + (equalsCount == 0 ? " = 0" : "")
        return Self.answer(
            lhs: sides.lhs, rhs: sides.rhs, variable: String(letter), style: style, firstLine: equationLine)
    }

    /// What an equation question asks: the equation text, the variable it names (if any), and whether the text
    /// is a polynomial whose roots are asked for ("the roots of x^2 − 4"), meaning "= 0".
    struct Request {
        var equation: Substring
        var variable: Character?
        var impliedZero: Bool
    }

    static let leadIns = [
        "the quadratic equation", "the linear equation", "the cubic equation", "the polynomial equation",
        "the equation", "quadratic equation", "linear equation", "cubic equation", "equation", "the value of",
        "value of",
    ]

    static let rootLeadIns = [
        "the roots of", "roots of", "the zeros of", "the zeroes of", "zeros of", "zeroes of", "the solutions of",
        "the solutions to", "the solution of", "the solution to", "solutions of", "solutions to", "the root of",
    ]

    /// The equation part of a question and the variable it asks for, if named: "x if 3x + 7 = 22",
    /// "3x + 7 = 22 for x", "if 3x + 7 = 22, what is x", "the value of x in the equation …", "the roots of …".
    static func equationText(_ core: Substring) -> Request? {
        var request = Request(equation: core, variable: nil, impliedZero: false)
        // "if 3x + 7 = 22, what is x"
        if TextTools.dropPrefix(&request.equation, ["if"]) {
            guard let comma = request.equation.lastBytesRange(of: ", ") else { return nil }
            var tail = request.equation[comma.upperBound...]
            TextTools.dropPrefix(&tail, ["then"])
            TextTools.dropPrefix(
                &tail, ["what is", "what's", "find", "solve for", "determine", "calculate", "what does"])
            TextTools.dropSuffix(&tail, ["equal", "equals", "be"])
            guard tail.count == 1, let letter = tail.first, letter.isLetter else { return nil }
            request.variable = letter
            request.equation = request.equation[..<comma.lowerBound]
        }
        for _ in 0..<2 {
            TextTools.dropPrefix(&request.equation, leadIns)
            if TextTools.dropPrefix(&request.equation, rootLeadIns) { request.impliedZero = true }
            // "x if 3x + 7 = 22", "x: 3x + 7 = 22", "for x: …", "x in the equation …"
            var text = request.equation
            TextTools.dropPrefix(&text, ["for"])
            guard let letter = text.first, letter.isLetter, request.variable == nil else { continue }
            let afterLetter = text.dropFirst()
            for link in [" if ", " when ", " given ", " in ", ": ", ", ", " where ", " such that ", " from "]
            where afterLetter.hasBytesPrefix(link) {
                request.variable = letter
                request.equation = afterLetter.dropFirst(link.count)
                break
            }
        }
        // "… for x", "…, solve for x", "… find x"
        let text = request.equation
        for lead in [", solve for ", ", find ", " solve for ", " solving for ", " find ", " solve ", " for "] {
            if text.count > lead.count + 1, let letter = text.last, letter.isLetter,
                text.dropLast().hasBytesSuffix(lead)
            {
                request.variable = letter
                request.equation = text.dropLast(lead.count + 1)
                break
            }
        }
        request.equation = TextTools.trimmed(request.equation)
        return request.equation.isEmpty ? nil : request
    }

    /// Both sides of "lhs = rhs" as polynomials in `variable`; nil when either side is not a polynomial in it.
    static func sides(of equation: Substring, variable: Character) -> (lhs: Polynomial, rhs: Polynomial)? {
        guard let equals = equation.firstIndex(of: "=") else { return nil }
        let left = TextTools.trimmed(equation[..<equals])
        let right = TextTools.trimmed(equation[equation.index(after: equals)...])
        guard !left.isEmpty, !right.isEmpty,
            let lhsExpression = try? ExpressionParser.parse(left, variables: [variable]),
            let rhsExpression = try? ExpressionParser.parse(right, variables: [variable]),
            let lhs = Polynomial(lhsExpression, variable: String(variable)),
            let rhs = Polynomial(rhsExpression, variable: String(variable))
        else { return nil }
        return (lhs, rhs)
    }

    /// The full answer for lhs = rhs.
    static func answer(
        lhs: Polynomial, rhs: Polynomial, variable: String, style: NumberStyle, firstLine: String
    ) -> MathAnswer? {
        let difference = lhs - rhs
        guard let solution = PolynomialRootFinder.solve(difference) else { return nil }
        var working = [firstLine]
        switch solution {
        case .everyValue:
            working.append("Both sides are the same: \(lhs.formatted(style: style)) = \(rhs.formatted(style: style))")
            working.append("The equation holds for every \(variable).")
            let answer = "every real \(variable) (identity)"
            return MathAnswer(answer: answer, working: working, exact: answer, topic: .equation)
        case .noSolution:
            let constant = Format.rational(-difference.coefficient(0), style: style)
            working.append("The \(variable) terms cancel, leaving 0 = \(constant), which is false.")
            let answer = "no solution"
            return MathAnswer(answer: answer, working: working, exact: answer, topic: .equation)
        case .roots:
            break
        }
        switch difference.degree {
        case 1: working += linearWorking(difference, variable: variable, style: style)
        case 2: working += quadraticWorking(difference, style: style)
        default: working += higherWorking(difference, solution: solution, style: style)
        }
        let result = RootsText(solution, variable: variable, style: style)
        if let approximation = result.approximation { working.append(approximation) }
        return MathAnswer(
            answer: result.exact, working: working, exact: result.exact, approximation: result.approximation,
            topic: .equation)
    }

    static func linearWorking(_ p: Polynomial, variable: String, style: NumberStyle) -> [String] {
        let a = p.coefficient(1)
        let b = p.coefficient(0)
        let term = Polynomial(coefficients: [.zero, a], variable: variable).formatted(style: style)
        var lines = [
            "Collect the \(variable) terms on the left and the numbers on the right: "
                + "\(term) = \(Format.rational(-b, style: style))"
        ]
        if a != .one, let root = (-b).dividing(by: a) {
            lines.append(
                "Divide both sides by \(Format.rational(a, style: style)): "
                    + "\(variable) = \(Format.rational(root, style: style))")
        }
        return lines
    }

    static func quadraticWorking(_ p: Polynomial, style: NumberStyle) -> [String] {
        let a = p.coefficient(2)
        let b = p.coefficient(1)
        let c = p.coefficient(0)
        let x = p.variable
        let delta = PolynomialRootFinder.discriminant(p)
        func show(_ value: Rational) -> String {
            let text = Format.rational(value, style: style)
            return value.signum < 0 || !value.isInteger ? "(\(text))" : text
        }
        var lines = [
            "Standard form: \(p.formatted(style: style)) = 0",
            "a = \(Format.rational(a, style: style)), b = \(Format.rational(b, style: style)), "
                + "c = \(Format.rational(c, style: style))",
            "Discriminant: b² − 4ac = \(show(b))² − 4 × \(show(a)) × \(show(c)) = "
                + Format.rational(delta, style: style),
        ]
        switch PolynomialRootFinder.quadratic(p) {
        case .rational(let first, let second):
            lines.append("Factorise: \(factorisation(leading: a, roots: [first, second], variable: x)) = 0")
        case .double(let root):
            lines.append("The discriminant is zero, so there is one repeated root.")
            lines.append("Factorise: \(factorisation(leading: a, roots: [root, root], variable: x)) = 0")
        case .pair(let pair):
            if pair.isComplex {
                lines.append("The discriminant is negative, so there are no real roots; the roots are complex.")
            }
            let root = SquareRoot(of: delta.signum < 0 ? -delta : delta)
            let radical =
                (root.coefficient == .one ? "" : Format.rational(root.coefficient, style: style))
                + (pair.isComplex ? "i" : "") + (root.radicand == 1 ? "" : "√" + root.radicand.description)
            let twoA = Rational(2) * a
            let unsimplified = "(\(Format.rational(-b, style: style)) ± √\(show(delta)))/\(show(twoA))"
            let simplified = "(\(Format.rational(-b, style: style)) ± \(radical))/\(show(twoA))"
            lines.append(
                "Quadratic formula: \(x) = (−b ± √(b² − 4ac)) / 2a = " + unsimplified
                    + (simplified == unsimplified ? "" : " = " + simplified))
        }
        return lines
    }

    static func higherWorking(_ p: Polynomial, solution: PolynomialSolution, style: NumberStyle) -> [String] {
        var lines = ["Standard form: \(p.formatted(style: style)) = 0"]
        guard case .roots(let rational, let pairs) = solution else { return lines }
        if !rational.isEmpty {
            let found = rational.map { Format.rational($0.value, style: style) }.joined(separator: ", ")
            lines.append(
                "Rational-root theorem: testing ±(divisors of the constant)/(divisors of the leading "
                    + "coefficient) finds \(p.variable) = \(found)")
        }
        if !pairs.isEmpty {
            var rest = p
            for root in rational {
                for _ in 0..<root.multiplicity {
                    let factor = Polynomial(coefficients: [-root.value, .one], variable: p.variable)
                    rest = rest.divided(by: factor)?.quotient ?? rest
                }
            }
            let delta = PolynomialRootFinder.discriminant(rest)
            lines.append(
                "Dividing out those roots leaves \(rest.formatted(style: style)) = 0, "
                    + "with discriminant \(Format.rational(delta, style: style))")
        }
        return lines
    }

    /// "2(x − 1)(x − 3)", "(2x + 1)(x − 4)", "(x − 3)²", "x(x + 2)".
    static func factorisation(leading: Rational, roots: [Rational], variable: String) -> String {
        var scale = leading
        var factors: [String] = []
        for root in roots {
            let q = Rational(root.denominator)
            scale = scale.dividing(by: q) ?? scale
            let linear = Polynomial(coefficients: [-Rational(root.numerator), q], variable: variable)
            factors.append(root.isZero ? variable : "(" + linear.formatted() + ")")
        }
        var body: String
        if factors.count == 2, factors[0] == factors[1] {
            body = factors[0].hasBytesPrefix("(") ? factors[0] + "²" : factors[0] + "²"
        } else {
            body = factors.joined()
        }
        if scale == .one { return body }
        if scale == -Rational.one { return Format.minus + body }
        let coefficient = Format.rational(scale)
        body = (scale.isInteger ? coefficient : "(" + coefficient + ")") + body
        return body
    }
}

/// The roots of a solved equation as text: "x = 1 or x = 3", "x = 3 (double root)", "x = 2 − √3 or x = 2 + √3",
/// with decimal approximations when some root is not a plain decimal.
struct RootsText {
    var exact: String
    var approximation: String?

    init(_ solution: PolynomialSolution, variable: String, style: NumberStyle) {
        guard case .roots(let rational, let pairs) = solution else {
            exact = ""
            approximation = nil
            return
        }
        var real: [(value: Double, exact: String, approximate: String, plain: Bool)] = []
        for root in rational {
            let suffix: String
            switch root.multiplicity {
            case 1: suffix = ""
            case 2: suffix = " (double root)"
            case 3: suffix = " (triple root)"
            default: suffix = " (multiplicity \(root.multiplicity))"
            }
            let plain = Format.isPlainDecimal(root.value, style: style)
            real.append(
                (
                    root.value.doubleValue, Format.rational(root.value, style: style) + suffix,
                    Format.decimal(root.value.doubleValue), plain
                ))
        }
        var complex: [(exact: String, approximate: String)] = []
        var complexNeedsApproximation = false
        for pair in pairs {
            let texts = pair.texts
            let approximations = pair.approximations
            if pair.isComplex {
                if pair.radicand != 1 || !Format.isPlainDecimal(pair.center, style: style)
                    || !Format.isPlainDecimal(pair.offset, style: style)
                {
                    complexNeedsApproximation = true
                }
                complex.append((texts.lower, approximations.lower))
                complex.append((texts.upper, approximations.upper))
            } else {
                let size = pair.offset.doubleValue * pair.radicand.doubleValue.squareRoot()
                real.append((pair.center.doubleValue - size, texts.lower, approximations.lower, false))
                real.append((pair.center.doubleValue + size, texts.upper, approximations.upper, false))
            }
        }
        real.sort { $0.value < $1.value }
        let exactTexts = real.map(\.exact) + complex.map(\.exact)
        exact = Format.roots(exactTexts, variable: variable)
        if real.allSatisfy(\.plain) && !complexNeedsApproximation {
            approximation = nil
        } else {
            approximation = (real.map(\.approximate) + complex.map(\.approximate))
                .map { "\(variable) ≈ \($0)" }.joined(separator: " or ")
        }
    }
}
