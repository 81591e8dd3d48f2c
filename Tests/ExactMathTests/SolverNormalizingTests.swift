import Testing

@testable import ExactMath

/// Question normalising: instruction phrasing goes, the problem stays.
@Suite struct SolverNormalizingTests {
    @Test(arguments: [
        ("What is 15% of 240?", "15% of 240"),
        ("Step by step: Calculate 3.7 × 8.9 − 2.1", "3.7 × 8.9 - 2.1"),
        ("Explain and solve: 3x + 7 = 22", "3x + 7 = 22"),
        ("Show your reasoning: what is the area of a circle with radius 5?", "the area of a circle with radius 5"),
        ("Using mathematical principles, solve: 2x - 4 = 10", "2x - 4 = 10"),
        ("Work through this problem: x^2 = 9", "x^2 = 9"),
        ("Provide a detailed solution: integrate x^2 from 1 to 2", "integrate x^2 from 1 to 2"),
        ("Solve 3x + 7 = 22 and show your work.", "3x + 7 = 22"),
        ("Solve for x: 3x + 7 = 22", "3x + 7 = 22"),
        ("Solve: x + 1 = 2", "x + 1 = 2"),
        ("Compute 2 + 2", "2 + 2"),
        ("Please find the derivative of x^2, step by step", "the derivative of x^2"),
        ("Can you calculate 12 times 13?", "12 times 13"),
        ("What's 7 divided by 2?", "7 divided by 2"),
        ("Calculate 30!", "30!"),
        ("Find the value of x (show your work)", "the value of x"),
        ("Is 97 prime?", "is 97 prime"),
    ])
    func stripsInstructionPhrasing(question: String, core: String) {
        #expect(MathQuestion(question).core == core)
    }

    @Test func foldsSpacesDashesAndCase() {
        let question = MathQuestion("  Solve\u{00A0}the   System:\u{2003}X + Y = 10,\r\n2x \u{2212} y = 5 ")
        #expect(question.core == "the system: x + y = 10,\n2x - y = 5")
        #expect(question.original.hasPrefix("  Solve"))
    }

    @Test func keepsQuestionsWithoutInstructions() {
        #expect(MathQuestion("the derivative of x^3").core == "the derivative of x^3")
        #expect(MathQuestion("Explain recursion").core == "recursion")
        #expect(MathQuestion("radius 5 in").core == "radius 5 in")
    }
}
