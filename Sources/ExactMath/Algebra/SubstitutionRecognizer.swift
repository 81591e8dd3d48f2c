/// Evaluates a polynomial at a given value of its variable: "3x^2 + 2 when x = 4", "x^3 - x at x = -2",
/// "f(2) if f(x) = x^2 + 1".
public struct SubstitutionRecognizer: MathRecognizer {
    /// Creates the recogniser.
    public init() {}

    /// Solves the substitution in `question.core`, or returns nil.
    public func solve(_ question: MathQuestion) -> MathAnswer? {
        let core = Substring(question.core)
        guard TextTools.count(of: "=", in: core) == 1 else { return nil }
        if let answer = Self.functionValue(core) { return answer }
        for marker in [" when ", " at ", " for ", " if ", " where ", " with ", " given "] {
            guard let range = core.bytesRange(of: marker) else { continue }
            let expressionText = TextTools.trimmed(core[..<range.lowerBound])
            var assignment = TextTools.trimmed(core[range.upperBound...])
            guard let letter = assignment.first, letter.isLetter, letter != "e", letter != "i" else { return nil }
            assignment = TextTools.trimmed(assignment.dropFirst())
            guard assignment.first == "=",
                let value = CalculusRecognizer.constant(TextTools.trimmed(assignment.dropFirst()))
            else { return nil }
            return Self.evaluate(expressionText, variable: letter, at: value, core: core, name: nil)
        }
        return nil
    }

    /// "f(2) if f(x) = x^2 + 1", "f(-1) where f(x) = …".
    static func functionValue(_ core: Substring) -> MathAnswer? {
        let chars = Array(core.prefix(2))
        guard chars.count == 2, chars[0].isLetter, chars[1] == "(", let close = core.firstIndex(of: ")") else {
            return nil
        }
        let name = chars[0]
        guard let value = CalculusRecognizer.constant(core[core.index(core.startIndex, offsetBy: 2)..<close]) else {
            return nil
        }
        var rest = TextTools.trimmed(core[core.index(after: close)...])
        guard TextTools.dropPrefix(&rest, ["if", "for", "when", "where", "given"]) else { return nil }
        let definition = Array(rest.prefix(4))
        guard definition.count == 4, definition[0] == name, definition[1] == "(", definition[2].isLetter,
            definition[3] == ")"
        else { return nil }
        rest = TextTools.trimmed(rest.dropFirst(4))
        guard rest.first == "=" else { return nil }
        return evaluate(
            TextTools.trimmed(rest.dropFirst()), variable: definition[2], at: value, core: core, name: name)
    }

    static func evaluate(
        _ text: Substring, variable: Character, at value: Rational, core: Substring, name: Character?
    ) -> MathAnswer? {
        let letters = TextTools.singleLetters(in: text).filter { $0 != "e" && $0 != "i" }
        guard !text.isEmpty, letters == [variable],
            let expression = try? ExpressionParser.parse(text, variables: [variable]),
            let polynomial = Polynomial(expression, variable: String(variable))
        else { return nil }
        let style = NumberStyle.of(core)
        let result = polynomial.evaluate(at: value)
        let point = Format.rational(value, style: style)
        let shownPoint = value.signum < 0 || !value.isInteger ? "(\(point))" : point
        var terms: [(negative: Bool, magnitude: String)] = []
        for power in stride(from: polynomial.coefficients.count - 1, through: 0, by: -1) {
            let coefficient = polynomial.coefficient(power)
            if coefficient.isZero { continue }
            let magnitude = Format.rational(coefficient.signum < 0 ? -coefficient : coefficient, style: style)
            var term = power == 0 ? magnitude : shownPoint + (power == 1 ? "" : Format.superscript(power))
            if power > 0, magnitude != "1" { term = magnitude + " × " + term }
            terms.append((coefficient.signum < 0, term))
        }
        let substituted = Format.signedSum(terms)
        let function = name.map { "\($0)(\(variable))" } ?? "Expression"
        let working = [
            "\(function) = \(polynomial.formatted(style: style))",
            "Substitute \(variable) = \(point): \(substituted) = \(Format.rational(result, style: style))",
        ]
        return .rational(result, style: style, working: working, topic: .arithmetic)
    }
}
