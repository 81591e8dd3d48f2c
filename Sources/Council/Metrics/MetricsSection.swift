extension CouncilConfig {
    /// `[metrics]`: the metrics snapshot on MQTT and the optional Prometheus endpoint.
    public struct MetricsSection: Sendable, Equatable {
        /// `interval_s`: seconds between retained snapshots on `<base>/<node>/metrics`. Default 30.
        public var intervalSeconds = 30
        /// `prometheus_port`: loopback TCP port serving `GET /metrics` in the Prometheus text format; 0 (the
        /// default) serves nothing.
        public var prometheusPort = 0

        /// The defaults.
        public init() {}

        init(reading table: inout TableReader) {
            intervalSeconds = table.integer("interval_s", default: intervalSeconds, in: 1...86_400)
            prometheusPort = table.integer("prometheus_port", default: prometheusPort, in: 0...65_535)
        }
    }
}
