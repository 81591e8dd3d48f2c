/// The Porter (1980) stemmer, as SQLite FTS5's `porter` tokenizer applies it: used to count how many facts each
/// search term will match ("uses", "used", "using" → "us"). ASCII lowercase words of 3 to 64 letters are stemmed;
/// anything else is returned unchanged.
enum PorterStemmer {
    static func stem(_ word: String) -> String {
        var bytes = Array(word.utf8)
        guard bytes.count >= 3, bytes.count <= 64, bytes.allSatisfy({ $0 >= 0x61 && $0 <= 0x7a }) else { return word }
        step1a(&bytes)
        step1b(&bytes)
        step1c(&bytes)
        step2(&bytes)
        step3(&bytes)
        step4(&bytes)
        step5(&bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Measures

    /// Whether `word[index]` is a consonant: not a vowel, and `y` only after a vowel.
    private static func isConsonant(_ word: [UInt8], _ index: Int) -> Bool {
        switch word[index] {
        case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"): false
        case UInt8(ascii: "y"): index == 0 ? true : !isConsonant(word, index - 1)
        default: true
        }
    }

    /// The number of vowel-consonant sequences in the first `length` letters.
    private static func measure(_ word: [UInt8], _ length: Int) -> Int {
        var count = 0
        var index = 0
        while index < length, isConsonant(word, index) { index += 1 }
        while index < length {
            while index < length, !isConsonant(word, index) { index += 1 }
            guard index < length else { break }
            count += 1
            while index < length, isConsonant(word, index) { index += 1 }
        }
        return count
    }

    private static func hasVowel(_ word: [UInt8], _ length: Int) -> Bool {
        (0..<length).contains { !isConsonant(word, $0) }
    }

    /// The first `length` letters end in a double consonant.
    private static func endsWithDoubleConsonant(_ word: [UInt8], _ length: Int) -> Bool {
        length >= 2 && word[length - 1] == word[length - 2] && isConsonant(word, length - 1)
    }

    /// The first `length` letters end consonant-vowel-consonant, the last not w, x or y.
    private static func endsCVC(_ word: [UInt8], _ length: Int) -> Bool {
        guard length >= 3, isConsonant(word, length - 1), !isConsonant(word, length - 2), isConsonant(word, length - 3)
        else { return false }
        let last = word[length - 1]
        return last != UInt8(ascii: "w") && last != UInt8(ascii: "x") && last != UInt8(ascii: "y")
    }

    private static func ends(_ word: [UInt8], _ suffix: String) -> Bool {
        let length = suffix.utf8.count
        guard word.count >= length else { return false }
        var index = word.count - length
        for byte in suffix.utf8 {
            if word[index] != byte { return false }
            index += 1
        }
        return true
    }

    /// Replaces `suffix` by `replacement` when the remaining stem's measure passes `condition`; returns whether the
    /// word ended with `suffix` (replaced or not), which ends a step's search.
    @discardableResult
    private static func replace(
        _ word: inout [UInt8], _ suffix: String, _ replacement: String, when condition: (Int) -> Bool
    ) -> Bool {
        guard ends(word, suffix) else { return false }
        let stemLength = word.count - suffix.utf8.count
        if condition(measure(word, stemLength)) {
            word.removeLast(suffix.utf8.count)
            word.append(contentsOf: replacement.utf8)
        }
        return true
    }

    // MARK: Steps

    private static func step1a(_ word: inout [UInt8]) {
        if ends(word, "sses") || ends(word, "ies") {
            word.removeLast(2)
        } else if !ends(word, "ss"), ends(word, "s") {
            word.removeLast()
        }
    }

    private static func step1b(_ word: inout [UInt8]) {
        if ends(word, "eed") {
            if measure(word, word.count - 3) > 0 { word.removeLast() }
            return
        }
        var removed = false
        for suffix in ["ed", "ing"] where ends(word, suffix) && hasVowel(word, word.count - suffix.utf8.count) {
            word.removeLast(suffix.utf8.count)
            removed = true
            break
        }
        guard removed else { return }
        if ends(word, "at") || ends(word, "bl") || ends(word, "iz") {
            word.append(UInt8(ascii: "e"))
        } else if endsWithDoubleConsonant(word, word.count),
            !"lsz".utf8.contains(word[word.count - 1])
        {
            word.removeLast()
        } else if measure(word, word.count) == 1, endsCVC(word, word.count) {
            word.append(UInt8(ascii: "e"))
        }
    }

    private static func step1c(_ word: inout [UInt8]) {
        if ends(word, "y"), hasVowel(word, word.count - 1) { word[word.count - 1] = UInt8(ascii: "i") }
    }

    private static let step2Rules: [(String, String)] = [
        ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"), ("bli", "ble"),
        ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"), ("ization", "ize"), ("ation", "ate"),
        ("ator", "ate"), ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous"), ("aliti", "al"),
        ("iviti", "ive"), ("biliti", "ble"), ("logi", "log"),
    ]

    private static func step2(_ word: inout [UInt8]) {
        for (suffix, replacement) in step2Rules where replace(&word, suffix, replacement, when: { $0 > 0 }) { return }
    }

    private static let step3Rules: [(String, String)] = [
        ("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""), ("ness", ""),
    ]

    private static func step3(_ word: inout [UInt8]) {
        for (suffix, replacement) in step3Rules where replace(&word, suffix, replacement, when: { $0 > 0 }) { return }
    }

    private static let step4Suffixes = [
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism", "ate",
        "iti", "ous", "ive", "ize",
    ]

    private static func step4(_ word: inout [UInt8]) {
        for suffix in step4Suffixes where ends(word, suffix) {
            let stemLength = word.count - suffix.utf8.count
            if suffix == "ion" {
                guard stemLength > 0,
                    word[stemLength - 1] == UInt8(ascii: "s") || word[stemLength - 1] == UInt8(ascii: "t")
                else { continue }
            }
            if measure(word, stemLength) > 1 { word.removeLast(suffix.utf8.count) }
            return
        }
    }

    private static func step5(_ word: inout [UInt8]) {
        if ends(word, "e") {
            let stemMeasure = measure(word, word.count - 1)
            if stemMeasure > 1 || (stemMeasure == 1 && !endsCVC(word, word.count - 1)) { word.removeLast() }
        }
        if ends(word, "ll"), measure(word, word.count) > 1 { word.removeLast() }
    }
}
