/// The exact result of a shape formula: the value, which power of the length unit it carries (1 length, 2 area,
/// 3 volume) and the working lines that led to it (formula and substitution).
struct ShapeResult: Sendable {
    var value: SurdSum
    var unitPower: Int
    var working: [String]
}

/// Why a well-understood geometry question has no numeric answer.
struct ShapeImpossibility: Error, Sendable {
    var answer: String
    var reason: String
}

/// The measurements of a question, each taken at most once so that unused measurements can be detected.
struct DimensionPool {
    var dimensions: [Dimension: [Rational]]
    var unnamed: [Rational]

    /// The single value of a dimension, removing it.
    mutating func one(_ dimension: Dimension) -> Rational? {
        guard let values = dimensions[dimension], values.count == 1 else { return nil }
        dimensions[dimension] = nil
        return values[0]
    }

    /// The `count` values of a dimension given as a list ("sides 3, 4 and 5"), removing them.
    mutating func list(_ dimension: Dimension, count: Int) -> [Rational]? {
        guard let values = dimensions[dimension], values.count == count else { return nil }
        dimensions[dimension] = nil
        return values
    }

    /// `count` values given without a name ("a 12 by 8 rectangle"), removing them.
    mutating func unnamed(count: Int) -> [Rational]? {
        guard unnamed.count == count else { return nil }
        defer { unnamed = [] }
        return unnamed
    }

    /// True when every one of `wanted` was given as a single value.
    func has(_ wanted: Dimension...) -> Bool { wanted.allSatisfy { dimensions[$0]?.count == 1 } }

    var isEmpty: Bool { dimensions.isEmpty && unnamed.isEmpty }
}

/// Area, perimeter, volume and the other formulas of each shape, computed exactly (π and square roots kept).
enum ShapeFormulas {
    /// The result for a question, nil when its measurements do not fit the shape and quantity (or some are unused).
    static func solve(_ question: ShapeQuestion, style: NumberStyle) throws(ShapeImpossibility) -> ShapeResult? {
        var pool = DimensionPool(dimensions: question.dimensions, unnamed: question.unnamed)
        let n = { (value: Rational) in Format.rational(value, style: style) }
        var quantity = question.quantity
        let solid: Set<Shape> = [.sphere, .cylinder, .cone, .cube, .cuboid]
        if solid.contains(question.shape), quantity == .area { quantity = .surfaceArea }
        let result: ShapeResult?
        switch question.shape {
        case .circle: result = circle(quantity, &pool, n)
        case .sphere: result = sphere(quantity, &pool, n)
        case .cylinder: result = cylinder(quantity, &pool, n)
        case .cone: result = cone(quantity, &pool, n)
        case .rectangle: result = rectangle(quantity, &pool, n)
        case .square: result = square(quantity, &pool, n)
        case .cube: result = cube(quantity, &pool, n)
        case .cuboid: result = cuboid(quantity, &pool, n)
        case .trapezoid: result = trapezoid(quantity, &pool, n)
        case .parallelogram: result = parallelogram(quantity, &pool, n)
        case .triangle, .rightTriangle, .equilateralTriangle:
            result = try triangle(question.shape, quantity, &pool, n)
        }
        guard let result, pool.isEmpty else { return nil }
        return result
    }

    private static func rational(_ value: Rational) -> SurdSum { SurdSum(value) }

    private static func pi(_ coefficient: Rational) -> SurdSum { SurdSum([SurdTerm(coefficient, piPower: 1)]) }

    private static func root(_ value: Rational) -> SurdSum { SurdSum([SurdTerm(squareRootOf: value)]) }

    /// The radius from "radius r" or "diameter d", with a working line for the latter.
    private static func radius(_ pool: inout DimensionPool, _ n: (Rational) -> String) -> (Rational, [String])? {
        if let r = pool.one(.radius) { return (r, []) }
        if let d = pool.one(.diameter), let r = d.dividing(by: 2) { return (r, ["r = d/2 = \(n(d))/2 = \(n(r))"]) }
        return nil
    }

    private static func circle(
        _ quantity: ShapeQuantity, _ pool: inout DimensionPool, _ n: (Rational) -> String
    ) -> ShapeResult? {
        guard let (r, lines) = radius(&pool, n) else { return nil }
        switch quantity {
        case .area:
            return ShapeResult(value: pi(r * r), unitPower: 2, working: lines + ["A = πr² = π × \(n(r))²"])
        case .perimeter:
            return ShapeResult(value: pi(2 * r), unitPower: 1, working: lines + ["C = 2πr = 2 × π × \(n(r))"])
        default:
            return nil
        }
    }

    private static func sphere(
        _ quantity: ShapeQuantity, _ pool: inout DimensionPool, _ n: (Rational) -> String
    ) -> ShapeResult? {
        guard let (r, lines) = radius(&pool, n) else { return nil }
        switch quantity {
        case .volume:
            let value = pi(Rational(4, 3) * r * r * r)
            return ShapeResult(value: value, unitPower: 3, working: lines + ["V = (4/3)πr³ = (4/3) × π × \(n(r))³"])
        case .surfaceArea:
            return ShapeResult(value: pi(4 * r * r), unitPower: 2, working: lines + ["A = 4πr² = 4 × π × \(n(r))²"])
        default:
            return nil
        }
    }

    private static func cylinder(
        _ quantity: ShapeQuantity, _ pool: inout DimensionPool, _ n: (Rational) -> String
    ) -> ShapeResult? {
        guard let (r, lines) = radius(&pool, n), let h = pool.one(.height) ?? pool.one(.length) else { return nil }
        switch quantity {
        case .volume:
            return ShapeResult(
                value: pi(r * r * h), unitPower: 3,
                working: lines + ["V = πr²h = π × \(n(r))² × \(n(h))"])
        case .surfaceArea:
            return ShapeResult(
                value: pi(2 * r * r + 2 * r * h), unitPower: 2,
                working: lines + ["A = 2πr² + 2πrh = 2 × π × \(n(r))² + 2 × π × \(n(r)) × \(n(h))"])
        case .lateralSurfaceArea:
            return ShapeResult(
                value: pi(2 * r * h), unitPower: 2,
                working: lines + ["A = 2πrh = 2 × π × \(n(r)) × \(n(h))"])
        default:
            return nil
        }
    }

    private static func cone(
        _ quantity: ShapeQuantity, _ pool: inout DimensionPool, _ n: (Rational) -> String
    ) -> ShapeResult? {
        guard let (r, radiusLines) = radius(&pool, n) else { return nil }
        var lines = radiusLines
        let h = pool.one(.height)
        let l = pool.one(.slantHeight)
        switch quantity {
        case .volume:
            if let h, l == nil {
                return ShapeResult(
                    value: pi(r * r * h * Rational(1, 3)), unitPower: 3,
                    working: lines + ["V = (1/3)πr²h = (1/3) × π × \(n(r))² × \(n(h))"])
            }
            guard let l, h == nil, l > r else { return nil }
            let heightSquared = l * l - r * r
            let height = SurdTerm(squareRootOf: heightSquared)
            lines.append("h = √(l² − r²) = √(\(n(l))² − \(n(r))²) = \(SurdSum([height]).text(style: .fraction))")
            let value = SurdSum([
                SurdTerm(
                    height.coefficient * r * r * Rational(1, 3), radicand: height.radicand,
                    piPower: 1)
            ])
            return ShapeResult(value: value, unitPower: 3, working: lines + ["V = (1/3)πr²h"])
        case .surfaceArea, .lateralSurfaceArea:
            let slant: SurdTerm
            if let l, h == nil {
                slant = SurdTerm(l)
            } else if let h, l == nil {
                slant = SurdTerm(squareRootOf: r * r + h * h)
                lines.append("l = √(r² + h²) = √(\(n(r))² + \(n(h))²) = \(SurdSum([slant]).text(style: .fraction))")
            } else {
                return nil
            }
            let lateral = SurdTerm(slant.coefficient * r, radicand: slant.radicand, piPower: 1)
            let slantText = SurdSum([slant]).text(style: .fraction)
            let shownSlant = slant.radicand == 1 ? slantText : "(\(slantText))"
            if quantity == .lateralSurfaceArea {
                return ShapeResult(
                    value: SurdSum([lateral]), unitPower: 2,
                    working: lines + ["A = πrl = π × \(n(r)) × \(shownSlant)"])
            }
            return ShapeResult(
                value: SurdSum([SurdTerm(r * r, piPower: 1), lateral]), unitPower: 2,
                working: lines + ["A = πr² + πrl = π × \(n(r))² + π × \(n(r)) × \(shownSlant)"])
        default:
            return nil
        }
    }

    private static func rectangle(
        _ quantity: ShapeQuantity, _ pool: inout DimensionPool, _ n: (Rational) -> String
    ) -> ShapeResult? {
        let sides: [Rational]
        if pool.has(.length, .width), let l = pool.one(.length), let w = pool.one(.width) {
            sides = [l, w]
        } else if pool.has(.base, .height), let b = pool.one(.base), let h = pool.one(.height) {
            sides = [b, h]
        } else if pool.has(.length, .height), let l = pool.one(.length), let h = pool.one(.height) {
            sides = [l, h]
        } else if let listed = pool.list(.side, count: 2) ?? pool.unnamed(count: 2) {
            sides = listed
        } else {
            return nil
        }
        let (l, w) = (sides[0], sides[1])
        switch quantity {
        case .area:
            return ShapeResult(value: rational(l * w), unitPower: 2, working: ["A = l × w = \(n(l)) × \(n(w))"])
        case .perimeter:
            return ShapeResult(
                value: rational(2 * (l + w)), unitPower: 1,
                working: ["P = 2(l + w) = 2 × (\(n(l)) + \(n(w)))"])
        case .diagonal:
            return ShapeResult(
                value: root(l * l + w * w), unitPower: 1,
                working: ["d = √(l² + w²) = √(\(n(l))² + \(n(w))²) = √\(n(l * l + w * w))"])
        default:
            return nil
        }
    }

    private static func trapezoid(
        _ quantity: ShapeQuantity, _ pool: inout DimensionPool, _ n: (Rational) -> String
    ) -> ShapeResult? {
        guard quantity == .area, let bases = pool.list(.bases, count: 2), let h = pool.one(.height) else { return nil }
        let (a, b) = (bases[0], bases[1])
        return ShapeResult(
            value: rational((a + b) * h * Rational(1, 2)), unitPower: 2,
            working: ["A = ½ × (a + b) × h = ½ × (\(n(a)) + \(n(b))) × \(n(h))"])
    }

    private static func parallelogram(
        _ quantity: ShapeQuantity, _ pool: inout DimensionPool, _ n: (Rational) -> String
    ) -> ShapeResult? {
        guard quantity == .area, pool.has(.base, .height), let b = pool.one(.base), let h = pool.one(.height) else {
            return nil
        }
        return ShapeResult(value: rational(b * h), unitPower: 2, working: ["A = b × h = \(n(b)) × \(n(h))"])
    }

    private static func side(_ pool: inout DimensionPool) -> Rational? {
        pool.one(.side) ?? pool.one(.length) ?? pool.unnamed(count: 1)?.first
    }

    private static func square(
        _ quantity: ShapeQuantity, _ pool: inout DimensionPool, _ n: (Rational) -> String
    ) -> ShapeResult? {
        guard let s = side(&pool) else { return nil }
        switch quantity {
        case .area: return ShapeResult(value: rational(s * s), unitPower: 2, working: ["A = s² = \(n(s))²"])
        case .perimeter: return ShapeResult(value: rational(4 * s), unitPower: 1, working: ["P = 4s = 4 × \(n(s))"])
        case .diagonal:
            return ShapeResult(
                value: SurdSum([SurdTerm(s, radicand: 2)]), unitPower: 1,
                working: ["d = s√2 = \(n(s))√2"])
        default: return nil
        }
    }

    private static func cube(
        _ quantity: ShapeQuantity, _ pool: inout DimensionPool, _ n: (Rational) -> String
    ) -> ShapeResult? {
        guard let s = side(&pool) else { return nil }
        switch quantity {
        case .volume: return ShapeResult(value: rational(s * s * s), unitPower: 3, working: ["V = s³ = \(n(s))³"])
        case .surfaceArea:
            return ShapeResult(value: rational(6 * s * s), unitPower: 2, working: ["A = 6s² = 6 × \(n(s))²"])
        case .diagonal:
            return ShapeResult(
                value: SurdSum([SurdTerm(s, radicand: 3)]), unitPower: 1,
                working: ["d = s√3 = \(n(s))√3"])
        default: return nil
        }
    }

    private static func cuboid(
        _ quantity: ShapeQuantity, _ pool: inout DimensionPool, _ n: (Rational) -> String
    ) -> ShapeResult? {
        let sides: [Rational]
        if pool.has(.length, .width, .height), let l = pool.one(.length), let w = pool.one(.width),
            let h = pool.one(.height)
        {
            sides = [l, w, h]
        } else if let listed = pool.list(.side, count: 3) ?? pool.unnamed(count: 3) {
            sides = listed
        } else {
            return nil
        }
        let (l, w, h) = (sides[0], sides[1], sides[2])
        switch quantity {
        case .volume:
            return ShapeResult(
                value: rational(l * w * h), unitPower: 3,
                working: ["V = l × w × h = \(n(l)) × \(n(w)) × \(n(h))"])
        case .surfaceArea:
            return ShapeResult(
                value: rational(2 * (l * w + l * h + w * h)), unitPower: 2,
                working: ["A = 2(lw + lh + wh) = 2 × (\(n(l)) × \(n(w)) + \(n(l)) × \(n(h)) + \(n(w)) × \(n(h)))"])
        case .diagonal:
            let squared = l * l + w * w + h * h
            return ShapeResult(
                value: root(squared), unitPower: 1,
                working: ["d = √(l² + w² + h²) = √(\(n(l))² + \(n(w))² + \(n(h))²) = √\(n(squared))"])
        default:
            return nil
        }
    }

    private static func triangle(
        _ shape: Shape, _ quantity: ShapeQuantity, _ pool: inout DimensionPool, _ n: (Rational) -> String
    ) throws(ShapeImpossibility) -> ShapeResult? {
        if shape == .equilateralTriangle {
            guard let s = side(&pool) else { return nil }
            switch quantity {
            case .area:
                return ShapeResult(
                    value: SurdSum([SurdTerm(s * s * Rational(1, 4), radicand: 3)]), unitPower: 2,
                    working: ["A = (√3/4)s² = (√3/4) × \(n(s))²"])
            case .perimeter:
                return ShapeResult(value: rational(3 * s), unitPower: 1, working: ["P = 3s = 3 × \(n(s))"])
            default:
                return nil
            }
        }
        // Two legs of a right triangle: "legs 3 and 4", "sides 3 and 4", "base 3 and height 4".
        if shape == .rightTriangle || quantity == .hypotenuse {
            var legs = pool.list(.legs, count: 2) ?? pool.list(.side, count: 2) ?? pool.unnamed(count: 2)
            if legs == nil, pool.has(.base, .height), let b = pool.one(.base), let h = pool.one(.height) {
                legs = [b, h]
            }
            if let legs {
                let (a, b) = (legs[0], legs[1])
                let hypotenuse = SurdTerm(squareRootOf: a * a + b * b)
                let hypotenuseLine = "c = √(a² + b²) = √(\(n(a))² + \(n(b))²) = √\(n(a * a + b * b))"
                switch quantity {
                case .hypotenuse:
                    return ShapeResult(value: SurdSum([hypotenuse]), unitPower: 1, working: [hypotenuseLine])
                case .area:
                    return ShapeResult(
                        value: rational(a * b * Rational(1, 2)), unitPower: 2,
                        working: ["A = ½ × a × b = ½ × \(n(a)) × \(n(b))"])
                case .perimeter:
                    return ShapeResult(
                        value: SurdSum([SurdTerm(a + b), hypotenuse]), unitPower: 1,
                        working: [hypotenuseLine, "P = a + b + c"])
                default:
                    return nil
                }
            }
            if quantity == .hypotenuse { return nil }
        }
        if quantity == .area, pool.has(.base, .height), let b = pool.one(.base), let h = pool.one(.height) {
            return ShapeResult(
                value: rational(b * h * Rational(1, 2)), unitPower: 2,
                working: ["A = ½ × b × h = ½ × \(n(b)) × \(n(h))"])
        }
        guard let sides = pool.list(.side, count: 3) ?? pool.unnamed(count: 3) else { return nil }
        let (a, b, c) = (sides[0], sides[1], sides[2])
        let largest = max(a, max(b, c))
        guard largest < a + b + c - largest else {
            throw ShapeImpossibility(
                answer: "no such triangle",
                reason: "The longest side \(n(largest)) is not shorter than the sum of the other two "
                    + "(\(n(a + b + c - largest))), so these lengths cannot form a triangle.")
        }
        switch quantity {
        case .perimeter:
            return ShapeResult(
                value: rational(a + b + c), unitPower: 1,
                working: ["P = a + b + c = \(n(a)) + \(n(b)) + \(n(c))"])
        case .area:
            let s = (a + b + c) * Rational(1, 2)
            let product = s * (s - a) * (s - b) * (s - c)
            return ShapeResult(
                value: root(product), unitPower: 2,
                working: [
                    "Heron's formula: s = (a + b + c)/2 = \(n(s))",
                    "A = √(s(s − a)(s − b)(s − c)) = √(\(n(s)) × \(n(s - a)) × \(n(s - b)) × \(n(s - c)))"
                        + " = √\(n(product))",
                ])
        default:
            return nil
        }
    }
}
