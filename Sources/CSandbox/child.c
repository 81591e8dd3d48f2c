// The child between clone and execve. Only system calls and other async-signal-safe functions run here: the
// parent is multithreaded, so its locks (malloc's included) may be held forever in this copy of its memory. Every
// failure is written to the report pipe as a `csandbox_failure`, then the child `_exit`s.

#define _GNU_SOURCE 1
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE (1U << 1)
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif

struct kernel_rlimit64 {
    uint64_t soft;
    uint64_t hard;
};

static void send(int report_fd, const struct csandbox_report *report) {
    ssize_t sent;
    do {
        sent = write(report_fd, report, sizeof *report);
    } while (sent < 0 && errno == EINTR);
}

static void say(int report_fd, int kind) {
    struct csandbox_report report = {.kind = kind};
    send(report_fd, &report);
}

__attribute__((noreturn)) static void die(int report_fd, int stage, int error, int index) {
    struct csandbox_report report = {.kind = CSANDBOX_REPORT_FAILURE, .stage = stage, .error = error, .value = index};
    send(report_fd, &report);
    _exit(127);
}

// Moves `fd` out of 0-2 so that installing the standard streams cannot overwrite it.
static int above_stdio(int fd) {
    if (fd > STDERR_FILENO) return fd;
    return fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
}

static int close_from_to(unsigned int first, unsigned int last) {
    if (first > last) return 0;
    if (syscall(SYS_close_range, first, last, 0) == 0) return 0;
    if (errno != ENOSYS) return -1;
    // Kernels before 5.9: close one by one up to the descriptor limit.
    struct kernel_rlimit64 limit;
    if (syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &limit) != 0) return -1;
    uint64_t end = limit.soft < (uint64_t)last ? limit.soft : (uint64_t)last;
    for (uint64_t fd = first; fd <= end; fd++) close((int)fd);
    return 0;
}

// Closes every descriptor from 3 up except the three in `keep` (distinct, all above 2).
static int close_all_but(int keep[3]) {
    for (int i = 0; i < 2; i++) {
        for (int j = i + 1; j < 3; j++) {
            if (keep[j] < keep[i]) {
                int swap = keep[i];
                keep[i] = keep[j];
                keep[j] = swap;
            }
        }
    }
    unsigned int next = 3;
    for (int i = 0; i < 3; i++) {
        if (close_from_to(next, (unsigned int)keep[i] - 1) != 0) return -1;
        next = (unsigned int)keep[i] + 1;
    }
    return close_from_to(next, ~0U);
}

static int make_directory(const char *path, unsigned int mode) {
    if (mkdir(path, mode) == 0 || errno == EEXIST) return 0;
    return -1;
}

static int make_empty_file(const char *path, unsigned int mode) {
    int fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) return -1;
    close(fd);
    return 0;
}

static int write_new_file(const char *path, const char *data, size_t length, unsigned int mode) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) return -1;
    size_t done = 0;
    while (done < length) {
        ssize_t n = write(fd, data + done, length - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int saved = n < 0 ? errno : EIO;
            close(fd);
            errno = saved;
            return -1;
        }
        done += (size_t)n;
    }
    return close(fd);
}

// The flags of the mount at `path` that an unprivileged remount must keep (the kernel locks them), as MS_ flags.
static int locked_flags(const char *path, unsigned long *flags) {
    struct statfs info;
    if (statfs(path, &info) != 0) return -1;
    unsigned long result = 0;
    if (info.f_flags & ST_NOSUID) result |= MS_NOSUID;
    if (info.f_flags & ST_NODEV) result |= MS_NODEV;
    if (info.f_flags & ST_NOEXEC) result |= MS_NOEXEC;
    if (info.f_flags & ST_NOATIME) result |= MS_NOATIME;
    if (info.f_flags & ST_NODIRATIME) result |= MS_NODIRATIME;
    if (info.f_flags & ST_RELATIME) result |= MS_RELATIME;
    *flags = result;
    return 0;
}

static int bind(const char *source, const char *path, unsigned long extra) {
    if (mount(source, path, NULL, MS_BIND, NULL) != 0) return -1;
    unsigned long keep;
    if (locked_flags(path, &keep) != 0) return -1;
    return mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | MS_NOSUID | keep | extra, NULL);
}

static int run_step(const struct csandbox_step *step) {
    switch (step->kind) {
    case CSANDBOX_STEP_DIRECTORY:
        return make_directory(step->path, step->mode);
    case CSANDBOX_STEP_BIND_READ_ONLY:
        if ((step->mode ? make_empty_file(step->path, step->mode) : make_directory(step->path, 0755)) != 0) return -1;
        return bind(step->source, step->path, MS_RDONLY);
    case CSANDBOX_STEP_BIND_DEVICE:
        if (make_empty_file(step->path, 0666) != 0) return -1;
        return bind(step->source, step->path, MS_NOEXEC);
    case CSANDBOX_STEP_TMPFS:
        if (make_directory(step->path, 0755) != 0) return -1;
        return mount("tmpfs", step->path, "tmpfs", MS_NOSUID | MS_NODEV, step->data);
    case CSANDBOX_STEP_PROC:
        if (make_directory(step->path, 0555) != 0) return -1;
        return mount("proc", step->path, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, NULL);
    case CSANDBOX_STEP_SYMLINK:
        return symlink(step->source, step->path);
    case CSANDBOX_STEP_FILE:
        return write_new_file(step->path, step->data, step->length, step->mode);
    case CSANDBOX_STEP_READ_ONLY:
        return mount(NULL, step->path, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL);
    default:
        errno = EINVAL;
        return -1;
    }
}

// Empties the bounding and ambient sets: no exec can gain a capability back. The effective ones stay (init still
// mounts the workspace once released).
static int limit_capabilities(void) {
    for (int cap = 0; cap < 64; cap++) {
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL) return -1;
    }
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) return -1;
    return 0;
}

// Clears the effective, permitted and inheritable sets.
static int clear_capabilities(void) {
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof data);
    return (int)syscall(SYS_capset, &header, data);
}

static void reset_signals(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    for (int sig = 1; sig < _NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        sigaction(sig, &action, NULL);  // glibc's internal signals answer EINVAL: nothing to reset there
    }
}

// Blocks until the parent writes its go-ahead byte; false at EOF (the parent gave up).
static int wait_for_parent(int release) {
    char go = 0;
    ssize_t got;
    do {
        got = read(release, &go, 1);
    } while (got < 0 && errno == EINTR);
    return got == 1;
}

// init is a copy of the daemon that never execs: its /proc/<pid>/cmdline and environ would show the daemon's argv
// and environment (URLs with passwords, API keys). Zero both areas in this copy, as /proc/self/stat locates them
// (fields 48-51: arg_start, arg_end, env_start, env_end), and rename the thread.
static void forget_parent_identity(void) {
    char text[2048];
    int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
    ssize_t length = fd < 0 ? -1 : read(fd, text, sizeof text - 1);
    if (fd >= 0) close(fd);
    prctl(PR_SET_NAME, "sandbox-init", 0, 0, 0);
    if (length <= 0) return;
    text[length] = 0;
    char *cursor = strrchr(text, ')');
    if (!cursor) return;
    unsigned long values[4] = {0, 0, 0, 0};
    int field = 2;
    for (; *cursor && field < 51; cursor++) {
        if (*cursor != ' ') continue;
        field++;
        if (field < 48) continue;
        unsigned long value = 0;
        for (const char *digit = cursor + 1; *digit >= '0' && *digit <= '9'; digit++) {
            value = value * 10 + (unsigned long)(*digit - '0');
        }
        values[field - 48] = value;
    }
    if (field != 51) return;
    for (int area = 0; area < 4; area += 2) {
        if (values[area] && values[area + 1] > values[area]) {
            memset((void *)values[area], 0, values[area + 1] - values[area]);
        }
    }
}

// The part of the setup that does not depend on the job, done before release (ahead of the job, in a spare): the
// sandbox user, the session, the root built, pivoted into and made read-only, the host name, default signal
// dispositions (all still blocked), the bounding set emptied, dumpability off and no_new_privs.
static void prepare(const struct csandbox_spec *spec, int report) {
    forget_parent_identity();
    umask(0);
    // Become the mapped user: until now our host uid is still the parent's (root when the daemon runs as root).
    // Raw system calls, because glibc's set*id wrappers would signal the parent's other threads, absent here.
    if (!spec->deny_setgroups && syscall(SYS_setgroups, 0, NULL) != 0) {
        die(report, CSANDBOX_STAGE_IDENTITY, errno, -1);
    }
    gid_t gid = spec->inside_gid;
    uid_t uid = spec->inside_uid;
    if (syscall(SYS_setresgid, gid, gid, gid) != 0 || syscall(SYS_setresuid, uid, uid, uid) != 0) {
        die(report, CSANDBOX_STAGE_IDENTITY, errno, -1);
    }
    if (setsid() < 0) die(report, CSANDBOX_STAGE_SESSION, errno, -1);

    // The new root: a tmpfs, populated by the plan, pivoted into, the old root detached.
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) die(report, CSANDBOX_STAGE_PRIVATE_MOUNTS, errno, -1);
    if (mount("tmpfs", spec->staging, "tmpfs", MS_NOSUID | MS_NODEV, spec->root_options) != 0 ||
        chdir(spec->staging) != 0) {
        die(report, CSANDBOX_STAGE_ROOT_TMPFS, errno, -1);
    }
    for (size_t i = 0; i < spec->step_count; i++) {
        if (run_step(&spec->steps[i]) != 0) die(report, CSANDBOX_STAGE_PLAN_STEP, errno, (int)i);
    }
    if (syscall(SYS_pivot_root, ".", ".") != 0) die(report, CSANDBOX_STAGE_PIVOT_ROOT, errno, -1);
    if (umount2(".", MNT_DETACH) != 0 || chdir("/") != 0) die(report, CSANDBOX_STAGE_DETACH_OLD_ROOT, errno, -1);
    if (spec->read_only_root && mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) != 0) {
        die(report, CSANDBOX_STAGE_READ_ONLY_ROOT, errno, -1);
    }
    if (spec->hostname && sethostname(spec->hostname, strlen(spec->hostname)) != 0) {
        die(report, CSANDBOX_STAGE_HOSTNAME, errno, -1);
    }
    reset_signals();

    // Privileges that nothing later needs go now: the bounding and ambient sets, dumpability (so /proc/1 is not the
    // program's to open), then no_new_privs. The effective capabilities go once the job's mounts are done.
    if (limit_capabilities() != 0) die(report, CSANDBOX_STAGE_CAPABILITIES, errno, -1);
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        die(report, CSANDBOX_STAGE_NO_NEW_PRIVS, errno, -1);
    }
}

// What init's reaped processes used, summed (CPU) and maximal (RSS).
struct usage {
    uint64_t cpu_microseconds;
    uint64_t max_rss_kilobytes;
};

static void count(struct usage *usage, const struct rusage *reaped) {
    usage->cpu_microseconds += (uint64_t)reaped->ru_utime.tv_sec * 1000000 + (uint64_t)reaped->ru_utime.tv_usec +
                               (uint64_t)reaped->ru_stime.tv_sec * 1000000 + (uint64_t)reaped->ru_stime.tv_usec;
    if (reaped->ru_maxrss > 0 && (uint64_t)reaped->ru_maxrss > usage->max_rss_kilobytes) {
        usage->max_rss_kilobytes = (uint64_t)reaped->ru_maxrss;
    }
}

// init, once the program has exited: SIGKILLs every other process of the pid namespace and reaps them all, so that
// nothing runs on (or changes the workspace) once the parent hears the program's status. kill(-1) from a namespace's
// init reaches every other process in it; a fork racing with it is stopped by the pending SIGKILL. Orphans are
// reparented to init, so once wait4 says ECHILD nothing is left; check anyway.
static void kill_the_rest(struct usage *usage) {
    for (int round = 0; round < 16; round++) {
        kill(-1, SIGKILL);
        for (;;) {
            int status;
            struct rusage reaped;
            if (wait4(-1, &status, __WALL, &reaped) > 0) {
                count(usage, &reaped);
                continue;
            }
            if (errno == EINTR) continue;
            break;
        }
        if (kill(-1, 0) != 0 && errno == ESRCH) return;
    }
}

void csandbox_child_main(const struct csandbox_spec *spec, struct csandbox_child_fds *fds) {
    // Die with the thread that spawned us (it waits for us until we exit).
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    int report = above_stdio(fds->report_fd);
    int release = above_stdio(fds->release_fd);
    int artifacts = above_stdio(fds->artifacts_fd);
    int in = above_stdio(fds->stdin_fd), out = above_stdio(fds->stdout_fd), err = above_stdio(fds->stderr_fd);
    if (report < 0 || release < 0 || artifacts < 0 || in < 0 || out < 0 || err < 0) _exit(127);
    if (dup2(in, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 || dup2(err, STDERR_FILENO) < 0) {
        die(report, CSANDBOX_STAGE_STDIO, errno, -1);
    }
    // Every other descriptor of the parent goes now, before we wait: sockets, databases, other sandboxes' pipes.
    int keep[3] = {report, release, artifacts};
    if (close_all_but(keep) != 0) die(report, CSANDBOX_STAGE_CLOSE_FDS, errno, -1);

    // Wait until the parent has written our id maps; EOF means it gave up. Then do everything the job does not
    // change, and say so: a spare child gets this far before its job is known.
    if (!wait_for_parent(release)) _exit(127);
    prepare(spec, report);
    say(report, CSANDBOX_REPORT_PREPARED);

    // Released: the job's part of the spec is written, and the parent has moved us into our cgroups (slow in cgroup
    // v1: an RCU grace period) before anything runs on the job's behalf. Make our cgroup the namespace's root.
    if (!wait_for_parent(release)) _exit(127);
    close(release);
    if (spec->new_cgroup_namespace && unshare(CLONE_NEWCGROUP) != 0) {
        die(report, CSANDBOX_STAGE_CGROUP_NAMESPACE, errno, -1);
    }
    if (spec->artifacts.max_files == 0) close(artifacts);
    for (size_t i = 0; i < spec->job_step_count; i++) {
        if (run_step(&spec->job_steps[i]) != 0) {
            die(report, CSANDBOX_STAGE_PLAN_STEP, errno, (int)(spec->step_count + i));
        }
    }
    if (chdir(spec->working_directory) != 0) die(report, CSANDBOX_STAGE_WORKING_DIRECTORY, errno, -1);
    umask(022);
    // The last privileges, in init and (inherited) in the program.
    if (clear_capabilities() != 0) die(report, CSANDBOX_STAGE_CAPABILITIES, errno, -1);

    // The program: vforked (no copy of the parent's memory), it sets its limits and seccomp filter and execs; init
    // resumes once it has. On failure it reports and sets `failed` in the memory it shares with init until then.
    volatile int failed = 0;
    pid_t program = vfork();
    if (program == 0) {
        for (size_t i = 0; i < spec->rlimit_count; i++) {
            struct kernel_rlimit64 limit = {spec->rlimits[i].soft, spec->rlimits[i].hard};
            if (syscall(SYS_prlimit64, 0, spec->rlimits[i].resource, &limit, NULL) != 0) {
                failed = 1;
                die(report, CSANDBOX_STAGE_RLIMIT, errno, (int)i);
            }
        }
        // Last: the filter, which then only needs to allow rt_sigprocmask, execve, write and exit_group.
        if (spec->filter) {
            struct sock_fprog filter = {
                .len = (unsigned short)(spec->filter_length / sizeof(struct sock_filter)),
                .filter = (struct sock_filter *)spec->filter,
            };
            if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &filter) != 0) {
                failed = 1;
                die(report, CSANDBOX_STAGE_SECCOMP, errno, -1);
            }
        }
        sigset_t none;
        sigemptyset(&none);
        syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, _NSIG / 8);
        execve(spec->executable, spec->argv, spec->envp);
        failed = 1;
        die(report, CSANDBOX_STAGE_EXEC, errno, -1);
    }
    if (program < 0) die(report, CSANDBOX_STAGE_FORK, errno, -1);
    if (failed) _exit(127);
    say(report, CSANDBOX_REPORT_STARTED);
    // The program has its own copies of the standard streams. init keeps stdout and stderr until the program's end
    // is reported, so that the parent wakes once for both.
    close(STDIN_FILENO);

    // init: reap whatever exits (orphans are reparented here) until the program does, then kill and reap the rest,
    // report the program's status, collect the artifacts if asked, and exit. Signals stay blocked: nothing inside
    // can stop init.
    struct usage usage = {0, 0};
    for (;;) {
        int status = 0;
        struct rusage reaped;
        pid_t exited = wait4(-1, &status, __WALL, &reaped);
        if (exited > 0) count(&usage, &reaped);
        if (exited == program) {
            kill_the_rest(&usage);
            close(STDOUT_FILENO);
            close(STDERR_FILENO);
            struct csandbox_report done = {
                .kind = CSANDBOX_REPORT_STATUS,
                .value = status,
                .cpu_microseconds = usage.cpu_microseconds,
                .max_rss_kilobytes = usage.max_rss_kilobytes};
            send(report, &done);
            if (spec->artifacts.max_files > 0) {
                csandbox_collect_artifacts(&spec->artifacts, artifacts);
                close(artifacts);
            }
            _exit(0);
        }
        if (exited < 0 && errno != EINTR) _exit(127);
    }
}
