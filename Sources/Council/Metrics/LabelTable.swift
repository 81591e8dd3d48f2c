/// The values one label has taken (op names, skills, models), each with a stable index into parallel count arrays.
///
/// It holds at most `capacity` values plus `other`, where every value past the capacity (or, when the table is
/// closed, every value not given at creation) is counted: a requester that invents op names cannot grow the
/// metrics without bound. Lookups go through a small open-addressing table keyed by a hash of the length and the
/// first and last bytes (several times cheaper than `Dictionary`'s seeded SipHash for short names); a known value
/// never allocates.
struct LabelTable {
    /// The label value that collects everything the table does not hold by name.
    static let other = "other"

    private(set) var values: [String]
    /// Indices into `values` (-1: empty), probed linearly from the hash; at most half full.
    private var slots: [Int32]
    private let capacity: Int
    private let closed: Bool
    private var otherIndex = 0

    /// A table starting with `initial` (deduplicated, in order) and `other`. A closed table never adds values.
    init(_ initial: [String], capacity: Int, closed: Bool = false) {
        self.capacity = max(capacity, initial.count)
        self.closed = closed
        var size = 8
        while size < 2 * (self.capacity + 1) { size <<= 1 }
        values = []
        slots = Array(repeating: -1, count: size)
        for value in initial + [Self.other] where find(value) == nil { insert(value) }
        otherIndex = find(Self.other)!
    }

    /// The index of `value`, adding it when there is room; the index of `other` otherwise. `added` says whether
    /// the caller must grow its count arrays by one.
    mutating func index(of value: String) -> (index: Int, added: Bool) {
        if let index = find(value) { return (index, false) }
        guard !closed, values.count < capacity + 1 else { return (otherIndex, false) }
        return (insert(value), true)
    }

    private func find(_ value: String) -> Int? {
        let mask = slots.count - 1
        var slot = Self.hash(value) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { return nil }
            if values[index] == value { return index }
            slot = (slot + 1) & mask
        }
    }

    @discardableResult
    private mutating func insert(_ value: String) -> Int {
        let mask = slots.count - 1
        var slot = Self.hash(value) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(values.count)
        values.append(value)
        return values.count - 1
    }

    /// A cheap hash of the length and the first and last bytes, spread by a multiplication; collisions cost a
    /// probe and a string comparison each.
    private static func hash(_ value: String) -> Int {
        let utf8 = value.utf8
        let mixed = UInt64(utf8.count) &* 0x1_0000 &+ UInt64(utf8.first ?? 0) &* 0x100 &+ UInt64(utf8.last ?? 0)
        let spread = mixed &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: spread >> 32)
    }
}
