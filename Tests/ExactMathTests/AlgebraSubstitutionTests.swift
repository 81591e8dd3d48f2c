import Testing

@testable import ExactMath

/// Evaluating a polynomial at a value of its variable.
@Suite struct AlgebraSubstitutionTests {
    @Test(arguments: [
        ("Evaluate 3x^2 + 2 when x = 4", "50"),
        ("x^3 - x at x = -2", "−6"),
        ("f(2) if f(x) = x^2 + 1", "5"),
        ("What is f(-1) where f(x) = 2x^3 - x?", "−1"),
        ("2x + 1 when x = 1/2", "2"),
        ("x^2 / 3 when x = 1", "1/3 ≈ 0.333333"),
        ("0.5t^2 when t = 3", "4.5"),
    ])
    func evaluates(question: String, answer: String) throws {
        let solved = try #require(MathSolver.solve(question))
        #expect(solved.answer == answer)
    }

    @Test func workingShowsTheSubstitution() throws {
        let solved = try #require(MathSolver.solve("Evaluate 3x^2 + 2 when x = 4"))
        #expect(solved.working == ["Expression = 3x² + 2", "Substitute x = 4: 3 × 4² + 2 = 50"])
        let negative = try #require(MathSolver.solve("x^3 - x at x = -2"))
        #expect(negative.working.last == "Substitute x = −2: (−2)³ − (−2) = −6")
    }

    @Test(arguments: [
        "x + y when x = 2",
        "f(2) if g(x) = x",
        "sin(x) when x = 1",
        "x^2 when y = 3",
        "my age when x = 3",
    ])
    func abstains(question: String) {
        #expect(SubstitutionRecognizer().solve(MathQuestion(question)) == nil)
    }
}
