/// How facts' tags and vectors are laid out in their columns.
enum FactsEncoding {
    /// The separator around each tag in `facts.tags` (U+001F, INFORMATION SEPARATOR ONE).
    static let tagSeparator: Character = "\u{1F}"

    /// `["a", "b"]` → `"\u{1F}a\u{1F}b\u{1F}"`; no tags → `""`.
    static func encodeTags(_ tags: [String]) -> String {
        guard !tags.isEmpty else { return "" }
        let separator = String(tagSeparator)
        return separator + tags.joined(separator: separator) + separator
    }

    /// The inverse of ``encodeTags(_:)``.
    static func decodeTags(_ column: String) -> [String] {
        column.split(separator: tagSeparator, omittingEmptySubsequences: true).map(String.init)
    }

    /// What `instr(tags, ?)` looks for to find one tag.
    static func tagPattern(_ tag: String) -> String {
        let separator = String(tagSeparator)
        return separator + tag + separator
    }

    /// Float32 values as little-endian bytes.
    static func encodeVector(_ vector: [Float]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: vector.count * 4)
        bytes.withUnsafeMutableBytes { raw in
            for (index, value) in vector.enumerated() {
                raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: index * 4, as: UInt32.self)
            }
        }
        return bytes
    }

    /// Little-endian Float32 bytes back to values (a trailing partial value is ignored).
    static func decodeVector(_ bytes: [UInt8]) -> [Float] {
        let count = bytes.count / 4
        return bytes.withUnsafeBytes { raw in
            (0..<count).map { index in
                Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)))
            }
        }
    }
}
