/// Derivatives and integrals of polynomials, exactly. "the derivative of f(x) = x³ + 2x² - 5x + 1",
/// "d/dx (x^4)", "the second derivative of x^4", "f'(x) if f(x) = x^2", "the derivative of x^2 at x = 3",
/// "the integral of 2x dx", "∫ 3x^2 dx", "the integral of 2x dx from 0 to 3", "integrate x^2 from 1 to 2",
/// "the definite integral of x between 0 and 1". Anything that is not a polynomial (sin x, eˣ, 1/x) is refused.
public struct CalculusRecognizer: MathRecognizer {
    /// Creates the recogniser.
    public init() {}

    /// Solves the calculus question in `question.core`, or returns nil.
    public func solve(_ question: MathQuestion) -> MathAnswer? {
        var text = Substring(question.core)
        TextTools.dropPrefix(&text, ["the"])
        if let (order, body, variable) = Self.derivativeRequest(text) {
            return Self.derivative(order: order, body: body, variable: variable, core: question.core)
        }
        if let body = Self.integralRequest(text) {
            return Self.integral(body, core: question.core)
        }
        return nil
    }

    // MARK: - Derivatives

    static let orderWords: [(String, Int)] = [
        ("first", 1), ("1st", 1), ("second", 2), ("2nd", 2), ("third", 3), ("3rd", 3), ("fourth", 4), ("4th", 4),
        ("fifth", 5), ("5th", 5),
    ]

    /// The order, the text of the function and an explicitly named variable of a derivative question.
    static func derivativeRequest(_ text: Substring) -> (Int, Substring, Character?)? {
        var text = text
        var order = 1
        var variable: Character? = nil
        for (word, value) in orderWords where text.hasBytesPrefix(word + " ") {
            order = value
            text = text.dropFirst(word.count + 1)
            break
        }
        if TextTools.dropPrefix(&text, ["derivative of", "derivative for", "derivative", "differentiate"]) {
            // "derivative of f(x) = …", "differentiate x^2 with respect to x"
        } else if text.hasBytesPrefix("d/d") || text.hasBytesPrefix("d²/d") || text.hasBytesPrefix("d^2/d") {
            guard order == 1 else { return nil }
            if text.hasBytesPrefix("d²/d") || text.hasBytesPrefix("d^2/d") { order = 2 }
            text = text.drop(while: { $0 != "/" }).dropFirst(2)
            guard let letter = text.first, letter.isLetter else { return nil }
            variable = letter
            text = text.dropFirst()
            if text.hasBytesPrefix("²") {
                text = text.dropFirst()
            } else if text.hasBytesPrefix("^2") {
                text = text.dropFirst(2)
            }
            guard text.first == " " || text.first == "(" || text.first == "[" else { return nil }
            text = TextTools.trimmed(text)
            if text.first == "[", text.last == "]" { text = text.dropFirst().dropLast() }
        } else if text.hasBytesPrefix("dy/dx") || text.hasBytesPrefix("df/dx") {
            // "dy/dx if y = x^2", "dy/dx of x^3", "dy/dx for y = …"
            guard order == 1 else { return nil }
            text = text.dropFirst(5)
            TextTools.dropPrefix(&text, [" if", " for", " when", " where", " of", " given"])
            text = TextTools.trimmed(text)
        } else if let (primes, rest) = primeNotation(text) {
            // "f'(x) if f(x) = x^2 + 1", "f''(x) for f(x) = …"
            guard order == 1 else { return nil }
            order = primes
            text = rest
        } else {
            return nil
        }
        text = TextTools.trimmed(text)
        for suffix in [" with respect to ", " wrt ", " w.r.t. ", " in terms of "] {
            if let letter = text.last, letter.isLetter, text.dropLast().hasBytesSuffix(suffix) {
                variable = letter
                text = TextTools.trimmed(text.dropLast(suffix.count + 1))
                break
            }
        }
        return text.isEmpty ? nil : (order, text, variable)
    }

    /// "f'(x) if <body>" → (1, body); "f''(x) for <body>" → (2, body).
    static func primeNotation(_ text: Substring) -> (Int, Substring)? {
        guard let name = text.first, name.isLetter else { return nil }
        var rest = text.dropFirst()
        var primes = 0
        while let mark = rest.first, mark == "'" || mark == "′" || mark == "″" {
            primes += mark == "″" ? 2 : 1
            rest = rest.dropFirst()
        }
        guard primes > 0, rest.first == "(", let close = rest.firstIndex(of: ")") else { return nil }
        rest = TextTools.trimmed(rest[rest.index(after: close)...])
        guard TextTools.dropPrefix(&rest, ["if", "for", "when", "where", "given", "of", "given that"]) else {
            return nil
        }
        return (primes, rest)
    }

    /// "f(x) = x^2 + 1" → ("x^2 + 1", "x"); "y = 3x" → ("3x", nil); "x^2" → ("x^2", nil).
    static func functionBody(_ text: Substring) -> (Substring, Character?)? {
        guard let equals = text.firstIndex(of: "=") else { return (text, nil) }
        let name = TextTools.trimmed(text[..<equals])
        let body = TextTools.trimmed(text[text.index(after: equals)...])
        guard !body.contains("=") else { return nil }
        if name.count == 1, name.first!.isLetter { return (body, nil) }  // "y = …"
        // "f(x)", "g(t)"
        let chars = Array(name)
        guard chars.count == 4, chars[0].isLetter, chars[1] == "(", chars[2].isLetter, chars[3] == ")" else {
            return nil
        }
        return (body, chars[2])
    }

    /// A constant given as text ("3", "-1/2", "2^3"), or nil.
    static func constant(_ text: Substring) -> Rational? {
        guard !text.isEmpty, let expression = try? ExpressionParser.parse(text, variables: []),
            let polynomial = Polynomial(expression), polynomial.degree == 0
        else { return nil }
        return polynomial.coefficient(0)
    }

    static func derivative(order: Int, body: Substring, variable named: Character?, core: String) -> MathAnswer? {
        var body = body
        // "… at x = 3", "… when x = 3", "… at 3"
        var point: Rational? = nil
        for marker in [" at ", " when ", " for ", " where "] {
            guard let range = body.bytesRange(of: marker) else { continue }
            var tail = body[range.upperBound...]
            if let letter = tail.first, letter.isLetter,
                tail.dropFirst().hasBytesPrefix(" = ") || tail.dropFirst().hasBytesPrefix("=")
            {
                tail = TextTools.trimmed(tail.dropFirst().drop(while: { $0 == " " || $0 == "=" }))
            }
            guard let value = constant(TextTools.trimmed(tail)) else { return nil }
            point = value
            body = TextTools.trimmed(body[..<range.lowerBound])
            break
        }
        guard let (functionText, declared) = functionBody(body) else { return nil }
        var expressionText = functionText
        if TextTools.isOneParenthesisedGroup(expressionText) {
            expressionText = expressionText.dropFirst().dropLast()
        }
        let letters = TextTools.singleLetters(in: expressionText).filter { $0 != "e" && $0 != "i" }
        guard letters.count <= 1 else { return nil }
        let variable = named ?? declared ?? letters.first ?? "x"
        if let letter = letters.first, letter != variable { return nil }
        guard let expression = try? ExpressionParser.parse(expressionText, variables: [variable]),
            let polynomial = Polynomial(expression, variable: String(variable))
        else { return nil }
        let style = NumberStyle.of(Substring(core))
        let name = "f"
        let argument = "(\(variable))"
        var working = ["\(name)\(argument) = \(polynomial.formatted(style: style))"]
        working.append("Power rule: d/d\(variable) \(variable)ⁿ = n·\(variable)ⁿ⁻¹, term by term")
        var current = polynomial
        for step in 1...order {
            current = current.derivative
            working.append("\(name)\(primes(step))\(argument) = \(current.formatted(style: style))")
        }
        let derivativeText = current.formatted(style: style)
        guard let point else {
            return MathAnswer(answer: derivativeText, working: working, exact: derivativeText, topic: .calculus)
        }
        let value = current.evaluate(at: point)
        working.append(
            "\(name)\(primes(order))(\(Format.rational(point, style: style))) = "
                + Format.rational(value, style: style))
        return .rational(value, style: style, working: working, topic: .calculus)
    }

    /// ′, ″, ‴ or ⁽ⁿ⁾ for the n-th derivative.
    static func primes(_ order: Int) -> String {
        switch order {
        case 1: return "′"
        case 2: return "″"
        case 3: return "‴"
        default: return "⁽" + Format.superscript(order) + "⁾"
        }
    }

    // MARK: - Integrals

    /// The text after "integral of", "integrate", "∫", "antiderivative of".
    static func integralRequest(_ text: Substring) -> Substring? {
        var text = text
        if text.hasBytesPrefix("∫") { return TextTools.trimmed(text.dropFirst()) }
        TextTools.dropPrefix(&text, ["indefinite", "definite"])
        if TextTools.dropPrefix(
            &text, ["integral of", "integral", "antiderivative of", "anti-derivative of", "integrate", "primitive of"])
        {
            return text
        }
        return nil
    }

    static func integral(_ request: Substring, core: String) -> MathAnswer? {
        var text = request
        var bounds: (Rational, Rational)? = nil
        // "integral from 0 to 3 of 2x dx"
        if TextTools.dropPrefix(&text, ["from"]) {
            guard let ofRange = text.bytesRange(of: " of "),
                let parsed = boundPair(text[..<ofRange.lowerBound], separator: " to ")
            else { return nil }
            bounds = parsed
            text = text[ofRange.upperBound...]
        }
        // "… from 0 to 3", "… between 0 and 3"
        if bounds == nil {
            for (marker, separator) in [(" from ", " to "), (" between ", " and ")] {
                guard let range = text.lastBytesRange(of: marker) else { continue }
                guard let parsed = boundPair(text[range.upperBound...], separator: separator) else { return nil }
                bounds = parsed
                text = text[..<range.lowerBound]
                break
            }
        }
        text = TextTools.trimmed(text)
        // The differential: "2x dx", "(2x) dx", "2x with respect to x".
        var variable: Character? = nil
        for suffix in [" with respect to ", " wrt ", " d"] {
            if let letter = text.last, letter.isLetter, text.dropLast().hasBytesSuffix(suffix) {
                variable = letter
                text = TextTools.trimmed(text.dropLast(suffix.count + 1))
                break
            }
        }
        if variable == nil, let letter = text.last, letter.isLetter, text.dropLast().hasBytesSuffix(")d") {
            variable = letter
            text = text.dropLast(2)
        }
        if TextTools.isOneParenthesisedGroup(text) { text = text.dropFirst().dropLast() }
        guard !text.isEmpty else { return nil }
        let letters = TextTools.singleLetters(in: text).filter { $0 != "e" && $0 != "i" }
        guard letters.count <= 1 else { return nil }
        let x = variable ?? letters.first ?? "x"
        if let letter = letters.first, letter != x { return nil }
        guard let expression = try? ExpressionParser.parse(text, variables: [x]),
            let integrand = Polynomial(expression, variable: String(x))
        else { return nil }
        let style = NumberStyle.of(Substring(core))
        let primitive = integrand.antiderivative
        let integrandText = integrand.formatted(style: style)
        let shownIntegrand =
            integrand.coefficients.filter { !$0.isZero }.count > 1 ? "(\(integrandText))" : integrandText
        var working = ["Power rule: ∫ \(x)ⁿ d\(x) = \(x)ⁿ⁺¹/(n + 1) + C, term by term"]
        guard let (lower, upper) = bounds else {
            let answer = primitive.isZero ? "C" : primitive.formatted(style: style) + " + C"
            working.insert("∫ \(shownIntegrand) d\(x) = \(answer)", at: 1)
            return MathAnswer(answer: answer, working: working, exact: answer, topic: .calculus)
        }
        let value = primitive.evaluate(at: upper) - primitive.evaluate(at: lower)
        let (a, b) = (Format.rational(lower, style: style), Format.rational(upper, style: style))
        working.append("F(\(x)) = \(primitive.formatted(style: style))")
        let fb = Format.rational(primitive.evaluate(at: upper), style: style)
        let fa = primitive.evaluate(at: lower)
        let faText = fa.signum < 0 ? "(\(Format.rational(fa, style: style)))" : Format.rational(fa, style: style)
        working.append(
            "∫ from \(a) to \(b) of \(shownIntegrand) d\(x) = F(\(b)) − F(\(a)) = \(fb) − \(faText) = "
                + Format.rational(value, style: style))
        return .rational(value, style: style, working: working, topic: .calculus)
    }

    /// "0 to 3", "x = 0 to x = 3", "-1 and 2" → the two bounds.
    static func boundPair(_ text: Substring, separator: String) -> (Rational, Rational)? {
        let parts = TextTools.split(text, by: separator)
        guard parts.count == 2, let lower = bound(parts[0]), let upper = bound(parts[1]) else { return nil }
        return (lower, upper)
    }

    static func bound(_ text: Substring) -> Rational? {
        var text = TextTools.trimmed(text)
        if let letter = text.first, letter.isLetter, text.dropFirst().drop(while: { $0 == " " }).first == "=" {
            text = TextTools.trimmed(text.dropFirst().drop(while: { $0 == " " }).dropFirst())
        }
        return constant(text)
    }
}
