import Glibc

/// Node names: what is allowed in a topic level, and the default taken from the host name.
public enum NodeName {
    /// The longest node name accepted.
    public static let maximumLength = 64

    /// Why `name` cannot be a node name, or `nil` if it can.
    public static func problem(with name: String) -> String? {
        if name.isEmpty { return "must not be empty" }
        if name.utf8.count > maximumLength {
            return "must be at most \(maximumLength) characters, got \(tomlQuoted(name))"
        }
        if !name.utf8.allSatisfy(isAllowed) {
            return "may contain only letters, digits, '-' and '_', got \(tomlQuoted(name))"
        }
        return nil
    }

    /// `hostname` with every character outside `[a-zA-Z0-9_-]` replaced by `-` (`kitchen.lan` → `kitchen-lan`),
    /// cut to ``maximumLength``; `council` if nothing is left.
    public static func sanitized(_ hostname: String) -> String {
        let bytes = hostname.utf8.prefix(maximumLength).map { isAllowed($0) ? $0 : UInt8(ascii: "-") }
        let name = String(decoding: bytes, as: UTF8.self)
        return name.allSatisfy({ $0 == "-" }) ? "council" : name
    }

    /// This machine's host name, sanitised.
    public static func defaultName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "council" }
        return sanitized(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }
}
