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

    @Test("word operators no longer look like statistics or conversions: 'minus' holds 'min' and 'in'")
    func wholeWordClues() {
        #expect(PhraseClues("45 minus 17 plus 3").isDisjoint(with: [.statistic, .inOrTo, .whatAsIn]))
        #expect(PhraseClues("the largest of 3, 9 and 4").contains(.statistic))
        #expect(PhraseClues("std dev of 1, 2, 3").contains(.statistic))
        #expect(!PhraseClues("3 and the sum of 4").contains(.statistic))
        #expect(PhraseClues("5 km into m").contains(.inOrTo))
        #expect(PhraseClues("20 of 80 in percent").isSuperset(of: [.whatAsIn, .inOrTo]))
        #expect(!PhraseClues("2 to-do items").contains(.inOrTo))
    }

    @Test(
        "questions whose statistic or conversion word is a whole word are still answered",
        arguments: [
            ("the smallest of 3, 9 and 4", "3"), ("min of 7, 2, 5", "2"), ("the sum of 1, 2 and 3", "6"),
            ("sample variance of 1, 2, 3, 4", "5/3 ≈ 1.666667"), ("convert 5 km into m", "5000 m"),
            ("2 ft in inches", "24 in"),
            ("What is 45 minus 17 plus 3?", "31"), ("What is 100 minus 1?", "99"),
        ])
    func answeredThroughWholeWords(question: String, expected: String) {
        #expect(MathSolver.solve(question)?.answer == expected, "\(question)")
    }
}
