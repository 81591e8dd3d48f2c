import Testing

@testable import ExactMath

/// Derivatives and integrals of polynomials.
@Suite struct AlgebraCalculusTests {
    @Test(arguments: [
        ("Find the derivative of f(x) = x³ + 2x² - 5x + 1", "3x² + 4x − 5"),
        ("d/dx (x^4)", "4x³"),
        ("d/dx x^4 - 3x", "4x³ − 3"),
        ("What is the second derivative of x^4 + x?", "12x²"),
        ("the 3rd derivative of x^5", "60x²"),
        ("d²/dx² (x^3)", "6x"),
        ("What is f'(x) if f(x) = 3x^2 + 2?", "6x"),
        ("f''(x) for f(x) = x^3", "6x"),
        ("derivative of x^2 at x = 3", "6"),
        ("differentiate t^3 with respect to t", "3t²"),
        ("derivative of y = (x + 1)^2", "2x + 2"),
        ("derivative of 7", "0"),
        ("Find dy/dx if y = x^2 + 3x", "2x + 3"),
        ("What is the integral of 3x^2 + 2x?", "x³ + x² + C"),
        ("integral of 2x dx", "x² + C"),
        ("∫ 3x^2 dx", "x³ + C"),
        ("∫ (x + 1) dx", "x²/2 + x + C"),
        ("antiderivative of 5", "5x + C"),
        ("the indefinite integral of -x dx", "−x²/2 + C"),
        ("integral of 0.5x dx", "0.25x² + C"),
        ("Calculate the integral of 2x dx from 0 to 3", "9"),
        ("integrate x^2 from 1 to 2", "7/3 ≈ 2.333333"),
        ("the definite integral of x^3 - x between -1 and 2", "9/4"),
        ("integral from 0 to 1 of x^2 dx", "1/3 ≈ 0.333333"),
        ("integral of x^2 dx from x = 0 to x = 3", "9"),
        ("integral of x dx from 0 to 1.5", "1.125"),
        ("integral of t^2 dt from 0 to 3", "9"),
    ])
    func solves(question: String, answer: String) throws {
        let solved = try #require(MathSolver.solve(question))
        #expect(solved.answer == answer)
        #expect(solved.topic == .calculus)
    }

    @Test func derivativeWorkingShowsEachOrder() throws {
        let solved = try #require(MathSolver.solve("second derivative of x^3 + x"))
        #expect(
            solved.working == [
                "f(x) = x³ + x",
                "Power rule: d/dx xⁿ = n·xⁿ⁻¹, term by term",
                "f′(x) = 3x² + 1",
                "f″(x) = 6x",
            ])
    }

    @Test func definiteIntegralWorkingEvaluatesTheAntiderivative() throws {
        let solved = try #require(MathSolver.solve("integrate x^2 from 1 to 2"))
        #expect(solved.working.contains("F(x) = x³/3"))
        #expect(solved.working.contains("∫ from 1 to 2 of x² dx = F(2) − F(1) = 8/3 − 1/3 = 7/3"))
        #expect(solved.exact == "7/3")
        #expect(solved.approximation == "2.333333")
    }

    @Test(arguments: [
        "the derivative of sin(x)",
        "the derivative of e^x",
        "the integral of 1/x dx",
        "the derivative of x^2 + y",
        "the integral of x^2 from 0 to infinity",
        "the derivative of my car",
    ])
    func abstains(question: String) {
        #expect(CalculusRecognizer().solve(MathQuestion(question)) == nil)
    }
}
