/// How an operator takes its arguments.
enum OperatorType: String, Sendable, CaseIterable {
    case xfx, xfy, yfx, fy, fx, xf, yf

    enum Kind { case prefix, infix, postfix }

    var kind: Kind {
        switch self {
        case .xfx, .xfy, .yfx: .infix
        case .fy, .fx: .prefix
        case .xf, .yf: .postfix
        }
    }
}

/// One operator definition.
struct OperatorDefinition: Sendable, Equatable {
    var priority: Int
    var type: OperatorType

    /// The highest priority the left argument may have.
    var leftMax: Int { type == .yfx || type == .yf ? priority : priority - 1 }
    /// The highest priority the right (or only prefix) argument may have.
    var rightMax: Int { type == .xfy || type == .fy ? priority : priority - 1 }
}

/// The operator table: SWI-Prolog's defaults, changed by `op/3`.
struct OperatorTable: Sendable {
    private(set) var prefix: [String: OperatorDefinition] = [:]
    private(set) var infix: [String: OperatorDefinition] = [:]
    private(set) var postfix: [String: OperatorDefinition] = [:]

    /// SWI-Prolog 9's default operators.
    static let standard: OperatorTable = {
        var table = OperatorTable()
        let definitions: [(Int, OperatorType, [String])] = [
            (1200, .xfx, [":-", "-->"]),
            (1200, .fx, [":-", "?-"]),
            (1100, .xfy, [";", "|"]),
            (1105, .xfy, ["|"]),
            (1050, .xfy, ["->", "*->"]),
            (1000, .xfy, [","]),
            (990, .xfx, [":="]),
            (900, .fy, ["\\+"]),
            (
                700, .xfx,
                [
                    "=", "\\=", "==", "\\==", "@<", "@>", "@=<", "@>=", "=..", "is", "=:=", "=\\=", "<", ">", "=<",
                    ">=", ">:<", ":<", "as", "=@=", "\\=@=",
                ]
            ),
            (600, .xfy, [":"]),
            (500, .yfx, ["+", "-", "/\\", "\\/", "xor"]),
            (500, .fx, ["?"]),
            (400, .yfx, ["*", "/", "//", "mod", "rem", "<<", ">>", "div", "rdiv", "divmod"]),
            (200, .xfx, ["**"]),
            (200, .xfy, ["^"]),
            (200, .fy, ["-", "+", "\\"]),
            (100, .yfx, ["."]),
            (1, .fx, ["$"]),
            (
                1150, .fx,
                [
                    "dynamic", "discontiguous", "initialization", "meta_predicate", "module_transparent",
                    "multifile", "public", "thread_local", "table",
                ]
            ),
        ]
        for (priority, type, names) in definitions {
            for name in names { table.define(name, priority: priority, type: type) }
        }
        table.infix.removeValue(forKey: "divmod")
        return table
    }()

    /// Adds, changes or (with priority 0) removes an operator.
    mutating func define(_ name: String, priority: Int, type: OperatorType) {
        let definition = priority == 0 ? nil : OperatorDefinition(priority: priority, type: type)
        switch type.kind {
        case .prefix: prefix[name] = definition
        case .infix: infix[name] = definition
        case .postfix: postfix[name] = definition
        }
    }

    /// Whether `name` is an operator of any kind.
    func isOperator(_ name: String) -> Bool {
        prefix[name] != nil || infix[name] != nil || postfix[name] != nil
    }

    /// The highest priority `name` has as an operator, 0 when it is none.
    func priority(of name: String) -> Int {
        max(prefix[name]?.priority ?? 0, infix[name]?.priority ?? 0, postfix[name]?.priority ?? 0)
    }

    /// Every definition, for `current_op/3`.
    var all: [(name: String, definition: OperatorDefinition)] {
        prefix.map { ($0.key, $0.value) } + infix.map { ($0.key, $0.value) } + postfix.map { ($0.key, $0.value) }
    }
}
