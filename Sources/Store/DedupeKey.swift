/// The journal's dedupe key: reply topic, correlation data, transaction and a 64-bit FNV-1a hash of the payload,
/// each length-prefixed so that different field splits can never produce the same bytes.
enum DedupeKey {
    /// The key, or nil when the request carries neither correlation data nor a transaction (it is never a duplicate).
    static func make(replyTopic: String, correlationData: [UInt8]?, transaction: String?, payload: [UInt8])
        -> [UInt8]?
    {
        guard correlationData != nil || transaction != nil else { return nil }
        var key: [UInt8] = []
        key.reserveCapacity(64 + replyTopic.utf8.count + (correlationData?.count ?? 0))
        appendField(Array(replyTopic.utf8), to: &key)
        appendOptionalField(correlationData, to: &key)
        appendOptionalField(transaction.map { Array($0.utf8) }, to: &key)
        appendLittleEndian(fnv1a64(payload), to: &key)
        return key
    }

    /// The 64-bit FNV-1a hash of `bytes` (http://www.isthe.com/chongo/tech/comp/fnv/).
    static func fnv1a64(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    private static func appendOptionalField(_ field: [UInt8]?, to key: inout [UInt8]) {
        guard let field else {
            key.append(0)
            return
        }
        key.append(1)
        appendField(field, to: &key)
    }

    private static func appendField(_ field: [UInt8], to key: inout [UInt8]) {
        appendLittleEndian(UInt64(field.count), to: &key)
        key.append(contentsOf: field)
    }

    private static func appendLittleEndian(_ value: UInt64, to key: inout [UInt8]) {
        for shift in stride(from: 0, to: 64, by: 8) {
            key.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }
}
