extension MetricsSnapshot {
    /// The content type of `prometheusText`.
    public static let prometheusContentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The snapshot in the Prometheus text exposition format 0.0.4: `# HELP` and `# TYPE` before each family, one
    /// line per sample, label values escaped.
    public var prometheusText: String {
        var text = ""
        text.reserveCapacity(families.count * 160)
        for family in families {
            text += "# HELP \(family.name) \(Self.escapeHelp(family.help))\n"
            text += "# TYPE \(family.name) \(family.kind.rawValue)\n"
            for sample in family.samples {
                text += sample.name
                if !sample.labels.isEmpty {
                    text += "{"
                    text += sample.labels.map { "\($0.0)=\"\(Self.escapeLabelValue($0.1))\"" }.joined(separator: ",")
                    text += "}"
                }
                text += " "
                text += Self.format(sample.value)
                text += "\n"
            }
        }
        return text
    }

    /// A sample value as Prometheus writes it: integers without a fraction, `NaN`, `+Inf`, `-Inf`.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 9.0e15 { return String(Int64(value)) }
        return String(value)
    }

    private static func escapeHelp(_ help: String) -> String {
        var out = ""
        for character in help {
            switch character {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    private static func escapeLabelValue(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\"": out += "\\\""
            default: out.append(character)
            }
        }
        return out
    }
}
