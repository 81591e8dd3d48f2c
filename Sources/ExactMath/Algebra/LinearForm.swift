/// A linear expression in several variables, a₁x₁ + … + aₙxₙ + c, with exact rational coefficients.
struct LinearForm: Sendable, Hashable {
    /// Coefficient by variable name; no zero entries.
    var coefficients: [String: Rational]
    /// The constant term.
    var constant: Rational

    init(coefficients: [String: Rational] = [:], constant: Rational = .zero) {
        self.coefficients = coefficients.filter { !$0.value.isZero }
        self.constant = constant
    }

    /// The linear form an expression denotes; nil when it is not linear (products or powers of variables,
    /// division by a variable, functions, π).
    init?(_ expression: Expr) {
        guard let form = LinearForm.build(expression) else { return nil }
        self = form
    }

    var isConstant: Bool { coefficients.isEmpty }

    func coefficient(_ name: String) -> Rational { coefficients[name] ?? .zero }

    static func + (a: LinearForm, b: LinearForm) -> LinearForm {
        var sum = a.coefficients
        for (name, value) in b.coefficients { sum[name] = (sum[name] ?? .zero) + value }
        return LinearForm(coefficients: sum, constant: a.constant + b.constant)
    }

    static prefix func - (a: LinearForm) -> LinearForm { a.scaled(by: -Rational.one) }

    static func - (a: LinearForm, b: LinearForm) -> LinearForm { a + (-b) }

    func scaled(by factor: Rational) -> LinearForm {
        LinearForm(coefficients: coefficients.mapValues { $0 * factor }, constant: constant * factor)
    }

    private static func build(_ expression: Expr) -> LinearForm? {
        switch expression {
        case .number(let value):
            return LinearForm(constant: value)
        case .variable(let name):
            return LinearForm(coefficients: [name: .one])
        case .negate(let inner):
            return build(inner).map { -$0 }
        case .add(let a, let b):
            guard let a = build(a), let b = build(b) else { return nil }
            return a + b
        case .subtract(let a, let b):
            guard let a = build(a), let b = build(b) else { return nil }
            return a - b
        case .multiply(let a, let b):
            guard let a = build(a), let b = build(b) else { return nil }
            if a.isConstant { return b.scaled(by: a.constant) }
            if b.isConstant { return a.scaled(by: b.constant) }
            return nil
        case .divide(let a, let b):
            guard let a = build(a), let b = build(b), b.isConstant, let inverse = b.constant.reciprocal else {
                return nil
            }
            return a.scaled(by: inverse)
        case .power(let base, let exponent):
            guard let base = build(base), let exponent = build(exponent), exponent.isConstant,
                exponent.constant.isInteger, let n = exponent.constant.numerator.asInt
            else { return nil }
            if base.isConstant {
                guard Polynomial.powerIsSmall(base.constant, abs(n)), let value = base.constant.power(n) else {
                    return nil
                }
                return LinearForm(constant: value)
            }
            return n == 1 ? base : nil
        case .constant, .factorial, .percent, .function:
            return nil
        }
    }
}

/// The outcome of solving a system of linear equations.
enum LinearSystemSolution: Sendable, Equatable {
    /// Exactly one solution: a value per variable, in the order of the variables asked for.
    case unique([Rational])
    /// The equations contradict each other.
    case inconsistent
    /// Consistent, but with `freeVariables` degrees of freedom.
    case infinitelyMany(freeVariables: Int)
}

/// Exact Gaussian elimination over the rationals.
enum LinearSystemSolver {
    /// Solves rows of coefficients `matrix[i][j]` (variable j in equation i) against `constants[i]`; also returns
    /// the row operations performed, written "R2 → R2 − 2·R1".
    static func solve(
        matrix: [[Rational]], constants: [Rational], style: NumberStyle = .fraction
    ) -> (solution: LinearSystemSolution, operations: [String]) {
        let rowCount = matrix.count
        let columnCount = matrix.first?.count ?? 0
        var rows = (0..<rowCount).map { matrix[$0] + [constants[$0]] }
        var names = (0..<rowCount).map { "R\($0 + 1)" }
        var operations: [String] = []
        var pivotRow = 0
        var pivotColumns: [Int] = []
        for column in 0..<columnCount where pivotRow < rowCount {
            guard let found = (pivotRow..<rowCount).first(where: { !rows[$0][column].isZero }) else { continue }
            if found != pivotRow {
                rows.swapAt(pivotRow, found)
                names.swapAt(pivotRow, found)
                operations.append("swap \(names[found]) and \(names[pivotRow])")
            }
            guard let inverse = rows[pivotRow][column].reciprocal else { continue }
            if inverse != .one {
                rows[pivotRow] = rows[pivotRow].map { $0 * inverse }
                let factor = Format.rational(inverse, style: style)
                let shown = inverse.isInteger || style == .decimal ? factor : "(\(factor))"
                operations.append("\(names[pivotRow]) → \(shown)·\(names[pivotRow])")
            }
            for other in 0..<rowCount where other != pivotRow && !rows[other][column].isZero {
                let factor = rows[other][column]
                rows[other] = (0...columnCount).map { rows[other][$0] - factor * rows[pivotRow][$0] }
                let magnitude = factor.signum < 0 ? -factor : factor
                let factorText = Format.rational(magnitude, style: style)
                let shownFactor = magnitude.isInteger || style == .decimal ? factorText : "(\(factorText))"
                let text = magnitude == .one ? "" : shownFactor + "·"
                let sign = factor.signum < 0 ? "+" : "−"
                operations.append("\(names[other]) → \(names[other]) \(sign) \(text)\(names[pivotRow])")
            }
            pivotColumns.append(column)
            pivotRow += 1
        }
        for row in pivotRow..<rowCount where !rows[row][columnCount].isZero {
            return (.inconsistent, operations)
        }
        if pivotColumns.count < columnCount {
            return (.infinitelyMany(freeVariables: columnCount - pivotColumns.count), operations)
        }
        var values = [Rational](repeating: .zero, count: columnCount)
        for (row, column) in pivotColumns.enumerated() { values[column] = rows[row][columnCount] }
        return (.unique(values), operations)
    }
}
