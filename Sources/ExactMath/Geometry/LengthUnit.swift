/// A unit of length a geometry question may use; areas and volumes are printed as its square and cube ("cm²").
enum LengthUnit: String, Sendable, CaseIterable {
    case millimetre = "mm"
    case centimetre = "cm"
    case metre = "m"
    case kilometre = "km"
    case inch = "in"
    case foot = "ft"
    case yard = "yd"
    case mile = "mi"

    /// The unit named by a word written after a number: "cm", "metres", "inches", "ft", …
    init?(word: Substring) {
        switch word {
        case "mm", "millimeter", "millimeters", "millimetre", "millimetres": self = .millimetre
        case "cm", "centimeter", "centimeters", "centimetre", "centimetres": self = .centimetre
        case "m", "meter", "meters", "metre", "metres": self = .metre
        case "km", "kilometer", "kilometers", "kilometre", "kilometres": self = .kilometre
        case "in", "inch", "inches": self = .inch
        case "ft", "foot", "feet": self = .foot
        case "yd", "yard", "yards": self = .yard
        case "mi", "mile", "miles": self = .mile
        default: return nil
        }
    }

    /// The length of one unit in millimetres, exactly.
    var millimetres: Rational {
        switch self {
        case .millimetre: return 1
        case .centimetre: return 10
        case .metre: return 1000
        case .kilometre: return 1_000_000
        case .inch: return Rational(254, 10)
        case .foot: return Rational(3048, 10)
        case .yard: return Rational(9144, 10)
        case .mile: return 1_609_344
        }
    }

    /// The factor that converts a length in `self` to `other`: 1 m → 100 cm gives 100.
    func factor(to other: LengthUnit) -> Rational {
        millimetres.dividing(by: other.millimetres) ?? 1
    }
}
