/// One solved question.
public struct MathAnswer: Sendable, Equatable {
    /// The final result alone, for machines: "36", "x = 1 or x = 3", "3x² + 4x − 5".
    public var answer: String
    /// Reads well to a person: working lines, then the result.
    public var text: String
    /// A few lines of working ("show your work").
    public var working: [String]
    /// The exact value ("25π cm²", "1/2", "2√2").
    public var exact: String
    /// A decimal approximation when it differs from the exact value ("78.54 cm²").
    public var approximation: String?
    /// What kind of problem it was.
    public var topic: MathTopic

    /// Creates an answer from all of its parts as given.
    public init(
        answer: String, text: String, working: [String], exact: String, approximation: String?, topic: MathTopic
    ) {
        self.answer = answer
        self.text = text
        self.working = working
        self.exact = exact
        self.approximation = approximation
        self.topic = topic
    }

    /// Creates an answer whose `text` is the working lines followed by a blank line and "Answer: <answer>".
    /// A rational result: exact as written, with a decimal approximation when it is not already a plain decimal.
    public static func rational(
        _ value: Rational, style: NumberStyle, working: [String], topic: MathTopic
    ) -> MathAnswer {
        MathAnswer(
            answer: Format.rationalWithApproximation(value, style: style), working: working,
            exact: Format.rational(value, style: style),
            approximation: Format.isPlainDecimal(value, style: style) ? nil : Format.decimal(value.doubleValue),
            topic: topic)
    }

    public init(answer: String, working: [String], exact: String, approximation: String? = nil, topic: MathTopic) {
        self.init(
            answer: answer, text: Format.text(working: working, answer: answer), working: working, exact: exact,
            approximation: approximation, topic: topic)
    }
}

/// The kind of problem a `MathAnswer` solved.
public enum MathTopic: String, Sendable {
    /// Plain expressions: "3.7 × 8.9 − 2.1".
    case arithmetic
    /// Percentages: "15% of 240".
    case percentage
    /// Square, cube and n-th roots.
    case roots
    /// Logarithms.
    case logarithm
    /// Factorials.
    case factorial
    /// Primes, factorisation, gcd and lcm.
    case numberTheory
    /// Combinations and permutations.
    case combinatorics
    /// Areas, perimeters and volumes of shapes.
    case geometry
    /// One equation in one variable.
    case equation
    /// A system of linear equations.
    case system
    /// Points and lines in the plane.
    case coordinate
    /// Derivatives and integrals.
    case calculus
    /// Averages, spread and other summaries of a list of numbers.
    case statistics
    /// Rounding to decimal places, significant figures or a multiple.
    case rounding
    /// Converting a quantity between units.
    case conversion
}

/// A recogniser that either fully understands a (normalised) question and solves it, or returns nil.
public protocol MathRecognizer: Sendable {
    /// Solves the question, or returns nil when it is not fully understood.
    func solve(_ question: MathQuestion) -> MathAnswer?
}
