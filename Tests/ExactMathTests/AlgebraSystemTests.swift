import Testing

@testable import ExactMath

/// Systems of linear equations, solved exactly by Gaussian elimination.
@Suite struct AlgebraSystemTests {
    @Test(arguments: [
        ("Solve the system: x + y = 10, 2x - y = 5", "x = 5, y = 5"),
        ("Solve the system of equations 2a + 3b = 7 and a - b = 1", "a = 2, b = 1"),
        ("x + y = 3; x - y = 1", "x = 2, y = 1"),
        ("Solve:\nx + y + z = 6\nx - y + z = 2\n2x + y - z = 1", "x = 1, y = 2, z = 3"),
        ("Solve the simultaneous equations 3x + 2y = 1, x - y = 1 for x and y", "x = 3/5, y = −2/5"),
        ("0.5x + y = 2, x - y = 1", "x = 2, y = 1"),
        ("If x + y = 10 and x - y = 2, find x and y", "x = 6, y = 4"),
        ("Solve: 3x + 2y = 12 and x - y = 1", "x = 14/5, y = 9/5"),
        ("x + y = 1,000, x - y = 0", "x = 500, y = 500"),
        ("x + y = 2, 2x + 2y = 4", "infinitely many solutions (the equations are dependent)"),
        ("x + y = 2\nx + y = 3", "no solution (the equations are inconsistent)"),
    ])
    func solves(question: String, answer: String) throws {
        let solved = try #require(MathSolver.solve(question))
        #expect(solved.answer == answer)
        #expect(solved.topic == .system)
    }

    @Test func workingListsEquationsAndEliminationSteps() throws {
        let solved = try #require(MathSolver.solve("Solve the system: x + y = 10, 2x - y = 5"))
        #expect(solved.working.prefix(3) == ["Equations:", "  (1) x + y = 10", "  (2) 2x − y = 5"])
        #expect(solved.working.contains("Gaussian elimination: R2 → R2 − 2·R1; R2 → (−1/3)·R2; R1 → R1 − R2"))
    }

    @Test(arguments: [
        "x + y = 3, x*y = 2",  // not linear
        "x + y = 1, y + z = 2, z + w = 3, w + x = 4",  // too many equations
        "x + y = 3, apples = 2",
        "x + y = 2, 3 = 3",  // an equation without variables is not part of a 2-variable system we accept
    ])
    func abstains(question: String) {
        #expect(LinearSystemRecognizer().solve(MathQuestion(question)) == nil)
    }
}
