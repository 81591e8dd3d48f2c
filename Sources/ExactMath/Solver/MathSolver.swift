/// The front door of the math skill: normalises a question and asks the recognisers, most specific and cheapest
/// first, each only when a cheap look at the text says it could match.
public enum MathSolver {
    /// The front door the Skills module calls: nil means "not understood, abstain". Never guesses.
    public static func solve(_ question: String) -> MathAnswer? {
        solve(MathQuestion(question))
    }

    /// Solves an already normalised question.
    public static func solve(_ question: MathQuestion) -> MathAnswer? {
        let core = question.core
        guard !core.isEmpty, core.utf8.count <= maximumLength else { return nil }
        let clues = Clues(core)
        if clues.calculus, let answer = CalculusRecognizer().solve(question) { return answer }
        if clues.geometry, let answer = GeometryRecognizer().solve(question) { return answer }
        if clues.point, let answer = CoordinateRecognizer().solve(question) { return answer }
        if clues.equalsCount >= 2, let answer = LinearSystemRecognizer().solve(question) { return answer }
        if clues.equalsCount == 1 || (clues.equalsCount == 0 && clues.roots), clues.letter,
            let answer = EquationRecognizer().solve(question)
        {
            return answer
        }
        if clues.equalsCount == 1, clues.letter, let answer = SubstitutionRecognizer().solve(question) {
            return answer
        }
        return ArithmeticRecognizer().solve(question)
    }

    /// Questions longer than this (in UTF-8 bytes) are not math questions this solver answers.
    public static let maximumLength = 2_000

    /// What a quick look at the core's bytes reveals about which recognisers could match.
    struct Clues {
        var equalsCount = 0
        var letter = false
        var point = false
        var calculus = false
        var geometry = false
        var roots = false

        static let calculusWords: [[UInt8]] = [
            "deriv", "integra", "d/d", "differentiat", "'(", "′(", "d²/d", "d^2/d",
            "∫", "dy/dx",
        ].map { Array($0.utf8) }
        static let rootWords: [[UInt8]] = ["root", "zero", "solution"].map { Array($0.utf8) }
        static let geometryWords: [[UInt8]] = [
            "area", "perimeter", "circumference", "volume", "diagonal",
            "hypotenuse",
        ].map { Array($0.utf8) }

        init(_ core: String) {
            var sawOpen = false
            var sawCommaInBracket = false
            for byte in core.utf8 {
                switch byte {
                case UInt8(ascii: "="): equalsCount += 1
                case UInt8(ascii: "("): sawOpen = true
                case UInt8(ascii: ","): if sawOpen { sawCommaInBracket = true }
                case UInt8(ascii: "a")...UInt8(ascii: "z"): letter = true
                default: break
                }
            }
            point = sawOpen && sawCommaInBracket
            guard letter else { return }
            let bytes = Array(core.utf8)
            calculus = Clues.containsAny(bytes, Clues.calculusWords)
            geometry = !calculus && Clues.containsAny(bytes, Clues.geometryWords)
            roots = equalsCount == 0 && Clues.containsAny(bytes, Clues.rootWords)
        }

        /// True when any of `needles` occurs in `haystack` (a plain scan: the texts are short).
        static func containsAny(_ haystack: [UInt8], _ needles: [[UInt8]]) -> Bool {
            haystack.withUnsafeBufferPointer { text in
                for needle in needles where needle.count <= text.count {
                    let first = needle[0]
                    var index = 0
                    let last = text.count - needle.count
                    while index <= last {
                        if text[index] == first {
                            var offset = 1
                            while offset < needle.count, text[index + offset] == needle[offset] { offset += 1 }
                            if offset == needle.count { return true }
                        }
                        index += 1
                    }
                }
                return false
            }
        }
    }
}
