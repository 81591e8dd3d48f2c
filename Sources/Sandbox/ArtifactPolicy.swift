import CSandbox

/// Which files a run hands back from its workspace once the program has exited, and how many bytes at most.
///
/// Collection is done by the sandbox's init, inside the sandbox, after it has killed every other process of the run:
/// it reads regular files only, never follows a symbolic link, skips FIFOs, sockets and devices (reporting them), and
/// runs as the sandbox user in the sandbox's own root, so it can only ever read what the program itself could read.
/// The files the sandbox wrote before the start (the code's file, the job's `files`) are left out while their bytes
/// are unchanged; a program that rewrites one gets it back. A run that times out or is cancelled has its init
/// killed, and then returns no artifacts.
public struct ArtifactPolicy: Sendable, Hashable {
    /// The most files returned.
    public var maxFiles: Int
    /// The largest file returned, bytes.
    public var maxFileBytes: Int
    /// All returned files together, bytes; never more than the profile's workspace.
    public var maxTotalBytes: Int
    /// How many directory levels below the workspace are descended (0: the workspace's own files only).
    public var maxDepth: Int

    /// The default caps: 64 files, 1 MiB each, 4 MiB in all, 8 levels deep.
    public init(maxFiles: Int = 64, maxFileBytes: Int = 1 << 20, maxTotalBytes: Int = 4 << 20, maxDepth: Int = 8) {
        self.maxFiles = maxFiles
        self.maxFileBytes = maxFileBytes
        self.maxTotalBytes = maxTotalBytes
        self.maxDepth = maxDepth
    }

    /// The deepest any policy descends.
    public static let depthCeiling = Int(CSANDBOX_ARTIFACT_DEPTH_MAX)

    /// How many skipped entries are reported one by one; the rest are only counted.
    static let skippedReports = 64

    /// This policy as a run with `profile` applies it: at least one file, the total within the workspace, a file
    /// within the total, the depth within ``depthCeiling``, the count within the workspace's inodes.
    func effective(for profile: SandboxProfile) -> ArtifactPolicy {
        let total = max(0, min(maxTotalBytes, profile[.workspaceBytes]))
        return ArtifactPolicy(
            maxFiles: max(1, min(maxFiles, profile[.workspaceInodes])),
            maxFileBytes: max(0, min(maxFileBytes, total)),
            maxTotalBytes: total,
            maxDepth: max(0, min(maxDepth, Self.depthCeiling)))
    }
}

/// A file the program left in its workspace.
public struct SandboxArtifact: Sendable, Hashable {
    /// Its path relative to the workspace (`out/report.csv`).
    public var path: String
    /// Its bytes.
    public var contents: [UInt8]

    /// Creates an artifact.
    public init(path: String, contents: [UInt8]) {
        self.path = path
        self.contents = contents
    }
}

/// An entry of the workspace that was not returned, and why.
public struct SkippedArtifact: Sendable, Hashable {
    /// Its path relative to the workspace (`.` for the workspace itself).
    public var path: String
    /// Why, for a person: `symbolic link`, `larger than 1048576 bytes`, ...
    public var reason: String

    /// Creates a skipped entry.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

/// Whether a run collected its artifacts.
public enum ArtifactCollection: Sendable, Hashable {
    /// The job asked for none.
    case off
    /// The workspace was walked to the end (within the policy's caps).
    case collected
    /// Nothing was collected, and why (the run timed out or was killed before init finished).
    case missing(String)
}
