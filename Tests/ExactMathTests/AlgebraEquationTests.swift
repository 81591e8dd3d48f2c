import Testing

@testable import ExactMath

/// One-variable equations: exact roots, with working.
@Suite struct AlgebraEquationTests {
    @Test(arguments: [
        ("3x + 7 = 22", "x = 5"),
        ("Solve for x: 3x + 7 = 22", "x = 5"),
        ("5x - 3 = 2x + 9", "x = 4"),
        ("Solve 2y − 3 = y + 4", "y = 7"),
        ("2x = 3", "x = 3/2"),
        ("0.5x + 1.5 = 3.25", "x = 3.5"),
        ("-x + 4 = 1", "x = 3"),
        ("x/4 + 1 = 3", "x = 8"),
        ("the equation 4(x - 1) = 2x for x", "x = 2"),
        ("x if 2x + 1 = 9", "x = 4"),
        ("If 2x + 3 = 11, what is x?", "x = 4"),
        ("What is the value of x in the equation 2x + 3 = 7?", "x = 2"),
        ("Find x: 5x = 20", "x = 4"),
        ("3x + 7 = 22, solve for x", "x = 5"),
        ("Solve the quadratic equation x^2 - 5x + 6 = 0", "x = 2 or x = 3"),
        ("Find the roots of x^2 - 5x + 6", "x = 2 or x = 3"),
        ("find the zeros of x^3 - x", "x = −1 or x = 0 or x = 1"),
        ("2x² - 8x + 6 = 0", "x = 1 or x = 3"),
        ("x(x+1) = 6", "x = −3 or x = 2"),
        ("x^2 = 2", "x = −√2 or x = √2"),
        ("x^2 - 4x + 1 = 0", "x = 2 − √3 or x = 2 + √3"),
        ("x^2 - x - 1 = 0", "x = (1 − √5)/2 or x = (1 + √5)/2"),
        ("x^2 + 2x + 5 = 0", "x = −1 − 2i or x = −1 + 2i"),
        ("x^2 + 1 = 0", "x = −i or x = i"),
        ("x^2 - 2x + 3 = 0", "x = 1 − i√2 or x = 1 + i√2"),
        ("x^2 - 6x + 9 = 0", "x = 3 (double root)"),
        ("x² = 3x", "x = 0 or x = 3"),
        ("2x^2 + x - 1 = 0", "x = −1 or x = 1/2"),
        ("x^3 - 6x^2 + 11x - 6 = 0", "x = 1 or x = 2 or x = 3"),
        ("x³ = 8", "x = 2 or x = −1 − i√3 or x = −1 + i√3"),
        ("x^3 - 3x + 2 = 0", "x = −2 or x = 1 (double root)"),
        ("x^4 - 5x^2 + 4 = 0", "x = −2 or x = −1 or x = 1 or x = 2"),
        ("x + 1 = x + 2", "no solution"),
        ("2(x + 1) = 2x + 2", "every real x (identity)"),
    ])
    func solves(question: String, answer: String) throws {
        let solved = try #require(MathSolver.solve(question))
        #expect(solved.answer == answer)
        #expect(solved.exact == answer)
        #expect(solved.topic == .equation)
    }

    @Test func linearWorkingMovesTermsAndDivides() throws {
        let solved = try #require(MathSolver.solve("Solve 5x - 3 = 2x + 9"))
        #expect(
            solved.working == [
                "Equation: 5x − 3 = 2x + 9",
                "Collect the x terms on the left and the numbers on the right: 3x = 12",
                "Divide both sides by 3: x = 4",
            ])
        #expect(solved.approximation == nil)
    }

    @Test func quadraticWorkingShowsDiscriminantAndFactorisation() throws {
        let solved = try #require(MathSolver.solve("2x² - 8x + 6 = 0"))
        #expect(solved.working.contains("Standard form: 2x² − 8x + 6 = 0"))
        #expect(solved.working.contains("a = 2, b = −8, c = 6"))
        #expect(solved.working.contains("Discriminant: b² − 4ac = (−8)² − 4 × 2 × 6 = 16"))
        #expect(solved.working.contains("Factorise: 2(x − 1)(x − 3) = 0"))
    }

    @Test func irrationalRootsComeWithDecimals() throws {
        let solved = try #require(MathSolver.solve("x^2 - 4x + 1 = 0"))
        #expect(solved.approximation == "x ≈ 0.267949 or x ≈ 3.732051")
        #expect(solved.working.contains("Quadratic formula: x = (−b ± √(b² − 4ac)) / 2a = (4 ± √12)/2 = (4 ± 2√3)/2"))
        let complex = try #require(MathSolver.solve("x^2 - 2x + 3 = 0"))
        #expect(complex.approximation == "x ≈ 1 − 1.414214i or x ≈ 1 + 1.414214i")
        #expect(
            complex.working.contains("The discriminant is negative, so there are no real roots; the roots are complex.")
        )
    }

    @Test func fractionRootHasApproximation() throws {
        let solved = try #require(MathSolver.solve("3x = 7"))
        #expect(solved.answer == "x = 7/3")
        #expect(solved.approximation == "x ≈ 2.333333")
    }

    @Test(arguments: [
        "x + y = 3",  // two variables in one equation
        "x^2 + sin(x) = 1",  // not a polynomial
        "1/x = 2",  // division by the variable
        "x^5 + x + 1 = 0",  // no rational roots, degree 5
        "2 + 2 = 4",  // no variable
        "x = ",  // empty side
        "x^2 = 2 apples",
        "x^2 - 5x + 6",  // an expression, not an equation
        "if 2x + 3 = 11, what is y",  // asks for a variable the equation does not have
        "3x + 7 = 22 for y",
    ])
    func abstains(question: String) {
        #expect(EquationRecognizer().solve(MathQuestion(question)) == nil)
    }
}
