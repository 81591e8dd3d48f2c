extension CouncilConfig {
    /// `[node]`: who this daemon is and where it keeps its state.
    public struct NodeSection: Sendable, Equatable {
        /// `name`: this node's name in topics (`council/<name>/...`); `[a-zA-Z0-9_-]`, default the host name.
        public var name = NodeName.defaultName()
        /// `state_dir`: where the SQLite database and workspaces live. Default `/var/lib/council`.
        public var stateDirectory = "/var/lib/council"

        /// The defaults.
        public init() {}

        init(reading table: inout TableReader) {
            let configuredName = table.string("name", default: "")
            if !configuredName.isEmpty {
                if let reason = NodeName.problem(with: configuredName) {
                    table.problems.invalid(table.name("name"), reason)
                } else {
                    name = configuredName
                }
            }
            stateDirectory = table.string("state_dir", default: stateDirectory)
            if stateDirectory.isEmpty {
                table.problems.invalid(table.name("state_dir"), "must not be empty")
            }
        }
    }
}
