/// Rounding: "round 3.14159 to 2 decimal places" → "3.14", "round 1234 to the nearest hundred" → "1200",
/// "round 0.0012345 to 3 significant figures" → "0.00123", "π to 5 decimal places", "2/3 rounded to the nearest
/// tenth", "round 17 to the nearest 5". Halves round away from zero, as taught in school. Decimal places and
/// significant figures keep their trailing zeros ("round 3.999 to 2 decimal places" → "4.00"): they show the
/// precision asked for.
enum RoundingPhrases {
    /// What to round to.
    enum Precision: Equatable {
        /// This many digits after the decimal point.
        case places(Int)
        /// This many significant figures.
        case significant(Int)
        /// The nearest multiple of this positive step (1, 10, 0.01, 5).
        case multiple(Rational)
    }

    private static let placeWords = [
        "decimal places", "decimal place", "decimal digits", "decimal digit", "decimals", "dp", "d.p", "d.p.",
        "places",
    ]
    private static let figureWords = [
        "significant figures", "significant figure", "significant digits", "significant digit", "sig figs",
        "sig fig", "sig. figs", "sf", "s.f", "s.f.",
    ]
    private static let namedSteps: [(String, Rational)] = [
        ("whole number", 1), ("integer", 1), ("unit", 1), ("one", 1), ("whole", 1), ("ten", 10), ("hundred", 100),
        ("thousand", 1000), ("million", 1_000_000), ("tenth", Rational(1, 10)), ("hundredth", Rational(1, 100)),
        ("thousandth", Rational(1, 1000)), ("cent", Rational(1, 100)), ("dollar", 1), ("penny", Rational(1, 100)),
    ]

    static func round(_ text: Substring) -> MathAnswer? {
        guard
            text.mentions("round") || text.mentions("decimal") || text.mentions("significant")
                || text.mentions("sig") || text.mentions("nearest")
        else { return nil }
        var rest = text
        let explicit = TextTools.dropPrefix(&rest, ["round off", "round up", "round down", "round"])
        if explicit, text.hasBytesPrefix("round up") || text.hasBytesPrefix("round down") { return nil }
        for separator in [" rounded off to ", " rounded to ", " correct to ", " to "] {
            guard let range = rest.lastBytesRange(of: separator) else { continue }
            if !explicit && separator == " to " {
                // Without "round", only "… to 3 decimal places / significant figures" asks for rounding.
                guard let precision = precision(rest[range.upperBound...]), precision.isDigitCount else { return nil }
            }
            guard let precision = precision(rest[range.upperBound...]) else { return nil }
            return answer(TextTools.trimmed(rest[..<range.lowerBound]), precision: precision)
        }
        return nil
    }

    /// "2 decimal places", "3 significant figures", "the nearest hundred", "the nearest 0.5".
    static func precision(_ text: Substring) -> Precision? {
        var scanner = WordScanner(text)
        if scanner.accept("the nearest", "nearest") {
            for (name, step) in namedSteps where scanner.accept(name) {
                return scanner.atEnd ? .multiple(step) : nil
            }
            guard let step = scanner.number(), step.signum > 0, scanner.atEnd else { return nil }
            return .multiple(step)
        }
        guard let count = scanner.integer(), let digits = count.asInt else { return nil }
        if scanner.accept(placeWords), scanner.atEnd, (0...100).contains(digits) { return .places(digits) }
        if scanner.accept(figureWords), scanner.atEnd, (1...100).contains(digits) { return .significant(digits) }
        return nil
    }

    private static func answer(_ operand: Substring, precision: Precision) -> MathAnswer? {
        guard !operand.isEmpty, let expr = ArithmeticRecognizer.parse(operand),
            let value = try? ExpressionEvaluator.evaluate(expr)
        else { return nil }
        // Irrational values are known to about 15 significant digits.
        let exactValue: Rational
        let isExact: Bool
        if let rational = value.rationalValue {
            exactValue = rational
            isExact = true
        } else {
            let double: Double
            switch value {
            case .exact(let term): double = term.doubleValue
            case .approximate(let approximation, _): double = approximation
            }
            guard double.isFinite, double.magnitude < 1e15 else { return nil }
            exactValue = Format.exactRational(double)
            isExact = false
        }
        guard let rounded = rounded(exactValue, precision),
            isExact || rounded.significantDigits <= 12
        else { return nil }
        let shown = ExpressionPrinter.text(expr, style: .decimal)
        let (exactText, approximation) = NumberFormatting.describe(value, style: .decimal)
        var working: [String] = []
        if shown != exactText {
            working.append("\(shown) = " + Format.withApproximation(exactText, approximation))
        } else if let approximation {
            working.append("\(shown) ≈ \(approximation)")
        }
        working.append("Round to \(description(precision)), halves away from zero: " + rounded.text)
        if working.count < 2 { working.insert("Round \(shown) to \(description(precision)).", at: 0) }
        return MathAnswer(answer: rounded.text, working: working, exact: rounded.text, topic: .rounding)
    }

    private static func description(_ precision: Precision) -> String {
        switch precision {
        case .places(let n): return "\(n) decimal place\(n == 1 ? "" : "s")"
        case .significant(let n): return "\(n) significant figure\(n == 1 ? "" : "s")"
        case .multiple(let step): return "the nearest " + Format.rational(step, style: .decimal)
        }
    }

    /// A rounded value: its text and how many significant digits it claims.
    struct Rounded {
        let text: String
        let significantDigits: Int
    }

    /// `value` rounded as asked, or nil when the request is out of range.
    static func rounded(_ value: Rational, _ precision: Precision) -> Rounded? {
        switch precision {
        case .places(let places):
            return fixed(value, places: places)
        case .significant(let figures):
            if value.isZero { return fixed(value, places: figures - 1) }
            let exponent = decimalExponent(value.magnitude)
            let places = figures - 1 - exponent
            if places >= 0 { return fixed(value, places: places) }
            guard -places <= 100 else { return nil }
            let step = Rational(BigInt(10).power(-places))
            return multiple(value, step: step)
        case .multiple(let step):
            return multiple(value, step: step)
        }
    }

    /// The integer nearest to `value`, halves away from zero.
    static func nearestInteger(_ value: Rational) -> BigInt {
        let twice = value.magnitude * Rational(2) + Rational.one
        let floor = twice.numerator.quotientAndRemainder(dividingBy: twice.denominator * BigInt(2)).quotient
        return value.signum < 0 ? -floor : floor
    }

    /// `value` rounded to `places` decimals, printed with exactly that many.
    private static func fixed(_ value: Rational, places: Int) -> Rounded? {
        guard places >= 0, places <= 100 else { return nil }
        let scale = BigInt(10).power(places)
        let integer = nearestInteger(value * Rational(scale))
        var digits = integer.magnitude.description
        if places > 0 {
            if digits.count <= places { digits = String(repeating: "0", count: places - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -places))
        }
        let sign = integer.signum < 0 ? Format.minus : ""
        let significant = digits.drop(while: { $0 == "0" || $0 == "." }).filter(\.isNumber).count
        return Rounded(text: sign + digits, significantDigits: significant)
    }

    /// `value` rounded to the nearest multiple of `step`, printed with as many decimals as the step has.
    private static func multiple(_ value: Rational, step: Rational) -> Rounded? {
        guard step.signum > 0, step.terminatesAsDecimal, let ratio = value.dividing(by: step) else { return nil }
        let result = Rational(nearestInteger(ratio)) * step
        let stepText = step.decimalString(maxFractionDigits: 100)
        let places = stepText.firstIndex(of: ".").map { stepText.distance(from: $0, to: stepText.endIndex) - 1 } ?? 0
        return fixed(result, places: places)
    }

    /// The exponent e with 10^e ≤ value < 10^(e+1), for value > 0.
    static func decimalExponent(_ value: Rational) -> Int {
        var exponent = Int(log10Estimate(value))
        func power(_ e: Int) -> Rational {
            e >= 0 ? Rational(BigInt(10).power(e)) : Rational(1, BigInt(10).power(-e))
        }
        while power(exponent) > value { exponent -= 1 }
        while power(exponent + 1) <= value { exponent += 1 }
        return exponent
    }

    private static func log10Estimate(_ value: Rational) -> Double {
        let digits = Double(value.numerator.description.count - value.denominator.description.count)
        return digits.rounded(.down)
    }
}

extension RoundingPhrases.Precision {
    /// True for decimal places and significant figures (the forms that can follow a bare "to").
    var isDigitCount: Bool {
        if case .multiple = self { return false }
        return true
    }
}
