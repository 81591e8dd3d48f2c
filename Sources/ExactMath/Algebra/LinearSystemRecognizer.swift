/// Solves systems of 2–3 linear equations exactly by Gaussian elimination: "the system: x + y = 10, 2x - y = 5",
/// equations separated by ",", ";", "and" or new lines, variables such as x, y, z or a, b, c.
public struct LinearSystemRecognizer: MathRecognizer {
    /// Creates the recogniser.
    public init() {}

    /// Solves the system in `question.core`, or returns nil when it is not 2–3 linear equations in 2–3 variables.
    public func solve(_ question: MathQuestion) -> MathAnswer? {
        let core = Substring(question.core)
        let equalsCount = TextTools.count(of: "=", in: core)
        guard equalsCount >= 2, equalsCount <= 3, !core.contains("<"), !core.contains(">") else { return nil }
        guard let equations = Self.equations(in: core), equations.count == equalsCount else { return nil }
        let text = equations.joined(separator: ", ")
        let letters = TextTools.singleLetters(in: Substring(text)).filter { $0 != "e" && $0 != "i" }.sorted()
        guard letters.count >= 2, letters.count <= 3 else { return nil }
        let variables = Set(letters)
        var forms: [LinearForm] = []
        for equation in equations {
            guard let equals = equation.firstIndex(of: "=") else { return nil }
            let left = TextTools.trimmed(equation[..<equals])
            let right = TextTools.trimmed(equation[equation.index(after: equals)...])
            guard !left.isEmpty, !right.isEmpty,
                let lhs = try? ExpressionParser.parse(left, variables: variables),
                let rhs = try? ExpressionParser.parse(right, variables: variables),
                let lhsForm = LinearForm(lhs), let rhsForm = LinearForm(rhs)
            else { return nil }
            let form = lhsForm - rhsForm
            guard !form.isConstant else { return nil }
            forms.append(form)
        }
        let names = letters.map { String($0) }
        let style = NumberStyle.of(Substring(text))
        let matrix = forms.map { form in names.map { form.coefficient($0) } }
        let constants = forms.map { -$0.constant }
        var working = ["Equations:"]
        for (index, form) in forms.enumerated() {
            working.append("  (\(index + 1)) \(Self.standardForm(form, names: names, style: style))")
        }
        let (solution, operations) = LinearSystemSolver.solve(matrix: matrix, constants: constants, style: style)
        if !operations.isEmpty {
            working.append("Gaussian elimination: " + operations.joined(separator: "; "))
        }
        let answer: String
        switch solution {
        case .unique(let values):
            answer = zip(names, values).map { "\($0) = \(Format.rational($1, style: style))" }
                .joined(separator: ", ")
            let substituted = zip(names, values).map { "\($0) = \(Format.rational($1, style: style))" }
            working.append("Check: substituting \(substituted.joined(separator: ", ")) satisfies every equation.")
        case .inconsistent:
            working.append("Elimination leaves 0 = a non-zero number, so the equations contradict each other.")
            answer = "no solution (the equations are inconsistent)"
        case .infinitelyMany(let free):
            let degrees = free == 1 ? "one free variable" : "\(free) free variables"
            working.append("Elimination leaves \(degrees): the equations are dependent.")
            answer = "infinitely many solutions (the equations are dependent)"
        }
        return MathAnswer(answer: answer, working: working, exact: answer, topic: .system)
    }

    /// The equations of a system question, without its lead-in ("the system:") and trailer ("for x and y").
    static func equations(in core: Substring) -> [Substring]? {
        var text = core
        TextTools.dropPrefix(
            &text,
            [
                "the following system of linear equations", "the following system of equations",
                "the following simultaneous equations", "the following linear system", "the following system",
                "the following equations", "the system of linear equations", "the system of equations",
                "the simultaneous equations", "the linear system", "the system", "a system of equations",
                "system of linear equations", "system of equations", "simultaneous equations", "linear system",
                "system", "the equations", "these equations", "equations", "the following", "if", "given",
            ])
        text = text.drop(while: { $0 == ":" || $0 == " " || $0 == "\n" })
        guard let lastEquals = text.lastIndex(of: "=") else { return nil }
        // A trailer after the last equation: "for x and y", ", find x, y and z", "solve for a and b".
        for marker in [
            ", solve for ", " solve for ", ", find ", " find ", ", for ", " for ", ". find ", ", what are ",
            ", what is ", ", determine ",
        ] {
            guard let range = text[lastEquals...].bytesRange(of: marker) else { continue }
            let trailer = text[range.upperBound...]
            let words = trailer.split(whereSeparator: { $0 == " " || $0 == "," })
            if words.allSatisfy({ $0 == "and" || ($0.count == 1 && $0.first!.isLetter) }) {
                text = text[..<range.lowerBound]
                break
            }
        }
        var pieces: [Substring] = [text]
        for separator in ["\n", ";", ", and ", " and ", ","] {
            pieces = pieces.flatMap { TextTools.split($0, by: separator) }
        }
        var equations: [Substring] = []
        for piece in pieces.map(TextTools.trimmed) where !piece.isEmpty {
            if piece.contains("=") {
                equations.append(piece)
            } else if let last = equations.last, piece.first?.isNumber == true, last.last?.isNumber == true {
                // A thousands separator split: "x + y = 1,000".
                equations[equations.count - 1] = Substring(String(last) + "," + String(piece))
            } else {
                return nil
            }
        }
        return equations
    }

    /// "2x − y = 5" from a form a·x + b·y + c (= 0), variables in order.
    static func standardForm(_ form: LinearForm, names: [String], style: NumberStyle) -> String {
        var terms: [(negative: Bool, magnitude: String)] = []
        for name in names {
            let coefficient = form.coefficient(name)
            if coefficient.isZero { continue }
            terms.append((coefficient.signum < 0, Polynomial.termText(coefficient, 1, name, style)))
        }
        return Format.signedSum(terms) + " = " + Format.rational(-form.constant, style: style)
    }
}
