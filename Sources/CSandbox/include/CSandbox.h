#ifndef COUNCIL_CSANDBOX_H
#define COUNCIL_CSANDBOX_H

// The sandbox's child side: everything between clone and execve, in async-signal-safe C.
//
// Swift prepares every byte the child needs (paths, argv, envp, the mount plan, the seccomp BPF program, limits) in
// one `csandbox_spec`; `csandbox_spawn` clones the child into new namespaces, writes its uid/gid maps, and leaves it
// waiting. `csandbox_begin` lets it prepare everything that does not depend on the job: it becomes the sandbox user,
// builds the root (system binds, /etc, /dev, /proc), pivots into it, detaches the old root, makes the root read-only,
// drops its bounding set and sets no_new_privs, then reports `CSANDBOX_REPORT_PREPARED` and waits again, while the
// parent attaches it to cgroups. `csandbox_release` lets it do the job's part: the workspace tmpfs and files, the
// cgroup namespace, the last capabilities, the program. A spare child spawned ahead of its job is begun (and
// prepared) before its job is known; a run then only writes the job's part of the spec and releases it.
//
// The child stays as the pid namespace's init: it vforks the program (which sets its rlimits and seccomp filter and
// execs), reaps orphans, and when the program exits kills and reaps every other process of the namespace, reports
// the program's wait status and resource usage (`CSANDBOX_REPORT_STATUS`), and exits. Once that report has arrived
// nothing of the run is left running, so the parent need not wait for the namespaces' teardown to answer. The
// program itself is never pid 1, so signals behave for it as anywhere else (RLIMIT_CPU's SIGXCPU, abort's SIGABRT).
//
// When the spec asks for artifacts, init then walks the workspace and writes framed records to the artifact pipe
// (see `csandbox_artifact_header`). It does so as the sandbox user, inside the sandbox's own root and mount
// namespace, without capabilities: it can only ever open what the program itself could open, so no symlink or mount
// trick can make it read the host's files.

#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Resource numbers for `csandbox_rlimit` (glibc's RLIMIT_ macros do not import into Swift).
static const int csandbox_rlimit_cpu = RLIMIT_CPU;
static const int csandbox_rlimit_fsize = RLIMIT_FSIZE;
static const int csandbox_rlimit_data = RLIMIT_DATA;
static const int csandbox_rlimit_core = RLIMIT_CORE;
static const int csandbox_rlimit_nproc = RLIMIT_NPROC;
static const int csandbox_rlimit_nofile = RLIMIT_NOFILE;
static const int csandbox_rlimit_as = RLIMIT_AS;

/// What one step of the mount plan does. Paths are relative to the new root (no leading slash).
enum csandbox_step_kind {
    /// mkdir `path` with `mode`.
    CSANDBOX_STEP_DIRECTORY = 1,
    /// Bind `source` (a host path) read-only onto `path` (a directory, or a file when `mode` is nonzero), keeping the
    /// source's nosuid/nodev/noexec flags.
    CSANDBOX_STEP_BIND_READ_ONLY = 2,
    /// Bind the host device node `source` onto the new empty file `path`, writable, nosuid, noexec.
    CSANDBOX_STEP_BIND_DEVICE = 3,
    /// Mount a tmpfs on the directory `path` with the mount options `data` (e.g. "size=16m,nr_inodes=1024").
    CSANDBOX_STEP_TMPFS = 4,
    /// Mount a fresh read-only proc on the directory `path`.
    CSANDBOX_STEP_PROC = 5,
    /// Create the symbolic link `path` pointing to `source`.
    CSANDBOX_STEP_SYMLINK = 6,
    /// Create the file `path` (it must not exist) with `mode` and the `length` bytes at `data`.
    CSANDBOX_STEP_FILE = 7,
    /// Remount the tmpfs at `path` read-only.
    CSANDBOX_STEP_READ_ONLY = 8,
};

/// One step of the mount plan.
struct csandbox_step {
    int kind;
    const char *path;
    const char *source;
    const char *data;
    size_t length;
    unsigned int mode;
};

/// A file the sandbox wrote into the workspace before the program started (the code, the job's input files): not an
/// artifact while its bytes are still exactly these.
struct csandbox_seed {
    /// A plain name at the top of the artifact directory.
    const char *name;
    const char *data;
    size_t length;
};

/// What init collects from the workspace once the program has exited (see `csandbox_artifact_header`).
struct csandbox_artifact_policy {
    /// The most files sent; 0 collects nothing (and costs nothing).
    uint32_t max_files;
    /// How many directory levels below `directory` are descended (0: its own files only; at most
    /// `CSANDBOX_ARTIFACT_DEPTH_MAX`).
    uint32_t max_depth;
    /// The largest file sent, and all files' bytes together.
    uint64_t max_file_bytes;
    uint64_t max_total_bytes;
    /// The most `skipped` records sent; further skipped entries are only counted (in the `end` record).
    uint32_t max_skipped;
    /// The absolute path of the directory collected (the workspace).
    const char *directory;
    /// Files not collected while unchanged.
    const struct csandbox_seed *seeds;
    size_t seed_count;
};

/// The kinds of records init writes to the artifact pipe.
enum csandbox_artifact_kind {
    /// A regular file: the header, `path_length` path bytes, then exactly `size` content bytes.
    CSANDBOX_ARTIFACT_FILE = 1,
    /// An entry not collected: the header (`reason`, `error`, `size` = its size when known), then the path.
    CSANDBOX_ARTIFACT_SKIPPED = 2,
    /// The walk finished: `size` is the number of skipped entries not reported (past `max_skipped`). Nothing follows.
    CSANDBOX_ARTIFACT_END = 3,
};

/// Why an entry was skipped. The values are stable: Swift names them.
enum csandbox_artifact_reason {
    CSANDBOX_SKIP_SYMLINK = 1,
    CSANDBOX_SKIP_FIFO = 2,
    CSANDBOX_SKIP_SOCKET = 3,
    CSANDBOX_SKIP_DEVICE = 4,
    CSANDBOX_SKIP_SPECIAL = 5,
    CSANDBOX_SKIP_FILE_TOO_LARGE = 6,
    CSANDBOX_SKIP_TOTAL_EXCEEDED = 7,
    CSANDBOX_SKIP_TOO_MANY_FILES = 8,
    CSANDBOX_SKIP_TOO_DEEP = 9,
    CSANDBOX_SKIP_PATH_TOO_LONG = 10,
    CSANDBOX_SKIP_UNREADABLE = 11,
};

/// The fixed part of one artifact record, in the host's byte order. Paths are relative to the policy's directory,
/// `/`-separated, without NUL, at most `CSANDBOX_ARTIFACT_PATH_MAX` bytes.
struct csandbox_artifact_header {
    uint32_t kind;
    uint32_t reason;
    uint32_t path_length;
    /// For `unreadable`: the errno.
    int32_t error;
    uint64_t size;
};

/// The longest relative path init sends, and the deepest it descends.
#define CSANDBOX_ARTIFACT_PATH_MAX 1024
#define CSANDBOX_ARTIFACT_DEPTH_MAX 16

/// One resource limit for setrlimit.
struct csandbox_rlimit {
    int resource;
    uint64_t soft;
    uint64_t hard;
};

/// Everything the child needs, prepared by the parent. The child reads the id fields at the clone; the root part
/// (`staging`, `root_options`, `steps`, `read_only_root`, `hostname`, `new_cgroup_namespace`) once `csandbox_begin`
/// lets it go; the job part (the rest) only once `csandbox_release` does.
struct csandbox_spec {
    /// Absolute path of the program inside the new root.
    const char *executable;
    /// NULL-terminated argument and environment vectors.
    char *const *argv;
    char *const *envp;
    /// An existing host directory to mount the new root's tmpfs on (inside the child's mount namespace only).
    const char *staging;
    /// Mount options of the root tmpfs.
    const char *root_options;
    /// The job-independent mount plan, run in order inside the root before pivot_root.
    const struct csandbox_step *steps;
    size_t step_count;
    /// Whether to remount the root tmpfs read-only after pivot_root (before the job's steps, which only mount on and
    /// write into directories the root plan made).
    int read_only_root;
    /// The job's mount plan (the workspace and its files), run in order from the new root once released. A failed
    /// step is reported with index `step_count` + its own index.
    const struct csandbox_step *job_steps;
    size_t job_step_count;
    /// The working directory of the program (inside the new root).
    const char *working_directory;
    /// The UTS namespace's host name.
    const char *hostname;
    /// Resource limits applied just before the exec.
    const struct csandbox_rlimit *rlimits;
    size_t rlimit_count;
    /// A seccomp BPF program (an array of `struct sock_filter`), loaded last; NULL for none.
    const void *filter;
    size_t filter_length;
    /// The single uid/gid mapping "inside outside 1" written into the child's user namespace.
    uid_t inside_uid;
    uid_t outside_uid;
    gid_t inside_gid;
    gid_t outside_gid;
    /// Whether to write "deny" to setgroups before the gid map (mandatory when the parent is unprivileged); when 0,
    /// the child clears its supplementary groups itself.
    int deny_setgroups;
    /// Whether the child enters a new cgroup namespace once released (it is attached to its cgroups by then).
    int new_cgroup_namespace;
    /// What init collects after the program exits; `max_files` 0 for nothing.
    struct csandbox_artifact_policy artifacts;
};

/// The parent's view of a spawned child.
struct csandbox_child {
    pid_t pid;
    int pidfd;
    /// Parent ends of the child's standard streams (close-on-exec): write stdin, read stdout and stderr.
    int stdin_fd;
    int stdout_fd;
    int stderr_fd;
    /// Read end of the artifact records init writes after the program exits (close-on-exec); nothing arrives when
    /// the spec collects nothing, and EOF when init exits.
    int artifacts_fd;
    /// Write end of the go-ahead channel (`csandbox_begin`, `csandbox_release`); -1 once released.
    int release_fd;
    /// Read end of the child's reports (`struct csandbox_report`, close-on-exec); EOF when init exits.
    int report_fd;
};

/// The kinds of reports the child writes to `report_fd`.
enum csandbox_report_kind {
    /// Setup failed (`stage`, `error`, `value` = index); the child exits.
    CSANDBOX_REPORT_FAILURE = 1,
    /// The job-independent part is done; the child waits for `csandbox_release`.
    CSANDBOX_REPORT_PREPARED = 2,
    /// The program was exec'd.
    CSANDBOX_REPORT_STARTED = 3,
    /// The program exited with wait status `value`; every other process of the namespace is dead and reaped. The
    /// usage is that of every process init reaped (the program's descendants included).
    CSANDBOX_REPORT_STATUS = 4,
};

/// One report of the child, written in one piece (atomically, below PIPE_BUF), in the host's byte order.
struct csandbox_report {
    int32_t kind;
    int32_t stage;
    int32_t error;
    int32_t value;
    uint64_t cpu_microseconds;
    uint64_t max_rss_kilobytes;
};

/// Where setup failed. The values are stable: Swift names them.
enum csandbox_stage {
    CSANDBOX_STAGE_NONE = 0,
    CSANDBOX_STAGE_PIPES = 1,
    CSANDBOX_STAGE_CLONE = 2,
    CSANDBOX_STAGE_ID_MAPS = 3,
    CSANDBOX_STAGE_RELEASE = 4,
    CSANDBOX_STAGE_IDENTITY = 5,
    CSANDBOX_STAGE_CGROUP_NAMESPACE = 6,
    CSANDBOX_STAGE_SESSION = 7,
    CSANDBOX_STAGE_STDIO = 8,
    CSANDBOX_STAGE_PRIVATE_MOUNTS = 9,
    CSANDBOX_STAGE_ROOT_TMPFS = 10,
    CSANDBOX_STAGE_PLAN_STEP = 11,
    CSANDBOX_STAGE_PIVOT_ROOT = 12,
    CSANDBOX_STAGE_DETACH_OLD_ROOT = 13,
    CSANDBOX_STAGE_READ_ONLY_ROOT = 14,
    CSANDBOX_STAGE_WORKING_DIRECTORY = 15,
    CSANDBOX_STAGE_HOSTNAME = 16,
    CSANDBOX_STAGE_RLIMIT = 17,
    CSANDBOX_STAGE_CLOSE_FDS = 18,
    CSANDBOX_STAGE_CAPABILITIES = 19,
    CSANDBOX_STAGE_NO_NEW_PRIVS = 20,
    CSANDBOX_STAGE_SECCOMP = 21,
    CSANDBOX_STAGE_EXEC = 22,
    CSANDBOX_STAGE_FORK = 23,
};

/// A failure: the stage, the errno, and for plan steps and rlimits the index.
struct csandbox_failure {
    int32_t stage;
    int32_t error;
    int32_t index;
};

/// Clones the child into new user, mount, pid, net, ipc and uts namespaces, writes its id maps and leaves it waiting
/// for `csandbox_release`. All signals are blocked in the calling thread across the clone. The child reads `*spec`
/// only once `csandbox_begin` lets it go, so the id fields must be set now, and the rest may still be written until
/// then when `spec` lives in a `csandbox_map_shared` mapping (a spare child spawned ahead of its job). Returns 0, or
/// -1 with `failure` filled in (no child left behind).
int csandbox_spawn(const struct csandbox_spec *spec, struct csandbox_child *child, struct csandbox_failure *failure);

/// Lets the child prepare its job-independent part (it then reports `CSANDBOX_REPORT_PREPARED` and waits for
/// `csandbox_release`), so that the parent can attach it to its cgroups meanwhile. 0, or -1 if the child is gone. The
/// calling thread must block SIGPIPE.
int csandbox_begin(struct csandbox_child *child, struct csandbox_failure *failure);

/// After `csandbox_begin`: blocks until the child has prepared. 0, or -1 with `failure` (what the child reported, or
/// stage RELEASE with EPIPE if it exited without saying). For a spare child, before it is handed to a run.
int csandbox_wait_prepared(struct csandbox_child *child, struct csandbox_failure *failure);

/// Lets the child do the job's part and start the program; the parent does not wait for it (its reports say what
/// happened). Closes the release channel. 0, or -1 if the child is gone (its reports say why).
int csandbox_release(struct csandbox_child *child);

/// Abandons a spawned child before release: closes its channels and fds, kills and reaps it.
void csandbox_abandon(struct csandbox_child *child);

/// A zeroed anonymous MAP_SHARED|MAP_NORESERVE mapping of `length` bytes, or NULL with errno. A child cloned while
/// it exists sees later writes to it: a spare child spawned ahead of its job reads its spec from here once released.
void *csandbox_map_shared(size_t length);

/// Unmaps what `csandbox_map_shared` mapped.
void csandbox_unmap_shared(void *address, size_t length);

/// pidfd_send_signal(2); 0 or -1 with errno.
int csandbox_pidfd_signal(int pidfd, int signal);

/// pipe2(2) with O_CLOEXEC: 0 or -1 with errno.
int csandbox_pipe(int fds[2]);

/// Sets or clears O_NONBLOCK; 0 or -1 with errno.
int csandbox_set_nonblocking(int fd, int on);

#ifdef __cplusplus
}
#endif

#endif
