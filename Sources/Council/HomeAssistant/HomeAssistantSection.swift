extension CouncilConfig {
    /// `[homeassistant]`: MQTT discovery, so Home Assistant shows the node as a device by itself.
    public struct HomeAssistantSection: Sendable, Equatable {
        /// `discovery`: publish discovery configs (and remove them when turned off). Default true.
        public var discovery = true
        /// `prefix`: Home Assistant's discovery prefix; its birth message is read from `<prefix>/status`. Default
        /// `homeassistant`.
        public var prefix = "homeassistant"

        /// The defaults.
        public init() {}

        init(reading table: inout TableReader) {
            discovery = table.bool("discovery", default: discovery)
            prefix = table.string("prefix", default: prefix)
            if let reason = MQTTSection.problem(withBaseTopic: prefix) {
                table.problems.invalid(table.name("prefix"), reason)
                prefix = "homeassistant"
            }
        }
    }
}
