#ifndef COUNCIL_CSECCOMP_SHIM_H
#define COUNCIL_CSECCOMP_SHIM_H

// libseccomp for Swift: its actions and argument comparisons are function-like macros or variadic functions, which
// Swift cannot call, so each gets a typed static inline wrapper here.

#define _GNU_SOURCE 1
#include <errno.h>
#include <seccomp.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

/// `SCMP_ACT_ERRNO(error)`: fail the system call with `error`.
static inline uint32_t cseccomp_action_errno(uint16_t error) { return SCMP_ACT_ERRNO(error); }

/// `SCMP_ACT_ALLOW`.
static inline uint32_t cseccomp_action_allow(void) { return SCMP_ACT_ALLOW; }

/// `SCMP_ACT_KILL_PROCESS`.
static inline uint32_t cseccomp_action_kill_process(void) { return SCMP_ACT_KILL_PROCESS; }

/// `SCMP_A<argument>(SCMP_CMP_MASKED_EQ, mask, value)`: argument & mask == value.
static inline struct scmp_arg_cmp cseccomp_masked_equal(unsigned int argument, uint64_t mask, uint64_t value) {
    struct scmp_arg_cmp comparison = {argument, SCMP_CMP_MASKED_EQ, mask, value};
    return comparison;
}

/// `SCMP_A<argument>(SCMP_CMP_EQ, value)`.
static inline struct scmp_arg_cmp cseccomp_equal(unsigned int argument, uint64_t value) {
    struct scmp_arg_cmp comparison = {argument, SCMP_CMP_EQ, value, 0};
    return comparison;
}

/// An anonymous in-memory file (for `seccomp_export_bpf`, which writes only to a file descriptor); -1 and errno on
/// failure.
static inline int cseccomp_memfd(const char *name) { return memfd_create(name, MFD_CLOEXEC); }

#endif
