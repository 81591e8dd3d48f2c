import Testing

@testable import ExactMath

/// The arithmetic recogniser's answer to a question normalised as MathSolver normalises it.
private func solve(_ question: String) -> MathAnswer? {
    ArithmeticRecognizer().solve(MathQuestion(question))
}

@Suite("Arithmetic recogniser")
struct ArithmeticRecognizerTests {
    @Test(
        "answers arithmetic phrased in symbols and words",
        arguments: [
            ("What is 15% of 240?", "36"),
            ("25% of 80% of 160", "32"),
            ("Calculate 3.7 × 8.9 - 2.1", "30.83"),
            ("Calculate (5!)/(3! × 2!)", "10"),
            ("What is 8! (8 factorial)?", "40320"),
            ("What is the factorial of 6?", "720"),
            ("Calculate the square root of 144", "12"),
            ("square root of 50", "5√2 ≈ 7.071068"),
            ("cube root of 27", "3"),
            ("What is log₂(64)?", "6"),
            ("log base 2 of 64", "6"),
            ("log_3 81", "4"),
            ("ln(e^2)", "2"),
            ("2^200", "1606938044258990275541962092341162602522202993782792835301376"),
            ("30!", "265252859812191058636308480000000"),
            ("1/3 + 1/6", "1/2"),
            ("0.1 + 0.2", "0.3"),
            ("what is 7 divided by 2", "3.5"),
            ("12 times 13", "156"),
            ("5 plus 3 minus 2", "6"),
            ("20 percent of 50", "10"),
            ("what is 2 to the power of 10?", "1024"),
            ("3 squared plus 4 squared", "25"),
            ("the 5th root of 32", "2"),
            ("Show your work: what is 12 x 13?", "156"),
            ("What is -7 + 3?", "−4"),
            ("Calculate 1,000,000 / 8", "125000"),
            ("What is 1/3?", "1/3 ≈ 0.333333"),
            ("log₂(10)", "log₂(10) ≈ 3.321928"),
            ("sin(30°)", "0.5"),
            ("C(10,3)", "120"),
            ("gcd(48, 18)", "6"),
        ])
    func expressions(question: String, answer: String) {
        #expect(solve(question)?.answer == answer, "\(question)")
    }

    @Test(
        "answers number theory, counting and percentage phrasings",
        arguments: [
            ("What is the GCD of 48 and 18?", "6"),
            ("Find the greatest common factor of 12, 18 and 24", "6"),
            ("LCM of 4, 6 and 10", "60"),
            ("Is 97 prime?", "Yes"),
            ("Is 91 a prime number?", "No"),
            ("is 1 prime", "No"),
            ("Is 2^61 - 1 prime?", "Yes"),
            ("What is the 10th prime number?", "29"),
            ("the 1000th prime", "7919"),
            ("What is the sum of the first 10 prime numbers?", "129"),
            ("prime factorization of 360", "2³ × 3² × 5"),
            ("What are the prime factors of 84?", "2, 3, 7"),
            ("10 choose 3", "120"),
            ("how many ways to choose 3 items from 10", "120"),
            ("How many ways are there to select 2 people from a group of 5?", "10"),
            ("permutations of 5 taken 2", "20"),
            ("In how many ways can 5 books be arranged?", "120"),
            ("what percent of 80 is 20", "25%"),
            ("20 is what percentage of 80?", "25%"),
            ("What percent of 3 is 1?", "100/3% ≈ 33.333333%"),
            ("increase 50 by 10%", "55"),
            ("Decrease 80 by 25 percent", "60"),
            ("percentage change from 50 to 65", "30%"),
            ("increase 50 by ten percent", "55"),
        ])
    func phrases(question: String, answer: String) {
        #expect(solve(question)?.answer == answer, "\(question)")
    }

    @Test("undefined and non-real results are explained, not guessed")
    func explanations() {
        #expect(solve("What is 1/0?")?.answer == "undefined (division by zero)")
        #expect(solve("0^-1")?.answer == "undefined (0 to a negative power is a division by zero)")
        #expect(solve("(-3)!")?.answer == "undefined")
        #expect(solve("square root of -4")?.answer == "not a real number")
    }

    @Test(
        "abstains on anything it does not fully understand",
        arguments: [
            "What is the capital of France?", "What is 2 + 2 apples?", "Explain recursion", "What is 10^10^10?",
            "50 + 10%", "What is 2.5!?", "What is x + 1?", "what is 42", "is the sky prime", "the 10th president",
            "how many ways to get home", "gcd of 4", "increase 50 by ten apples", "log(8, 2)", "",
        ])
    func abstentions(question: String) {
        #expect(solve(question) == nil, "\(question)")
    }

    @Test("working shows the truthful order of evaluation and the text ends with the answer")
    func working() throws {
        let percentages = try #require(solve("25% of 80% of 160"))
        #expect(percentages.working == ["80% of 160 = 0.8 × 160 = 128", "25% of 128 = 0.25 × 128 = 32"])
        #expect(percentages.topic == .percentage)
        #expect(percentages.text.hasSuffix("\n\nAnswer: 32"))
        let product = try #require(solve("Calculate 3.7 × 8.9 - 2.1"))
        #expect(product.working == ["3.7 × 8.9 = 32.93", "32.93 − 2.1 = 30.83"])
        let root = try #require(solve("square root of 50"))
        #expect(root.exact == "5√2")
        #expect(root.approximation == "7.071068")
        #expect(root.working.last == "√50 = √(25 × 2) = 5√2 ≈ 7.071068")
        let gcd = try #require(solve("What is the GCD of 48 and 18?"))
        #expect(gcd.working.first == "48 = 2 × 18 + 12")
        for question in ["What is 15% of 240?", "Is 97 prime?", "10 choose 3", "30!", "log₂(10)", "1/0"] {
            let answer = try #require(solve(question))
            #expect((2...5).contains(answer.working.count), "\(question): \(answer.working)")
            #expect(answer.text.hasSuffix("Answer: " + answer.answer))
        }
    }
}
