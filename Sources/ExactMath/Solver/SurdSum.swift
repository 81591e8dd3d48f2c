/// One term c·πᵏ·√m of an exact value: a rational coefficient, a power of π and a square-free radicand.
struct SurdTerm: Sendable, Hashable {
    var coefficient: Rational
    var radicand: BigInt
    var piPower: Int

    init(_ coefficient: Rational, radicand: BigInt = 1, piPower: Int = 0) {
        self.coefficient = coefficient
        self.radicand = radicand
        self.piPower = piPower
    }

    /// √(value) as a term (value >= 0): √8 -> 2√2, √(9/4) -> 3/2.
    init(squareRootOf value: Rational, piPower: Int = 0) {
        let root = SquareRoot(of: value)
        self.init(root.coefficient, radicand: root.radicand, piPower: piPower)
    }

    var doubleValue: Double {
        var value = coefficient.doubleValue
        if radicand != 1 { value *= radicand.doubleValue.squareRoot() }
        for _ in 0..<piPower { value *= Double.pi }
        return value
    }

    /// The magnitude of the term without its sign: "25π", "3√15/4", "π/4", "6.25π", "2π√13".
    func magnitudeText(style: NumberStyle) -> String {
        let magnitude = coefficient.signum < 0 ? -coefficient : coefficient
        let symbols =
            (piPower == 0 ? "" : "π" + (piPower == 1 ? "" : Format.superscript(piPower)))
            + (radicand == 1 ? "" : "√" + radicand.description)
        if symbols.isEmpty { return Format.rational(magnitude, style: style) }
        if magnitude == .one { return symbols }
        if magnitude.isInteger || (style == .decimal && magnitude.terminatesAsDecimal) {
            return Format.rational(magnitude, style: style) + symbols
        }
        let numerator = magnitude.numerator == 1 ? "" : magnitude.numerator.description
        return numerator + symbols + "/" + magnitude.denominator.description
    }
}

/// An exact real value written as a sum of terms c·πᵏ·√m ("25π", "9π + 3π√13", "3√15/4"), with its decimal value.
struct SurdSum: Sendable, Hashable {
    private(set) var terms: [SurdTerm]

    init(_ terms: [SurdTerm]) {
        self.terms = []
        for term in terms { add(term) }
    }

    init(_ value: Rational) { self.init([SurdTerm(value)]) }

    private mutating func add(_ term: SurdTerm) {
        if let index = terms.firstIndex(where: { $0.radicand == term.radicand && $0.piPower == term.piPower }) {
            terms[index].coefficient = terms[index].coefficient + term.coefficient
            if terms[index].coefficient.isZero { terms.remove(at: index) }
        } else if !term.coefficient.isZero {
            terms.append(term)
        }
    }

    /// The value when it is a plain rational (no π, no root).
    var rationalValue: Rational? {
        if terms.isEmpty { return .zero }
        if terms.count == 1, terms[0].radicand == 1, terms[0].piPower == 0 { return terms[0].coefficient }
        return nil
    }

    var doubleValue: Double { terms.reduce(0) { $0 + $1.doubleValue } }

    /// The exact text: "25π", "(9 + 3√13)π", "3√15/4", "−2", "0".
    func text(style: NumberStyle) -> String {
        guard !terms.isEmpty else { return "0" }
        let sorted = terms.sorted { ($0.piPower, $0.radicand) < ($1.piPower, $1.radicand) }
        let commonPi = sorted.allSatisfy { $0.piPower == sorted[0].piPower } ? sorted[0].piPower : 0
        if sorted.count > 1, commonPi > 0 {
            let inner = sorted.map { term in
                (
                    term.coefficient.signum < 0,
                    SurdTerm(term.coefficient, radicand: term.radicand).magnitudeText(style: style)
                )
            }
            return "(" + Format.signedSum(inner) + ")π" + (commonPi == 1 ? "" : Format.superscript(commonPi))
        }
        return Format.signedSum(sorted.map { ($0.coefficient.signum < 0, $0.magnitudeText(style: style)) })
    }

    /// True when `text(style:)` is already a plain decimal number, so no "≈" is needed.
    func isPlainDecimal(style: NumberStyle) -> Bool {
        guard let value = rationalValue else { return false }
        return Format.isPlainDecimal(value, style: style)
    }
}
