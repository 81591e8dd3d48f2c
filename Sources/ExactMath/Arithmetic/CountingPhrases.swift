/// Counting questions: "10 choose 3", "how many ways to choose 3 items from 10", "the number of ways to select 2
/// of 5", "combinations of 10 taken 3 at a time", "permutations of 5 taken 2", "how many ways to arrange 3 of 7
/// books", "in how many ways can 5 books be arranged".
enum CountingPhrases {
    /// Words that end a noun slot ("3 items from 10").
    private static let keywords: Set<Substring> = [
        "from", "out", "of", "taken", "at", "a", "time", "be", "is", "are", "and", "to", "in", "the", "choose",
        "select", "pick", "arrange", "order",
    ]

    /// "n choose k" and the "ways to choose/select/pick" and "combinations … taken" phrasings.
    static func choose(_ text: Substring) -> MathAnswer? {
        guard
            text.mentions("choose") || text.mentions("select") || text.mentions("pick")
                || text.mentions("combination") || text.mentions("permutation")
        else { return nil }
        // "10 choose 3" (either side may be an expression such as "(2+8)").
        if let range = text.firstRange(of: " choose "), !text[..<range.lowerBound].contains(" "),
            let n = ArithmeticRecognizer.integer(text[..<range.lowerBound]),
            let k = ArithmeticRecognizer.integer(text[range.upperBound...])
        {
            return answer(n: n, k: k, ordered: false)
        }
        var scanner = WordScanner(text)
        _ = scanner.accept("the")
        if scanner.accept(
            "number of combinations of", "combinations of", "number of permutations of",
            "permutations of")
        {
            let ordered = text.mentions("permutation")
            guard let n = scanner.integer() else { return nil }
            _ = scanner.acceptNoun(excluding: keywords)
            guard scanner.accept("taken", "choose"), let k = scanner.integer() else { return nil }
            _ = scanner.accept("at a time")
            guard scanner.atEnd else { return nil }
            return answer(n: n, k: k, ordered: ordered)
        }
        guard acceptWaysTo(&scanner), scanner.accept("choose", "select", "pick") else { return nil }
        return selection(&scanner, ordered: false)
    }

    /// "how many ways to arrange 3 of 7 books" (ordered selections) and "in how many ways can 5 books be arranged".
    static func arrangements(_ text: Substring) -> MathAnswer? {
        guard text.mentions("arrange") || text.mentions("order") else { return nil }
        var scanner = WordScanner(text)
        _ = scanner.accept("the")
        if scanner.accept("in how many ways can", "how many ways can") {
            guard let n = scanner.integer() else { return nil }
            _ = scanner.acceptNoun(excluding: keywords)
            guard scanner.accept("be arranged", "be ordered", "be lined up", "be arranged in a row"), scanner.atEnd
            else { return nil }
            return factorialAnswer(n)
        }
        guard acceptWaysTo(&scanner), scanner.accept("arrange", "order") else { return nil }
        let saved = scanner
        guard let k = scanner.integer() else { return nil }
        _ = scanner.acceptNoun(excluding: keywords)
        if scanner.atEnd { return factorialAnswer(k) }
        scanner = saved
        return selection(&scanner, ordered: true)
    }

    /// "how many ways (are there) to", "how many ways can you", "number of ways to", "ways to".
    private static func acceptWaysTo(_ scanner: inout WordScanner) -> Bool {
        guard
            scanner.accept(
                "how many different ways", "how many ways", "number of ways", "the number of ways",
                "ways")
        else { return false }
        _ = scanner.accept("are there", "is there")
        return scanner.accept("to", "can you", "can i", "can we", "can one", "could you", "could i")
    }

    /// "3 items from 10", "3 from a group of 10 people", "3 of 10", "3 out of 10 books".
    private static func selection(_ scanner: inout WordScanner, ordered: Bool) -> MathAnswer? {
        guard let k = scanner.integer() else { return nil }
        _ = scanner.acceptNoun(excluding: keywords)
        guard scanner.accept("from", "out of", "of") else { return nil }
        _ = scanner.accept("a group of", "a set of", "a total of", "a class of", "a team of", "the")
        guard let n = scanner.integer() else { return nil }
        _ = scanner.acceptNoun(excluding: keywords)
        guard scanner.atEnd else { return nil }
        return answer(n: n, k: k, ordered: ordered)
    }

    private static func answer(n: BigInt, k: BigInt, ordered: Bool) -> MathAnswer? {
        let expr = Expr.function(ordered ? .nPr : .nCr, [.number(Rational(n)), .number(Rational(k))])
        guard n.signum >= 0, k.signum >= 0, let value = try? ExpressionEvaluator.evaluate(expr),
            let count = value.rationalValue
        else { return nil }
        let symbol = ordered ? "P(\(n), \(k))" : "C(\(n), \(k))"
        var working: [String]
        if k > n {
            working = ["\(symbol): there are only \(n) to choose from, so no selection of \(k) exists."]
        } else if ordered {
            working = ["Ordered selections: \(symbol) = \(n)!/(\(n) − \(k))! = \(n)!/\(n - k)!"]
            if let small = k.asInt, small <= 8, small >= 1 {
                let factors = (0..<small).map { (n - BigInt($0)).description }
                working.append(factors.joined(separator: " × ") + " = \(count)")
            } else {
                working.append("= \(count)")
            }
        } else {
            working = ["Unordered selections: \(symbol) = \(n)!/(\(k)! × (\(n) − \(k))!)"]
            if let small = k.asInt, small <= 8, small >= 1 {
                let top = (0..<small).map { (n - BigInt($0)).description }.joined(separator: " × ")
                let bottom = (1...small).reversed().map(String.init).joined(separator: " × ")
                working.append("(\(top)) ÷ (\(bottom)) = \(count)")
            } else {
                working.append("= \(count)")
            }
        }
        if working.count < 2 { working.append("Answer: 0 ways.") }
        return MathAnswer(
            answer: count.description, working: working, exact: count.description,
            topic: .combinatorics)
    }

    private static func factorialAnswer(_ n: BigInt) -> MathAnswer? {
        guard let value = n.asInt, value >= 0, let count = NumberTheory.factorial(value),
            count.bitWidth <= ExpressionEvaluator.maxResultBits
        else { return nil }
        var working = ["Arranging \(n) distinct items in order: \(n)! ways."]
        if value <= 10, value >= 2 {
            working.append(
                stride(from: value, through: 1, by: -1).map(String.init).joined(separator: " × ")
                    + " = \(count)")
        } else {
            working.append("\(n)! = \(count)")
        }
        return MathAnswer(
            answer: count.description, working: working, exact: count.description,
            topic: .combinatorics)
    }
}
