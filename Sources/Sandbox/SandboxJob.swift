/// A file written into the workspace before the program starts.
public struct SandboxFile: Sendable, Hashable {
    /// A plain name: no `/`, not `.` or `..`, no NUL.
    public var name: String
    /// The file's bytes.
    public var contents: [UInt8]

    /// Creates a file.
    public init(name: String, contents: [UInt8]) {
        self.name = name
        self.contents = contents
    }

    /// Whether `name` is a plain file name that stays inside the workspace.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\0")
            && name.utf8.count <= 255
    }
}

/// What a sandbox runs: code in a language (written to the workspace and run by its interpreter), or a command.
public enum SandboxProgram: Sendable, Hashable {
    /// `code` in `language`, run from a file in the workspace.
    case code(Language, String)
    /// An executable with arguments (both as seen inside the sandbox); it must live under the bound system
    /// directories, and gets the limits of a language that fits an address-space limit.
    case command(executable: String, arguments: [String])
}

/// One run: the program, its input and files, and the limits it is held to.
public struct SandboxJob: Sendable, Hashable {
    /// What runs.
    public var program: SandboxProgram
    /// Bytes fed to the program's stdin (then EOF).
    public var stdin: [UInt8]
    /// Files written into the workspace first.
    public var files: [SandboxFile]
    /// The limits, already lowered by the request.
    public var profile: SandboxProfile
    /// Which files to hand back from the workspace after the program exits; nil collects nothing (and costs nothing).
    public var artifacts: ArtifactPolicy?

    /// Creates a job.
    public init(
        program: SandboxProgram, stdin: [UInt8] = [], files: [SandboxFile] = [], profile: SandboxProfile,
        artifacts: ArtifactPolicy? = nil
    ) {
        self.program = program
        self.stdin = stdin
        self.files = files
        self.profile = profile
        self.artifacts = artifacts
    }
}
