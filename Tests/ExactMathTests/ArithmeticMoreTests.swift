import Testing

@testable import ExactMath

/// The answer MathSolver gives, as the Skills module sees it.
private func answer(_ question: String) -> String? {
    MathSolver.solve(question)?.answer
}

@Suite("Remainders")
struct ArithmeticModuloTests {
    @Test(
        "mod, modulo, % between whole numbers and remainder phrasings",
        arguments: [
            ("17 mod 5", "2"), ("17 modulo 5", "2"), ("What is 17 mod 5?", "2"),
            ("the remainder when 100 is divided by 7", "2"), ("What is the remainder of 100 divided by 7?", "2"),
            ("remainder when dividing 100 by 7", "2"), ("100 % 7", "2"), ("100%7", "2"), ("-7 mod 3", "2"),
            ("2^100 mod 7", "2"), ("3^1000000 mod 7", "4"), ("2^10 (mod 7)", "2"), ("(3 + 17) mod 5", "0"),
            ("10! mod 13", "6"), ("the remainder when twenty is divided by six", "2"),
            ("17 mod 0", "undefined (division by zero)"),
        ])
    func remainders(question: String, expected: String) {
        #expect(answer(question) == expected, "\(question)")
    }

    @Test(
        "abstains when the operands or the operator's reach are unclear",
        arguments: ["3 + 17 mod 5", "-7 % 3", "5.5 % 2", "17 mod 5 mod 2", "17 mod -5", "x mod 5", "17 mod apples"])
    func abstains(question: String) {
        #expect(MathSolver.solve(question) == nil, "\(question)")
    }

    @Test("working shows the division")
    func working() throws {
        let solved = try #require(MathSolver.solve("100 % 7"))
        #expect(solved.working == ["Divide 100 by 7: 100 = 14 × 7 + 2", "The remainder is 2, so 100 mod 7 = 2."])
        #expect(solved.topic == .numberTheory)
        let huge = try #require(MathSolver.solve("3^1000000 mod 7"))
        #expect(huge.working.last == "3¹⁰⁰⁰⁰⁰⁰ mod 7 = 4")
    }
}

@Suite("Statistics of a list")
struct ArithmeticStatisticsTests {
    @Test(
        "mean, median, mode, range, sum, product, extremes, variance and standard deviation",
        arguments: [
            ("What is the average of 3, 5 and 10?", "6"), ("mean of 1, 2", "1.5"),
            ("mean of 1, 2, 4", "7/3 ≈ 2.333333"),
            ("Find the arithmetic mean of the numbers 2.5, 3.5 and 4", "10/3 ≈ 3.333333"),
            ("median of 4, 1, 7, 2", "3"), ("the median of {9, 1, 5}", "5"),
            ("mode of 1, 2, 2, 3, 3", "2, 3"), ("what is the mode of 4, 4, 1, 4, 2", "4"),
            ("mode of 1,2,3", "no mode"),
            ("the range of {3, 9, -2}", "11"), ("sum of twelve and thirteen", "25"), ("product of 2, 3 and 4", "24"),
            ("the largest of 3, 9, 4", "9"), ("minimum of [3, -1.5, 4]", "−1.5"),
            ("standard deviation of 2, 4, 4, 4, 5, 5, 7, 9", "2"),
            ("standard deviation of 1, 2, 3, 4", "√5/2 ≈ 1.118034"),
            ("sample standard deviation of 1, 2, 3, 4", "√15/3 ≈ 1.290994"), ("variance of 1, 2, 3, 4", "1.25"),
            ("sample variance of 1, 2, 3, 4", "5/3 ≈ 1.666667"), ("mean of the data set: 1 2 3 4 5", "3"),
            ("average of 1,000, 2,000 and 3,000", "2000"),
        ])
    func statistics(question: String, expected: String) {
        #expect(answer(question) == expected, "\(question)")
    }

    @Test(
        "abstains on lists it cannot read and statistics that need more values",
        arguments: [
            "the mean of apples", "the median of 3, 5 and x", "sample variance of 4", "the average speed of a car",
            "range of the function 1/x", "mean of", "the sum of 5",
        ])
    func abstains(question: String) {
        #expect(MathSolver.solve(question) == nil, "\(question)")
    }

    @Test("standard deviation keeps the exact root and shows the variance")
    func standardDeviation() throws {
        let solved = try #require(MathSolver.solve("standard deviation of 1, 2, 3, 4"))
        #expect(solved.exact == "√5/2")
        #expect(solved.approximation == "1.118034")
        #expect(solved.topic == .statistics)
        #expect(solved.working.contains("Population variance = 5 ÷ 4 = 1.25"))
    }
}

@Suite("Percentage relations and money")
struct ArithmeticPercentRelationTests {
    @Test(
        "more, less, off, discounts, tips, taxes and changes keep the currency",
        arguments: [
            ("percentage change from 50 to 65", "30%"), ("What is the percentage change from 80 to 60?", "−25%"),
            ("percentage decrease from 80 to 60", "25%"), ("what is 20% more than 50", "60"),
            ("30% less than 80", "56"), ("increase 50 by 10%", "55"), ("decrease $80 by 25%", "$60"),
            ("a 15% tip on $40", "$6"), ("What is a 15% tip on $45?", "$6.75"), ("$120 with 20% off", "$96"),
            ("20% off $120", "$96"), ("$120 with a 20% discount", "$96"), ("8% tax on $50", "$4"),
            ("$50 plus 8% tax", "$54"), ("€10 plus 10% VAT", "€11"), ("What is 15% of $40?", "$6"),
            ("15% of $33.33", "$4.9995 ≈ $5.00"), ("£80 reduced by 12.5%", "£70"),
            ("what percent of 80 is 20", "25%"),
            ("20 is what percent of 80", "25%"), ("what is 12% of £250", "£30"),
            ("$19.99 with 10% off", "$17.991 ≈ $17.99"),
        ])
    func relations(question: String, expected: String) {
        #expect(answer(question) == expected, "\(question)")
    }

    @Test(
        "abstains when the question could ask for the discount or the price",
        arguments: ["20% discount on $120", "50 + 10%", "$40 × $2", "20% more than apples", "a 15% tip"])
    func abstains(question: String) {
        #expect(MathSolver.solve(question) == nil, "\(question)")
    }
}

@Suite("Rounding")
struct ArithmeticRoundingTests {
    @Test(
        "decimal places, significant figures and nearest multiples",
        arguments: [
            ("round 3.14159 to 2 decimal places", "3.14"), ("round 1234 to the nearest hundred", "1200"),
            ("round 3.14159 to 3 significant figures", "3.14"), ("Round 0.0012345 to 3 significant figures", "0.00123"),
            ("round 123456 to 2 sig figs", "120000"), ("What is pi to 5 decimal places?", "3.14159"),
            ("round the square root of 2 to 4 decimal places", "1.4142"), ("2/3 rounded to the nearest tenth", "0.7"),
            ("round 17 to the nearest 5", "15"), ("round 2.5 to the nearest whole number", "3"),
            ("round -2.5 to the nearest integer", "−3"), ("round 3.999 to two decimal places", "4.00"),
            ("round 1234.5678 to the nearest ten", "1230"), ("round 7 to 3 significant figures", "7.00"),
            ("round 2.345 to 1 decimal place", "2.3"), ("round 0.125 to the nearest hundredth", "0.13"),
            ("round 1/3 to 20 decimal places", "0.33333333333333333333"),
        ])
    func rounding(question: String, expected: String) {
        #expect(answer(question) == expected, "\(question)")
    }

    @Test(
        "abstains without a precision it understands, or beyond the precision it knows",
        arguments: [
            "round 3.7", "round up 3.7 to the nearest integer", "round 3.7 to the nearest apple",
            "round pi to 30 decimal places", "round x to 2 decimal places", "how to round numbers",
        ])
    func abstains(question: String) {
        #expect(MathSolver.solve(question) == nil, "\(question)")
    }
}

@Suite("Numbers in words, named powers and absolute values")
struct ArithmeticWordsTests {
    @Test(
        "number words, fractions, multipliers and named powers",
        arguments: [
            ("what is twelve times thirteen", "156"), ("seven squared", "49"), ("half of 90", "45"),
            ("a third of 60", "20"), ("two thirds of ninety", "60"), ("twice 17", "34"), ("double 21", "42"),
            ("triple 7", "21"), ("a dozen", "12"), ("half a dozen", "6"), ("3 dozen", "36"),
            ("one hundred and twenty-five plus five", "130"), ("two million divided by four", "500000"),
            ("three point five times two", "7"), ("is ninety-seven prime", "Yes"), ("seven cubed", "343"),
            ("7 cubed", "343"), ("the square of 12", "144"), ("the cube of 3", "27"), ("the reciprocal of 4", "0.25"),
            ("10 to the 3rd power", "1000"), ("the 4th root of 81", "3"), ("the fourth root of 81", "3"),
            ("the third root of 27", "3"), ("|−7|", "7"), ("absolute value of -7", "7"),
            ("the absolute value of negative seven", "7"), ("a quarter of 80", "20"),
            ("a third", "1/3 ≈ 0.333333"), ("five factorial", "120"),
        ])
    func words(question: String, expected: String) {
        #expect(answer(question) == expected, "\(question)")
    }

    @Test(
        "abstains on number words that do not form a number or a question",
        arguments: ["twelve thirteen", "which one is bigger", "twice", "the square of the sum", "one two"]
    )
    func abstains(question: String) {
        #expect(MathSolver.solve(question) == nil, "\(question)")
    }
}

@Suite("Unit conversions")
struct ArithmeticConversionTests {
    @Test(
        "exact factors for lengths, masses and times; formulas for temperatures",
        arguments: [
            ("How many seconds are in a day?", "86400"), ("convert 5 km to m", "5000 m"),
            ("100 °F in °C", "340/9 °C ≈ 37.78 °C"), ("100°f in °c", "340/9 °C ≈ 37.78 °C"),
            ("convert 212 degrees fahrenheit to celsius", "100 °C"), ("how many inches in a foot", "12"),
            ("convert 10 miles to km", "16.09344 km"), ("convert 1 lb to g", "453.59237 g"),
            ("how many minutes are in 3 hours", "180"), ("convert 48 hours to days", "2 days"),
            ("0 K to °C", "−273.15 °C"), ("5 kg in lb", "500000000/45359237 lb ≈ 11.02 lb"),
        ])
    func conversions(question: String, expected: String) {
        #expect(answer(question) == expected, "\(question)")
    }

    @Test(
        "abstains on units of different kinds and unknown units",
        arguments: ["convert 5 km to kg", "convert 5 km to km", "convert 5 parsecs to m", "how many apples in a box"])
    func abstains(question: String) {
        #expect(MathSolver.solve(question) == nil, "\(question)")
    }

    @Test("working names the factor")
    func working() throws {
        let solved = try #require(MathSolver.solve("How many seconds are in a day?"))
        #expect(solved.working == ["1 day = 86400 s", "1 day = 1 × 86400 = 86400 s"])
        #expect(solved.topic == .conversion)
    }
}
