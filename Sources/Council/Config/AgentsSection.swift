extension CouncilConfig {
    /// `[agents]`: agent profiles read from TOML files at start.
    public struct AgentsSection: Sendable, Equatable {
        /// `dir`: a folder whose `*.toml` files are read-only agent profiles, each named after its file unless it
        /// sets `name`; empty for none. Default empty.
        public var directory = ""

        /// The defaults.
        public init() {}

        init(reading table: inout TableReader) {
            directory = table.string("dir", default: directory)
            if !directory.isEmpty && !FileText.isDirectory(directory) {
                table.problems.invalid(table.name("dir"), "\(tomlQuoted(directory)) is not a folder")
            }
        }
    }
}
