/// Keeps the `capacity` highest-scoring items seen, in a binary min-heap whose root is the lowest kept score:
/// each offer below that score costs one comparison.
struct TopK {
    let capacity: Int
    private(set) var scores: [Float] = []
    private(set) var items: [Int32] = []

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        scores.reserveCapacity(self.capacity)
        items.reserveCapacity(self.capacity)
    }

    /// The score an item must beat to be kept (−∞ until the heap is full).
    @inline(__always)
    var threshold: Float { scores.count < capacity ? -.infinity : scores[0] }

    /// Offers an item; kept if it is among the best so far.
    @inline(__always)
    mutating func offer(_ score: Float, _ item: Int32) {
        if scores.count < capacity {
            scores.append(score)
            items.append(item)
            siftUp(scores.count - 1)
        } else if score > scores[0] {
            scores[0] = score
            items[0] = item
            siftDown(0)
        }
    }

    /// The kept items, best first.
    func sorted() -> [(score: Float, item: Int32)] {
        zip(scores, items).map { ($0, $1) }.sorted {
            $0.score > $1.score || ($0.score == $1.score && $0.item < $1.item)
        }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard scores[child] < scores[parent] else { return }
            scores.swapAt(child, parent)
            items.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        let count = scores.count
        while true {
            let left = 2 * parent + 1
            guard left < count else { return }
            let right = left + 1
            let smaller = right < count && scores[right] < scores[left] ? right : left
            guard scores[smaller] < scores[parent] else { return }
            scores.swapAt(smaller, parent)
            items.swapAt(smaller, parent)
            parent = smaller
        }
    }
}
