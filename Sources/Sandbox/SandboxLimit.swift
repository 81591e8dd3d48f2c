/// One limit a sandbox run is held to. The raw value is its name in requests, replies and the configuration.
public enum SandboxLimit: String, CaseIterable, Sendable, Hashable {
    /// Wall-clock time from start to exit, milliseconds; past it the whole process tree is killed.
    case wallTime = "wall_ms"
    /// CPU time of each process, milliseconds (RLIMIT_CPU, rounded up to whole seconds).
    case cpuTime = "cpu_ms"
    /// Memory, bytes: the cgroup's memory limit, or else the address space (RLIMIT_AS).
    case memory = "memory_bytes"
    /// Processes and threads at once: the cgroup's pids limit and RLIMIT_NPROC.
    case pids
    /// Size of the writable workspace (a tmpfs), bytes.
    case workspaceBytes = "workspace_bytes"
    /// Files and directories in the workspace.
    case workspaceInodes = "workspace_inodes"
    /// Bytes kept of stdout, and separately of stderr; past it the stream is closed and `truncated` set.
    case outputBytes = "output_bytes"
    /// Largest file a process may write, bytes (RLIMIT_FSIZE).
    case fileBytes = "file_bytes"
    /// Open file descriptors per process (RLIMIT_NOFILE).
    case openFiles = "open_files"
    /// CPU bandwidth in percent of one core (the cgroup's CPU quota).
    case cpuPercent = "cpu_percent"
}
