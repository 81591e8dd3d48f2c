/// Answers arithmetic-type questions exactly: plain expressions and their phrasing in words ("12 times 13",
/// "the square root of 50", "log base 2 of 64", "25% of 80% of 160"), percentages ("what percent of 80 is 20",
/// "increase 50 by 10%"), number theory (primality, the n-th prime, sums of primes, factorisations, GCD and LCM)
/// and counting ("10 choose 3", "how many ways to choose 3 items from 10"). Returns nil for anything it does not
/// fully understand.
public struct ArithmeticRecognizer: MathRecognizer {
    /// Creates the recogniser.
    public init() {}

    /// Solves the question, or returns nil when any part of it is not understood.
    public func solve(_ question: MathQuestion) -> MathAnswer? {
        var core = ArithmeticRecognizer.stripLeadIn(Substring(question.core))
        guard !core.isEmpty, core.utf8.count <= 1_000 else { return nil }
        let hasLetters = core.utf8.contains { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) }
        if hasLetters {
            // `rewrite` returns its input when it has no number word, and `stripLeadIn` is idempotent.
            if NumberWords.mayRewrite(core) { core = ArithmeticRecognizer.stripLeadIn(NumberWords.rewrite(core)) }
            let clues = PhraseClues(core)
            for (mayMatch, form) in ArithmeticRecognizer.phraseForms where mayMatch(clues) {
                if let answer = form(core) { return answer }
            }
        } else if core.utf8.contains(UInt8(ascii: "%")), let answer = ModuloPhrases.remainder(core) {
            return answer
        }
        if let answer = ArithmeticRecognizer.expressionAnswer(core, original: core) { return answer }
        return hasLetters ? ArithmeticRecognizer.numberInWords(Substring(question.core), digits: core) : nil
    }

    /// "a dozen", "one hundred and five": a number said in words, answered with its digits.
    private static func numberInWords(_ words: Substring, digits: Substring) -> MathAnswer? {
        let words = stripLeadIn(words)
        guard words != digits, let value = WordScanner.decimal(digits) else { return nil }
        let text = Format.rational(value, style: .decimal)
        return MathAnswer(answer: text, working: ["\(words) = \(text)"], exact: text, topic: .arithmetic)
    }

    /// The phrase forms tried before the general expression path, most specific first (the order decides which
    /// answer wins), each behind the clues it cannot match without (see `PhraseClues`).
    private static let phraseForms: [(mayMatch: @Sendable (PhraseClues) -> Bool, form: PhraseForm)] = [
        ({ !$0.isDisjoint(with: [.prime, .composite]) }, PrimePhrases.isPrime),
        ({ $0.contains(.prime) }, PrimePhrases.nthPrime),
        ({ $0.contains(.prime) }, PrimePhrases.sumOfFirstPrimes),
        ({ $0.contains(.factor) }, PrimePhrases.factorization),
        ({ $0.contains(.divisor) }, DivisorPhrases.gcdOrLcm),
        ({ $0.contains(.statistic) }, StatisticsPhrases.summary),
        ({ $0.contains(.rounding) }, RoundingPhrases.round),
        (
            { !$0.isDisjoint(with: [.percentWord, .percentSign]) && $0.contains(.whatAsIn) },
            PercentPhrases.whatPercent
        ),
        ({ $0.contains(.change) }, PercentPhrases.change),
        (
            { !$0.isDisjoint(with: [.percentWord, .percentSign]) && !$0.isDisjoint(with: [.relation, .currency]) },
            PercentPhrases.relation
        ),
        ({ $0.contains(.power) }, PowerPhrases.named),
        ({ $0.contains(.inOrTo) }, ConversionPhrases.convert),
        ({ $0.contains(.choose) }, CountingPhrases.choose),
        ({ $0.contains(.arrange) }, CountingPhrases.arrangements),
        // "%" alone answers only "100 % 7": two whole numbers, no letters.
        ({ $0.contains(.modulo) || ($0.contains(.percentSign) && !$0.contains(.letter)) }, ModuloPhrases.remainder),
    ]

    /// A phrase form: a full answer to the question, or nil.
    private typealias PhraseForm = @Sendable (Substring) -> MathAnswer?

    /// Lead-ins the normaliser may have left (recognisers can be called with any core).
    private static let leadIns = [
        "what is", "what's", "whats", "calculate", "compute", "evaluate", "work out", "simplify", "find",
        "how much is", "the value of", "value of",
    ]

    private static let leadInBytes = leadIns.map { Array($0.utf8) }

    static func stripLeadIn(_ text: Substring) -> Substring {
        guard TextTools.charactersAreScalars(text) else { return stripLeadInByCharacters(text) }
        let utf8 = text.utf8
        var start = utf8.startIndex
        var end = utf8.endIndex
        while end > start {
            let last = utf8[utf8.index(before: end)]
            guard last == UInt8(ascii: "?") || last == UInt8(ascii: " ") || last == UInt8(ascii: "=") else { break }
            end = utf8.index(before: end)
        }
        var changed = true
        while changed {
            changed = false
            while start < end, utf8[start] == UInt8(ascii: " ") { start = utf8.index(after: start) }
            guard start < end else { break }
            let first = utf8[start]
            for leadIn in leadInBytes where leadIn[0] == first && TextTools.bytes(utf8[start..<end], startWith: leadIn)
            {
                var rest = utf8.index(start, offsetBy: leadIn.count)
                if rest < end, startsWithLetter(text[rest..<end]) { continue }
                while rest < end, utf8[rest] == UInt8(ascii: " ") || utf8[rest] == UInt8(ascii: ":") {
                    rest = utf8.index(after: rest)
                }
                start = rest
                changed = true
                break
            }
        }
        return text[start..<end]
    }

    /// True when the first character is a letter (tested on the byte when it is ASCII).
    private static func startsWithLetter(_ text: Substring) -> Bool {
        guard let byte = text.utf8.first else { return false }
        if byte < 0x80 { return TextTools.isASCIILetter(byte) }
        return text.first!.isLetter
    }

    /// `stripLeadIn` character by character, for text where a character may span several scalars.
    private static func stripLeadInByCharacters(_ text: Substring) -> Substring {
        var text = text
        while let last = text.last, last == "?" || last == " " || last == "=" { text = text.dropLast() }
        var changed = true
        while changed {
            changed = false
            text = text.drop(while: { $0 == " " })
            // The byte test is a cheap necessary condition: no other character equals one of these ASCII ones.
            for leadIn in leadIns where text.utf8.starts(with: leadIn.utf8) && text.hasPrefix(leadIn) {
                let rest = text.dropFirst(leadIn.count)
                if let next = rest.first, next.isLetter { continue }
                text = rest.drop(while: { $0 == " " || $0 == ":" })
                changed = true
                break
            }
        }
        return text
    }

    /// A whole question as an expression, accepting a trailing parenthetical that restates it
    /// ("8! (8 factorial)").
    static func expressionAnswer(_ text: Substring, original: Substring) -> MathAnswer? {
        let style = NumberStyle.of(original, fallback: .decimal)
        if let (main, restated) = splitRestatement(text), let expr = parse(main),
            let restatement = parse(restated), restates(expr, restatement)
        {
            return answer(for: expr, style: style)
        }
        guard let expr = parse(text) else { return nil }
        return answer(for: expr, style: style)
    }

    private static func answer(for expr: Expr, style: NumberStyle) -> MathAnswer? {
        guard !ExpressionAnswer.hasAmbiguousPercent(expr) else { return nil }
        return ExpressionAnswer.answer(for: expr, style: style)
    }

    /// Parses words and symbols into an expression with no variables; nil when anything is not understood.
    static func parse(_ text: Substring) -> Expr? {
        guard let rewritten = PhraseRewriter.rewrite(text) else { return nil }
        return try? ExpressionParser.parse(Substring(rewritten), variables: [])
    }

    /// The value of a phrase that must be a whole number ("97", "2^61 - 1", "1,000").
    static func integer(_ text: Substring) -> BigInt? {
        guard let expr = parse(text), let value = try? ExpressionEvaluator.evaluate(expr),
            let rational = value.rationalValue, rational.isInteger
        else { return nil }
        return rational.numerator
    }

    /// "A (B)" where the parenthesis closes the text and is preceded by a space: the parts A and B.
    private static func splitRestatement(_ text: Substring) -> (Substring, Substring)? {
        let utf8 = text.utf8
        guard utf8.last == UInt8(ascii: ")") else { return nil }
        guard TextTools.charactersAreScalars(text) else { return splitRestatementByCharacters(text) }
        var depth = 0
        var index = utf8.index(before: utf8.endIndex)
        while true {
            let byte = utf8[index]
            if byte == UInt8(ascii: ")") { depth += 1 }
            if byte == UInt8(ascii: "(") {
                depth -= 1
                if depth == 0 { break }
            }
            guard index > utf8.startIndex else { return nil }
            index = utf8.index(before: index)
        }
        guard index > utf8.startIndex else { return nil }
        let space = utf8.index(before: index)
        guard utf8[space] == UInt8(ascii: " ") else { return nil }
        let main = text[..<space]
        let inner = text[utf8.index(after: index)..<utf8.index(before: utf8.endIndex)]
        guard !main.isEmpty, !inner.isEmpty else { return nil }
        return (main, inner)
    }

    /// `splitRestatement` character by character, for text where a character may span several scalars.
    private static func splitRestatementByCharacters(_ text: Substring) -> (Substring, Substring)? {
        guard text.last == ")" else { return nil }
        var depth = 0
        var index = text.index(before: text.endIndex)
        while true {
            let char = text[index]
            if char == ")" { depth += 1 }
            if char == "(" {
                depth -= 1
                if depth == 0 { break }
            }
            guard index > text.startIndex else { return nil }
            index = text.index(before: index)
        }
        guard index > text.startIndex, text[text.index(before: index)] == " " else { return nil }
        let main = text[..<index].dropLast()
        let inner = text[text.index(after: index)..<text.index(before: text.endIndex)]
        guard !main.isEmpty, !inner.isEmpty else { return nil }
        return (main, inner)
    }

    /// True when `restatement` says the same as `expr`: the same expression, or the same exact value.
    private static func restates(_ expr: Expr, _ restatement: Expr) -> Bool {
        if expr == restatement { return true }
        guard let a = try? ExpressionEvaluator.evaluate(expr), let b = try? ExpressionEvaluator.evaluate(restatement),
            a.isExact
        else { return false }
        return a == b
    }
}
