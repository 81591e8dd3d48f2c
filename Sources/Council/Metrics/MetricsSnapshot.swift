import JSON

/// The metrics at one instant: families of samples with Prometheus names, and two renderings of them — a flat JSON
/// object for MQTT and Home Assistant (`flatJSON`), and the Prometheus text format (`prometheusText`).
///
/// Flat key scheme: the Prometheus name without its `council_` prefix, then `_<value>` for each label in order,
/// with the value lower-cased and every character outside `[a-z0-9]` replaced by `_` (an empty value becomes
/// `none`); a `quantile` label is written `p50`, `p99`. So `council_requests_total{op="memory/add"}` is
/// `requests_total_memory_add`, and `council_answer_duration_seconds{skill="math",quantile="0.99"}` is
/// `answer_duration_seconds_math_p99`. A labelled counter also gets its sum over all labels under the bare name
/// (`requests_total`). Every key is a valid Jinja identifier, so Home Assistant templates read it as
/// `value_json.<key>`.
public struct MetricsSnapshot: Sendable {
    /// How Prometheus should treat a family.
    public enum Kind: String, Sendable {
        /// Only ever goes up (resets when the process restarts).
        case counter
        /// Goes up and down.
        case gauge
        /// Quantiles with `_sum` and `_count`.
        case summary
    }

    /// One time series: its name (including `_sum`/`_count` for summaries), labels, and value.
    public struct Sample: Sendable, Equatable {
        /// The full Prometheus name.
        public var name: String
        /// Label names and values, in order.
        public var labels: [(String, String)]
        /// The value (NaN for a quantile of an empty window).
        public var value: Double

        /// Creates a sample.
        public init(name: String, labels: [(String, String)] = [], value: Double) {
            self.name = name
            self.labels = labels
            self.value = value
        }

        public static func == (lhs: Sample, rhs: Sample) -> Bool {
            lhs.name == rhs.name && lhs.labels.elementsEqual(rhs.labels, by: ==)
                && (lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN))
        }
    }

    /// A metric family: name, help text, type, and its samples.
    public struct Family: Sendable {
        /// The Prometheus name (`council_requests_total`).
        public var name: String
        /// What it counts, for `# HELP`.
        public var help: String
        /// Counter, gauge or summary.
        public var kind: Kind
        /// Its time series.
        public var samples: [Sample]
    }

    /// The families, in a stable order.
    public var families: [Family]

    /// The prefix every family name carries.
    public static let namePrefix = "council_"

    /// The value of one sample, by Prometheus name and labels (for tests and the `metrics` op).
    public func value(_ name: String, _ labels: [(String, String)] = []) -> Double? {
        for family in families {
            for sample in family.samples
            where sample.name == name && sample.labels.elementsEqual(labels, by: ==) {
                return sample.value
            }
        }
        return nil
    }

    /// The flat JSON object published on `<base>/<node>/metrics` (scheme in the type's documentation). Values are
    /// numbers; a quantile of an empty window is 0 here (NaN in the Prometheus text).
    public var flatJSON: JSONObject {
        var object = JSONObject(minimumCapacity: 128)
        for family in families {
            let labelled = family.samples.contains { !$0.labels.isEmpty }
            if family.kind == .counter && labelled {
                let sum = family.samples.reduce(0) { $0 + $1.value }
                object[Self.flatKey(family.name, [])] = Self.number(sum)
            }
            for sample in family.samples {
                let key = Self.flatKey(sample.name, sample.labels)
                let value = sample.value.isNaN ? 0 : sample.value
                if let existing = object[key]?.doubleValue {
                    // Two label values that differ only in punctuation share a key: add counts, keep the worse
                    // latency.
                    object[key] = Self.number(family.kind == .counter ? existing + value : max(existing, value))
                } else {
                    object[key] = Self.number(value)
                }
            }
        }
        return object
    }

    /// The flat key of a series (see the type's documentation).
    public static func flatKey(_ name: String, _ labels: [(String, String)]) -> String {
        var key = name.hasPrefix(namePrefix) ? String(name.dropFirst(namePrefix.count)) : name
        for (label, value) in labels {
            key += "_"
            key += label == "quantile" ? quantileName(value) : flatLabelValue(value)
        }
        return key
    }

    /// A label value as it appears in a flat key: lower case, `[a-z0-9_]` only, `none` when empty.
    public static func flatLabelValue(_ value: String) -> String {
        if value.isEmpty { return "none" }
        var result = ""
        result.unicodeScalars.reserveCapacity(value.unicodeScalars.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "a"..."z", "0"..."9": result.unicodeScalars.append(scalar)
            case "A"..."Z": result.unicodeScalars.append(Unicode.Scalar(scalar.value + 32)!)
            default: result.unicodeScalars.append("_")
            }
        }
        return result
    }

    private static func quantileName(_ value: String) -> String {
        switch value {
        case "0.5": return "p50"
        case "0.9": return "p90"
        case "0.99": return "p99"
        default: return "q" + flatLabelValue(value)
        }
    }

    /// Whole numbers as JSON integers (`12`, not `12.0`), others as doubles.
    private static func number(_ value: Double) -> JSONValue {
        if value == value.rounded(), abs(value) < 9.0e15 { return JSONValue(Int64(value)) }
        return JSONValue(value)
    }
}
