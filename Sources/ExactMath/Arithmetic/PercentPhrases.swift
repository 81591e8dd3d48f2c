/// Percentage questions that are not a plain expression: "what percent of 80 is 20", "20 is what percentage of 80",
/// "increase 50 by 10%", "60 decreased by 25%", "percentage change from 50 to 65".
enum PercentPhrases {
    private static let percentWords = ["percent", "percentage", "per cent", "%"]
    private static let whatPercentOf = percentWords.map { "what " + $0 + " of" }
    private static let isWhatPercentOf = percentWords.map { "is what " + $0 + " of" }
    private static let changeFrom = ["percent", "percentage", "per cent"].flatMap { word in
        ["change", "increase", "decrease"].map { "\(word) \($0) from" }
    }

    /// "what percent of 80 is 20" / "20 is what percent of 80" / "20 as a percentage of 80" / "20 out of 80 as a
    /// percentage".
    static func whatPercent(_ text: Substring) -> MathAnswer? {
        guard text.mentions("percent") || text.mentions("per cent") || text.contains("%") else { return nil }
        var scanner = WordScanner(text)
        var part: Rational
        var whole: Rational
        if scanner.accept(whatPercentOf) {
            guard let w = scanner.number(), scanner.accept("is"), let p = scanner.number() else { return nil }
            (part, whole) = (p, w)
        } else {
            guard let p = scanner.number() else { return nil }
            if scanner.accept(isWhatPercentOf) {
                guard let w = scanner.number() else { return nil }
                (part, whole) = (p, w)
            } else if scanner.accept("as a percent of", "as a percentage of", "as a per cent of") {
                guard let w = scanner.number() else { return nil }
                (part, whole) = (p, w)
            } else if scanner.accept("out of", "of") {
                guard let w = scanner.number(), scanner.accept("as a percent", "as a percentage", "in percent")
                else { return nil }
                (part, whole) = (p, w)
            } else {
                return nil
            }
        }
        guard scanner.atEnd else { return nil }
        guard let ratio = part.dividing(by: whole) else {
            return MathAnswer(answer: "undefined (division by zero)",
                working: ["A percentage of 0 is undefined: it would divide by zero."],
                exact: "undefined (division by zero)", topic: .percentage)
        }
        let percent = ratio * Rational(100)
        let style = NumberStyle.decimal
        let partText = Format.rational(part, style: style)
        let wholeText = Format.rational(whole, style: style)
        let percentText = percentString(percent)
        let working = [
            "\(partText) ÷ \(wholeText) = " + NumberFormatting.text(.rational(ratio), style: style),
            "Multiply by 100: " + percentText.display,
        ]
        return MathAnswer(answer: percentText.display, working: working, exact: percentText.exact,
            approximation: percentText.approximation, topic: .percentage)
    }

    /// "25%", or "100/3% ≈ 33.333333%" when the percentage does not terminate.
    private static func percentString(_ value: Rational) -> (exact: String, approximation: String?, display: String) {
        let (exact, approximation) = NumberFormatting.describe(.rational(value), style: .decimal)
        let exactText = exact + "%"
        let approximationText = approximation.map { $0 + "%" }
        return (exactText, approximationText, Format.withApproximation(exactText, approximationText))
    }

    /// "increase 50 by 10%", "decrease 80 by 25%", "50 increased by 10%", "percentage change from 50 to 65".
    static func change(_ text: Substring) -> MathAnswer? {
        guard text.mentions("increase") || text.mentions("decrease") || text.mentions("change") else { return nil }
        var scanner = WordScanner(text)
        let style = NumberStyle.decimal
        if scanner.accept(changeFrom) {
            guard let from = scanner.number(), scanner.accept("to"), let to = scanner.number(), scanner.atEnd else {
                return nil
            }
            guard let ratio = (to - from).dividing(by: from) else { return nil }
            let percent = ratio * Rational(100)
            let change = percentString(percent.magnitude)
            let direction = percent.signum < 0 ? "decrease" : "increase"
            let working = [
                "Change: \(Format.rational(to, style: style)) − \(Format.rational(from, style: style)) = "
                    + Format.rational(to - from, style: style),
                "\(Format.rational(to - from, style: style)) ÷ \(Format.rational(from, style: style)) × 100 = "
                    + percentString(percent).display,
            ]
            let answer = percent.isZero ? "0%" : change.display + " " + direction
            return MathAnswer(answer: answer, working: working, exact: percentString(percent).exact,
                approximation: percentString(percent).approximation, topic: .percentage)
        }
        var base: Rational
        var increase: Bool
        var percent: Rational
        if scanner.accept("increase", "decrease") {
            increase = text.hasPrefix("increase")
            guard let b = scanner.number(), scanner.accept("by"), let p = scanner.percentage() else { return nil }
            (base, percent) = (b, p)
        } else {
            guard let b = scanner.number() else { return nil }
            if scanner.accept("increased by") {
                increase = true
            } else if scanner.accept("decreased by") {
                increase = false
            } else {
                return nil
            }
            guard let p = scanner.percentage() else { return nil }
            (base, percent) = (b, p)
        }
        guard scanner.atEnd else { return nil }
        let amount = base * percent * Rational(1, 100)
        let result = increase ? base + amount : base - amount
        let baseText = Format.rational(base, style: style)
        let amountText = NumberFormatting.text(.rational(amount), style: style)
        let working = [
            "\(Format.rational(percent, style: style))% of \(baseText) = \(amountText)",
            "\(baseText) \(increase ? "+" : "−") \(Format.rational(amount, style: style)) = "
                + NumberFormatting.text(.rational(result), style: style),
        ]
        let (exact, approximation) = NumberFormatting.describe(.rational(result), style: style)
        return MathAnswer(answer: Format.withApproximation(exact, approximation), working: working, exact: exact,
            approximation: approximation, topic: .percentage)
    }
}
