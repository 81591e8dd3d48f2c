import Testing

@testable import ExactMath

/// The shared output conventions: Unicode minus, superscripts, "≈", decimals, roots and units.
@Suite struct SolverFormatTests {
    @Test func superscripts() {
        #expect(Format.superscript(2) == "²")
        #expect(Format.superscript(10) == "¹⁰")
        #expect(Format.superscript(-1) == "⁻¹")
    }

    @Test func rationals() {
        #expect(Format.rational(Rational(-3)) == "−3")
        #expect(Format.rational(Rational(3, 4)) == "3/4")
        #expect(Format.rational(Rational(-3, 4), style: .decimal) == "−0.75")
        #expect(Format.rational(Rational(1, 3), style: .decimal) == "1/3")
        #expect(Format.rationalWithApproximation(Rational(1, 3)) == "1/3 ≈ 0.333333")
        #expect(Format.rationalWithApproximation(Rational(7, 3)) == "7/3 ≈ 2.333333")
        #expect(Format.rationalWithApproximation(Rational(5)) == "5")
        #expect(Format.rationalWithApproximation(Rational(3, 4), style: .decimal) == "0.75")
    }

    @Test func decimals() {
        #expect(Format.decimal(78.53981633974483, fractionDigits: 2) == "78.54")
        #expect(Format.decimal(113.09733552923255, fractionDigits: 2) == "113.1")
        #expect(Format.decimal(2.0) == "2")
        #expect(Format.decimal(-1.4142135623730951) == "−1.414214")
        #expect(Format.decimal(-0.0000001) == "0")
        #expect(Format.decimal(1e20) == "100000000000000000000")
    }

    @Test func numberStyleFollowsTheQuestion() {
        #expect(NumberStyle.of("0.1 + 0.2") == .decimal)
        #expect(NumberStyle.of("1/3 + 1/6") == .fraction)
        #expect(NumberStyle.of("radius 5", fallback: .decimal) == .decimal)
        #expect(NumberStyle.of("2x = 3") == .fraction)
    }

    @Test func rootsUnitsAndSigns() {
        #expect(Format.roots(["1", "3"]) == "x = 1 or x = 3")
        #expect(Format.unit("cm", power: 2) == "cm²")
        #expect(Format.unit("", power: 3) == "")
        #expect(Format.quantity("78.54", unit: "cm²") == "78.54 cm²")
        #expect(Format.signedSum([(false, "3x²"), (false, "4x"), (true, "5")]) == "3x² + 4x − 5")
        #expect(Format.signedSum([(true, "x")]) == "−x")
        #expect(Format.prettify("x^2 - 3*x") == "x² − 3×x")
        #expect(Format.withApproximation("25π cm²", "78.54 cm²") == "25π cm² ≈ 78.54 cm²")
    }

    @Test func answerTextEndsWithTheAnswer() {
        let answer = MathAnswer(answer: "x = 5", working: ["3x = 15"], exact: "x = 5", topic: .equation)
        #expect(answer.text == "3x = 15\n\nAnswer: x = 5")
    }
}
