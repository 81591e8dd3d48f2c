/// Questions about primes: "is 97 prime", "the 10th prime number", "the sum of the first 10 primes",
/// "prime factorization of 360", "prime factors of 84".
enum PrimePhrases {
    /// Below this bound Miller–Rabin with the first 13 prime bases is a proof (Sorenson & Webster).
    static let deterministicBound = BigInt("3317044064679887385961981"[...])!

    /// "is 97 prime", "is 91 a prime number", "whether 97 is prime", "is 15 composite".
    static func isPrime(_ text: Substring) -> MathAnswer? {
        guard text.mentions("prime") || text.mentions("composite") else { return nil }
        var scanner = WordScanner(text)
        var subject: Substring
        var asksComposite = false
        let predicates = [
            "a prime number", "a prime", "prime number", "prime", "a composite number", "composite number",
            "composite", "prime or composite", "a prime or a composite number", "a prime or composite number",
        ]
        if scanner.accept("is") {
            // "is N prime": the predicate is the tail.
            guard let (number, predicate) = splitTail(scanner.rest, predicates: predicates) else { return nil }
            subject = number
            asksComposite = predicate.hasPrefix("composite") || predicate.hasPrefix("a composite")
        } else {
            _ = scanner.accept(
                "check if", "check whether", "determine if", "determine whether", "whether", "if",
                "tell me if", "tell me whether")
            guard let (head, predicate) = splitTail(scanner.rest, predicates: predicates), head.hasSuffix(" is")
            else { return nil }
            subject = head.dropLast(3)
            asksComposite = predicate.hasPrefix("composite") || predicate.hasPrefix("a composite")
        }
        guard let n = ArithmeticRecognizer.integer(subject) else { return nil }
        return primalityAnswer(n, asksComposite: asksComposite)
    }

    /// Splits "N a prime number" into ("N", "a prime number") for the longest matching predicate.
    private static func splitTail(_ text: Substring, predicates: [String]) -> (Substring, String)? {
        var best: (Substring, String)? = nil
        for predicate in predicates where text.hasSuffix(" " + predicate) {
            if best == nil || predicate.count > best!.1.count {
                best = (text.dropLast(predicate.count + 1), predicate)
            }
        }
        return best
    }

    static func primalityAnswer(_ n: BigInt, asksComposite: Bool) -> MathAnswer {
        let name = NumberFormatting.integer(n)
        var working: [String] = []
        let prime = NumberTheory.isPrime(n)
        if n < 2 {
            working = [
                "A prime is a whole number greater than 1 whose only divisors are 1 and itself.",
                "\(name) is not greater than 1, so it is neither prime nor composite.",
            ]
            let answer = "No"
            return MathAnswer(answer: answer, working: working, exact: "\(name) is not prime", topic: .numberTheory)
        }
        if prime {
            if n < 4 {
                working = [
                    "A prime is a whole number greater than 1 whose only divisors are 1 and itself.",
                    "\(name) has no divisors other than 1 and \(name).",
                ]
            } else if n <= BigInt(1_000_000_000_000) {
                let limit = n.integerSquareRoot()
                let primes = NumberTheory.firstPrimes(primeCount(upTo: limit.asInt!))
                let listed =
                    primes.count <= 8
                    ? primes.map(\.description).joined(separator: ", ")
                    : primes.prefix(3).map(\.description).joined(separator: ", ") + ", …, " + primes.last!.description
                working = [
                    "√\(name) ≈ \(Format.decimal(n.doubleValue.squareRoot(), fractionDigits: 2)), so it is enough to "
                        + "test the primes up to \(limit): \(listed).",
                    "None of them divides \(name) evenly.",
                ]
            } else if n < deterministicBound {
                working = [
                    "\(name) has no prime factor below 100.",
                    "It passes the Miller–Rabin test for the bases 2, 3, 5, …, 41, which is a proof of primality "
                        + "for numbers below 3.3 × 10²⁴.",
                ]
            } else {
                working = [
                    "\(name) has no prime factor below 100.",
                    "It passes the strong probable-prime test for the 20 prime bases 2 to 71; no composite number "
                        + "is known to pass it, but above 3.3 × 10²⁴ this is not a proof.",
                ]
            }
            let proven = n < deterministicBound
            working.append("So \(name) is " + (proven ? "prime." : "almost certainly prime."))
            let answer = asksComposite ? "No" : (proven ? "Yes" : "Yes (probable prime)")
            return MathAnswer(
                answer: answer, working: working,
                exact: proven ? "\(name) is prime" : "\(name) is a probable prime", topic: .numberTheory)
        }
        let factors = NumberTheory.factorize(n)
        if let factors, let smallest = factors.first?.prime {
            let quotient = n / smallest
            working = ["\(name) ÷ \(smallest) = \(quotient), so \(smallest) divides \(name)."]
            if factors.count > 1 || factors[0].exponent > 1 {
                working.append("Prime factorisation: \(name) = \(NumberFormatting.factorization(factors)).")
            }
        } else {
            working = ["\(name) fails the Miller–Rabin test, which no prime fails."]
        }
        working.append("So \(name) is composite, not prime.")
        return MathAnswer(
            answer: asksComposite ? "Yes" : "No", working: working, exact: "\(name) is not prime",
            topic: .numberTheory)
    }

    private static func primeCount(upTo limit: Int) -> Int {
        var count = 0
        PrimeSieve.forEachPrime(upTo: limit) { _ in
            count += 1
            return true
        }
        return count
    }

    private static let ordinalWords: [Substring: Int] = [
        "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
        "ninth": 9, "tenth": 10, "hundredth": 100, "thousandth": 1000,
    ]

    /// Reads an ordinal: "10th", "1st", "22nd", "3rd", or "first" … "tenth".
    static func ordinal(_ word: Substring) -> Int? {
        if let value = ordinalWords[word] { return value }
        let digits = word.dropLast(2)
        let suffix = word.suffix(2)
        guard !digits.isEmpty, digits.allSatisfy(\.isNumber), let value = Int(digits.filter { $0 != "," }) else {
            return nil
        }
        let expected: Substring
        switch (value % 100 >= 11 && value % 100 <= 13) ? 0 : value % 10 {
        case 1: expected = "st"
        case 2: expected = "nd"
        case 3: expected = "rd"
        default: expected = "th"
        }
        return suffix == expected ? value : nil
    }

    /// "the 10th prime", "10th prime number", "the first prime".
    static func nthPrime(_ text: Substring) -> MathAnswer? {
        guard text.mentions("prime") else { return nil }
        var scanner = WordScanner(text)
        _ = scanner.accept("the")
        guard let word = scanner.rest.split(separator: " ").first, let n = ordinal(word) else { return nil }
        _ = scanner.accept(String(word))
        guard scanner.accept("prime number", "prime"), scanner.atEnd else { return nil }
        guard let prime = NumberTheory.nthPrime(n) else { return nil }
        let shown = NumberTheory.firstPrimes(min(n, 10))
        var working = [
            "The primes in order: " + shown.map(\.description).joined(separator: ", ")
                + (n > 10 ? ", …" : "")
        ]
        working.append("Counting to the \(word) gives \(prime).")
        return MathAnswer(
            answer: prime.description, working: working, exact: prime.description,
            topic: .numberTheory)
    }

    /// "the sum of the first 10 prime numbers", "sum of first 5 primes".
    static func sumOfFirstPrimes(_ text: Substring) -> MathAnswer? {
        guard text.mentions("prime") else { return nil }
        var scanner = WordScanner(text)
        _ = scanner.accept("the")
        guard scanner.accept("sum of the first", "sum of first", "total of the first"),
            let count = scanner.integer(), scanner.accept("prime numbers", "primes"), scanner.atEnd,
            let n = count.asInt, n >= 1, let sum = NumberTheory.sumOfFirstPrimes(n)
        else { return nil }
        var working: [String]
        if n <= 12 {
            let primes = NumberTheory.firstPrimes(n)
            working = [
                "The first \(n) primes: " + primes.map(\.description).joined(separator: ", "),
                primes.map(\.description).joined(separator: " + ") + " = \(sum)",
            ]
        } else {
            let last = NumberTheory.nthPrime(n)!
            working = ["The first \(n) primes run from 2 to \(last).", "Adding them gives \(sum)."]
        }
        return MathAnswer(answer: sum.description, working: working, exact: sum.description, topic: .numberTheory)
    }

    /// "prime factorization of 360", "the prime factors of 84", "factorise 360".
    static func factorization(_ text: Substring) -> MathAnswer? {
        guard text.mentions("factor") || text.mentions("decomposition") else { return nil }
        var scanner = WordScanner(text)
        _ = scanner.accept("the")
        var distinct = false
        if scanner.accept("prime factors of", "distinct prime factors of") {
            distinct = true
        } else if !scanner.accept(
            "prime factorization of", "prime factorisation of", "prime decomposition of",
            "factorization of", "factorisation of", "factorize", "factorise", "factor")
        {
            return nil
        }
        guard let n = ArithmeticRecognizer.integer(scanner.rest), n.magnitude >= 2,
            let factors = NumberTheory.factorize(n)
        else { return nil }
        let product = (n.signum < 0 ? "−1 × " : "") + NumberFormatting.factorization(factors)
        let name = NumberFormatting.integer(n)
        var working: [String] = []
        var rest = n.magnitude
        for (prime, exponent) in factors.prefix(3) {
            let next = rest / prime.power(exponent)
            let counts = [
                "once", "twice", "three times", "four times", "five times", "six times", "seven times",
                "eight times", "nine times", "ten times",
            ]
            let times = exponent <= counts.count ? counts[exponent - 1] : "\(exponent) times"
            working.append("Divide by \(prime) \(times): \(rest) → \(next)")
            rest = next
        }
        if factors.count > 3 {
            working.append(
                "Continue with the primes " + factors.dropFirst(3).map(\.prime.description).joined(separator: ", ")
                    + ": → 1")
        }
        working.append("\(name) = \(product)")
        let answer = distinct ? factors.map(\.prime.description).joined(separator: ", ") : product
        return MathAnswer(answer: answer, working: working, exact: product, topic: .numberTheory)
    }
}
