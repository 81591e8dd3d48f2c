/// Summaries of a list of numbers: "the average of 3, 5 and 10", "median of 4, 1, 7, 2", "the mode of
/// {1, 2, 2, 3}", "range of …", "sum of …", "product of …", "the smallest of …", "maximum of …", "variance of …", "standard
/// deviation of …" (population by default; "sample variance" and "sample standard deviation" divide by n − 1).
/// Every statistic is exact; a standard deviation is a square root in simplest form with its decimal.
enum StatisticsPhrases {
    enum Statistic {
        case mean, median, mode, range, sum, product, minimum, maximum
        case variance(sample: Bool)
        case standardDeviation(sample: Bool)
    }

    /// Names of each statistic, longest first within a statistic.
    private static let names: [(phrases: [String], statistic: Statistic)] = [
        (["arithmetic mean", "mean average", "mean value", "mean", "average value", "average"], .mean),
        (["median value", "median"], .median),
        (["modes", "mode"], .mode),
        (["range"], .range),
        (["sum total", "sum", "total"], .sum),
        (["product"], .product),
        (
            [
                "minimum value", "minimum", "min", "smallest number", "smallest value", "smallest", "lowest number",
                "lowest value", "lowest",
            ], .minimum
        ),
        (
            [
                "maximum value", "maximum", "max", "largest number", "largest value", "largest", "biggest number",
                "biggest", "greatest number", "greatest value", "greatest", "highest number", "highest value",
                "highest",
            ],
            .maximum
        ),
        (["population variance", "variance"], .variance(sample: false)),
        (["sample variance"], .variance(sample: true)),
        (
            ["population standard deviation", "standard deviation", "population std dev", "std dev", "stdev"],
            .standardDeviation(sample: false)
        ),
        (["sample standard deviation", "sample std dev"], .standardDeviation(sample: true)),
    ]

    /// The first words of all the names, as bytes: `PhraseClues` looks for one where `summary` reads the name.
    static let leadingWords: [[UInt8]] = {
        var words: [[UInt8]] = []
        for (phrases, _) in names {
            for phrase in phrases {
                let word = Array(phrase.utf8.prefix { $0 != UInt8(ascii: " ") })
                if !words.contains(word) { words.append(word) }
            }
        }
        return words
    }()

    /// Words that introduce the list after "of": "the numbers", "the data set", "the following values:".
    private static let listLeads = [
        "the following numbers", "the following values", "the following data", "the following", "the set of numbers",
        "the numbers", "these numbers", "the values", "these values", "the data set", "the dataset", "the data",
        "the set", "the list", "the scores", "the data points", "numbers", "values", "data", "set", "the",
    ]

    /// The most values a list may have.
    static let maximumCount = 10_000

    static func summary(_ text: Substring) -> MathAnswer? {
        guard
            text.mentions("mean") || text.mentions("average") || text.mentions("median") || text.mentions("mode")
                || text.mentions("range") || text.mentions("sum") || text.mentions("total") || text.mentions("product")
                || text.mentions("min") || text.mentions("max") || text.mentions("est") || text.mentions("variance")
                || text.mentions("dev")
        else { return nil }
        var scanner = WordScanner(text)
        _ = scanner.accept("the")
        var found: Statistic? = nil
        for (phrases, statistic) in names where scanner.accept(phrases) {
            found = statistic
            break
        }
        guard let statistic = found, scanner.accept("of", "in", "for", "among") else { return nil }
        var list = scanner.rest
        _ = TextTools.dropPrefix(&list, listLeads)
        if list.first == ":" { list = TextTools.trimmed(list.dropFirst()) }
        guard let values = numbers(in: list) else { return nil }
        return answer(statistic, values: values, style: NumberStyle.of(list, fallback: .decimal))
    }

    /// The numbers of a list: "3, 5 and 10", "3, 5, and 10", "{1, 2, 3}", "[1,2,3]", "4 1 7 2", "1,000, 2,000".
    static func numbers(in text: Substring) -> [Rational]? {
        var list = TextTools.trimmed(text)
        if let first = list.first, let last = list.last,
            (first == "{" && last == "}") || (first == "[" && last == "]") || (first == "(" && last == ")")
        {
            list = TextTools.trimmed(list.dropFirst().dropLast())
        }
        guard !list.isEmpty, list.utf8.count <= 100_000 else { return nil }
        let parts: [Substring]
        if list.bytesRange(of: ", ") != nil || list.bytesRange(of: " and ") != nil || list.bytesRange(of: " & ") != nil
        {
            parts = DivisorPhrases.splitList(list)
        } else if list.contains(",") {
            parts = list.split(separator: ",", omittingEmptySubsequences: false)
        } else if list.contains(";") {
            parts = list.split(separator: ";", omittingEmptySubsequences: false)
        } else {
            parts = list.split(separator: " ")
        }
        guard parts.count <= maximumCount else { return nil }
        var values: [Rational] = []
        values.reserveCapacity(parts.count)
        for part in parts {
            let item = TextTools.trimmed(part)
            if let value = WordScanner.decimal(item) {
                values.append(value)
                continue
            }
            guard item.count <= 40, let expr = ArithmeticRecognizer.parse(item),
                let value = try? ExpressionEvaluator.evaluate(expr), let rational = value.rationalValue
            else { return nil }
            values.append(rational)
        }
        return values.isEmpty ? nil : values
    }

    static func answer(_ statistic: Statistic, values: [Rational], style: NumberStyle) -> MathAnswer? {
        let n = values.count
        let count = Rational(n)
        let sum = values.reduce(Rational.zero, +)
        let sumLine = "Sum: " + listText(values, style: style, separator: " + ") + " = " + number(sum, style)
        switch statistic {
        case .mean:
            let mean = sum.dividing(by: count)!
            return result(
                mean, style: style,
                working: [
                    sumLine, "Count: \(n) value\(n == 1 ? "" : "s")",
                    "Mean = \(number(sum, style)) ÷ \(n) = " + describe(mean, style),
                ])
        case .median:
            let sorted = values.sorted()
            let median: Rational
            var working = ["In order: " + listText(sorted, style: style, separator: ", ")]
            if n % 2 == 1 {
                median = sorted[n / 2]
                working.append("The middle (number \(n / 2 + 1) of \(n)) is " + number(median, style) + ".")
            } else {
                let (a, b) = (sorted[n / 2 - 1], sorted[n / 2])
                median = (a + b).dividing(by: 2)!
                working.append(
                    "The two middle values are \(number(a, style)) and \(number(b, style)): (\(number(a, style)) + "
                        + "\(number(b, style))) ÷ 2 = " + describe(median, style))
            }
            return result(median, style: style, working: working)
        case .mode:
            return modeAnswer(values, style: style)
        case .range:
            let (low, high) = (values.min()!, values.max()!)
            return result(
                high - low, style: style,
                working: [
                    "Largest: \(number(high, style)), smallest: \(number(low, style))",
                    "Range = \(number(high, style)) − \(signed(low, style)) = " + number(high - low, style),
                ])
        case .sum:
            guard n >= 2 else { return nil }
            return result(sum, style: style, working: [sumLine])
        case .product:
            guard n >= 2 else { return nil }
            let product = values.reduce(Rational.one, *)
            guard product.numerator.bitWidth + product.denominator.bitWidth <= ExpressionEvaluator.maxResultBits
            else { return nil }
            return result(
                product, style: style,
                working: [
                    "Product: " + listText(values, style: style, separator: " × ") + " = "
                        + number(product, style)
                ])
        case .minimum, .maximum:
            guard n >= 2 else { return nil }
            let isMinimum = if case .minimum = statistic { true } else { false }
            let value = isMinimum ? values.min()! : values.max()!
            return result(
                value, style: style,
                working: [
                    "In order: " + listText(values.sorted(), style: style, separator: ", "),
                    (isMinimum ? "The smallest is " : "The largest is ") + number(value, style) + ".",
                ])
        case .variance(let sample), .standardDeviation(let sample):
            guard n >= (sample ? 2 : 1) else { return nil }
            let mean = sum.dividing(by: count)!
            let squares = values.reduce(Rational.zero) { $0 + ($1 - mean) * ($1 - mean) }
            let divisor = sample ? n - 1 : n
            let variance = squares.dividing(by: Rational(divisor))!
            var working = [
                "Mean = \(number(sum, style)) ÷ \(n) = " + describe(mean, style),
                "Sum of squared deviations from the mean: " + describe(squares, style),
                (sample ? "Sample variance" : "Population variance") + " = \(describe(squares, style)) ÷ "
                    + (sample ? "(\(n) − 1)" : "\(n)") + " = " + describe(variance, style),
            ]
            if case .variance = statistic { return result(variance, style: style, working: working) }
            let root = Expr.function(.sqrt, [.number(variance)])
            guard let value = try? ExpressionEvaluator.evaluate(root) else { return nil }
            let (exact, approximation) = NumberFormatting.describe(value, style: style)
            let text = Format.withApproximation(exact, approximation)
            working.append("Standard deviation = √(variance) = " + text)
            return MathAnswer(
                answer: text, working: working, exact: exact, approximation: approximation,
                topic: .statistics)
        }
    }

    private static func modeAnswer(_ values: [Rational], style: NumberStyle) -> MathAnswer {
        var counts: [Rational: Int] = [:]
        for value in values { counts[value, default: 0] += 1 }
        let highest = counts.values.max()!
        let modes = counts.filter { $0.value == highest }.map(\.key).sorted()
        if highest == 1 && values.count > 1 {
            let working = ["Every value appears exactly once, so no value is more frequent than the others."]
            return MathAnswer(answer: "no mode", working: working, exact: "no mode", topic: .statistics)
        }
        let text = modes.map { number($0, style) }.joined(separator: ", ")
        let working = [
            "Count how often each value appears; the highest count is \(highest).",
            (modes.count == 1 ? "The value that appears most often is " : "The values that appear most often are ")
                + text + " (\(highest) time\(highest == 1 ? "" : "s") each).",
        ]
        return MathAnswer(answer: text, working: working, exact: text, topic: .statistics)
    }

    private static func result(_ value: Rational, style: NumberStyle, working: [String]) -> MathAnswer {
        let (exact, approximation) = NumberFormatting.describe(.rational(value), style: style)
        return MathAnswer(
            answer: Format.withApproximation(exact, approximation), working: working, exact: exact,
            approximation: approximation, topic: .statistics)
    }

    private static func number(_ value: Rational, _ style: NumberStyle) -> String {
        Format.rational(value, style: style)
    }

    /// A number for use after an operator: negatives in parentheses.
    private static func signed(_ value: Rational, _ style: NumberStyle) -> String {
        value.signum < 0 ? "(" + number(value, style) + ")" : number(value, style)
    }

    private static func describe(_ value: Rational, _ style: NumberStyle) -> String {
        NumberFormatting.text(.rational(value), style: style)
    }

    /// The values joined by `separator`, shortened in the middle when there are more than twelve.
    private static func listText(_ values: [Rational], style: NumberStyle, separator: String) -> String {
        guard values.count > 12 else { return values.map { number($0, style) }.joined(separator: separator) }
        let head = values.prefix(3).map { number($0, style) }.joined(separator: separator)
        let tail = values.suffix(2).map { number($0, style) }.joined(separator: separator)
        return head + separator + "…" + separator + tail
    }
}
