import ExactMath

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A number during evaluation.
enum Numeric {
    case int(Int)
    case big(BigInt)
    case float(Double)

    var asDouble: Double {
        switch self {
        case .int(let value): Double(value)
        case .big(let value): value.doubleValue
        case .float(let value): value
        }
    }

    var asBigInt: BigInt? {
        switch self {
        case .int(let value): BigInt(value)
        case .big(let value): value
        case .float: nil
        }
    }

    var isFloat: Bool {
        if case .float = self { return true }
        return false
    }

    static func integer(_ value: BigInt) -> Numeric {
        if let small = value.asInt { return .int(small) }
        return .big(value)
    }
}

/// The evaluable functors.
enum ArithmeticFunction: Int, CaseIterable {
    case none = 0
    case add, subtract, multiply, divide, intDivide, mod, rem, div, min, max, power, caret, shiftRight, shiftLeft
    case bitAnd, bitOr, xor, atan2, atanTwo, gcd, copysign, log2Base, truncatedDivide
    case negate, plus, abs, sign, sqrt, sin, cos, tan, asin, acos, atan, exp, log, log2, float, integer
    case floatIntegerPart, floatFractionalPart, truncate, round, ceiling, floor, bitNot, msb, sinh, cosh, tanh
    case asinh, acosh, atanh, random, randomFloat, succ

    /// Name and arity of each function.
    static let signatures: [(String, Int, ArithmeticFunction)] = [
        ("+", 2, .add), ("-", 2, .subtract), ("*", 2, .multiply), ("/", 2, .divide), ("//", 2, .intDivide),
        ("mod", 2, .mod), ("rem", 2, .rem), ("div", 2, .div), ("min", 2, .min), ("max", 2, .max),
        ("**", 2, .power), ("^", 2, .caret), (">>", 2, .shiftRight), ("<<", 2, .shiftLeft), ("/\\", 2, .bitAnd),
        ("\\/", 2, .bitOr), ("xor", 2, .xor), ("atan2", 2, .atan2), ("atan", 2, .atanTwo), ("gcd", 2, .gcd),
        ("copysign", 2, .copysign), ("log", 2, .log2Base), ("truncate", 2, .truncatedDivide),
        ("-", 1, .negate), ("+", 1, .plus), ("abs", 1, .abs), ("sign", 1, .sign), ("sqrt", 1, .sqrt),
        ("sin", 1, .sin), ("cos", 1, .cos), ("tan", 1, .tan), ("asin", 1, .asin), ("acos", 1, .acos),
        ("atan", 1, .atan), ("exp", 1, .exp), ("log", 1, .log), ("log2", 1, .log2), ("float", 1, .float),
        ("integer", 1, .integer), ("float_integer_part", 1, .floatIntegerPart),
        ("float_fractional_part", 1, .floatFractionalPart), ("truncate", 1, .truncate), ("round", 1, .round),
        ("ceiling", 1, .ceiling), ("floor", 1, .floor), ("\\", 1, .bitNot), ("msb", 1, .msb), ("sinh", 1, .sinh),
        ("cosh", 1, .cosh), ("tanh", 1, .tanh), ("asinh", 1, .asinh), ("acosh", 1, .acosh), ("atanh", 1, .atanh),
        ("random", 1, .random), ("random_float", 0, .randomFloat), ("succ", 1, .succ),
    ]
}

/// Arithmetic evaluation (`is/2`, comparisons).
extension Machine {
    /// Evaluates a heap term. Nil when it raised an error (in `pendingError`) or hit a limit.
    mutating func evaluate(_ cell: Int, depth: Int = 0) -> Numeric? {
        let value = deref(cell)
        switch value & 7 {
        case Cell.int: return .int(value >> 3)
        case Cell.float: return .float(Double(bitPattern: UInt64(UInt(bitPattern: heap[value >> 3]))))
        case Cell.ref:
            raise(Cell.atom(Atoms.instantiationError))
            return nil
        case Cell.str:
            let address = value >> 3
            let functor = heap[address] >> 3
            let n = arity(functor)
            if depth > 20_000 || !countWork() {
                if failure == nil { failure = .limitExceeded(.depth) }
                return nil
            }
            guard let first = evaluate(heap[address + 1], depth: depth + 1) else { return nil }
            if n == 1 { return apply(functor, first, nil) }
            if n == 2 {
                guard let second = evaluate(heap[address + 2], depth: depth + 1) else { return nil }
                return apply(functor, first, second)
            }
            return notEvaluable(functor)
        default:
            return evaluateAtomic(value, depth: depth)
        }
    }

    /// Evaluates a template of the running clause without building it on the heap.
    mutating func evaluateTemplateNumber(_ template: Int) -> Numeric? {
        switch template & 7 {
        case Cell.int: return .int(template >> 3)
        case Cell.ref:
            let value = heap[FR + template >> 3]
            if value == 0 {
                raise(Cell.atom(Atoms.instantiationError))
                return nil
            }
            return evaluate(value)
        case Cell.str:
            let address = template >> 3
            let functor = code[address] >> 3
            let n = arity(functor)
            guard let first = evaluateTemplateNumber(code[address + 1]) else { return nil }
            if n == 1 { return apply(functor, first, nil) }
            if n == 2 {
                guard let second = evaluateTemplateNumber(code[address + 2]) else { return nil }
                return apply(functor, first, second)
            }
            return notEvaluable(functor)
        case Cell.float:
            return .float(Double(bitPattern: UInt64(UInt(bitPattern: code[template >> 3]))))
        case Cell.list:
            return evaluate(resolve(template))
        default:
            return evaluateAtomic(template, depth: 0)
        }
    }

    /// `is/2` inline: the value of a template as a heap cell.
    mutating func evaluateTemplate(_ template: Int) -> Int? {
        currentBuiltin = Functors.isFunctor
        guard let number = evaluateTemplateNumber(template) else { return nil }
        return numberCell(number)
    }

    /// Inline arithmetic comparison `kind` (see `Compiler.comparisons`) of two templates.
    mutating func compareTemplates(_ kind: Int, _ left: Int, _ right: Int) -> Bool {
        currentBuiltin = Functors.comparisonFunctors[kind]
        guard let a = evaluateTemplateNumber(left), let b = evaluateTemplateNumber(right) else { return false }
        return comparisonHolds(kind, compareNumbers(a, b))
    }

    func comparisonHolds(_ kind: Int, _ order: Int) -> Bool {
        switch kind {
        case 0: order < 0
        case 1: order > 0
        case 2: order <= 0
        case 3: order >= 0
        case 4: order == 0
        default: order != 0
        }
    }

    /// A number as a heap cell.
    mutating func numberCell(_ number: Numeric) -> Int? {
        switch number {
        case .int(let value): return makeInteger(value)
        case .big(let value): return makeInteger(value)
        case .float(let value):
            guard ensureHeap(1) else { return nil }
            return makeFloat(value)
        }
    }

    /// -1, 0 or 1 (NaN compares unequal to everything, as "greater").
    func compareNumbers(_ a: Numeric, _ b: Numeric) -> Int {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y ? -1 : x == y ? 0 : 1
        case (.float(let x), .float(let y)): return x < y ? -1 : x == y ? 0 : 1
        case (.big, _), (_, .big):
            if a.isFloat || b.isFloat {
                let x = a.asDouble
                let y = b.asDouble
                return x < y ? -1 : x == y ? 0 : 1
            }
            let x = a.asBigInt!
            let y = b.asBigInt!
            return x < y ? -1 : x == y ? 0 : 1
        default:
            let x = a.asDouble
            let y = b.asDouble
            return x < y ? -1 : x == y ? 0 : 1
        }
    }

    /// Records an error term to throw once evaluation unwinds.
    mutating func raise(_ formal: Int) {
        guard pendingError == 0, ensureHeap(16) else { return }
        let predicate = indicator(currentBuiltin >= 0 ? currentBuiltin : Functors.isFunctor)
        let qualified = makeStructure(Functors.colon, [Cell.atom(Atoms.system), predicate])
        let context = makeStructure(Functors.context, [qualified, newVariable()])
        pendingError = makeStructure(Functors.error, [formal, context])
    }

    private mutating func raiseType(_ type: Int, _ culprit: Int) {
        guard ensureHeap(8) else { return }
        raise(makeStructure(Functors.typeError, [Cell.atom(type), culprit]))
    }

    /// An evaluation error; its context is the operator, as SWI-Prolog reports it.
    private mutating func raiseEvaluation(_ what: Int, _ functor: Int) {
        guard pendingError == 0, ensureHeap(16) else { return }
        let formal = makeStructure(Functors.evaluationError, [Cell.atom(what)])
        let context = makeStructure(Functors.context, [indicator(functor), newVariable()])
        pendingError = makeStructure(Functors.error, [formal, context])
    }

    private mutating func notEvaluable(_ functor: Int) -> Numeric? {
        guard ensureHeap(8) else { return nil }
        raiseType(Atoms.evaluable, indicator(functor))
        return nil
    }

    private mutating func evaluateAtomic(_ value: Int, depth: Int) -> Numeric? {
        switch value & 7 {
        case Cell.object:
            switch state.objects[value >> 3] {
            case .bigInt(let big): return .big(big)
            case .string(let text):
                let scalars = Array(text.unicodeScalars)
                if scalars.count == 1 { return .int(Int(scalars[0].value)) }
                raiseType(Atoms.evaluable, value)
                return nil
            }
        case Cell.list:
            let address = value >> 3
            if deref(heap[address + 1]) == Cell.nilAtom { return evaluate(heap[address], depth: depth + 1) }
            raiseType(Atoms.evaluable, value)
            return nil
        case Cell.atom:
            switch state.atoms[value >> 3] {
            case "pi": return .float(Double.pi)
            case "e": return .float(M_E)
            case "inf", "infinite": return .float(.infinity)
            case "nan": return .float(.nan)
            case "epsilon": return .float(Double.ulpOfOne)
            case "max_tagged_integer": return .int(Cell.maxInt)
            case "min_tagged_integer": return .int(Cell.minInt)
            case "random": return .int(Int.random(in: 0..<Int.max))
            case "random_float": return .float(Double.random(in: 0..<1))
            case "cputime": return .float(Double(inferences) / 1e8)
            case "[]" where value != Cell.nilAtom: return notEvaluable(state.functor(value >> 3, 0))
            default:
                guard ensureHeap(8) else { return nil }
                raiseType(Atoms.evaluable, indicator(state.functor(value >> 3, 0)))
                return nil
            }
        default:
            raiseType(Atoms.evaluable, value)
            return nil
        }
    }

    private mutating func requireInteger(_ value: Numeric) -> BigInt? {
        if let integer = value.asBigInt { return integer }
        if case .float(let float) = value {
            guard ensureHeap(1) else { return nil }
            raiseType(Atoms.integer, makeFloat(float))
        }
        return nil
    }

    /// Checks a float result: infinities and NaN from finite arguments are errors.
    private mutating func checked(_ result: Double, _ functor: Int) -> Numeric? {
        if result.isNaN {
            raiseEvaluation(Atoms.undefined, functor)
            return nil
        }
        if result.isInfinite {
            raiseEvaluation(Atoms.floatOverflow, functor)
            return nil
        }
        return .float(result)
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    mutating func apply(_ functor: Int, _ x: Numeric, _ y: Numeric?) -> Numeric? {
        let function =
            functor < state.arithmetic.count
            ? ArithmeticFunction(rawValue: state.arithmetic[functor]) ?? .none : .none
        if let y {
            // Fast paths on small integers.
            if case .int(let a) = x, case .int(let b) = y {
                switch function {
                case .add:
                    let (sum, overflow) = a.addingReportingOverflow(b)
                    if !overflow { return .int(sum) }
                case .subtract:
                    let (difference, overflow) = a.subtractingReportingOverflow(b)
                    if !overflow { return .int(difference) }
                case .multiply:
                    let (product, overflow) = a.multipliedReportingOverflow(by: b)
                    if !overflow { return .int(product) }
                default: break
                }
            }
            return applyBinary(function, functor, x, y)
        }
        return applyUnary(function, functor, x)
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    private mutating func applyBinary(
        _ function: ArithmeticFunction, _ functor: Int, _ x: Numeric, _ y: Numeric
    ) -> Numeric? {
        let anyFloat = x.isFloat || y.isFloat
        switch function {
        case .add, .subtract, .multiply:
            if anyFloat {
                let a = x.asDouble
                let b = y.asDouble
                let result = function == .add ? a + b : function == .subtract ? a - b : a * b
                return checked(result, functor)
            }
            let a = x.asBigInt!
            let b = y.asBigInt!
            return .integer(function == .add ? a + b : function == .subtract ? a - b : a * b)
        case .divide:
            if anyFloat {
                let b = y.asDouble
                if b == 0 {
                    raiseEvaluation(x.asDouble == 0 || x.asDouble.isNaN ? Atoms.undefined : Atoms.zeroDivisor, functor)
                    return nil
                }
                return checked(x.asDouble / b, functor)
            }
            let a = x.asBigInt!
            let b = y.asBigInt!
            if b.isZero {
                raiseEvaluation(Atoms.zeroDivisor, functor)
                return nil
            }
            let (quotient, remainder) = a.quotientAndRemainder(dividingBy: b)
            if remainder.isZero { return .integer(quotient) }
            return checked(a.doubleValue / b.doubleValue, functor)
        case .intDivide, .mod, .rem, .div, .gcd, .shiftLeft, .shiftRight, .bitAnd, .bitOr, .xor, .truncatedDivide:
            guard let a = requireInteger(x), let b = requireInteger(y) else { return nil }
            return integerBinary(function, functor, a, b)
        case .min, .max:
            let order = compareNumbers(x, y)
            if order == 0 { return y.isFloat ? y : x }
            if function == .min { return order > 0 ? y : x }
            return order < 0 ? y : x
        case .power, .caret:
            if !anyFloat, let a = x.asBigInt, let b = y.asBigInt {
                if b.signum >= 0 {
                    guard let exponent = b.asInt, exponent < 1 << 24 else {
                        if failure == nil { failure = .limitExceeded(.memory) }
                        return nil
                    }
                    if a.bitWidth * exponent > 64 * 1_000_000 {
                        failure = .limitExceeded(.memory)
                        return nil
                    }
                    return .integer(a.power(exponent))
                }
                if a == 1 { return .int(1) }
                if a == -1 { return .int(b.isEven ? 1 : -1) }
                if a.isZero {
                    raiseEvaluation(Atoms.zeroDivisor, functor)
                    return nil
                }
            }
            return checked(pow(x.asDouble, y.asDouble), functor)
        case .atan2, .atanTwo:
            return checked(atan2(x.asDouble, y.asDouble), functor)
        case .copysign:
            return .float(copysign(x.asDouble, y.asDouble))
        case .log2Base:
            let base = x.asDouble
            let value = y.asDouble
            if base <= 0 || value <= 0 {
                raiseEvaluation(Atoms.undefined, functor)
                return nil
            }
            return checked(log(value) / log(base), functor)
        default:
            _ = notEvaluable(functor)
            return nil
        }
    }

    private mutating func integerBinary(
        _ function: ArithmeticFunction, _ functor: Int, _ a: BigInt, _ b: BigInt
    ) -> Numeric? {
        switch function {
        case .intDivide, .mod, .rem, .div, .truncatedDivide:
            if b.isZero {
                raiseEvaluation(Atoms.zeroDivisor, functor)
                return nil
            }
            let (quotient, remainder) = a.quotientAndRemainder(dividingBy: b)
            switch function {
            case .intDivide, .truncatedDivide: return .integer(quotient)
            case .rem: return .integer(remainder)
            case .mod:
                if !remainder.isZero && (remainder.signum < 0) != (b.signum < 0) { return .integer(remainder + b) }
                return .integer(remainder)
            default:
                if !remainder.isZero && (remainder.signum < 0) != (b.signum < 0) { return .integer(quotient - 1) }
                return .integer(quotient)
            }
        case .gcd:
            return .integer(BigInt.gcd(a, b))
        case .shiftLeft, .shiftRight:
            guard let amount = b.asInt else {
                failure = .limitExceeded(.memory)
                return nil
            }
            let left = (function == .shiftLeft) == (amount >= 0)
            let bits = amount.magnitude > UInt(1 << 26) ? 1 << 26 : Int(amount.magnitude)
            if left {
                if a.bitWidth + bits > 64 * 1_000_000 {
                    failure = .limitExceeded(.memory)
                    return nil
                }
                return .integer(a.shiftedLeft(by: bits))
            }
            if a.signum >= 0 { return .integer(a.shiftedRight(by: bits)) }
            // Arithmetic shift of a negative number rounds toward negative infinity.
            return .integer(-((-a - 1).shiftedRight(by: bits)) - 1)
        default:
            guard let x = a.asInt, let y = b.asInt else {
                raise(Cell.atom(Atoms.resourceError))
                return nil
            }
            switch function {
            case .bitAnd: return .int(x & y)
            case .bitOr: return .int(x | y)
            default: return .int(x ^ y)
            }
        }
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    private mutating func applyUnary(_ function: ArithmeticFunction, _ functor: Int, _ x: Numeric) -> Numeric? {
        switch function {
        case .negate:
            switch x {
            case .int(let value): return value == Int.min ? .big(-BigInt(value)) : .int(-value)
            case .big(let value): return .integer(-value)
            case .float(let value): return .float(-value)
            }
        case .plus: return x
        case .abs:
            switch x {
            case .int(let value): return value == Int.min ? .big(-BigInt(value)) : .int(Swift.abs(value))
            case .big(let value): return .integer(value.magnitude)
            case .float(let value): return .float(Swift.abs(value))
            }
        case .sign:
            switch x {
            case .int(let value): return .int(value.signum())
            case .big(let value): return .int(value.signum)
            case .float(let value): return .float(value > 0 ? 1 : value < 0 ? -1 : 0)
            }
        case .succ:
            guard let value = requireInteger(x) else { return nil }
            return .integer(value + 1)
        case .sqrt, .log, .log2, .asin, .acos, .acosh, .atanh:
            let value = x.asDouble
            let undefined: Bool
            switch function {
            case .sqrt: undefined = value < 0
            case .log, .log2: undefined = value <= 0
            case .asin, .acos: undefined = value < -1 || value > 1
            case .acosh: undefined = value < 1
            default: undefined = value <= -1 || value >= 1
            }
            if undefined {
                raiseEvaluation(Atoms.undefined, functor)
                return nil
            }
            let result: Double
            switch function {
            case .sqrt: result = value.squareRoot()
            case .log: result = log(value)
            case .log2: result = log2(value)
            case .asin: result = asin(value)
            case .acos: result = acos(value)
            case .acosh: result = acosh(value)
            default: result = atanh(value)
            }
            return checked(result, functor)
        case .sin: return checked(sin(x.asDouble), functor)
        case .cos: return checked(cos(x.asDouble), functor)
        case .tan: return checked(tan(x.asDouble), functor)
        case .atan: return checked(atan(x.asDouble), functor)
        case .exp: return checked(exp(x.asDouble), functor)
        case .sinh: return checked(sinh(x.asDouble), functor)
        case .cosh: return checked(cosh(x.asDouble), functor)
        case .tanh: return checked(tanh(x.asDouble), functor)
        case .asinh: return checked(asinh(x.asDouble), functor)
        case .float: return .float(x.asDouble)
        case .integer, .truncate, .round, .ceiling, .floor:
            guard case .float(let value) = x else { return x }
            if !value.isFinite {
                raiseEvaluation(Atoms.undefined, functor)
                return nil
            }
            let rounded: Double
            switch function {
            case .truncate: rounded = value.rounded(.towardZero)
            case .ceiling: rounded = value.rounded(.up)
            case .floor: rounded = value.rounded(.down)
            default: rounded = value.rounded(.toNearestOrAwayFromZero)
            }
            return .integer(Machine.bigInt(exactly: rounded))
        case .floatIntegerPart:
            return .float(x.asDouble.rounded(.towardZero))
        case .floatFractionalPart:
            let value = x.asDouble
            return .float(value - value.rounded(.towardZero))
        case .bitNot:
            guard let value = requireInteger(x) else { return nil }
            return .integer(-value - 1)
        case .msb:
            guard let value = requireInteger(x) else { return nil }
            return .int(value.bitWidth - 1)
        case .random:
            guard let value = requireInteger(x), let bound = value.asInt, bound > 0 else {
                raiseEvaluation(Atoms.undefined, functor)
                return nil
            }
            return .int(Int.random(in: 0..<bound))
        default:
            _ = notEvaluable(functor)
            return nil
        }
    }

    /// The integer equal to an integral, finite `Double`.
    static func bigInt(exactly value: Double) -> BigInt {
        if Swift.abs(value) < 9.0e18 { return BigInt(Int(value)) }
        let exponent = Int(value.exponent)
        let significand = Int(value.significandBitPattern | (1 << 52))
        let magnitude = BigInt(significand).shiftedLeft(by: exponent - 52)
        return value < 0 ? -magnitude : magnitude
    }
}
