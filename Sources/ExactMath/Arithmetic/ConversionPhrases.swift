/// Unit conversions with exact factors: lengths (mm, cm, m, km, in = 2.54 cm, ft, yd, mi), masses (mg, g,
/// kg, t, oz, lb = 0.45359237 kg), times (ms, s, min, h, day, week) and temperatures (°C, °F, K). Phrasings:
/// "convert 5 km to m" → "5000 m", "100 °F in °C" → "340/9 °C ≈ 37.78 °C", "how many seconds are in a day" →
/// "86400". Units of different kinds (km to kg) abstain.
enum ConversionPhrases {
    private enum Kind { case length, mass, time, temperature }

    private struct Unit {
        let symbol: String
        let kind: Kind
        /// The size of one unit in the kind's base unit (mm, mg, ms); unused for temperatures.
        let size: Rational
    }

    private static let units: [Substring: Unit] = {
        var table: [Substring: Unit] = [:]
        func add(_ names: [Substring], _ symbol: String, _ kind: Kind, _ size: Rational) {
            for name in names { table[name] = Unit(symbol: symbol, kind: kind, size: size) }
        }
        add(["mm", "millimeter", "millimeters", "millimetre", "millimetres"], "mm", .length, 1)
        add(["cm", "centimeter", "centimeters", "centimetre", "centimetres"], "cm", .length, 10)
        add(["m", "meter", "meters", "metre", "metres"], "m", .length, 1000)
        add(["km", "kilometer", "kilometers", "kilometre", "kilometres"], "km", .length, 1_000_000)
        add(["in", "inch", "inches"], "in", .length, Rational(254, 10))
        add(["ft", "foot", "feet"], "ft", .length, Rational(3048, 10))
        add(["yd", "yard", "yards"], "yd", .length, Rational(9144, 10))
        add(["mi", "mile", "miles"], "mi", .length, 1_609_344)
        add(["mg", "milligram", "milligrams"], "mg", .mass, 1)
        add(["g", "gram", "grams"], "g", .mass, 1000)
        add(["kg", "kilogram", "kilograms", "kilo", "kilos"], "kg", .mass, 1_000_000)
        add(["t", "tonne", "tonnes"], "t", .mass, 1_000_000_000)
        add(["lb", "lbs", "pound", "pounds"], "lb", .mass, Rational(45_359_237, 100))
        add(["oz", "ounce", "ounces"], "oz", .mass, Rational(45_359_237, 1600))
        add(["ms", "millisecond", "milliseconds"], "ms", .time, 1)
        add(["s", "sec", "secs", "second", "seconds"], "s", .time, 1000)
        add(["min", "mins", "minute", "minutes"], "min", .time, 60_000)
        add(["h", "hr", "hrs", "hour", "hours"], "h", .time, 3_600_000)
        add(["day", "days"], "day", .time, 86_400_000)
        add(["week", "weeks"], "week", .time, 604_800_000)
        add(["°c", "c", "celsius", "centigrade"], "°C", .temperature, 0)
        add(["°f", "f", "fahrenheit"], "°F", .temperature, 0)
        add(["k", "kelvin", "kelvins"], "K", .temperature, 0)
        return table
    }()

    static func convert(_ text: Substring) -> MathAnswer? {
        var scanner = WordScanner(text)
        if scanner.accept("how many") {
            guard let target = unit(&scanner), scanner.accept("are there in", "are in", "is in", "in") else {
                return nil
            }
            let count = scanner.accept("a", "an") ? Rational.one : scanner.number() ?? Rational.one
            guard count.signum > 0, let source = unit(&scanner), scanner.atEnd else { return nil }
            return answer(count, from: source, to: target, withUnit: false)
        }
        _ = scanner.accept("convert")
        let value: Rational
        let source: Unit
        if let number = scanner.number() {
            guard let named = unit(&scanner) else { return nil }
            (value, source) = (number, named)
        } else {
            guard let (number, named) = glued(&scanner) else { return nil }
            (value, source) = (number, named)
        }
        guard scanner.accept("to", "into", "in"), let target = unit(&scanner), scanner.atEnd else { return nil }
        return answer(value, from: source, to: target, withUnit: true)
    }

    /// "100°f" or "5km": a number glued to its unit.
    private static func glued(_ scanner: inout WordScanner) -> (Rational, Unit)? {
        guard let word = scanner.peek,
            let split = word.firstIndex(where: { !($0.isASCII && ($0.isNumber || $0 == ".")) && $0 != "-" }),
            split > word.startIndex, let value = WordScanner.decimal(word[..<split]), let unit = units[word[split...]]
        else { return nil }
        scanner.skip()
        return (value, unit)
    }

    /// A unit name of one or two words ("km", "degrees celsius", "° c").
    private static func unit(_ scanner: inout WordScanner) -> Unit? {
        _ = scanner.accept("degrees", "degree")
        if scanner.accept("°") {
            guard let word = scanner.peek, let unit = units["°" + word], unit.kind == .temperature else { return nil }
            scanner.skip()
            return unit
        }
        guard let word = scanner.peek, let unit = units[word] else { return nil }
        scanner.skip()
        return unit
    }

    private static func answer(_ value: Rational, from source: Unit, to target: Unit, withUnit: Bool) -> MathAnswer? {
        guard source.kind == target.kind, source.symbol != target.symbol else { return nil }
        let result: Rational
        let rule: String
        if source.kind == .temperature {
            let kelvin = toKelvin(value, source.symbol)
            result = fromKelvin(kelvin, target.symbol)
            rule = formula(source.symbol, target.symbol)
        } else {
            let factor = source.size.dividing(by: target.size)!
            result = value * factor
            rule =
                "1 \(source.symbol) = " + Format.rationalWithApproximation(factor, style: .decimal)
                + " " + label(target.symbol, factor)
        }
        let (exact, approximation) = quantity(result, unit: withUnit ? label(target.symbol, result) : "")
        let given = Format.rational(value, style: .decimal) + " " + label(source.symbol, value)
        let (fullExact, fullApproximation) = quantity(result, unit: label(target.symbol, result))
        let multiplied =
            source.kind == .temperature
            ? ""
            : Format.rational(value, style: .decimal) + " × "
                + Format.rational(source.size.dividing(by: target.size)!, style: .decimal) + " = "
        let working = [rule, "\(given) = " + multiplied + Format.withApproximation(fullExact, fullApproximation)]
        return MathAnswer(
            answer: Format.withApproximation(exact, approximation), working: working, exact: exact,
            approximation: approximation, topic: .conversion)
    }

    /// "day" and "week" take a plural for any amount but 1.
    private static func label(_ symbol: String, _ value: Rational) -> String {
        (symbol == "day" || symbol == "week") && value != Rational.one ? symbol + "s" : symbol
    }

    /// A value with its unit: exact (a decimal when it terminates, else a fraction) and two decimals otherwise.
    private static func quantity(_ value: Rational, unit: String) -> (String, String?) {
        let suffix = unit.isEmpty ? "" : " " + unit
        let exact = Format.rational(value, style: .decimal) + suffix
        if value.terminatesAsDecimal { return (exact, nil) }
        return (exact, Format.unicodeMinus(value.decimalString(maxFractionDigits: 2)) + suffix)
    }

    private static func toKelvin(_ value: Rational, _ symbol: String) -> Rational {
        switch symbol {
        case "°C": return value + Rational(27315, 100)
        case "°F": return (value - 32) * Rational(5, 9) + Rational(27315, 100)
        default: return value
        }
    }

    private static func fromKelvin(_ kelvin: Rational, _ symbol: String) -> Rational {
        switch symbol {
        case "°C": return kelvin - Rational(27315, 100)
        case "°F": return (kelvin - Rational(27315, 100)) * Rational(9, 5) + 32
        default: return kelvin
        }
    }

    private static func formula(_ source: String, _ target: String) -> String {
        switch (source, target) {
        case ("°F", "°C"): return "°C = (°F − 32) × 5/9"
        case ("°C", "°F"): return "°F = °C × 9/5 + 32"
        case ("°C", "K"): return "K = °C + 273.15"
        case ("K", "°C"): return "°C = K − 273.15"
        case ("°F", "K"): return "K = (°F − 32) × 5/9 + 273.15"
        default: return "°F = (K − 273.15) × 9/5 + 32"
        }
    }
}
