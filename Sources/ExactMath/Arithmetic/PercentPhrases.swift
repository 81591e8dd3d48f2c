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
            return MathAnswer(
                answer: "undefined (division by zero)",
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
        return MathAnswer(
            answer: percentText.display, working: working, exact: percentText.exact,
            approximation: percentText.approximation, topic: .percentage)
    }

    /// "25%", or "100/3% ≈ 33.333333%" when the percentage does not terminate.
    private static func percentString(_ value: Rational) -> (exact: String, approximation: String?, display: String) {
        let (exact, approximation) = NumberFormatting.describe(.rational(value), style: .decimal)
        let exactText = exact + "%"
        let approximationText = approximation.map { $0 + "%" }
        return (exactText, approximationText, Format.withApproximation(exactText, approximationText))
    }

    /// "increase 50 by 10%", "decrease $80 by 25%", "50 increased by 10%", "the percentage change from 50 to 65"
    /// (signed: "30%", "−25%"; a "percentage decrease" question reports a fall as positive).
    static func change(_ text: Substring) -> MathAnswer? {
        guard text.mentions("increase") || text.mentions("decrease") || text.mentions("change") else { return nil }
        var scanner = WordScanner(text)
        _ = scanner.accept("the")
        let style = NumberStyle.decimal
        if scanner.accept(changeFrom) {
            guard let from = scanner.amount(), scanner.accept("to"), let to = scanner.amount(), scanner.atEnd,
                from.currency == to.currency
            else { return nil }
            guard let ratio = (to.value - from.value).dividing(by: from.value) else { return nil }
            let asksDecrease = text.mentions("decrease from")
            let percent = ratio * Rational(asksDecrease ? -100 : 100)
            let difference = to.value - from.value
            let working = [
                "Change: \(Format.rational(to.value, style: style)) − \(signed(from.value)) = "
                    + Format.rational(difference, style: style),
                "\(Format.rational(difference, style: style)) ÷ \(signed(from.value)) × 100 = "
                    + percentString(ratio * Rational(100)).display
                    + (ratio.isZero ? "" : ratio.signum < 0 ? " (a decrease)" : " (an increase)"),
            ]
            let result = percentString(percent)
            return MathAnswer(
                answer: result.display, working: working, exact: result.exact,
                approximation: result.approximation, topic: .percentage)
        }
        var base: MoneyAmount
        var increase: Bool
        var percent: Rational
        if scanner.accept("increase", "decrease") {
            increase = text.hasPrefix("increase") || text.hasPrefix("the increase")
            guard let b = scanner.amount(), scanner.accept("by"), let p = scanner.percentage() else { return nil }
            (base, percent) = (b, p)
        } else {
            guard let b = scanner.amount() else { return nil }
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
        return adjusted(base, by: percent, increase: increase)
    }

    private static func signed(_ value: Rational) -> String {
        let text = Format.rational(value, style: .decimal)
        return value.signum < 0 ? "(" + text + ")" : text
    }

    /// `base` raised or lowered by `percent` percent, with the working.
    private static func adjusted(_ base: MoneyAmount, by percent: Rational, increase: Bool) -> MathAnswer {
        let amount = base.value * percent * Rational(1, 100)
        let result = increase ? base.value + amount : base.value - amount
        let baseText = MoneyAmount.text(base.value, currency: base.currency)
        let working = [
            "\(Format.rational(percent, style: .decimal))% of \(baseText) = "
                + MoneyAmount.text(amount, currency: base.currency),
            "\(baseText) \(increase ? "+" : "−") \(MoneyAmount.describe(amount, currency: base.currency).exact) = "
                + MoneyAmount.text(result, currency: base.currency),
        ]
        let (exact, approximation) = MoneyAmount.describe(result, currency: base.currency)
        return MathAnswer(
            answer: Format.withApproximation(exact, approximation), working: working, exact: exact,
            approximation: approximation, topic: .percentage)
    }

    /// `percent` percent of `base` (a tip, a tax, a plain percentage of an amount of money), with the working.
    private static func portion(_ base: MoneyAmount, percent: Rational, name: String?) -> MathAnswer {
        let amount = base.value * percent * Rational(1, 100)
        let baseText = MoneyAmount.text(base.value, currency: base.currency)
        let percentText = Format.rational(percent, style: .decimal) + "%"
        let working = [
            (name.map { "The \($0) is " } ?? "") + "\(percentText) of \(baseText)",
            "\(Format.rational(percent * Rational(1, 100), style: .decimal)) × \(baseText) = "
                + MoneyAmount.text(amount, currency: base.currency),
        ]
        let (exact, approximation) = MoneyAmount.describe(amount, currency: base.currency)
        return MathAnswer(
            answer: Format.withApproximation(exact, approximation), working: working, exact: exact,
            approximation: approximation, topic: .percentage)
    }

    private static let moreWords = ["more than", "greater than", "higher than", "larger than", "bigger than", "above"]
    private static let lessWords = ["less than", "lower than", "fewer than", "smaller than", "below"]
    private static let charges = ["sales tax", "tax", "vat", "tip", "gratuity", "service charge", "commission"]

    /// "20% more than 50", "30% less than 80", "20% off $120", "$120 with 20% off", "$120 with a 20% discount",
    /// "$120 after a 20% discount", "$120 discounted by 20%", "a 15% tip on $40", "8% tax on $50", "$50 plus 8% tax",
    /// "15% of $40". A bare "20% discount on $120" abstains: it may ask for the discount or for the price.
    static func relation(_ text: Substring) -> MathAnswer? {
        guard text.contains("%") || text.mentions("percent") || text.mentions("per cent") else { return nil }
        var scanner = WordScanner(text)
        _ = scanner.accept("a", "an", "the")
        if let percent = scanner.percentage() {
            if scanner.accept(moreWords), let base = scanner.amount(), scanner.atEnd {
                return adjusted(base, by: percent, increase: true)
            }
            if scanner.accept(lessWords), let base = scanner.amount(), scanner.atEnd {
                return adjusted(base, by: percent, increase: false)
            }
            if scanner.accept("off of", "off"), let base = scanner.amount(), scanner.atEnd {
                return adjusted(base, by: percent, increase: false)
            }
            for charge in charges where scanner.accept(charge) {
                guard scanner.accept("on", "for", "of"), let base = scanner.amount(), scanner.atEnd else { return nil }
                return portion(base, percent: percent, name: charge)
            }
            if scanner.accept("of"), let base = scanner.amount(), base.currency != nil, scanner.atEnd {
                return portion(base, percent: percent, name: nil)
            }
            return nil
        }
        guard let base = scanner.amount() else { return nil }
        if scanner.accept("with a", "after a", "with", "after", "less", "minus"), let percent = scanner.percentage(),
            scanner.accept("off", "discount", "reduction"), scanner.atEnd
        {
            return adjusted(base, by: percent, increase: false)
        }
        if scanner.accept("discounted by", "reduced by", "marked down by"), let percent = scanner.percentage(),
            scanner.atEnd
        {
            return adjusted(base, by: percent, increase: false)
        }
        if scanner.accept("marked up by"), let percent = scanner.percentage(), scanner.atEnd {
            return adjusted(base, by: percent, increase: true)
        }
        guard scanner.accept("plus", "with", "after", "including", "and") else { return nil }
        _ = scanner.accept("a", "an")
        guard let percent = scanner.percentage(), scanner.accept(charges), scanner.atEnd else { return nil }
        return adjusted(base, by: percent, increase: true)
    }
}
