/// An amount that may carry a currency symbol written before it ("$40", "€12.50", "£3"), so percentage answers can
/// keep the symbol: "a 15% tip on $40" → "$6". Amounts print as whole units when whole and with two decimals
/// otherwise ("$6.50"); a value with more decimals keeps its exact form with a rounded "≈ $5.00".
struct MoneyAmount {
    /// The currency symbols recognised in front of a number.
    static let symbols: [Character] = ["$", "€", "£"]

    let value: Rational
    let currency: Character?

    /// "$40", "40", "€12.50", "-$5" (a plain number when there is no symbol).
    static func parse(_ word: Substring) -> MoneyAmount? {
        var text = word
        var negative = false
        if text.first == "-" {
            negative = true
            text = text.dropFirst()
        }
        var currency: Character? = nil
        if let first = text.first, symbols.contains(first) {
            currency = first
            text = text.dropFirst()
        }
        guard let value = WordScanner.decimal(text), value.signum >= 0 || !negative else { return nil }
        return MoneyAmount(value: negative ? -value : value, currency: currency)
    }

    /// The exact text and, when it differs, a rounded one: (exact, approximation).
    static func describe(_ value: Rational, currency: Character?) -> (exact: String, approximation: String?) {
        guard let currency else { return NumberFormatting.describe(.rational(value), style: .decimal) }
        let sign = value.signum < 0 ? Format.minus : ""
        let magnitude = value.magnitude
        let symbol = String(currency)
        let cents = magnitude * Rational(100)
        if magnitude.isInteger { return (sign + symbol + magnitude.numerator.description, nil) }
        let rounded = sign + symbol + magnitude.decimalString(maxFractionDigits: 2).paddedToCents
        if cents.isInteger { return (rounded, nil) }
        let exact =
            magnitude.terminatesAsDecimal
            ? magnitude.decimalString(maxFractionDigits: 64) : magnitude.description
        return (sign + symbol + exact, rounded)
    }

    /// "exact ≈ rounded" or the exact text alone.
    static func text(_ value: Rational, currency: Character?) -> String {
        let (exact, approximation) = describe(value, currency: currency)
        return Format.withApproximation(exact, approximation)
    }
}

extension String {
    /// "6.5" → "6.50", "6" → "6.00", "6.25" unchanged.
    fileprivate var paddedToCents: String {
        guard let dot = firstIndex(of: ".") else { return self + ".00" }
        let digits = self[index(after: dot)...].count
        return digits >= 2 ? self : self + String(repeating: "0", count: 2 - digits)
    }
}

extension WordScanner {
    /// Consumes an amount with an optional currency symbol ("$40", "40").
    mutating func amount() -> MoneyAmount? {
        guard let word = peek, let amount = MoneyAmount.parse(word) else { return nil }
        skip()
        return amount
    }
}
