/// A term cell: one `Int` whose low three bits are a tag and whose other bits are the payload.
///
/// Terms live in flat arrays of cells (the heap of a running query, the code area of compiled clauses), so the
/// engine's inner loop touches no reference counts. The payload means:
///
/// | tag | payload |
/// | --- | --- |
/// | `ref` | on the heap, the address of a variable cell (unbound when it holds itself); in code, a frame slot |
/// | `atom` | an atom number |
/// | `int` | a 61-bit signed integer |
/// | `str` | the address of a functor cell followed by the arguments |
/// | `list` | the address of two cells: head and tail |
/// | `functor` | a functor number (only as the first cell of a structure) |
/// | `float` | the address of a cell holding the bit pattern of a `Double` |
/// | `object` | an index into the object table (big integers and strings) |
enum Cell {
    static let ref = 0
    static let atom = 1
    static let int = 2
    static let str = 3
    static let list = 4
    static let functor = 5
    static let float = 6
    static let object = 7

    /// The smallest and largest integers held directly in a cell.
    static let minInt = -(1 << 60)
    static let maxInt = (1 << 60) - 1

    @inline(__always) static func tag(_ cell: Int) -> Int { cell & 7 }
    @inline(__always) static func value(_ cell: Int) -> Int { cell >> 3 }

    @inline(__always) static func ref(_ address: Int) -> Int { address << 3 }
    @inline(__always) static func atom(_ atom: Int) -> Int { atom << 3 | 1 }
    @inline(__always) static func int(_ value: Int) -> Int { value << 3 | 2 }
    @inline(__always) static func str(_ address: Int) -> Int { address << 3 | 3 }
    @inline(__always) static func list(_ address: Int) -> Int { address << 3 | 4 }
    @inline(__always) static func functor(_ functor: Int) -> Int { functor << 3 | 5 }
    @inline(__always) static func float(_ address: Int) -> Int { address << 3 | 6 }
    @inline(__always) static func object(_ index: Int) -> Int { index << 3 | 7 }

    /// Whether `value` fits in an `int` cell.
    @inline(__always) static func fitsSmall(_ value: Int) -> Bool { value >= minInt && value <= maxInt }

    /// The empty list `[]`.
    static let nilAtom = atom(Atoms.nilAtom)
    static let trueAtom = atom(Atoms.trueAtom)
    static let unset = 0
}
