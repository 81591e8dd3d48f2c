import Testing

@testable import ExactMath

/// Slope, distance, midpoint and line through two points.
@Suite struct AlgebraCoordinateTests {
    @Test(arguments: [
        ("What is the slope of the line through (2,5) and (8,17)?", "2"),
        ("Find the gradient of the line passing through the points (1, 2) and (4, 3)", "1/3 ≈ 0.333333"),
        ("slope between (0, 0) and (2, -3)", "−3/2"),
        ("slope of the line through (1,2) and (1,5)", "undefined (vertical line)"),
        ("Find the distance between (1, 2) and (4, 6)", "5"),
        ("distance between points A(0,0) and B(1,1)", "√2 ≈ 1.414214"),
        ("the distance from (-1, -1) to (3, 7)", "4√5 ≈ 8.944272"),
        ("midpoint of (2,4) and (7,8)", "(4.5, 6)"),
        ("the midpoint of the segment joining (1/2, 1) and (1/3, 2)", "(5/12, 3/2)"),
        ("Find the equation of the line passing through (1, 2) and (3, 8)", "y = 3x − 1"),
        ("equation of the line through (0,5) and (2,5)", "y = 5"),
        ("equation of the line through (1,2) and (1,5)", "x = 1"),
        ("equation of the line through (0,0) and (3,2)", "y = 2x/3"),
        ("Find the line through (0, 1) and (1, 3)", "y = 2x + 1"),
        ("Find the midpoint between A(1, 2) and B(3, 4)", "(2, 3)"),
    ])
    func solves(question: String, answer: String) throws {
        let solved = try #require(MathSolver.solve(question))
        #expect(solved.answer == answer)
        #expect(solved.topic == .coordinate)
    }

    @Test func slopeWorkingSubstitutes() throws {
        let solved = try #require(MathSolver.solve("slope of the line through (2,5) and (8,17)"))
        #expect(solved.working == ["m = (y₂ − y₁)/(x₂ − x₁) = (17 − 5)/(8 − 2) = 12/6 = 2"])
        let negative = try #require(MathSolver.solve("distance between (-1, -1) and (3, 7)"))
        #expect(negative.working == ["d = √((x₂ − x₁)² + (y₂ − y₁)²) = √(4² + 8²) = √80 = 4√5"])
    }

    @Test(arguments: [
        "the slope of my roof through (1,2) and (3,4)",
        "the slope of (1,2)",
        "the distance and midpoint of (1,2) and (3,4)",
        "the slope of the line through (1,2,3) and (3,4,5)",
    ])
    func abstains(question: String) {
        #expect(CoordinateRecognizer().solve(MathQuestion(question)) == nil)
    }
}
