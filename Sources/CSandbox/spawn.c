// The parent side of a sandbox spawn: pipes, the clone, the child's id maps, the release handshake.

#define _GNU_SOURCE 1
#include "CSandbox.h"
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

static void close_if_open(int *fd) {
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

static int fail(struct csandbox_failure *failure, int stage, int error) {
    failure->stage = stage;
    failure->error = error;
    failure->index = -1;
    return -1;
}

static int write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    size_t length = strlen(text);
    ssize_t written = write(fd, text, length);
    int saved = errno;
    close(fd);
    if (written != (ssize_t)length) {
        errno = written < 0 ? saved : EIO;
        return -1;
    }
    return 0;
}

// Maps exactly one uid and one gid: "inside outside 1". An unprivileged parent may only map its own ids, and only
// after denying setgroups.
static int write_id_maps(pid_t pid, const struct csandbox_spec *spec) {
    char path[64], line[64];
    if (spec->deny_setgroups) {
        snprintf(path, sizeof path, "/proc/%d/setgroups", (int)pid);
        if (write_file(path, "deny") != 0) return -1;
    }
    snprintf(path, sizeof path, "/proc/%d/gid_map", (int)pid);
    snprintf(line, sizeof line, "%u %u 1\n", (unsigned)spec->inside_gid, (unsigned)spec->outside_gid);
    if (write_file(path, line) != 0) return -1;
    snprintf(path, sizeof path, "/proc/%d/uid_map", (int)pid);
    snprintf(line, sizeof line, "%u %u 1\n", (unsigned)spec->inside_uid, (unsigned)spec->outside_uid);
    return write_file(path, line);
}

static void reap(pid_t pid) {
    int status;
    while (wait4(pid, &status, __WALL, NULL) < 0 && errno == EINTR) {
    }
}

int csandbox_spawn(const struct csandbox_spec *spec, struct csandbox_child *child, struct csandbox_failure *failure) {
    int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1}, release[2] = {-1, -1}, report[2] = {-1, -1};
    int artifacts[2] = {-1, -1};
    int *pipes[] = {in, out, err, artifacts, release, report};
    for (size_t i = 0; i < sizeof pipes / sizeof pipes[0]; i++) {
        if (pipe2(pipes[i], O_CLOEXEC) != 0) {
            int saved = errno;
            for (size_t j = 0; j < i; j++) {
                close_if_open(&pipes[j][0]);
                close_if_open(&pipes[j][1]);
            }
            return fail(failure, CSANDBOX_STAGE_PIPES, saved);
        }
    }

    struct csandbox_child_fds fds = {
        .stdin_fd = in[0],
        .stdout_fd = out[1],
        .stderr_fd = err[1],
        .artifacts_fd = artifacts[1],
        .release_fd = release[0],
        .report_fd = report[1]};

    // No handler of the parent may run in the child: block everything across the clone; the child resets
    // dispositions and unblocks just before its exec.
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    int pidfd = -1;
    // Exit signal 0 rather than SIGCHLD: the child is never auto-reaped, whatever the process does with SIGCHLD.
    unsigned long flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS |
                          CLONE_PIDFD;
    long pid = syscall(SYS_clone, flags, NULL, &pidfd, NULL, NULL);
    if (pid == 0) csandbox_child_main(spec, &fds);  // never returns
    int clone_error = errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);

    close_if_open(&in[0]);
    close_if_open(&out[1]);
    close_if_open(&err[1]);
    close_if_open(&artifacts[1]);
    close_if_open(&release[0]);
    close_if_open(&report[1]);
    child->pid = (pid_t)pid;
    child->pidfd = pidfd;
    child->stdin_fd = in[1];
    child->stdout_fd = out[0];
    child->stderr_fd = err[0];
    child->artifacts_fd = artifacts[0];
    child->release_fd = release[1];
    child->report_fd = report[0];
    if (pid < 0) {
        close_if_open(&child->stdin_fd);
        close_if_open(&child->stdout_fd);
        close_if_open(&child->stderr_fd);
        close_if_open(&child->artifacts_fd);
        close_if_open(&child->release_fd);
        close_if_open(&child->report_fd);
        return fail(failure, CSANDBOX_STAGE_CLONE, clone_error);
    }
    if (write_id_maps((pid_t)pid, spec) != 0) {
        int saved = errno;
        csandbox_abandon(child);
        return fail(failure, CSANDBOX_STAGE_ID_MAPS, saved);
    }
    return 0;
}

// Reads one whole report; 0 at EOF.
static int receive(int fd, struct csandbox_report *report) {
    size_t got = 0;
    while (got < sizeof *report) {
        ssize_t n = read(fd, (char *)report + got, sizeof *report - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += (size_t)n;
    }
    return got == sizeof *report;
}

static int go_ahead(struct csandbox_child *child) {
    char go = 1;
    ssize_t sent;
    do {
        sent = write(child->release_fd, &go, 1);
    } while (sent < 0 && errno == EINTR);
    return sent == 1 ? 0 : -1;
}

int csandbox_begin(struct csandbox_child *child, struct csandbox_failure *failure) {
    if (go_ahead(child) == 0) return 0;
    return fail(failure, CSANDBOX_STAGE_RELEASE, errno);
}

int csandbox_release(struct csandbox_child *child) {
    // A child that failed during setup has closed its end: EPIPE here, and its report says why.
    int result = go_ahead(child);
    close_if_open(&child->release_fd);
    return result;
}

int csandbox_wait_prepared(struct csandbox_child *child, struct csandbox_failure *failure) {
    struct csandbox_report report;
    memset(&report, 0, sizeof report);
    while (receive(child->report_fd, &report)) {
        if (report.kind == CSANDBOX_REPORT_PREPARED) return 0;
        if (report.kind == CSANDBOX_REPORT_FAILURE) {
            failure->stage = report.stage;
            failure->error = report.error;
            failure->index = report.value;
            return -1;
        }
    }
    return fail(failure, CSANDBOX_STAGE_RELEASE, EPIPE);
}

void csandbox_abandon(struct csandbox_child *child) {
    close_if_open(&child->release_fd);
    close_if_open(&child->report_fd);
    close_if_open(&child->stdin_fd);
    close_if_open(&child->stdout_fd);
    close_if_open(&child->stderr_fd);
    close_if_open(&child->artifacts_fd);
    if (child->pid > 0) {
        kill(child->pid, SIGKILL);
        reap(child->pid);
        child->pid = -1;
    }
    close_if_open(&child->pidfd);
}

int csandbox_pidfd_signal(int pidfd, int signal) {
    return (int)syscall(SYS_pidfd_send_signal, pidfd, signal, NULL, 0);
}

int csandbox_pipe(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int csandbox_set_nonblocking(int fd, int on) {
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0) return -1;
    flags = on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
    return fcntl(fd, F_SETFL, flags);
}

void *csandbox_map_shared(size_t length) {
    void *address = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return address == MAP_FAILED ? NULL : address;
}

void csandbox_unmap_shared(void *address, size_t length) { munmap(address, length); }
