// init's last job: the files the program left in its workspace, written to the artifact pipe as framed records.
//
// Runs in the cloned child (a copy of a multithreaded parent), so only system calls and other async-signal-safe
// functions: openat, fstat, getdents64, pread, write, close; no malloc, no opendir. It runs after every other
// process of the namespace is dead and reaped, as the sandbox user, inside the sandbox's root and mount namespace,
// with no capabilities: it can open exactly what the program could have opened. Symbolic links are never followed
// (O_NOFOLLOW on every open), only regular files are read, and FIFOs are opened non-blocking and skipped.

#define _GNU_SOURCE 1
#include "child.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

// getdents64's record; glibc exports no type for it.
struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

struct walk {
    const struct csandbox_artifact_policy *policy;
    int out;
    // Writing failed (the parent stopped reading): send nothing more.
    int failed;
    uint32_t max_depth;
    uint32_t files;
    uint64_t bytes;
    uint32_t skipped_sent;
    uint64_t skipped_unsent;
    size_t path_length;
    char path[CSANDBOX_ARTIFACT_PATH_MAX + 1];
    char buffer[16384];
};

static void send_bytes(struct walk *walk, const void *data, size_t length) {
    const char *cursor = data;
    while (length > 0 && !walk->failed) {
        ssize_t sent = write(walk->out, cursor, length);
        if (sent < 0 && errno == EINTR) continue;
        if (sent <= 0) {
            walk->failed = 1;
            return;
        }
        cursor += sent;
        length -= (size_t)sent;
    }
}

// A record's header and path; the workspace itself (an empty path) is named ".".
static void send_header(struct walk *walk, uint32_t kind, uint32_t reason, int32_t error, uint64_t size) {
    const char *path = walk->path_length > 0 ? walk->path : ".";
    size_t path_length = kind == CSANDBOX_ARTIFACT_END ? 0 : walk->path_length > 0 ? walk->path_length : 1;
    struct csandbox_artifact_header header = {
        .kind = kind, .reason = reason, .path_length = (uint32_t)path_length, .error = error, .size = size};
    send_bytes(walk, &header, sizeof header);
    send_bytes(walk, path, path_length);
}

static void skip(struct walk *walk, uint32_t reason, int32_t error, uint64_t size) {
    if (walk->skipped_sent >= walk->policy->max_skipped) {
        walk->skipped_unsent++;
        return;
    }
    walk->skipped_sent++;
    send_header(walk, CSANDBOX_ARTIFACT_SKIPPED, reason, error, size);
}

// Appends "/name" (or "name" at the top) to the path; 0 if it would not fit (the path is then cut at the limit).
static int push(struct walk *walk, const char *name) {
    size_t length = strlen(name);
    size_t separator = walk->path_length > 0 ? 1 : 0;
    if (walk->path_length + separator + length > CSANDBOX_ARTIFACT_PATH_MAX) {
        if (separator && walk->path_length < CSANDBOX_ARTIFACT_PATH_MAX) walk->path[walk->path_length++] = '/';
        size_t room = CSANDBOX_ARTIFACT_PATH_MAX - walk->path_length;
        memcpy(walk->path + walk->path_length, name, room);
        walk->path_length += room;
        return 0;
    }
    if (separator) walk->path[walk->path_length++] = '/';
    memcpy(walk->path + walk->path_length, name, length);
    walk->path_length += length;
    return 1;
}

// Reads exactly `length` bytes at `offset` into `buffer`, zero-filling what the file no longer has.
static void read_at(int fd, char *buffer, size_t length, uint64_t offset) {
    size_t done = 0;
    while (done < length) {
        ssize_t got = pread(fd, buffer + done, length - done, (off_t)(offset + done));
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        done += (size_t)got;
    }
    memset(buffer + done, 0, length - done);
}

// Whether the top-level file `name` is a seed (a file the sandbox wrote) with its bytes unchanged.
static int unchanged_seed(struct walk *walk, int fd, const char *name, uint64_t size) {
    for (size_t i = 0; i < walk->policy->seed_count; i++) {
        const struct csandbox_seed *seed = &walk->policy->seeds[i];
        if (strcmp(seed->name, name) != 0) continue;
        if (seed->length != size) return 0;
        for (uint64_t offset = 0; offset < size; offset += sizeof walk->buffer) {
            size_t chunk = size - offset < sizeof walk->buffer ? (size_t)(size - offset) : sizeof walk->buffer;
            read_at(fd, walk->buffer, chunk, offset);
            if (memcmp(walk->buffer, seed->data + offset, chunk) != 0) return 0;
        }
        return 1;
    }
    return 0;
}

static void send_file(struct walk *walk, int fd, const char *name, uint64_t size, uint32_t depth) {
    const struct csandbox_artifact_policy *policy = walk->policy;
    if (depth == 0 && unchanged_seed(walk, fd, name, size)) return;
    if (walk->files >= policy->max_files) {
        skip(walk, CSANDBOX_SKIP_TOO_MANY_FILES, 0, size);
        return;
    }
    if (size > policy->max_file_bytes) {
        skip(walk, CSANDBOX_SKIP_FILE_TOO_LARGE, 0, size);
        return;
    }
    if (size > policy->max_total_bytes - walk->bytes) {
        skip(walk, CSANDBOX_SKIP_TOTAL_EXCEEDED, 0, size);
        return;
    }
    walk->files++;
    walk->bytes += size;
    send_header(walk, CSANDBOX_ARTIFACT_FILE, 0, 0, size);
    for (uint64_t offset = 0; offset < size && !walk->failed; offset += sizeof walk->buffer) {
        size_t chunk = size - offset < sizeof walk->buffer ? (size_t)(size - offset) : sizeof walk->buffer;
        read_at(fd, walk->buffer, chunk, offset);
        send_bytes(walk, walk->buffer, chunk);
    }
}

static void walk_directory(struct walk *walk, int directory, uint32_t depth);

// One directory entry: opened without following links and without blocking, then judged by what fstat says.
static void visit(struct walk *walk, int directory, const char *name, unsigned char type, uint32_t depth) {
    int fd = openat(directory, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        int error = errno;
        if (error == ELOOP || type == DT_LNK) {
            skip(walk, CSANDBOX_SKIP_SYMLINK, 0, 0);
            return;
        }
        if (error == ENXIO || type == DT_SOCK) {
            skip(walk, CSANDBOX_SKIP_SOCKET, 0, 0);
            return;
        }
        if (type == DT_CHR || type == DT_BLK) {
            skip(walk, CSANDBOX_SKIP_DEVICE, 0, 0);
            return;
        }
        skip(walk, CSANDBOX_SKIP_UNREADABLE, error, 0);
        return;
    }
    struct stat info;
    if (fstat(fd, &info) != 0) {
        skip(walk, CSANDBOX_SKIP_UNREADABLE, errno, 0);
    } else {
        switch (info.st_mode & S_IFMT) {
        case S_IFREG:
            send_file(walk, fd, name, (uint64_t)info.st_size, depth);
            break;
        case S_IFDIR:
            if (depth + 1 > walk->max_depth) {
                skip(walk, CSANDBOX_SKIP_TOO_DEEP, 0, 0);
            } else {
                walk_directory(walk, fd, depth + 1);
            }
            break;
        case S_IFIFO:
            skip(walk, CSANDBOX_SKIP_FIFO, 0, 0);
            break;
        case S_IFSOCK:
            skip(walk, CSANDBOX_SKIP_SOCKET, 0, 0);
            break;
        case S_IFCHR:
        case S_IFBLK:
            skip(walk, CSANDBOX_SKIP_DEVICE, 0, 0);
            break;
        default:
            skip(walk, CSANDBOX_SKIP_SPECIAL, 0, 0);
            break;
        }
    }
    close(fd);
}

// Every entry of `directory` (an open descriptor), `depth` levels below the top.
static void walk_directory(struct walk *walk, int directory, uint32_t depth) {
    char entries[4096] __attribute__((aligned(8)));
    while (!walk->failed) {
        long count = syscall(SYS_getdents64, directory, entries, sizeof entries);
        if (count < 0 && errno == EINTR) continue;
        if (count < 0) {
            skip(walk, CSANDBOX_SKIP_UNREADABLE, errno, 0);
            return;
        }
        if (count == 0) return;
        for (long offset = 0; offset < count && !walk->failed;) {
            struct linux_dirent64 *entry = (struct linux_dirent64 *)(entries + offset);
            offset += entry->d_reclen;
            const char *name = entry->d_name;
            if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0))) continue;
            size_t saved = walk->path_length;
            if (push(walk, name)) {
                visit(walk, directory, name, entry->d_type, depth);
            } else {
                skip(walk, CSANDBOX_SKIP_PATH_TOO_LONG, 0, 0);
            }
            walk->path_length = saved;
        }
    }
}

void csandbox_collect_artifacts(const struct csandbox_artifact_policy *policy, int fd) {
    struct walk walk;
    walk.policy = policy;
    walk.out = fd;
    walk.failed = 0;
    walk.max_depth = policy->max_depth < CSANDBOX_ARTIFACT_DEPTH_MAX ? policy->max_depth : CSANDBOX_ARTIFACT_DEPTH_MAX;
    walk.files = 0;
    walk.bytes = 0;
    walk.skipped_sent = 0;
    walk.skipped_unsent = 0;
    walk.path_length = 0;
    int top = open(policy->directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (top < 0) {
        skip(&walk, CSANDBOX_SKIP_UNREADABLE, errno, 0);  // the program made its workspace unreadable
    } else {
        walk_directory(&walk, top, 0);
        close(top);
    }
    send_header(&walk, CSANDBOX_ARTIFACT_END, 0, 0, walk.skipped_unsent);
    close(fd);
}
