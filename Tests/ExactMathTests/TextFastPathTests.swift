import Testing

@testable import ExactMath

/// The byte-level fast paths must answer exactly as the character-level code they stand in for.
@Suite("Byte-level fast paths")
struct TextFastPathTests {
    /// Every scalar `charactersAreScalars` accepts stays its own character next to ASCII and next to itself, and
    /// equals no ASCII character: the assumptions that let byte scans replace character scans.
    @Test("the scalars accepted as whole characters really are")
    func acceptedScalarsAreWholeCharacters() {
        let ranges: [ClosedRange<UInt32>] = [
            0x80...0x2FF, 0x3C0...0x3C0, 0x2010...0x205F, 0x2070...0x20CF, 0x2150...0x2BFF,
        ]
        let ascii = (0x20...0x7E).map { Character(Unicode.Scalar(UInt8($0))) }
        for range in ranges {
            for value in range {
                guard let scalar = Unicode.Scalar(value) else { continue }
                let text = String(scalar)
                #expect(TextTools.charactersAreScalars(Substring("a" + text + "a")), "U+\(String(value, radix: 16))")
                #expect(("a" + text + "a").count == 3, "U+\(String(value, radix: 16)) joins a neighbour")
                #expect((text + text).count == 2, "U+\(String(value, radix: 16)) joins itself")
                #expect(!ascii.contains(Character(scalar)), "U+\(String(value, radix: 16)) equals an ASCII character")
            }
        }
    }

    @Test(
        "text that may merge scalars into one character is refused",
        arguments: ["e\u{301}", "1\r\n2", "\u{600}?", "a\u{200D}b", "5\u{FE0F}", "\u{212A}", "x;\u{37E}", "3\u{20E3}"])
    func refused(text: String) {
        #expect(!TextTools.charactersAreScalars(Substring(text)))
    }

    @Test(
        "questions whose characters span several scalars are answered as before",
        arguments: [
            ("What is 15% of 240?\u{301}", nil), ("What is 15% of 240\u{600}?", nil), ("what is 3.7\u{301} × 2", nil),
            ("Calculate 3.7 × 8.9 - 2.1", "30.83"), ("what's 12 squared\r\n", "144"), ("1/2 + 1/3", "5/6 ≈ 0.833333"),
        ] as [(String, String?)])
    func characterFallback(question: String, expected: String?) {
        #expect(MathSolver.solve(question)?.answer == expected, "\(question.debugDescription)")
    }

    @Test("machine-word decimal text matches the big-integer path")
    func decimalText() {
        let cases: [(Rational, Int, String)] = [
            (Rational(3083, 100), 64, "30.83"), (Rational(-1, 8), 64, "-0.125"), (Rational(2, 3), 6, "0.666667"),
            (Rational(-1, 3), 0, "0"), (Rational(-2, 3), 0, "-1"), (Rational(1, 2_000_000), 3, "0"),
            (Rational(7, 1000), 19, "0.007"), (Rational(Int.min), 2, "-9223372036854775808"),
            (Rational(BigInt(Int.max), 10), 19, "922337203685477580.7"),
        ]
        for (value, digits, expected) in cases {
            #expect(value.decimalString(maxFractionDigits: digits) == expected, "\(value) (\(digits))")
        }
    }

    @Test("small shifts keep the sign and truncate toward zero")
    func shiftedRight() {
        #expect(BigInt(-7).shiftedRight(by: 1) == BigInt(-3))
        #expect(BigInt(Int.min).shiftedRight(by: 63) == BigInt(-1))
        #expect(BigInt(5).shiftedRight(by: 64) == BigInt(0))
        #expect(BigInt(-5).shiftedRight(by: 200) == BigInt(0))
    }

    @Test("a minus sign becomes U+2212 in ASCII and in other text alike")
    func unicodeMinus() {
        #expect(Format.unicodeMinus("-3/4 - -1") == "−3/4 − −1")
        #expect(Format.unicodeMinus("π - 1") == "π − 1")
        #expect(Format.unicodeMinus("12") == "12")
    }
}
