/// The atoms and functors of a program, interned to small integers.
///
/// A few atoms and functors the engine needs by number are registered first, in a fixed order, so their numbers are
/// constants (`Atoms.comma`, `Functors.conjunction`, ...). The reserved empty list `[]` is distinct from the quoted
/// atom `'[]'`, as in SWI-Prolog 7 and later.
struct AtomTable: Sendable {
    private(set) var names: [String] = []
    private var numbers: [String: Int] = [:]

    /// The key under which `[]` is interned: a text no quoted atom can share.
    private static let nilKey = "\u{0}[]"

    init() {
        for (index, name) in Atoms.wellKnown.enumerated() {
            let number = intern(name == "[]" ? Self.nilKey : name)
            assert(number == index, "well-known atom '\(name)' is listed twice")
        }
        names[Atoms.nilAtom] = "[]"
    }

    /// The number of `name`, adding it when new.
    mutating func intern(_ name: String) -> Int {
        if let number = numbers[name] { return number }
        let number = names.count
        names.append(name)
        numbers[name] = number
        return number
    }

    /// The number of `name` if it was interned.
    func lookup(_ name: String) -> Int? { numbers[name] }

    subscript(_ atom: Int) -> String { names[atom] }

    var count: Int { names.count }
}

/// Numbers of the atoms the engine uses directly.
enum Atoms {
    static let wellKnown: [String] = [
        "[]", "[|]", "{}", ",", ";", "->", "*->", "\\+", "!", "true", "fail", "false", "call", ":-", "?-", "-", "+",
        "error", "end_of_file", "=", "^", "|", "", "type_error", "instantiation_error", "existence_error",
        "evaluation_error", "zero_divisor", "procedure", "evaluable", "integer", "number", "atom", "callable",
        "list", "compound", "atomic", "representation_error", "domain_error", "permission_error", "context",
        "system", "/", ":", "undefined", "float", "not_less_than_zero", "character", "resource_error", "v",
        "variable", "catch", "findall", "character_code", "max_arity", "string", "text", "modify",
        "static_procedure", "access", "private_procedure", "operator_priority", "operator_specifier", "create",
        "operator", "float_overflow", "int_overflow", "undefined_function", "less_than_zero", "order",
        "<", ">", "*", "dynamic", "discontiguous", "initialization", "op", "user", "halt", "eof", "..", "key",
        "pair", "codes", "chars", "end", "syntax_error", "format", "$VAR", "ensure_loaded", "module",
        "use_module", "set_prolog_flag", "style_check", "not", "is", "=<", ">=", "=:=", "=\\=",
        "non_empty_list", "non_empty_atom", "predicate_indicator", "output_sink",
    ]

    static let nilAtom = 0
    static let dotList = 1
    static let curly = 2
    static let comma = 3
    static let semicolon = 4
    static let arrow = 5
    static let softArrow = 6
    static let notProvable = 7
    static let cut = 8
    static let trueAtom = 9
    static let fail = 10
    static let falseAtom = 11
    static let call = 12
    static let neck = 13
    static let query = 14
    static let minus = 15
    static let plus = 16
    static let error = 17
    static let endOfFile = 18
    static let equals = 19
    static let caret = 20
    static let bar = 21
    static let empty = 22
    static let typeError = 23
    static let instantiationError = 24
    static let existenceError = 25
    static let evaluationError = 26
    static let zeroDivisor = 27
    static let procedure = 28
    static let evaluable = 29
    static let integer = 30
    static let number = 31
    static let atom = 32
    static let callable = 33
    static let list = 34
    static let compound = 35
    static let atomic = 36
    static let representationError = 37
    static let domainError = 38
    static let permissionError = 39
    static let context = 40
    static let system = 41
    static let slash = 42
    static let colon = 43
    static let undefined = 44
    static let float = 45
    static let notLessThanZero = 46
    static let character = 47
    static let resourceError = 48
    static let v = 49
    static let variable = 50
    static let catchAtom = 51
    static let findall = 52
    static let characterCode = 53
    static let maxArity = 54
    static let string = 55
    static let text = 56
    static let modify = 57
    static let staticProcedure = 58
    static let access = 59
    static let privateProcedure = 60
    static let operatorPriority = 61
    static let operatorSpecifier = 62
    static let create = 63
    static let operatorAtom = 64
    static let floatOverflow = 65
    static let intOverflow = 66
    static let undefinedFunction = 67
    static let lessThanZero = 68
    static let order = 69
    static let less = 70
    static let greater = 71
    static let star = 72
    static let dynamic = 73
    static let discontiguous = 74
    static let initialization = 75
    static let op = 76
    static let user = 77
    static let halt = 78
    static let eof = 79
    static let dotDot = 80
    static let key = 81
    static let pair = 82
    static let codes = 83
    static let chars = 84
    static let end = 85
    static let syntaxError = 86
    static let format = 87
    static let dollarVar = 88
    static let ensureLoaded = 89
    static let module = 90
    static let useModule = 91
    static let setPrologFlag = 92
    static let styleCheck = 93
    static let not = 94
    static let isAtom = 95
    static let lessOrEqual = 96
    static let greaterOrEqual = 97
    static let arithEqual = 98
    static let arithNotEqual = 99
    static let nonEmptyList = 100
    static let nonEmptyAtom = 101
    static let predicateIndicator = 102
    static let outputSink = 103
}

/// Functors (name and arity) interned to numbers; predicates are indexed by functor number.
struct FunctorTable: Sendable {
    private(set) var names: [Int] = []
    private(set) var arities: [Int] = []
    private var numbers: [Int: Int] = [:]

    init() {
        for (name, arity) in Functors.wellKnown { _ = intern(name, arity) }
    }

    /// The number of functor `name/arity`, adding it when new.
    mutating func intern(_ name: Int, _ arity: Int) -> Int {
        let key = name << 24 | arity
        if let number = numbers[key] { return number }
        let number = names.count
        names.append(name)
        arities.append(arity)
        numbers[key] = number
        return number
    }

    /// The number of `name/arity` if it was interned.
    func lookup(_ name: Int, _ arity: Int) -> Int? { numbers[name << 24 | arity] }

    @inline(__always) func name(_ functor: Int) -> Int { names[functor] }
    @inline(__always) func arity(_ functor: Int) -> Int { arities[functor] }

    var count: Int { names.count }
}

/// Numbers of the functors the engine uses directly.
enum Functors {
    static let wellKnown: [(Int, Int)] = [
        (Atoms.comma, 2), (Atoms.semicolon, 2), (Atoms.arrow, 2), (Atoms.softArrow, 2), (Atoms.notProvable, 1),
        (Atoms.call, 1), (Atoms.dotList, 2), (Atoms.minus, 2), (Atoms.error, 2), (Atoms.neck, 2), (Atoms.neck, 1),
        (Atoms.curly, 1), (Atoms.caret, 2), (Atoms.equals, 2), (Atoms.slash, 2), (Atoms.colon, 2),
        (Atoms.context, 2), (Atoms.typeError, 2), (Atoms.existenceError, 2), (Atoms.evaluationError, 1),
        (Atoms.representationError, 1), (Atoms.domainError, 2), (Atoms.permissionError, 3),
        (Atoms.resourceError, 1), (Atoms.bar, 2), (Atoms.query, 1), (Atoms.minus, 1), (Atoms.plus, 2),
        (Atoms.dollarVar, 1), (Atoms.not, 1), (Atoms.syntaxError, 1), (Atoms.isAtom, 2), (Atoms.less, 2),
        (Atoms.greater, 2), (Atoms.lessOrEqual, 2), (Atoms.greaterOrEqual, 2), (Atoms.arithEqual, 2),
        (Atoms.arithNotEqual, 2),
    ]

    static let conjunction = 0
    static let disjunction = 1
    static let ifThen = 2
    static let softIfThen = 3
    static let notProvable = 4
    static let call1 = 5
    static let list = 6
    static let pair = 7
    static let error = 8
    static let clause = 9
    static let directive = 10
    static let curly = 11
    static let caret = 12
    static let equals = 13
    static let slash = 14
    static let colon = 15
    static let context = 16
    static let typeError = 17
    static let existenceError = 18
    static let evaluationError = 19
    static let representationError = 20
    static let domainError = 21
    static let permissionError = 22
    static let resourceError = 23
    static let bar = 24
    static let queryDirective = 25
    static let negate = 26
    static let plus = 27
    static let dollarVar = 28
    static let not = 29
    static let syntaxError = 30
    static let isFunctor = 31
    /// `<`, `>`, `=<`, `>=`, `=:=`, `=\=` in the order of `Compiler.comparisons`.
    static let comparisonFunctors = [32, 33, 34, 35, 36, 37]
}
