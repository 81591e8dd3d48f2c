import Testing

@testable import ExactMath

/// The cheap clues that let `ArithmeticRecognizer` skip phrase forms must never skip one that would answer.
@Suite("Phrase form clues")
struct ArithmeticGuardTests {
    @Test(
        "questions that reach a phrase form only through its widest clue are still answered",
        arguments: [
            ("one hundred % seven", "2"), ("What is twelve mod five?", "2"), ("convert 5 km to m", "5000 m"),
            ("how many seconds are in a day", "86400"), ("what percent of 80 is 20", "25%"),
            ("20 out of 80 as a percentage", "25%"), ("20 of 80 in percent", "25%"), ("a 15% tip on $40", "$6"),
            ("15% of $40", "$6"), ("$120 with 20% off", "$96"), ("20% more than 50", "60"),
            ("increase 50 by 10%", "55"), ("the square of twelve", "144"), ("half a dozen", "6"),
            ("What is 15% of 240?", "36"), ("What is 25% of 80% of 160?", "32"), ("average of 3, 5 and 10", "6"),
        ])
    func answered(question: String, expected: String) {
        #expect(MathSolver.solve(question)?.answer == expected, "\(question)")
    }

    @Test(
        "the number-word pre-check is true whenever rewriting changes the text",
        arguments: [
            "twenty-five plus one", "a dozen", "(two)?", "x, three; four:", "one-half", "an hour", "ten,",
            "what is seven times eight", "15% of 240", "average of 3, 5 and 10", "the capital of france", "17 mod 5",
            "twice 17", "3 dozen", "two thirds of 90", "three point five", "zero", "foo-one", "one-",
        ])
    func numberWordPreCheck(text: String) {
        let text = Substring(text)
        let changed = NumberWords.rewrite(text) != text
        #expect(!changed || NumberWords.mayRewrite(text), "\(text)")
    }

    @Test("clues are found anywhere in the text, including symbols and multi-byte currency signs")
    func clues() {
        let clues = PhraseClues("what is 20 as a per cent of €80")
        #expect(clues.isSuperset(of: [.whatAsIn, .percentWord, .currency, .letter]))
        #expect(!clues.contains(.percentSign))
        #expect(PhraseClues("100 % 7") == [.percentSign])
        #expect(PhraseClues("the square of 3").contains(.power))
        #expect(PhraseClues("15% of 240").isDisjoint(with: [.whatAsIn, .relation, .currency, .inOrTo, .modulo]))
    }
}
