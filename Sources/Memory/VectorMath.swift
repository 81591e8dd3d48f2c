/// Dot products and normalisation over contiguous buffers, written with SIMD types so they vectorise.
enum VectorMath {
    /// Scales `vector` to unit length in place; a zero vector stays zero.
    static func normalize(_ vector: UnsafeMutableBufferPointer<Float>) {
        var sum: Float = 0
        for value in vector { sum += value * value }
        guard sum > 0 else { return }
        let scale = 1 / sum.squareRoot()
        for index in vector.indices { vector[index] *= scale }
    }

    /// `vector` scaled to unit length (a zero vector stays zero).
    static func normalized(_ vector: [Float]) -> [Float] {
        var copy = vector
        copy.withUnsafeMutableBufferPointer { normalize($0) }
        return copy
    }

    /// The dot product of two Float32 vectors of `count` values; `count` must be a multiple of 16.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
        var index = 0
        let rawA = UnsafeRawPointer(a), rawB = UnsafeRawPointer(b)
        while index < count {
            let offset = index &* 4
            acc0 +=
                rawA.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                * rawB.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            acc1 +=
                rawA.loadUnaligned(fromByteOffset: offset &+ 32, as: SIMD8<Float>.self)
                * rawB.loadUnaligned(fromByteOffset: offset &+ 32, as: SIMD8<Float>.self)
            index &+= 16
        }
        return (acc0 + acc1).sum()
    }

    /// The dot product of offset-binary codes (`code = quantised + 128`) with an int16 query, `count` values (a
    /// multiple of 16), as an exact Int32. Zero-extending bytes and multiplying pairs into 32-bit sums is what
    /// SSE2's `pmaddwd` does, so this compiles to it without any target flags.
    @inline(__always)
    static func dot(codes: UnsafePointer<UInt8>, query: UnsafePointer<Int16>, count: Int) -> Int32 {
        var acc0 = SIMD4<Int32>(), acc1 = SIMD4<Int32>()
        var index = 0
        let rawCodes = UnsafeRawPointer(codes), rawQuery = UnsafeRawPointer(query)
        while index < count {
            let code0 = SIMD8<Int32>(
                truncatingIfNeeded: rawCodes.loadUnaligned(fromByteOffset: index, as: SIMD8<UInt8>.self))
            let weight0 = SIMD8<Int32>(
                truncatingIfNeeded: rawQuery.loadUnaligned(fromByteOffset: index &* 2, as: SIMD8<Int16>.self))
            let code1 = SIMD8<Int32>(
                truncatingIfNeeded: rawCodes.loadUnaligned(fromByteOffset: index &+ 8, as: SIMD8<UInt8>.self))
            let weight1 = SIMD8<Int32>(
                truncatingIfNeeded: rawQuery.loadUnaligned(fromByteOffset: (index &+ 8) &* 2, as: SIMD8<Int16>.self))
            let product0 = code0 &* weight0, product1 = code1 &* weight1
            acc0 &+= product0.evenHalf &+ product0.oddHalf
            acc1 &+= product1.evenHalf &+ product1.oddHalf
            index &+= 16
        }
        return (acc0 &+ acc1).wrappedSum()
    }
}
