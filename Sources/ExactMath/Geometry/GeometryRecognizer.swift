/// Area, perimeter, volume, surface area, diagonals and hypotenuses of circles, rectangles, squares, triangles,
/// spheres, cylinders, cones, cubes and boxes, with π and roots kept exact and units carried through:
/// "Find the area of a circle with radius 5 cm" → "25π cm² ≈ 78.54 cm²".
public struct GeometryRecognizer: MathRecognizer {
    /// Creates the recogniser.
    public init() {}

    /// Solves the geometry question in `question.core`, or returns nil when any word of it is not understood.
    public func solve(_ question: MathQuestion) -> MathAnswer? {
        let core = Substring(question.core)
        guard let shapeQuestion = ShapeQuestion(core) else { return nil }
        let style = NumberStyle.of(core, fallback: .decimal)
        let result: ShapeResult
        do {
            guard let solved = try ShapeFormulas.solve(shapeQuestion, style: style) else { return nil }
            result = solved
        } catch {
            return MathAnswer(answer: error.answer, working: [error.reason], exact: error.answer, topic: .geometry)
        }
        let unit = Format.unit(shapeQuestion.unit?.rawValue ?? "", power: result.unitPower)
        // Plain numbers read best as decimals ("7.5"); π and roots keep fractions ("3√15/4") unless the question
        // itself used decimals.
        let exactStyle = result.value.rationalValue == nil ? NumberStyle.of(core, fallback: .fraction) : style
        let valueText = result.value.text(style: exactStyle)
        let exact = Format.quantity(valueText, unit: unit)
        let approximation =
            result.value.isPlainDecimal(style: exactStyle)
            ? nil : Format.quantity(Format.decimal(result.value.doubleValue, fractionDigits: 2), unit: unit)
        var working = result.working
        if let last = working.popLast() {
            working.append(
                last.hasBytesSuffix("= " + valueText) ? Format.quantity(last, unit: unit) : last + " = " + exact)
        }
        if let approximation { working.append("≈ " + approximation) }
        return MathAnswer(
            answer: Format.withApproximation(exact, approximation), working: working, exact: exact,
            approximation: approximation, topic: .geometry)
    }
}
