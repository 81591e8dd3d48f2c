/// Powers and reciprocals named in words before their operand: "the square of 12", "the cube of 3", "the
/// reciprocal of 4" (the postfix forms "12 squared" and "3 cubed" are rewritten by `PhraseRewriter`).
enum PowerPhrases {
    private static let forms: [(prefix: String, build: @Sendable (Expr) -> Expr)] = [
        ("square of", { .power($0, .number(2)) }), ("cube of", { .power($0, .number(3)) }),
        ("reciprocal of", { .divide(.number(1), $0) }), ("multiplicative inverse of", { .divide(.number(1), $0) }),
    ]

    static func named(_ text: Substring) -> MathAnswer? {
        guard
            text.mentions("square of") || text.mentions("cube of") || text.mentions("inverse of")
                || text.mentions("reciprocal of")
        else { return nil }
        var rest = text
        _ = TextTools.dropPrefix(&rest, ["the"])
        for form in forms {
            guard TextTools.dropPrefix(&rest, [form.prefix]) else { continue }
            guard let operand = ArithmeticRecognizer.parse(rest) else { return nil }
            let style = NumberStyle.of(rest, fallback: .decimal)
            return ExpressionAnswer.answer(for: form.build(operand), style: style)
        }
        return nil
    }
}
