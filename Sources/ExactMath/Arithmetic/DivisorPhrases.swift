/// "the GCD of 48 and 18", "greatest common factor of 12, 18 and 24", "LCM of 4, 6 and 10".
enum DivisorPhrases {
    private static let gcdNames = [
        "greatest common divisor of", "greatest common factor of", "highest common factor of", "gcd of", "gcf of",
        "hcf of",
    ]
    private static let lcmNames = ["least common multiple of", "lowest common multiple of", "lcm of"]

    static func gcdOrLcm(_ text: Substring) -> MathAnswer? {
        guard
            text.mentions("common") || text.mentions("gcd") || text.mentions("gcf") || text.mentions("hcf")
                || text.mentions("lcm")
        else { return nil }
        var scanner = WordScanner(text)
        _ = scanner.accept("the")
        let isGCD: Bool
        if scanner.accept(gcdNames) {
            isGCD = true
        } else if scanner.accept(lcmNames) {
            isGCD = false
        } else {
            return nil
        }
        var list = scanner.rest
        if list.hasPrefix("the numbers ") { list = list.dropFirst("the numbers ".count) }
        var values: [BigInt] = []
        for part in splitList(list) {
            guard let value = ArithmeticRecognizer.integer(part) else { return nil }
            values.append(value)
        }
        guard values.count >= 2 else { return nil }
        return isGCD ? gcdAnswer(values) : lcmAnswer(values)
    }

    /// What separates the items of a list; on a tie the earlier one wins.
    private static let listSeparators = [", and ", ", ", " and ", " & "]

    /// Splits "4, 6 and 10" / "4, 6, and 10" / "48 and 18" into parts; commas inside numbers ("1,000") stay.
    static func splitList(_ text: Substring) -> [Substring] {
        var parts: [Substring] = []
        var rest = text
        while !rest.isEmpty {
            var cut: Range<Substring.Index>? = nil
            for separator in listSeparators {
                // `mentions` (bytes) is a cheap necessary condition for `firstRange` (characters) to find it.
                if rest.mentions(separator), let range = rest.firstRange(of: separator),
                    cut == nil || range.lowerBound < cut!.lowerBound
                {
                    cut = range
                }
            }
            guard let range = cut else {
                parts.append(rest)
                break
            }
            parts.append(rest[..<range.lowerBound])
            rest = rest[range.upperBound...]
        }
        return parts
    }

    private static func gcdAnswer(_ values: [BigInt]) -> MathAnswer {
        var working: [String] = []
        var result = values[0].magnitude
        if values.count == 2 {
            // Euclid's algorithm, one division per line.
            var (a, b) = (values[0].magnitude, values[1].magnitude)
            if a < b { (a, b) = (b, a) }
            var lines: [String] = []
            while !b.isZero {
                let (q, r) = a.quotientAndRemainder(dividingBy: b)
                lines.append("\(a) = \(q) × \(b) + \(r)")
                (a, b) = (b, r)
            }
            result = a
            working = lines.count <= 4 ? lines : Array(lines.prefix(2)) + ["…"] + [lines.last!]
            if working.count < 2 { working.insert("Euclid's algorithm: divide and keep the remainder.", at: 0) }
            working.append("The last non-zero remainder is \(result).")
        } else {
            for value in values.dropFirst() {
                let next = BigInt.gcd(result, value)
                working.append("gcd(\(result), \(NumberFormatting.integer(value))) = \(next)")
                result = next
            }
        }
        return MathAnswer(
            answer: result.description, working: Array(working.prefix(5)), exact: result.description,
            topic: .numberTheory)
    }

    private static func lcmAnswer(_ values: [BigInt]) -> MathAnswer {
        var working: [String] = []
        var result = values[0].magnitude
        for value in values.dropFirst() {
            let divisor = BigInt.gcd(result, value)
            let next = NumberTheory.lcm(result, value)
            let name = NumberFormatting.integer(value)
            if values.count == 2 {
                working.append("gcd(\(result), \(name)) = \(divisor)")
                working.append("lcm = \(result) × \(value.magnitude) ÷ \(divisor) = \(next)")
            } else {
                working.append("lcm(\(result), \(name)) = \(result) × \(value.magnitude) ÷ \(divisor) = \(next)")
            }
            result = next
        }
        return MathAnswer(
            answer: result.description, working: Array(working.suffix(5)), exact: result.description,
            topic: .numberTheory)
    }
}
