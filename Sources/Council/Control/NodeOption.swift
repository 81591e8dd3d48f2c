import JSON

/// One option a dashboard may change at run time (the `options` op): how to check a value, apply it, and read it.
public struct NodeOption: Sendable {
    /// The option's name in `{"options":{name: value}}` and on the `state` topic.
    public let name: String
    /// The value from the configuration file, restored when a request sets the option to `null`.
    public let configured: JSONValue
    /// Checks a requested value; returns it normalised, or why it is not acceptable.
    let check: @Sendable (JSONValue) -> Result<JSONValue, OptionProblem>
    /// Makes a checked value take effect.
    let apply: @Sendable (JSONValue) -> Void
    /// The value in effect now.
    let current: @Sendable () -> JSONValue

    /// A true/false switch.
    public static func toggle(
        _ name: String, configured: Bool, read: @escaping @Sendable () -> Bool,
        write: @escaping @Sendable (Bool) -> Void
    ) -> NodeOption {
        NodeOption(
            name: name, configured: .bool(configured),
            check: { value in
                guard case .bool = value else { return .failure(OptionProblem("must be true or false")) }
                return .success(value)
            },
            apply: { if case .bool(let on) = $0 { write(on) } },
            current: { .bool(read()) })
    }

    /// A number within `range`.
    public static func number(
        _ name: String, configured: Double, range: ClosedRange<Double>, read: @escaping @Sendable () -> Double,
        write: @escaping @Sendable (Double) -> Void
    ) -> NodeOption {
        NodeOption(
            name: name, configured: JSONValue(configured),
            check: { value in
                guard case .number(let number) = value, number.doubleValue.isFinite else {
                    return .failure(OptionProblem("must be a number"))
                }
                guard range.contains(number.doubleValue) else {
                    return .failure(OptionProblem("must be between \(range.lowerBound) and \(range.upperBound)"))
                }
                return .success(value)
            },
            apply: { if let number = $0.doubleValue { write(number) } },
            current: { JSONValue(read()) })
    }

    /// One of a fixed set of strings.
    public static func choice(
        _ name: String, configured: String, choices: [String], read: @escaping @Sendable () -> String,
        write: @escaping @Sendable (String) -> Void
    ) -> NodeOption {
        NodeOption(
            name: name, configured: .string(configured),
            check: { value in
                guard case .string(let text) = value, choices.contains(text) else {
                    return .failure(
                        OptionProblem("must be one of \(choices.map { "\"\($0)\"" }.joined(separator: ", "))"))
                }
                return .success(value)
            },
            apply: { if case .string(let text) = $0 { write(text) } },
            current: { .string(read()) })
    }
}

/// Why a requested option value was refused.
struct OptionProblem: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
