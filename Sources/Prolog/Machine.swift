/// Fields of a choicepoint record.
enum ChoicePoint {
    static let kind = 0
    static let heapTop = 1
    static let trailTop = 2
    static let envTop = 3
    static let continuationEnv = 4
    static let continuationCode = 5
    /// Body alternatives: the environment to resume in.
    static let env = 6
    /// Clause retry: the position of the next clause; body alternatives: the code to resume at.
    static let alternative = 7
    /// Clause retry: the functor; builtin redo: the builtin.
    static let functor = 8
    static let argBase = 9
    static let generation = 10
    static let argEnd = 11
    /// Clause retry: the predicate's epoch; others: an extra value.
    static let extra = 12
    /// The code area's top when pushed: code compiled later (for `call/1`) is dropped on backtracking.
    static let codeMark = 13
    static let size = 14

    static let clauseRetry = 1
    static let bodyAlternative = 2
    static let disabled = 3
    static let catchMarker = 4
    static let findall = 5
    static let builtinRedo = 6
    static let barrier = 7
}

/// Fields of an environment record (a clause activation that must outlive a call, or a control continuation).
enum Environment {
    static let frame = 0
    static let cutBarrier = 1
    static let continuationEnv = 2
    static let continuationCode = 3
    static let size = 4
}

/// The abstract machine that runs one query: term storage, control stacks and registers in flat buffers.
///
/// Variables live on the heap; a clause's variables are a frame of heap cells. Bindings below the newest
/// choicepoint's heap mark are trailed. Environments (activations that continue after a call) live on a stack that
/// is reused once no choicepoint protects them, so deterministic recursion runs in constant environment space.
struct Machine: ~Copyable {
    var state: ProgramState
    let limits: PrologLimits
    let cancellation: PrologCancellation?
    let deadline: ContinuousClock.Instant

    var heap: UnsafeMutablePointer<Int>
    /// Cells usable before the query fails with a memory error; the buffer has slack beyond it for one clause.
    let heapLimit: Int
    let heapCapacity: Int
    var H = 1
    var HB = 0

    var trail: UnsafeMutablePointer<Int>
    var TR = 0

    var code: UnsafeMutablePointer<Int>
    var codeCapacity: Int
    var codeTop: Int
    /// Code below this is never reclaimed on backtracking (the program and asserted clauses).
    var codeFloor: Int

    var env: UnsafeMutablePointer<Int>
    let envCapacity: Int

    var cps: UnsafeMutablePointer<Int>
    let cpCapacity: Int
    var B = 0

    var argStack: UnsafeMutablePointer<Int>
    let argCapacity: Int
    var argTop = 0

    /// Argument registers.
    var A: UnsafeMutablePointer<Int>
    static let maxArity = 1024

    /// The push-down list for unification and term walks.
    var pdl: UnsafeMutablePointer<Int>
    var pdlCapacity: Int

    // Registers.
    var pc = 0
    var E = 0
    var CE = 0
    var CPC = 0
    var FR = 0
    var CB = 0

    /// The builtin running now (its functor), for error contexts; -1 outside builtins.
    var currentBuiltin = -1
    /// An error term raised by arithmetic or a helper, to be thrown by the caller; 0 when none.
    var pendingError = 0

    var inferences = 0
    var nextCheck = 4096
    var work = 0
    /// Set when a limit stops the query.
    var failure: PrologError?
    var output: [UInt8] = []
    /// Open `findall/3` collections: relocatable copies of the solutions.
    var bags: [[Int]] = []
    /// Variables named in the query, by frame slot.
    var queryVariables: [String] = []
    var queryFrame = 0

    init(state: ProgramState, limits: PrologLimits, cancellation: PrologCancellation?) {
        self.state = state
        self.limits = limits
        self.cancellation = cancellation
        deadline = ContinuousClock.now.advanced(by: limits.timeout)
        let slack = max(1 << 20, state.code.count + 1024)
        heapLimit = max(limits.maxHeapCells, 1024)
        heapCapacity = heapLimit + slack
        heap = .allocate(capacity: heapCapacity)
        heap[0] = Cell.ref(0)
        trail = .allocate(capacity: heapCapacity)
        codeCapacity = max(state.code.count * 2, 1 << 16)
        let codeBuffer = UnsafeMutablePointer<Int>.allocate(capacity: codeCapacity)
        state.code.withUnsafeBufferPointer { source in
            codeBuffer.initialize(from: source.baseAddress!, count: source.count)
        }
        code = codeBuffer
        codeTop = state.code.count
        codeFloor = codeTop
        self.state.code = []
        let depth = max(limits.maxDepth, 1024)
        envCapacity = depth * Environment.size
        env = .allocate(capacity: envCapacity)
        // Choicepoints and their saved arguments get less room than environments: deep recursion is usually
        // deterministic. All buffers are reserved, not committed, until used.
        cpCapacity = min(depth, 1 << 20)
        cps = .allocate(capacity: cpCapacity * ChoicePoint.size)
        argCapacity = cpCapacity * 4
        argStack = .allocate(capacity: argCapacity)
        A = .allocate(capacity: Machine.maxArity)
        pdlCapacity = 1024
        pdl = .allocate(capacity: pdlCapacity)
        // Environment 0: the query's own continuation (stop).
        env[Environment.frame] = 0
        env[Environment.cutBarrier] = 0
        env[Environment.continuationEnv] = 0
        env[Environment.continuationCode] = SystemCode.stop
    }

    deinit {
        heap.deallocate()
        trail.deallocate()
        code.deallocate()
        env.deallocate()
        cps.deallocate()
        argStack.deallocate()
        A.deallocate()
        pdl.deallocate()
    }

    // MARK: Limits

    /// Checks time, cancellation and the inference budget; called every few thousand inferences.
    mutating func checkLimits() -> Bool {
        nextCheck = inferences + 4096
        if inferences > limits.maxInferences {
            failure = .limitExceeded(.inferences)
            return false
        }
        if let cancellation, cancellation.isCancelled {
            failure = .cancelled
            return false
        }
        if ContinuousClock.now > deadline {
            failure = .limitExceeded(.time)
            return false
        }
        return true
    }

    /// Counts work done inside a builtin or term walk; checks the limits now and then.
    @inline(__always)
    mutating func countWork(_ amount: Int = 1) -> Bool {
        work &+= amount
        if work >= 1 << 16 {
            work = 0
            if failure != nil { return false }
            if let cancellation, cancellation.isCancelled {
                failure = .cancelled
                return false
            }
            if ContinuousClock.now > deadline {
                failure = .limitExceeded(.time)
                return false
            }
        }
        return true
    }

    /// Whether `cells` more heap cells fit; sets a memory failure when not.
    @inline(__always)
    mutating func ensureHeap(_ cells: Int) -> Bool {
        if H + cells <= heapLimit { return true }
        failure = .limitExceeded(.memory)
        return false
    }

    mutating func ensurePDL(_ needed: Int) {
        if needed <= pdlCapacity { return }
        var capacity = pdlCapacity
        while capacity < needed { capacity *= 2 }
        let bigger = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
        bigger.update(from: pdl, count: pdlCapacity)
        pdl.deallocate()
        pdl = bigger
        pdlCapacity = capacity
    }

    /// Makes room for `cells` more cells of code.
    mutating func ensureCode(_ cells: Int) {
        if codeTop + cells <= codeCapacity { return }
        var capacity = codeCapacity
        while capacity < codeTop + cells { capacity *= 2 }
        let bigger = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
        bigger.update(from: code, count: codeTop)
        code.deallocate()
        code = bigger
        codeCapacity = capacity
    }

    /// Appends compiled code at `codeTop`.
    mutating func appendCode(_ cells: [Int]) {
        ensureCode(cells.count)
        cells.withUnsafeBufferPointer { source in
            (code + codeTop).update(from: source.baseAddress!, count: source.count)
        }
        codeTop += cells.count
    }

    // MARK: Terms

    @inline(__always)
    func deref(_ cell: Int) -> Int {
        var cell = cell
        while cell & 7 == 0 {
            let value = heap[cell >> 3]
            if value == cell { return cell }
            cell = value
        }
        return cell
    }

    @inline(__always)
    mutating func bind(_ address: Int, _ value: Int) {
        heap[address] = value
        if address < HB {
            trail[TR] = address
            TR += 1
        }
    }

    /// A fresh unbound variable on the heap.
    @inline(__always)
    mutating func newVariable() -> Int {
        let address = H
        heap[address] = Cell.ref(address)
        H += 1
        return Cell.ref(address)
    }

    @inline(__always)
    func arity(_ functor: Int) -> Int { state.functors.arities[functor] }

    /// Undoes the bindings trailed since `mark`.
    @inline(__always)
    mutating func undoTrail(to mark: Int) {
        var index = TR
        while index > mark {
            index -= 1
            let address = trail[index]
            heap[address] = Cell.ref(address)
        }
        TR = mark
    }

    func objectsEqual(_ a: Int, _ b: Int) -> Bool {
        switch (state.objects[a >> 3], state.objects[b >> 3]) {
        case (.bigInt(let x), .bigInt(let y)): x == y
        case (.string(let x), .string(let y)): x.unicodeScalars.elementsEqual(y.unicodeScalars)
        default: false
        }
    }

    /// Unifies two heap terms, binding variables; on failure some bindings may remain (the caller backtracks).
    mutating func unify(_ a: Int, _ b: Int) -> Bool {
        var top = 0
        var x = a
        var y = b
        while true {
            x = deref(x)
            y = deref(y)
            if x != y {
                let tagX = x & 7
                let tagY = y & 7
                if tagX == Cell.ref {
                    if tagY == Cell.ref {
                        // Bind the younger variable to the older, so fewer bindings need trailing.
                        if x < y { bind(y >> 3, x) } else { bind(x >> 3, y) }
                    } else {
                        bind(x >> 3, y)
                    }
                } else if tagY == Cell.ref {
                    bind(y >> 3, x)
                } else if tagX != tagY {
                    return false
                } else {
                    switch tagX {
                    case Cell.str:
                        let p = x >> 3
                        let q = y >> 3
                        let functor = heap[p]
                        if functor != heap[q] { return false }
                        let n = arity(functor >> 3)
                        if n > 1 {
                            ensurePDL(top + 2 * n)
                            var index = n
                            while index > 1 {
                                pdl[top] = heap[p + index]
                                pdl[top + 1] = heap[q + index]
                                top += 2
                                index -= 1
                            }
                        }
                        if !countWork(n) { return false }
                        x = heap[p + 1]
                        y = heap[q + 1]
                        continue
                    case Cell.list:
                        let p = x >> 3
                        let q = y >> 3
                        ensurePDL(top + 2)
                        pdl[top] = heap[p + 1]
                        pdl[top + 1] = heap[q + 1]
                        top += 2
                        if !countWork() { return false }
                        x = heap[p]
                        y = heap[q]
                        continue
                    case Cell.float:
                        if heap[x >> 3] != heap[y >> 3] { return false }
                    case Cell.object:
                        if !objectsEqual(x, y) { return false }
                    default:
                        return false
                    }
                }
            }
            if top == 0 { return true }
            top -= 2
            x = pdl[top]
            y = pdl[top + 1]
        }
    }

    // MARK: Templates

    /// The heap cell for a body argument template: frame variables are read (and created on first use), structures
    /// are copied onto the heap.
    @inline(__always)
    mutating func resolve(_ template: Int) -> Int {
        switch template & 7 {
        case Cell.ref:
            let slot = FR + template >> 3
            let value = heap[slot]
            if value == 0 {
                heap[slot] = Cell.ref(slot)
                return Cell.ref(slot)
            }
            return value
        case Cell.str, Cell.list, Cell.float:
            return build(template)
        default:
            return template
        }
    }

    /// Copies a template structure onto the heap and returns its cell.
    mutating func build(_ template: Int) -> Int {
        switch template & 7 {
        case Cell.float:
            let address = H
            heap[address] = code[template >> 3]
            H += 1
            return Cell.float(address)
        case Cell.str:
            let source = template >> 3
            let functor = code[source]
            let n = arity(functor >> 3)
            let address = H
            H += n + 1
            heap[address] = functor
            var index = 1
            while index <= n {
                fill(address + index, code[source + index])
                index += 1
            }
            return Cell.str(address)
        default:
            // A list: copy element cells along the tail without recursion.
            var source = template >> 3
            let first = H
            var address = first
            H += 2
            while true {
                fill(address, code[source])
                let tail = code[source + 1]
                if tail & 7 == Cell.list {
                    let next = H
                    H += 2
                    heap[address + 1] = Cell.list(next)
                    address = next
                    source = tail >> 3
                } else {
                    fill(address + 1, tail)
                    break
                }
            }
            return Cell.list(first)
        }
    }

    /// Writes the value of a template into heap cell `destination` (inside a structure being built).
    @inline(__always)
    mutating func fill(_ destination: Int, _ template: Int) {
        switch template & 7 {
        case Cell.ref:
            let slot = FR + template >> 3
            let value = heap[slot]
            if value == 0 {
                if slot >= HB {
                    // The variable lives in the structure; the frame slot points at it.
                    heap[destination] = Cell.ref(destination)
                    heap[slot] = Cell.ref(destination)
                } else {
                    heap[slot] = Cell.ref(slot)
                    heap[destination] = Cell.ref(slot)
                }
            } else {
                heap[destination] = value
            }
        case Cell.str, Cell.list, Cell.float:
            heap[destination] = build(template)
        default:
            heap[destination] = template
        }
    }

    /// Unifies a head template with a heap term (the clause's frame is `FR`).
    mutating func unifyHead(_ template: Int, _ term: Int) -> Bool {
        var template = template
        var term = term
        while true {
            switch template & 7 {
            case Cell.ref:
                let slot = FR + template >> 3
                let value = heap[slot]
                if value == 0 {
                    heap[slot] = term
                    return true
                }
                return unify(value, term)
            case Cell.atom, Cell.int:
                let value = deref(term)
                if value == template { return true }
                if value & 7 == Cell.ref {
                    bind(value >> 3, template)
                    return true
                }
                return false
            case Cell.str:
                let value = deref(term)
                switch value & 7 {
                case Cell.ref:
                    bind(value >> 3, build(template))
                    return true
                case Cell.str:
                    let source = template >> 3
                    let address = value >> 3
                    let functor = code[source]
                    if heap[address] != functor { return false }
                    let n = arity(functor >> 3)
                    var index = 1
                    while index < n {
                        if !unifyHead(code[source + index], heap[address + index]) { return false }
                        index += 1
                    }
                    template = code[source + n]
                    term = heap[address + n]
                    continue
                default:
                    return false
                }
            case Cell.list:
                let value = deref(term)
                switch value & 7 {
                case Cell.ref:
                    bind(value >> 3, build(template))
                    return true
                case Cell.list:
                    let source = template >> 3
                    let address = value >> 3
                    if !unifyHead(code[source], heap[address]) { return false }
                    template = code[source + 1]
                    term = heap[address + 1]
                    continue
                default:
                    return false
                }
            case Cell.float:
                let value = deref(term)
                if value & 7 == Cell.ref {
                    bind(value >> 3, build(template))
                    return true
                }
                return value & 7 == Cell.float && heap[value >> 3] == code[template >> 3]
            default:
                let value = deref(term)
                if value & 7 == Cell.ref {
                    bind(value >> 3, template)
                    return true
                }
                return value & 7 == Cell.object && objectsEqual(value, template)
            }
        }
    }

    /// The first-argument index key of a call's first argument (see `Compiler.indexKey`).
    @inline(__always)
    func indexKey(_ cell: Int) -> Int {
        let value = deref(cell)
        switch value & 7 {
        case Cell.ref: return 0
        case Cell.atom, Cell.int: return value
        case Cell.str: return heap[value >> 3]
        case Cell.list: return Cell.functor(Functors.list)
        default: return value & 7
        }
    }
}
