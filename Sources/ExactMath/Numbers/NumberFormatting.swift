/// Text for exact values, following the shared conventions (Unicode minus, √, π, superscripts, "≈" decimals with
/// six fraction digits).
public enum NumberFormatting {
    /// The exact text of a value and, when that text is not already a plain decimal, a decimal approximation:
    /// 1/3 → ("1/3", "0.333333"), 2√2 → ("2√2", "2.828427"), 0.75 in decimal style → ("0.75", nil),
    /// an approximate-only value → (its exact expression, e.g. "log₂(10)", "3.321928").
    public static func describe(_ value: ExactValue, style: NumberStyle) -> (exact: String, approximation: String?) {
        switch value {
        case .exact(let term):
            if let rational = term.rationalValue {
                let exact = Format.rational(rational, style: style)
                // A terminating fraction is exact as written (1/2 is 0.5, not ≈ 0.5): no approximation to add.
                if Format.isPlainDecimal(rational, style: style) || rational.terminatesAsDecimal { return (exact, nil) }
                return (exact, Format.unicodeMinus(rational.decimalString(maxFractionDigits: 6)))
            }
            let exact = ExpressionPrinter.text(ExpressionEvaluator.expression(for: term), style: style)
            let double = term.doubleValue
            return (exact, double.isFinite ? Format.decimal(double) : nil)
        case .approximate(let double, let text):
            return (text, Format.decimal(double))
        }
    }

    /// "exact ≈ approximation", or the exact text alone when there is no approximation.
    public static func text(_ value: ExactValue, style: NumberStyle) -> String {
        let (exact, approximation) = describe(value, style: style)
        return Format.withApproximation(exact, approximation)
    }

    /// A prime factorisation as text: [(2, 3), (3, 2), (5, 1)] → "2³ × 3² × 5".
    public static func factorization(_ factors: [(prime: BigInt, exponent: Int)]) -> String {
        factors.map { $0.exponent == 1 ? $0.prime.description : $0.prime.description + Format.superscript($0.exponent) }
            .joined(separator: " × ")
    }

    /// An integer with a Unicode minus.
    public static func integer(_ value: BigInt) -> String {
        Format.unicodeMinus(value.description)
    }
}
