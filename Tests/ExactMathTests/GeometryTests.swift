import Testing

@testable import ExactMath

/// Shapes: exact π and roots, decimals to 2 places, units carried through.
@Suite struct GeometryTests {
    @Test(arguments: [
        ("Find the area of a circle with radius 5 cm", "25π cm² ≈ 78.54 cm²"),
        ("area of a circle with a radius 5cm", "25π cm² ≈ 78.54 cm²"),
        ("area of a circle, r = 5", "25π ≈ 78.54"),
        ("What is the area of a circle whose diameter is 10 m?", "25π m² ≈ 78.54 m²"),
        ("A circle has a radius of 5 cm. What is its area?", "25π cm² ≈ 78.54 cm²"),
        ("area of a circle with radius of 2.5 m", "6.25π m² ≈ 19.63 m²"),
        ("circumference of a circle with diameter 10", "10π ≈ 31.42"),
        ("What is the volume of a sphere with radius 3?", "36π ≈ 113.1"),
        ("surface area of a sphere with diameter 6 ft", "36π ft² ≈ 113.1 ft²"),
        ("Find the perimeter of a rectangle with length 12 and width 8", "40"),
        ("area of a 12 by 8 rectangle", "96"),
        ("area of a rectangle 12 cm by 8 cm", "96 cm²"),
        ("diagonal of a rectangle 12 cm long and 5 cm wide", "13 cm"),
        ("diagonal of a rectangle with length 2 and width 1", "√5 ≈ 2.24"),
        ("area of a square with side length 4", "16"),
        ("perimeter of a square of side 4 in", "16 in"),
        ("diagonal of a square with side 3 mm", "3√2 mm ≈ 4.24 mm"),
        ("area of a triangle with base 10 and height 5", "25"),
        ("area of a triangle with base 5 and height 3 cm", "7.5 cm²"),
        ("area of a triangle with sides 3, 4 and 5", "6"),
        ("area of a triangle with sides 2, 3, and 4", "3√15/4 ≈ 2.9"),
        ("perimeter of a triangle with sides 3, 4 and 5 m", "12 m"),
        ("area of a triangle with sides 1, 2 and 10", "no such triangle"),
        ("hypotenuse of a right triangle with legs 3 and 4", "5"),
        ("hypotenuse of a right-angled triangle with legs 2 and 3", "√13 ≈ 3.61"),
        ("area of an equilateral triangle with side 6", "9√3 ≈ 15.59"),
        ("volume of a cylinder with radius 3 and height 5", "45π ≈ 141.37"),
        ("surface area of a cylinder with radius 3 cm and height 5 cm", "48π cm² ≈ 150.8 cm²"),
        ("volume of a cylinder with radius 1 m and height 50 cm", "500000π cm³ ≈ 1570796.33 cm³"),
        ("volume of a cone with radius 3 and height 4", "12π ≈ 37.7"),
        ("surface area of a cone with radius 3 and height 4", "24π ≈ 75.4"),
        ("surface area of a cone with radius 3 and height 5", "(9 + 3√34)π ≈ 83.23"),
        ("volume of a cube with side 4", "64"),
        ("surface area of a cube with edge length 4 cm", "96 cm²"),
        ("volume of a rectangular box 3 by 4 by 5", "60"),
        ("surface area of a cuboid with length 3, width 4 and height 5", "94"),
        ("volume of a box with length 2 m, width 3 m and height 4 m", "24 m³"),
        ("Calculate the area of a triangle with a base of 10 cm and a height of 6 cm", "30 cm²"),
        ("What is the circumference of a circle with a diameter of 14 inches?", "14π in ≈ 43.98 in"),
        ("A rectangle has a length of 8 and a width of 3. What is its perimeter?", "22"),
        ("What is the area of a square with sides of 5 cm?", "25 cm²"),
        ("If a right triangle has legs of 6 and 8, what is the hypotenuse?", "10"),
        ("The radius of a circle is 4 cm. Find its circumference.", "8π cm ≈ 25.13 cm"),
        ("Find the surface area of a rectangular prism with dimensions 2 cm × 3 cm × 4 cm", "52 cm²"),
        ("Find the area of a trapezoid with bases 3 and 5 and height 4", "16"),
        ("area of a trapezium with parallel sides 6 cm and 10 cm and height 5 cm", "40 cm²"),
        ("area of a parallelogram with base 7 and height 3", "21"),
        ("area of a circle with diameter 5", "25π/4 ≈ 19.63"),
    ])
    func solves(question: String, answer: String) throws {
        let solved = try #require(MathSolver.solve(question))
        #expect(solved.answer == answer)
        #expect(solved.topic == .geometry)
    }

    @Test func circleAreaAnswerParts() throws {
        let solved = try #require(MathSolver.solve("Find the area of a circle with radius 5 cm"))
        #expect(solved.exact == "25π cm²")
        #expect(solved.approximation == "78.54 cm²")
        #expect(solved.working == ["A = πr² = π × 5² = 25π cm²", "≈ 78.54 cm²"])
    }

    @Test func heronWorking() throws {
        let solved = try #require(MathSolver.solve("area of a triangle with sides 3, 4 and 5"))
        #expect(
            solved.working == [
                "Heron's formula: s = (a + b + c)/2 = 6",
                "A = √(s(s − a)(s − b)(s − c)) = √(6 × 3 × 2 × 1) = √36 = 6",
            ])
    }

    @Test(arguments: [
        "the area of my kitchen",
        "the area of a circle",
        "the volume of a circle with radius 2",
        "the area of a circle with radius 1 m and height 2",
        "the area of a circle with radius 5 and diameter 10",
        "the area of a circle with radius -5",
        "the area of a square circle with side 2",
        "the area of a triangle with sides 3 and 4",
        "the area of a circle with radius 5 cm²",
        "the area of a triangular prism with sides 3, 4 and 5",
    ])
    func abstains(question: String) {
        #expect(GeometryRecognizer().solve(MathQuestion(question)) == nil)
    }
}
