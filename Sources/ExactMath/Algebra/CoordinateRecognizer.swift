/// A point in the plane with exact coordinates.
struct Point: Sendable, Hashable {
    var x: Rational
    var y: Rational
}

/// Coordinate geometry through two points: slope, distance, midpoint and the equation of the line.
/// "the slope of the line through (2,5) and (8,17)", "distance between (1, 2) and (4, 6)",
/// "midpoint of (2,4) and (6,8)", "equation of the line passing through (1,2) and (3,6)".
public struct CoordinateRecognizer: MathRecognizer {
    /// Creates the recogniser.
    public init() {}

    enum Quantity { case slope, distance, midpoint, line }

    static let quantityWords: [Substring: Quantity] = [
        "slope": .slope, "gradient": .slope, "distance": .distance, "length": .distance, "midpoint": .midpoint,
        "mid-point": .midpoint, "equation": .line,
    ]

    static let fillerWords: Set<Substring> = [
        "the", "of", "a", "an", "line", "through", "passing", "passes", "that", "which", "points", "point", "between",
        "and", "from", "to", "joining", "joins", "connecting", "connects", "segment", "with", "endpoints", "end",
        "containing", "contains", "goes", "going", "is", "are", "what", "straight", "its", "in", "slope-intercept",
        "form", "two", "given", "by", "coordinates", "at",
    ]

    /// Solves the coordinate question in `question.core`, or returns nil.
    public func solve(_ question: MathQuestion) -> MathAnswer? {
        let core = Substring(question.core)
        guard let (points, rest) = Self.points(in: core), points.count == 2 else { return nil }
        var quantity: Quantity? = nil
        for word in rest.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\n" }) {
            if let found = Self.quantityWords[word] {
                // "the slope-intercept equation" and "slope … line equation" name one quantity only.
                if quantity != nil && quantity != found { return nil }
                quantity = found
            } else if !Self.fillerWords.contains(word), !(word.count == 1 && word.first!.isLetter) {
                return nil
            }
        }
        // "the line through (1, 2) and (3, 4)" asks for the line itself.
        if quantity == nil, rest.bytesRange(of: "line") != nil { quantity = .line }
        guard let quantity else { return nil }
        let style = NumberStyle.of(core, fallback: quantity == .midpoint ? .decimal : .fraction)
        let (p, q) = (points[0], points[1])
        switch quantity {
        case .slope: return Self.slope(p, q, style: style)
        case .distance: return Self.distance(p, q, style: style)
        case .midpoint: return Self.midpoint(p, q, style: style)
        case .line: return Self.line(p, q, style: style)
        }
    }

    /// The "(x, y)" groups in `text` and the text with them removed; nil when a bracket group is not a point.
    static func points(in text: Substring) -> ([Point], String)? {
        var points: [Point] = []
        var rest = ""
        var index = text.startIndex
        while index < text.endIndex {
            let char = text[index]
            if char == "(" {
                guard let close = text[index...].firstIndex(of: ")") else { return nil }
                let inside = text[text.index(after: index)..<close]
                let parts = inside.split(separator: ",", omittingEmptySubsequences: false)
                guard parts.count == 2, let x = number(TextTools.trimmed(parts[0])),
                    let y = number(TextTools.trimmed(parts[1]))
                else { return nil }
                points.append(Point(x: x, y: y))
                rest += " "
                index = text.index(after: close)
            } else {
                rest.append(char)
                index = text.index(after: index)
            }
        }
        return (points, rest)
    }

    /// "3", "-2.5", "1/2", "−4" as an exact rational.
    static func number(_ text: Substring) -> Rational? {
        var text = text
        var negative = false
        if text.first == "-" || text.first == "−" {
            negative = true
            text = TextTools.trimmed(text.dropFirst())
        }
        guard let first = text.first, first.isNumber || first == "." else { return nil }
        let value: Rational
        if let slash = text.firstIndex(of: "/") {
            guard let numerator = Rational(decimal: TextTools.trimmed(text[..<slash])),
                let denominator = Rational(decimal: TextTools.trimmed(text[text.index(after: slash)...])),
                let quotient = numerator.dividing(by: denominator)
            else { return nil }
            value = quotient
        } else {
            guard text.allSatisfy({ $0.isNumber || $0 == "." }), let parsed = Rational(decimal: text) else {
                return nil
            }
            value = parsed
        }
        return negative ? -value : value
    }

    /// A number as it appears inside a substituted formula: negatives in brackets.
    static func shown(_ value: Rational, _ style: NumberStyle) -> String {
        let text = Format.rational(value, style: style)
        return value.signum < 0 ? "(\(text))" : text
    }

    static func slopeLine(_ p: Point, _ q: Point, style: NumberStyle) -> (String, Rational?) {
        let rise = q.y - p.y
        let run = q.x - p.x
        var line =
            "m = (y₂ − y₁)/(x₂ − x₁) = (\(shown(q.y, style)) − \(shown(p.y, style)))/"
            + "(\(shown(q.x, style)) − \(shown(p.x, style))) = "
            + "\(Format.rational(rise, style: style))/\(Format.rational(run, style: style))"
        guard let slope = rise.dividing(by: run) else { return (line + ", undefined", nil) }
        let slopeText = Format.rational(slope, style: style)
        if slopeText != "\(Format.rational(rise, style: style))/\(Format.rational(run, style: style))" {
            line += " = " + slopeText
        }
        return (line, slope)
    }

    static func slope(_ p: Point, _ q: Point, style: NumberStyle) -> MathAnswer? {
        guard p != q else { return nil }
        let (line, slope) = slopeLine(p, q, style: style)
        guard let slope else {
            let answer = "undefined (vertical line)"
            return MathAnswer(
                answer: answer, working: [line, "x₂ − x₁ = 0: the line is vertical."], exact: answer,
                topic: .coordinate)
        }
        return .rational(slope, style: style, working: [line], topic: .coordinate)
    }

    static func distance(_ p: Point, _ q: Point, style: NumberStyle) -> MathAnswer {
        let dx = q.x - p.x
        let dy = q.y - p.y
        let squared = dx * dx + dy * dy
        let root = SurdSum([SurdTerm(squareRootOf: squared)])
        let exact = root.text(style: style)
        let approximation = root.isPlainDecimal(style: style) ? nil : Format.decimal(root.doubleValue)
        var line =
            "d = √((x₂ − x₁)² + (y₂ − y₁)²) = √(\(shown(dx, style))² + \(shown(dy, style))²) = "
            + "√\(Format.rational(squared, style: style))"
        if "√" + Format.rational(squared, style: style) != exact { line += " = " + exact }
        let answer = Format.withApproximation(exact, approximation)
        return MathAnswer(
            answer: answer, working: [line], exact: exact, approximation: approximation,
            topic: .coordinate)
    }

    static func midpoint(_ p: Point, _ q: Point, style: NumberStyle) -> MathAnswer {
        let two = Rational(2)
        let mx = (p.x + q.x).dividing(by: two) ?? .zero
        let my = (p.y + q.y).dividing(by: two) ?? .zero
        let answer = "(\(Format.rational(mx, style: style)), \(Format.rational(my, style: style)))"
        let line =
            "M = ((x₁ + x₂)/2, (y₁ + y₂)/2) = ((\(Format.rational(p.x, style: style)) + "
            + "\(shown(q.x, style)))/2, (\(Format.rational(p.y, style: style)) + \(shown(q.y, style)))/2) = \(answer)"
        return MathAnswer(answer: answer, working: [line], exact: answer, topic: .coordinate)
    }

    static func line(_ p: Point, _ q: Point, style: NumberStyle) -> MathAnswer? {
        guard p != q else { return nil }
        let (slopeText, slope) = slopeLine(p, q, style: style)
        guard let slope else {
            let answer = "x = \(Format.rational(p.x, style: style))"
            return MathAnswer(
                answer: answer, working: [slopeText, "x₂ − x₁ = 0: the line is vertical."],
                exact: answer, topic: .coordinate)
        }
        let intercept = p.y - slope * p.x
        let interceptLine =
            "b = y₁ − m·x₁ = \(Format.rational(p.y, style: style)) − "
            + "\(shown(slope, style)) × \(shown(p.x, style)) = \(Format.rational(intercept, style: style))"
        let answer = "y = " + Polynomial(coefficients: [intercept, slope]).formatted(style: style)
        return MathAnswer(
            answer: answer, working: [slopeText, interceptLine, "y = mx + b gives " + answer], exact: answer,
            topic: .coordinate)
    }
}
