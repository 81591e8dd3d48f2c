/// Turns an evaluated expression into a `MathAnswer`: the exact value (with a decimal when it is not already one),
/// two to five lines of working taken from the evaluation steps, and the topic.
enum ExpressionAnswer {
    /// The answer for `expr`, or nil when it should abstain: a bare number (nothing to compute), variables,
    /// results too large to compute, or operations outside exact evaluation (2.5!).
    static func answer(for expr: Expr, style: NumberStyle) -> MathAnswer? {
        if case .number = expr { return nil }
        let topic = topic(of: expr)
        let evaluated: (value: ExactValue, steps: [ExpressionEvaluator.Step])
        do {
            evaluated = try ExpressionEvaluator.evaluateWithSteps(expr)
        } catch {
            return explanation(of: error, expr: expr, style: style, topic: topic)
        }
        let described = NumberFormatting.describe(evaluated.value, style: style)
        let answer = Format.withApproximation(described.exact, described.approximation)
        let working = workingLines(expr: expr, steps: evaluated.steps, style: style, described: described)
        return MathAnswer(
            answer: answer, working: working, exact: described.exact, approximation: described.approximation,
            topic: topic)
    }

    /// Undefined and non-real results get an explanatory answer; anything else abstains.
    private static func explanation(of error: ExpressionError, expr: Expr, style: NumberStyle, topic: MathTopic)
        -> MathAnswer?
    {
        let answer: String
        switch error.reason {
        case .undefined:
            answer = error.message.hasPrefix("undefined") ? error.message : "undefined"
        case .notReal:
            answer = "not a real number"
        case .syntax, .tooLarge, .unsupported:
            return nil
        }
        let expression = ExpressionPrinter.text(expr, style: style)
        let reason =
            error.message.hasPrefix("undefined (")
            ? String(error.message.dropFirst("undefined (".count).dropLast()) : error.message
        let working = [
            "Evaluate \(expression)",
            capitalised(reason) + ", so \(expression) is "
                + (error.reason == .notReal ? "not a real number." : "undefined."),
        ]
        return MathAnswer(answer: answer, working: working, exact: answer, approximation: nil, topic: topic)
    }

    private static func capitalised(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }

    /// The working: each evaluation step as "operation = value", skipping steps that only restate a value; with
    /// more than four steps, the expression and the last four steps; with a single step, the expression first.
    ///
    /// `described` is `NumberFormatting.describe` of the last step's value (the whole expression's), when the
    /// caller has it already.
    static func workingLines(
        expr: Expr, steps: [ExpressionEvaluator.Step], style: NumberStyle,
        described: (exact: String, approximation: String?)? = nil
    ) -> [String] {
        var lines: [String] = []
        lines.reserveCapacity(steps.count)
        // The text of the last step printed, kept because it often is the whole expression's text as well.
        var lastPrinted: (reduced: Expr, text: String)? = nil
        for (index, step) in steps.enumerated() {
            // "15% = 0.15" only restates the percentage; the "of" step shows it.
            if case .percent(.number) = step.original { continue }
            let left = ExpressionPrinter.text(step.reduced, style: style)
            lastPrinted = (step.reduced, left)
            let value =
                index == steps.count - 1 && described != nil
                ? described! : NumberFormatting.describe(step.value, style: style)
            guard step.value.isExact else {
                lines.append(
                    left + " " + approximationMiddle(step, style: style) + "≈ "
                        + (value.approximation ?? value.exact))
                continue
            }
            if left == value.exact { continue }
            // "left = middle = exact ≈ approximation, since reason", appended to one buffer.
            var line = ""
            line.reserveCapacity(left.utf8.count + value.exact.utf8.count + 48)
            line += left
            line += " = "
            if let middle = explanationMiddle(step, style: style) {
                line += middle
                line += " = "
            }
            line += value.exact
            if let approximation = value.approximation, approximation != value.exact {
                line += " ≈ "
                line += approximation
            }
            if let reason = inverseCheck(step, style: style) {
                line += ", since "
                line += reason
            }
            lines.append(line)
        }
        guard lines.count > 4 || lines.count < 2 else { return lines }
        let expression: String
        if let lastPrinted, lastPrinted.reduced == expr {
            expression = lastPrinted.text
        } else {
            expression = ExpressionPrinter.text(expr, style: style)
        }
        // One new array holding the "Evaluate" line and the kept lines (no insertion that shifts and regrows).
        var shown: [String] = []
        shown.reserveCapacity(min(lines.count, 4) + 1)
        shown.append("Evaluate " + expression)
        shown.append(contentsOf: lines.suffix(4))
        return shown
    }

    /// A middle form that shows how a step is computed: 5! = 5 × 4 × 3 × 2 × 1, √50 = √(25 × 2),
    /// 15% of 240 = 15/100 × 240, C(10, 3) = 10!/(3! × 7!), log₂(64): 2⁶ = 64.
    private static func explanationMiddle(_ step: ExpressionEvaluator.Step, style: NumberStyle) -> String? {
        switch step.reduced {
        case .factorial(.number(let n)):
            guard let value = n.numerator.asInt, value >= 2, value <= 12 else { return nil }
            return stride(from: value, through: 1, by: -1).map(String.init).joined(separator: " × ")
        case .multiply(.percent(.number(let p)), let other):
            let otherText = ExpressionPrinter.text(other, style: style)
            return Format.rational(p * Rational(1, 100), style: .decimal) + " × " + otherText
        case .function(let function, let arguments):
            let numbers = arguments.compactMap { argument -> Rational? in
                if case .number(let value) = argument, value.isInteger { return value }
                return nil
            }
            guard numbers.count == arguments.count else { return nil }
            switch function {
            case .sqrt:
                guard let term = step.value.exactTerm, term.radicand != 1,
                    let outside = term.coefficient.numerator.asInt, outside > 1, term.coefficient.isInteger
                else { return nil }
                return "√(\(outside * outside) × \(term.radicand))"
            case .nCr where numbers[1] <= numbers[0]:
                return "\(numbers[0])!/(\(numbers[1])! × \(numbers[0] - numbers[1])!)"
            case .nPr where numbers[1] <= numbers[0]:
                return "\(numbers[0])!/\(numbers[0] - numbers[1])!"
            default:
                return nil
            }
        default:
            return nil
        }
    }

    /// For approximate steps, how the decimal is obtained: log₂(10) = ln(10)/ln(2), sin(1) with 1 in radians.
    private static func approximationMiddle(_ step: ExpressionEvaluator.Step, style: NumberStyle) -> String {
        guard case .function(let function, let arguments) = step.reduced else { return "" }
        switch function {
        case .log:
            let base = ExpressionPrinter.text(arguments[0], style: style)
            let argument = ExpressionPrinter.text(arguments[1], style: style)
            return "= ln(\(argument))/ln(\(base)) "
        case .sin, .cos, .tan:
            return "(in radians) "
        default:
            return ""
        }
    }

    /// Why an exact root or logarithm is right: "12² = 144", "2⁶ = 64".
    private static func inverseCheck(_ step: ExpressionEvaluator.Step, style: NumberStyle) -> String? {
        guard case .function(let function, let arguments) = step.reduced, let result = step.value.rationalValue,
            let last = arguments.last
        else { return nil }
        let argument = ExpressionPrinter.text(last, style: style)
        let resultText = ExpressionPrinter.text(.number(result), style: style)
        let wrapped = result.signum < 0 || !result.isInteger ? "(" + resultText + ")" : resultText
        switch function {
        case .sqrt: return wrapped + "² = " + argument
        case .cbrt: return wrapped + "³ = " + argument
        case .root:
            guard case .number(let n) = arguments[0], let index = n.numerator.asInt else { return nil }
            return wrapped + ExpressionPrinter.superscript(index) + " = " + argument
        case .log, .log10:
            let base = function == .log10 ? "10" : ExpressionPrinter.text(arguments[0], style: style)
            let exponent =
                result.isInteger && result.numerator.asInt != nil
                ? ExpressionPrinter.superscript(result.numerator.asInt!) : "^(" + resultText + ")"
            return base + exponent + " = " + argument
        default:
            return nil
        }
    }

    /// The kind of problem: the outermost operation that names one, else arithmetic.
    static func topic(of expr: Expr) -> MathTopic {
        switch expr {
        case .factorial: return .factorial
        case .percent: return .percentage
        case .multiply(.percent, _): return .percentage
        case .function(let function, _):
            switch function {
            case .sqrt, .cbrt, .root: return .roots
            case .log, .ln, .log10, .exp: return .logarithm
            case .gcd, .lcm: return .numberTheory
            case .nCr, .nPr: return .combinatorics
            case .abs, .sin, .cos, .tan: return .arithmetic
            }
        case .negate(let operand): return topic(of: operand)
        default: return containsPercent(expr) ? .percentage : .arithmetic
        }
    }

    private static func containsPercent(_ expr: Expr) -> Bool {
        switch expr {
        case .percent: return true
        case .number, .variable, .constant: return false
        case .negate(let a), .factorial(let a): return containsPercent(a)
        case .add(let a, let b), .subtract(let a, let b), .multiply(let a, let b), .divide(let a, let b),
            .power(let a, let b):
            return containsPercent(a) || containsPercent(b)
        case .function(_, let arguments): return arguments.contains(where: containsPercent)
        }
    }

    /// True when a percentage is added to or subtracted from a plain number ("50 + 10%"): calculators read that
    /// as 55, arithmetic as 50.1, so the recogniser abstains.
    static func hasAmbiguousPercent(_ expr: Expr) -> Bool {
        switch expr {
        case .add(let a, let b), .subtract(let a, let b):
            if case .percent = b, !isPercentage(a) { return true }
            return hasAmbiguousPercent(a) || hasAmbiguousPercent(b)
        case .number, .variable, .constant: return false
        case .negate(let a), .factorial(let a), .percent(let a): return hasAmbiguousPercent(a)
        case .multiply(let a, let b), .divide(let a, let b), .power(let a, let b):
            return hasAmbiguousPercent(a) || hasAmbiguousPercent(b)
        case .function(_, let arguments): return arguments.contains(where: hasAmbiguousPercent)
        }
    }

    private static func isPercentage(_ expr: Expr) -> Bool {
        switch expr {
        case .percent: return true
        case .add(let a, let b), .subtract(let a, let b): return isPercentage(a) && isPercentage(b)
        default: return false
        }
    }
}
