import Testing

@testable import ExactMath

/// Parses with no variables and evaluates; the value's exact text and approximation in decimal style.
private func evaluated(_ text: String, style: NumberStyle = .decimal) throws -> (exact: String, approximation: String?)
{
    let expr = try ExpressionParser.parse(Substring(text), variables: [])
    return NumberFormatting.describe(try ExpressionEvaluator.evaluate(expr), style: style)
}

private func failure(_ text: String) -> ExpressionError? {
    do {
        let expr = try ExpressionParser.parse(Substring(text), variables: [])
        _ = try ExpressionEvaluator.evaluate(expr)
        return nil
    } catch {
        return error
    }
}

@Suite("Expression parser")
struct ExpressionParserTests {
    @Test("errors point at the offending character, counted in Unicode scalars")
    func errorOffsets() {
        #expect(failure("2 + $")?.offset == 4)
        #expect(failure("√4 × 3 @")?.offset == 7)
        #expect(failure("²√8 + ½ # 1")?.offset == 8)
        #expect(failure("log₂(8) + apples")?.message == "unknown word 'apples'")
        #expect(failure("log₂(8) + apples")?.offset == 10)
    }

    @Test("non-ASCII operators, superscripts, subscripts and vulgar fractions read as their ASCII forms")
    func unicodeSymbols() throws {
        #expect(try ExpressionParser.parse("7 − 2 ÷ 4 · 3") == ExpressionParser.parse("7 - 2 / 4 * 3"))
        #expect(try ExpressionParser.parse("1½ × ¼") == .multiply(.number(Rational(3, 2)), .number(Rational(1, 4))))
        #expect(try ExpressionParser.parse("LOG₁₀(100)") == ExpressionParser.parse("log_10(100)"))
        #expect(try ExpressionParser.parse("Log2(8)") == .function(.log, [.number(2), .number(8)]))
    }

    @Test("precedence, associativity and postfix operators")
    func structure() throws {
        #expect(try ExpressionParser.parse("1 + 2 × 3") == .add(.number(1), .multiply(.number(2), .number(3))))
        #expect(try ExpressionParser.parse("2^3^2") == .power(.number(2), .power(.number(3), .number(2))))
        #expect(try ExpressionParser.parse("-2^2") == .negate(.power(.number(2), .number(2))))
        #expect(try ExpressionParser.parse("8!") == .factorial(.number(8)))
        #expect(
            try ExpressionParser.parse("25% of 80")
                == .multiply(.percent(.number(25)), .number(80)))
        #expect(try ExpressionParser.parse("3.7") == .number(Rational(37, 10)))
        #expect(try ExpressionParser.parse("x²", variables: ["x"]) == .power(.variable("x"), .number(2)))
    }

    @Test("implicit multiplication, Unicode operators and functions")
    func notation() throws {
        #expect(try ExpressionParser.parse("2x", variables: ["x"]) == .multiply(.number(2), .variable("x")))
        #expect(try ExpressionParser.parse("3(4+5)") == .multiply(.number(3), .add(.number(4), .number(5))))
        #expect(try ExpressionParser.parse("2π") == .multiply(.number(2), .constant(.pi)))
        #expect(
            try ExpressionParser.parse("x²y", variables: ["x", "y"])
                == .multiply(.power(.variable("x"), .number(2)), .variable("y")))
        #expect(try ExpressionParser.parse("6 ÷ 3 − 1") == .subtract(.divide(.number(6), .number(3)), .number(1)))
        #expect(try ExpressionParser.parse("2**3") == .power(.number(2), .number(3)))
        #expect(try ExpressionParser.parse("√16") == .function(.sqrt, [.number(16)]))
        #expect(try ExpressionParser.parse("∛27") == .function(.cbrt, [.number(27)]))
        #expect(try ExpressionParser.parse("log₂(64)") == .function(.log, [.number(2), .number(64)]))
        #expect(try ExpressionParser.parse("log_2(64)") == .function(.log, [.number(2), .number(64)]))
        #expect(try ExpressionParser.parse("log(100)") == .function(.log10, [.number(100)]))
        #expect(
            try ExpressionParser.parse("ln e^2")
                == .function(.ln, [.power(.constant(.e), .number(2))]))
        #expect(try ExpressionParser.parse("C(10, 3)") == .function(.nCr, [.number(10), .number(3)]))
        #expect(try ExpressionParser.parse("gcd(12,345)") == .function(.gcd, [.number(12), .number(345)]))
        #expect(try ExpressionParser.parse("1,000,000") == .number(1_000_000))
        #expect(try ExpressionParser.parse("12x13", variables: []) == .multiply(.number(12), .number(13)))
    }

    @Test("rejects what it does not fully understand")
    func rejections() {
        for text in [
            "", "2 +", "(2", "2)", "3 4", "2 + apples", "x + 1", "1,00", "log(8, 2)", "sqrt(1, 2)", "2 ^",
            "#", "1..2",
        ] {
            #expect(throws: ExpressionError.self, "\(text)") {
                try ExpressionParser.parse(Substring(text), variables: [])
            }
        }
        #expect(throws: ExpressionError.self) { try ExpressionParser.parse("2 + y", variables: ["x"]) }
        let deep = String(repeating: "(", count: 500) + "1" + String(repeating: ")", count: 500)
        #expect(throws: ExpressionError.self) { try ExpressionParser.parse(Substring(deep)) }
    }

    @Test("printing round-trips through the parser")
    func printing() throws {
        for text in [
            "3.7 × 8.9 − 2.1", "5!/(3! × 2!)", "2²⁰⁰", "25% of 80% of 160", "√50 + 2√3", "log₂(64)",
            "−(2 + 3)", "2 − (3 − 4)", "(−2)²", "|−5|",
        ] {
            let expr = try ExpressionParser.parse(Substring(text), variables: [])
            #expect(
                try ExpressionParser.parse(Substring(ExpressionPrinter.text(expr)), variables: []) == expr, "\(text)")
        }
        #expect(ExpressionPrinter.text(try ExpressionParser.parse("3.7*8.9-2.1")) == "3.7 × 8.9 − 2.1")
        // Parentheses only where the structure needs them, decided before each part is written.
        let printed: [(String, String)] = [
            ("-(2+3)", "−(2 + 3)"), ("2-(3-4)", "2 − (3 − 4)"), ("(1/3)^2", "(1/3)²"), ("2^(1/2)", "2^(1/2)"),
            ("5!/(3!*2!)", "5! ÷ (3! × 2!)"), ("25% of 80% of 160", "25% of 80% of 160"), ("2*sqrt(3)", "2√3"),
            ("log_2(64)", "log₂(64)"), ("gcd(12, 18)", "gcd(12, 18)"), ("(-3)!", "(−3)!"),
            ("-1/3 * 2", "(−1) ÷ 3 × 2"), ("90°", "90°"), ("³√8", "∛8"), ("2⁻¹ + 1½", "2⁻¹ + 1.5"),
        ]
        for (text, expected) in printed {
            #expect(
                ExpressionPrinter.text(try ExpressionParser.parse(Substring(text), variables: [])) == expected,
                "\(text)")
        }
    }
}

@Suite("Exact evaluation")
struct ExactEvaluationTests {
    @Test("rationals stay exact")
    func rationals() throws {
        #expect(try evaluated("0.1 + 0.2") == ("0.3", nil))
        #expect(try evaluated("3.7 × 8.9 - 2.1") == ("30.83", nil))
        #expect(try evaluated("1/3 + 1/6", style: .fraction) == ("1/2", nil))
        #expect(try evaluated("2/3") == ("2/3", "0.666667"))
        #expect(try evaluated("2^200").exact == "1606938044258990275541962092341162602522202993782792835301376")
        #expect(try evaluated("(5!)/(3! × 2!)") == ("10", nil))
        #expect(try evaluated("2^-2") == ("0.25", nil))
        #expect(try evaluated("25% of 80% of 160") == ("32", nil))
        #expect(try evaluated("2/3 of 9") == ("6", nil))
    }

    @Test("roots, powers of π and e, and logarithms stay exact")
    func irrationals() throws {
        #expect(try evaluated("√50") == ("5√2", "7.071068"))
        #expect(try evaluated("√8 + √2") == ("3√2", "4.242641"))
        #expect(try evaluated("√(1/2)") == ("√2/2", "0.707107"))
        #expect(try evaluated("√2 × √6") == ("2√3", "3.464102"))
        #expect(try evaluated("1/√2") == ("√2/2", "0.707107"))
        #expect(try evaluated("4^(3/2)") == ("8", nil))
        #expect(try evaluated("(-8)^(1/3)") == ("−2", nil))
        #expect(try evaluated("∛(-27)") == ("−3", nil))
        #expect(try evaluated("2π × 3") == ("6π", "18.849556"))
        #expect(try evaluated("π^2/6") == ("π²/6", "1.644934"))
        #expect(try evaluated("ln(e^2)") == ("2", nil))
        #expect(try evaluated("log₂(64)") == ("6", nil))
        #expect(try evaluated("log_4(8)") == ("1.5", nil))
        #expect(try evaluated("log_8(1/2)") == ("−1/3", "−0.333333"))
        #expect(try evaluated("log(0.001)") == ("−3", nil))
        #expect(try evaluated("sin(π/6)") == ("0.5", nil))
        #expect(try evaluated("cos(30°)") == ("√3/2", "0.866025"))
        #expect(try evaluated("tan(π/4)") == ("1", nil))
        #expect(try evaluated("sin(π)") == ("0", nil))
    }

    @Test("lost exactness is reported as an approximation of the exact expression")
    func approximations() throws {
        let log = try ExpressionEvaluator.evaluate(try ExpressionParser.parse("log₂(10)"))
        #expect(!log.isExact)
        #expect(NumberFormatting.describe(log, style: .decimal) == ("log₂(10)", "3.321928"))
        #expect(try evaluated("sin(1)") == ("sin(1)", "0.841471"))
        #expect(try evaluated("√2 + √3") == ("√2 + √3", "3.146264"))
        #expect(try evaluated("2^(1/3)") == ("2^(1/3)", "1.259921"))
    }

    @Test("undefined, non-real and oversized results fail with a reason")
    func failures() {
        #expect(failure("1/0")?.reason == .undefined)
        #expect(failure("0^-1")?.reason == .undefined)
        #expect(failure("(-3)!")?.reason == .undefined)
        #expect(failure("log(0)")?.reason == .undefined)
        #expect(failure("tan(π/2)")?.reason == .undefined)
        #expect(failure("sqrt(-4)")?.reason == .notReal)
        #expect(failure("(-4)^(1/2)")?.reason == .notReal)
        #expect(failure("10^10^10")?.reason == .tooLarge)
        #expect(failure("100000!")?.reason == .tooLarge)
        #expect(failure("2^100001")?.reason == .tooLarge)
        #expect(failure("2.5!")?.reason == .unsupported)
        #expect(failure("gcd(1.5, 3)")?.reason == .unsupported)
        #expect(failure("2^1000") == nil)
    }

    @Test("steps show each operation with its operands already evaluated")
    func steps() throws {
        let expr = try ExpressionParser.parse("3.7 × 8.9 - 2.1")
        let (_, steps) = try ExpressionEvaluator.evaluateWithSteps(expr)
        #expect(steps.map { ExpressionPrinter.text($0.reduced) } == ["3.7 × 8.9", "32.93 − 2.1"])
    }
}
