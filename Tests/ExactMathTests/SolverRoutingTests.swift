import Testing

@testable import ExactMath

/// The front door: each kind of question reaches the recogniser that understands it; the rest abstain.
@Suite struct SolverRoutingTests {
    @Test(arguments: [
        ("Solve for x: 3x + 7 = 22", "x = 5", MathTopic.equation),
        ("Solve the system: x + y = 10, 2x - y = 5", "x = 5, y = 5", .system),
        ("What is the slope of the line through (2,5) and (8,17)?", "2", .coordinate),
        ("Find the derivative of f(x) = x³ + 2x² - 5x + 1", "3x² + 4x − 5", .calculus),
        ("Calculate the integral of 2x dx from 0 to 3", "9", .calculus),
        ("Find the area of a circle with radius 5 cm", "25π cm² ≈ 78.54 cm²", .geometry),
        ("Step by step: what is the volume of a sphere with radius 3?", "36π ≈ 113.1", .geometry),
    ])
    func routes(question: String, answer: String, topic: MathTopic) throws {
        let solved = try #require(MathSolver.solve(question))
        #expect(solved.answer == answer)
        #expect(solved.topic == topic)
        #expect(solved.text.hasSuffix("Answer: " + answer))
    }

    @Test(arguments: [
        "Find the area of my kitchen",
        "Solve world hunger",
        "What is the derivative of sin(x)?",
        "What is the integral of 1/x dx?",
        "Explain recursion",
        "",
        "   ",
        "Solve x^5 + x + 1 = 0",
        "Solve x + y = 3",
        "What is the area?",
        "What is the volume of a circle with radius 2?",
        "Find the distance between (1,2) and (3,4) and (5,6)",
    ])
    func abstains(question: String) {
        #expect(MathSolver.solve(question) == nil)
    }

    @Test func refusesHugePowers() {
        #expect(MathSolver.solve("x = (2^4000)^4000") == nil)
        #expect(MathSolver.solve("x + y = (10^5000)^10, x - y = 1") == nil)
        #expect(MathSolver.solve("x = 2^10")?.answer == "x = 1024")
    }

    /// Random soups of the words and symbols questions are made of never crash the solver, and whatever it
    /// answers is a complete answer.
    @Test func survivesRandomTokenSoup() {
        let tokens = [
            "x", "y", "=", "+", "-", "*", "/", "^", "2", "3", "0", "1.5", "(", ")", ",", "and", "area", "circle",
            "radius", "derivative", "of", "integral", "dx", "from", "to", "slope", "(1,2)", "(3,4)", "solve", "the",
            "system", "cm", "√", "π", "x²", "d/dx", "triangle", "sides", "by", "f(x)", "at", "roots", "if", "what is",
            "?", ":", "between", "∫", "volume", "cube", "1/2", "-3", "%",
        ]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<3_000 {
            let question = (0..<(1 + next(10))).map { _ in tokens[next(tokens.count)] }.joined(separator: " ")
            if let answer = MathSolver.solve(question) {
                #expect(!answer.answer.isEmpty, "\(question)")
                #expect(answer.text.hasSuffix("Answer: " + answer.answer), "\(question)")
            }
        }
    }

    @Test func refusesVeryLongInput() {
        let long = "x + " + String(repeating: "1 + ", count: 1_000) + "1 = 2"
        #expect(MathSolver.solve(long) == nil)
    }
}
