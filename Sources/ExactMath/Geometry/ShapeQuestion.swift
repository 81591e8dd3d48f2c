/// The shapes the geometry recogniser knows.
enum Shape: Sendable, Hashable {
    case circle, rectangle, square, triangle, rightTriangle, equilateralTriangle
    case sphere, cylinder, cone, cube, cuboid, trapezoid, parallelogram
}

/// What a geometry question asks for.
enum ShapeQuantity: Sendable, Hashable {
    case area, perimeter, volume, surfaceArea, lateralSurfaceArea, diagonal, hypotenuse
}

/// A named measurement of a shape.
enum Dimension: Sendable, Hashable {
    case radius, diameter, side, length, width, height, base, bases, legs, slantHeight
}

/// A geometry question understood word by word: every word must be a shape, a quantity, a dimension, a number, a
/// unit or a filler word ("the", "of", "with", "whose", …); anything else ("kitchen") makes it nil.
struct ShapeQuestion: Sendable {
    var shape: Shape
    var quantity: ShapeQuantity
    /// The values of each dimension (lists for "sides 3, 4 and 5", "12 by 8"), already in `unit`.
    var dimensions: [Dimension: [Rational]]
    /// Values given without a dimension name ("a 12 by 8 rectangle").
    var unnamed: [Rational]
    var unit: LengthUnit?

    static let fillers: Set<Substring> = [
        "a", "an", "the", "of", "with", "whose", "which", "that", "has", "have", "having", "is", "its", "it", "and",
        "what", "if", "given", "where", "are", "each", "all", "measuring", "measures", "measure", "equal", "to",
        "units", "unit", "total", "whole", "shape", "solid", "object", "figure", "by", "in", "long", "wide", "high",
        "tall", "deep", "size", "dimensions", "exact", "value", "answer", "me", "tell", "find", "calculate",
        "compute", "determine", "work", "out", "for", "one", "this", "these", "equals", "exactly", "let",
        "say", "suppose", "how", "big", "large", "much", "there", "do", "does", "be", "would", "will",
        "as", "when", "known",
    ]

    static let shapes: [Substring: Shape] = [
        "circle": .circle, "disc": .circle, "disk": .circle, "rectangle": .rectangle, "square": .square,
        "triangle": .triangle, "sphere": .sphere, "ball": .sphere, "cylinder": .cylinder, "cone": .cone,
        "cube": .cube, "cuboid": .cuboid, "box": .cuboid, "prism": .cuboid, "trapezoid": .trapezoid,
        "trapezium": .trapezoid, "parallelogram": .parallelogram,
    ]

    static let dimensionWords: [Substring: Dimension] = [
        "radius": .radius, "diameter": .diameter, "side": .side, "sides": .side, "edge": .side, "edges": .side,
        "length": .length, "width": .width, "breadth": .width, "height": .height, "depth": .height,
        "base": .base, "bases": .bases, "leg": .legs, "legs": .legs, "lengths": .side,
    ]

    /// Dimension words written after their value: "12 cm long", "8 cm wide".
    static let adjectives: [Substring: Dimension] = [
        "long": .length, "wide": .width, "high": .height, "tall": .height, "deep": .height,
    ]

    static let letterNames: [Substring: Dimension] = [
        "r": .radius, "d": .diameter, "s": .side, "l": .length, "w": .width, "h": .height, "b": .base,
    ]

    enum Token: Equatable {
        case word(Substring)
        case number(Rational)
        case equals
        case comma
        case times
    }

    /// Splits the core into tokens; nil on characters a geometry question cannot contain.
    static func tokens(_ text: Substring) -> [Token]? {
        var tokens: [Token] = []
        var index = text.startIndex
        while index < text.endIndex {
            let char = text[index]
            if char.isASCII && char.isNumber
                || (char == "." && text.index(after: index) < text.endIndex
                    && text[text.index(after: index)].isNumber)
            {
                var end = index
                while end < text.endIndex,
                    text[end].isASCII && text[end].isNumber || text[end] == "."
                        || (text[end] == "/" && text.index(after: end) < text.endIndex
                            && text[text.index(after: end)].isNumber)
                {
                    end = text.index(after: end)
                }
                var literal = text[index..<end]
                if literal.last == "." { literal = literal.dropLast() }
                guard let value = number(literal) else { return nil }
                tokens.append(.number(value))
                index = literal.endIndex
                continue
            }
            if char.isLetter {
                var end = index
                while end < text.endIndex, text[end].isLetter || text[end] == "-" || text[end] == "'" {
                    end = text.index(after: end)
                }
                tokens.append(.word(text[index..<end]))
                index = end
                continue
            }
            switch char {
            case " ", "\n", ".", "?", ":", ";": break
            case "=": tokens.append(.equals)
            case ",": tokens.append(.comma)
            case "×", "*": tokens.append(.times)
            default: return nil
            }
            index = text.index(after: index)
        }
        return tokens
    }

    /// "12", "2.5", "1/2" as an exact rational.
    static func number(_ literal: Substring) -> Rational? {
        if let slash = literal.firstIndex(of: "/") {
            guard let numerator = Rational(decimal: literal[..<slash]),
                let denominator = Rational(decimal: literal[literal.index(after: slash)...])
            else { return nil }
            return numerator.dividing(by: denominator)
        }
        return Rational(decimal: literal)
    }

    /// Parses the core of a question; nil unless every word is understood and a shape and quantity are named.
    init?(_ core: Substring) {
        guard let tokens = ShapeQuestion.tokens(core) else { return nil }
        var shape: Shape? = nil
        var modifier: Substring? = nil  // "right", "equilateral", "rectangular"
        var quantity: ShapeQuantity? = nil
        var values: [(Dimension?, [(Rational, LengthUnit?)])] = []
        var pending: Dimension? = nil
        var index = 0

        func word(_ offset: Int) -> Substring? {
            guard index + offset < tokens.count, case .word(let w) = tokens[index + offset] else { return nil }
            return w
        }

        while index < tokens.count {
            switch tokens[index] {
            case .number:
                // A group: 12 [cm] ((by | x | × | , | and) 8 [cm])*
                var group: [(Rational, LengthUnit?)] = []
                while index < tokens.count, case .number(let value) = tokens[index] {
                    index += 1
                    var unit: LengthUnit? = nil
                    if let next = word(0), let parsed = LengthUnit(word: next) {
                        unit = parsed
                        index += 1
                    }
                    group.append((value, unit))
                    // Separator followed by another number continues the group.
                    var lookahead = index
                    var sawSeparator = false
                    while lookahead < tokens.count {
                        let token = tokens[lookahead]
                        if token == .comma || token == .times || token == .word("by") || token == .word("x")
                            || token == .word("and")
                        {
                            lookahead += 1
                            sawSeparator = true
                        } else {
                            break
                        }
                    }
                    if sawSeparator, lookahead < tokens.count, case .number = tokens[lookahead] {
                        index = lookahead
                    } else {
                        break
                    }
                }
                // A value may be named after it: "5 cm radius", "12 cm long".
                var name = pending
                if name == nil, let next = word(0) {
                    if let dimension = ShapeQuestion.adjectives[next] {
                        name = dimension
                        index += 1
                    } else if let dimension = ShapeQuestion.dimensionWords[next], next != "length" || word(1) == nil {
                        name = dimension
                        index += 1
                    }
                }
                values.append((name, group))
                pending = nil
            case .equals:
                index += 1
            case .comma, .times:
                index += 1
            case .word(let w):
                index += 1
                if let found = ShapeQuestion.shapes[w] {
                    guard shape == nil || shape == found else { return nil }
                    shape = found
                } else if w == "right" || w == "right-angled" || w == "right-angle" || w == "equilateral"
                    || w == "rectangular"
                {
                    modifier = w
                } else if w == "angled", modifier == "right" {
                    continue
                } else if w == "area" || w == "perimeter" || w == "circumference" || w == "volume"
                    || w == "diagonal" || w == "hypotenuse" || w == "surface" || w == "lateral" || w == "curved"
                {
                    let found: ShapeQuantity
                    switch w {
                    case "area": found = quantity == .surfaceArea || quantity == .lateralSurfaceArea ? quantity! : .area
                    case "perimeter", "circumference": found = .perimeter
                    case "volume": found = .volume
                    case "diagonal": found = .diagonal
                    case "hypotenuse": found = .hypotenuse
                    case "surface": found = quantity == .lateralSurfaceArea ? .lateralSurfaceArea : .surfaceArea
                    default: found = .lateralSurfaceArea
                    }
                    guard
                        quantity == nil || quantity == found
                            || (quantity == .lateralSurfaceArea && found == .surfaceArea)
                    else { return nil }
                    if quantity != .lateralSurfaceArea { quantity = found }
                } else if w == "slant", word(0) == "height" {
                    index += 1
                    pending = .slantHeight
                } else if w == "parallel", word(0) == "sides" {
                    index += 1
                    pending = .bases
                } else if let dimension = ShapeQuestion.dimensionWords[w] {
                    if w == "length", pending == .side { continue }  // "side length", "sides of length"
                    if w == "length", pending != nil { return nil }
                    if w == "length", word(0) == "of", pending == nil, values.isEmpty,
                        ShapeQuestion.dimensionWords[word(1) ?? ""] != nil
                    {
                        continue  // "length of side 4"
                    }
                    pending = dimension
                } else if w.count == 1, let dimension = ShapeQuestion.letterNames[w], index < tokens.count,
                    tokens[index] == .equals
                {
                    pending = dimension
                } else if ShapeQuestion.fillers.contains(w) {
                    continue
                } else {
                    return nil
                }
            }
        }
        guard var shape, let quantity, !values.isEmpty else { return nil }
        switch (shape, modifier) {
        case (.triangle, "right"), (.triangle, "right-angled"), (.triangle, "right-angle"): shape = .rightTriangle
        case (.triangle, "equilateral"): shape = .equilateralTriangle
        case (.cuboid, _), (_, nil), (.rectangle, "rectangular"): break
        default: return nil
        }
        // One unit for everything: mixed units convert to the smallest one given.
        let units = values.flatMap { $0.1.compactMap(\.1) }
        let unit = units.min { $0.millimetres < $1.millimetres }
        var dimensions: [Dimension: [Rational]] = [:]
        var unnamed: [Rational] = []
        for (name, group) in values {
            let converted = group.map { value, given in
                guard let given, let unit else { return value }
                return value * given.factor(to: unit)
            }
            guard converted.allSatisfy({ $0.signum > 0 }) else { return nil }
            if let name {
                guard dimensions[name] == nil else { return nil }
                dimensions[name] = converted
            } else {
                unnamed += converted
            }
        }
        self.shape = shape
        self.quantity = quantity
        self.dimensions = dimensions
        self.unnamed = unnamed
        self.unit = unit
    }
}
