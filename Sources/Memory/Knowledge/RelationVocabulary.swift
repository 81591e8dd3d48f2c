/// How relation words and subjects are compared: both sides of a match go through the same functions, so "Who is
/// the author of Hamlet?", "Who wrote Hamlet?" and "Hamlet was written by Shakespeare." meet at ("write", "hamlet").
enum RelationVocabulary {
    /// The canonical name of a relation phrase ("capital", "largest city", "write"): lowercased, articles dropped,
    /// agent nouns and irregular verb forms mapped to one verb, other words kept as they are (regular past tense
    /// and past participle coincide, so "painted" meets "painted").
    static func canonical(_ phrase: String) -> String {
        let words = phrase.lowercased().split(separator: " ").filter { !articles.contains(String($0)) }
        let joined = words.joined(separator: " ")
        return synonyms[joined] ?? joined
    }

    /// A subject as matched: lowercased, a leading article dropped, whitespace collapsed, outer punctuation and a
    /// possessive `'s` removed.
    static func subjectKey(_ subject: String) -> String {
        var words = subject.lowercased().split(whereSeparator: \.isWhitespace).map {
            String(SentenceWords.stripped($0))
        }
        words.removeAll(where: \.isEmpty)
        if let first = words.first, articles.contains(first), words.count > 1 { words.removeFirst() }
        if var last = words.last, last.hasSuffix("'s") || last.hasSuffix("’s") {
            last.removeLast(2)
            words[words.count - 1] = last
        }
        return words.joined(separator: " ")
    }

    /// Whether `word` (lowercased) is a past-tense or past-participle verb form: an irregular one, or a word
    /// ending in "-ed" that is not a common adjective.
    static func isPastVerb(_ word: String) -> Bool {
        if irregularPast.contains(word) { return true }
        return word.count > 4 && word.hasSuffix("ed") && !notVerbs.contains(word)
    }

    static let copulas: Set<String> = ["is", "was", "are", "were"]
    static let articles: Set<String> = ["the", "a", "an"]

    private static let irregularPast: Set<String> = [
        "wrote", "written", "built", "sang", "sung", "drew", "drawn", "made", "led", "won", "found", "began", "begun",
        "spoke", "spoken", "gave", "given", "took", "taken", "saw", "seen", "chose", "chosen", "taught", "bought",
        "sold", "held", "ran", "shot", "told", "brought", "thought", "caught", "beat", "beaten", "dug", "flew",
        "flown", "grew", "grown", "hid", "hidden", "rode", "ridden", "shook", "shaken", "stole", "stolen", "struck",
        "swam", "threw", "thrown", "wove", "woven",
    ]

    private static let notVerbs: Set<String> = ["bed", "red", "need", "seed", "speed", "hundred", "indeed", "breed"]

    private static let synonyms: [String: String] = [
        "author": "write", "writer": "write", "wrote": "write", "written": "write",
        "painter": "painted", "composer": "composed", "inventor": "invented", "founder": "founded",
        "discoverer": "discovered", "director": "directed", "designer": "designed", "architect": "designed",
        "creator": "created", "builder": "build", "built": "build", "sculptor": "sculpted",
        "producer": "produced", "developer": "developed", "singer": "sing", "sang": "sing", "sung": "sing",
        "drew": "draw", "drawn": "draw", "made": "make", "maker": "make", "led": "lead", "leader": "lead",
        "won": "win", "winner": "win",
        "date of birth": "born", "birth date": "born", "birthday": "born",
        "place of birth": "birthplace", "birth place": "birthplace",
        "date of death": "died", "death date": "died", "place of death": "deathplace",
        "capital city": "capital",
    ]
}
