import Testing

@testable import ExactMath

/// Polynomials built from parsed expressions: expansion, printing, evaluation, calculus, division.
@Suite struct AlgebraPolynomialTests {
    func polynomial(_ text: String) throws -> Polynomial {
        let expression = try ExpressionParser.parse(Substring(text), variables: ["x"])
        return try #require(Polynomial(expression))
    }

    @Test func expandsAndPrints() throws {
        #expect(try polynomial("x³ + 2x² - 5x + 1").formatted() == "x³ + 2x² − 5x + 1")
        #expect(try polynomial("(x + 1)^2").formatted() == "x² + 2x + 1")
        #expect(try polynomial("x(x - 1)(x + 1)").formatted() == "x³ − x")
        #expect(try polynomial("-x^2/3 + 1/2").formatted() == "−x²/3 + 1/2")
        #expect(try polynomial("2x^3/3").formatted() == "2x³/3")
        #expect(try polynomial("x - x").formatted() == "0")
        #expect(try polynomial("0.5x^2").formatted(style: .decimal) == "0.5x²")
        #expect(try polynomial("x^10").formatted() == "x¹⁰")
    }

    @Test func rejectsNonPolynomials() throws {
        for text in ["1/x", "sqrt(x)", "x^(1/2)", "x^-1", "2^x", "π x", "x!"] {
            let expression = try ExpressionParser.parse(Substring(text), variables: ["x"])
            #expect(Polynomial(expression) == nil, "\(text)")
        }
        let other = try ExpressionParser.parse("y + 1", variables: ["y"])
        #expect(Polynomial(other, variable: "x") == nil)
        #expect(Polynomial(other, variable: "y")?.formatted() == "y + 1")
        let huge = try ExpressionParser.parse("(x + 1)^100000", variables: ["x"])
        #expect(Polynomial(huge) == nil)
    }

    @Test func evaluatesDifferentiatesIntegrates() throws {
        let p = try polynomial("x³ + 2x² - 5x + 1")
        #expect(p.evaluate(at: 2) == Rational(7))
        #expect(p.derivative.formatted() == "3x² + 4x − 5")
        #expect(p.derivative.derivative.formatted() == "6x + 4")
        #expect(p.antiderivative.formatted() == "x⁴/4 + 2x³/3 − 5x²/2 + x")
        #expect(try polynomial("x^2").definiteIntegral(from: 1, to: 2) == Rational(7, 3))
        #expect(try polynomial("7").derivative.isZero)
    }

    @Test func dividesWithRemainder() throws {
        let division = try #require(try polynomial("x^3 - 1").divided(by: polynomial("x - 1")))
        #expect(division.quotient.formatted() == "x² + x + 1")
        #expect(division.remainder.isZero)
        let uneven = try #require(try polynomial("x^2 + 1").divided(by: polynomial("x + 1")))
        #expect(uneven.quotient.formatted() == "x − 1")
        #expect(uneven.remainder.formatted() == "2")
        #expect(try polynomial("x").divided(by: Polynomial(coefficients: [])) == nil)
    }
}
