extension CouncilConfig {
    /// `[logic]`: the Prolog programs the logic skill knows.
    public struct LogicSection: Sendable, Equatable {
        /// `programs_dir`: a folder whose `*.pl` files are consulted at start, each as a program named after its
        /// file (and stored, like `logic/consult`); empty for none. Default empty.
        public var programsDirectory = ""

        /// The defaults.
        public init() {}

        init(reading table: inout TableReader) {
            programsDirectory = table.string("programs_dir", default: programsDirectory)
            if !programsDirectory.isEmpty && !FileText.isDirectory(programsDirectory) {
                table.problems.invalid(table.name("programs_dir"), "\(tomlQuoted(programsDirectory)) is not a folder")
            }
        }
    }
}
