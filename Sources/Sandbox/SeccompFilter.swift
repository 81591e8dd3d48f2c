import CSeccomp
import Glibc

/// The sandbox's seccomp program: everything allowed except the system calls that reach past the namespaces or into
/// the kernel's riskiest surfaces. Built with libseccomp in the parent (it allocates) and exported as raw BPF, which
/// the child loads last, just before its exec.
struct SeccompFilter: Sendable {
    /// The BPF program: an array of `struct sock_filter`.
    let program: [UInt8]
    /// Denied system calls this libseccomp does not know by name (so not in the program).
    let unknown: [String]

    /// Fail with EPERM: Docker's default deny list, io_uring, userfaultfd, bpf, perf, the keyring, ptrace and
    /// process_vm_*, kcmp, pidfd_getfd, the mount family and the new mount API, namespaces, personality.
    static let denied: [String] = [
        "acct", "add_key", "adjtimex", "bpf", "chroot", "clock_adjtime", "clock_settime", "create_module",
        "delete_module", "fanotify_init", "finit_module", "fsconfig", "fsmount", "fsopen", "fspick",
        "get_kernel_syms", "get_mempolicy", "init_module", "io_uring_enter", "io_uring_register", "io_uring_setup",
        "ioperm", "iopl", "kcmp", "kexec_file_load", "kexec_load", "keyctl", "lookup_dcookie", "mbind",
        "migrate_pages", "mount", "mount_setattr", "move_mount", "move_pages", "name_to_handle_at", "nfsservctl",
        "open_by_handle_at", "open_tree", "perf_event_open", "personality", "pidfd_getfd", "pivot_root",
        "process_madvise", "process_vm_readv", "process_vm_writev", "ptrace", "query_module", "quotactl",
        "quotactl_fd", "reboot", "request_key", "set_mempolicy", "set_mempolicy_home_node", "setdomainname",
        "sethostname", "setns", "settimeofday", "swapoff", "swapon", "syslog", "sysfs", "_sysctl", "umount",
        "umount2", "unshare", "uselib", "userfaultfd", "ustat", "vhangup", "vm86", "vm86old",
    ]

    /// Newer system calls of the same families that libseccomp 2.5 cannot name, by their x86_64/aarch64 number.
    static let deniedByNumber: [(name: String, number: Int32)] = [("open_tree_attr", 467)]

    /// clone flags that create namespaces; a clone with any of them fails with EPERM.
    static let namespaceFlags: [UInt64] = [
        0x0002_0000,  // CLONE_NEWNS
        0x0200_0000,  // CLONE_NEWCGROUP
        0x0400_0000,  // CLONE_NEWUTS
        0x0800_0000,  // CLONE_NEWIPC
        0x1000_0000,  // CLONE_NEWUSER
        0x2000_0000,  // CLONE_NEWPID
        0x4000_0000,  // CLONE_NEWNET
    ]

    /// Shared memory that no rlimit bounds (memfd and SysV segments live outside the address space once unmapped):
    /// denied when no memory cgroup holds the run.
    static let unboundedMemory = ["memfd_create", "memfd_secret", "shmget"]

    /// Builds the program for the native architecture; other ABIs (i386, x32) kill the process. Without a memory
    /// cgroup (`memoryBounded` false) the program also denies ``unboundedMemory``.
    static func build(memoryBounded: Bool) throws(SandboxError) -> SeccompFilter {
        guard let context = seccomp_init(cseccomp_action_allow()) else {
            throw SandboxError(.unavailable, "libseccomp could not create a filter")
        }
        defer { seccomp_release(context) }
        try check(seccomp_attr_set(context, SCMP_FLTATR_ACT_BADARCH, cseccomp_action_kill_process()), "bad arch")
        // The child sets no_new_privs itself, before loading the program.
        try check(seccomp_attr_set(context, SCMP_FLTATR_CTL_NNP, 0), "no_new_privs attribute")
        // A binary tree rather than a list: fewer instructions per system call, and a faster load (the kernel runs
        // the program once per system call number to build its cache).
        try check(seccomp_attr_set(context, SCMP_FLTATR_CTL_OPTIMIZE, 2), "optimize attribute")

        let denied = cseccomp_action_errno(UInt16(EPERM))
        var unknown: [String] = []
        for name in Self.denied + (memoryBounded ? [] : Self.unboundedMemory) {
            let number = seccomp_syscall_resolve_name(name)
            guard number != __NR_SCMP_ERROR else {
                unknown.append(name)
                continue
            }
            try check(seccomp_rule_add_array(context, denied, number, 0, nil), name)
        }
        for (name, number) in deniedByNumber where seccomp_syscall_resolve_name(name) == __NR_SCMP_ERROR {
            try check(seccomp_rule_add_array(context, denied, number, 0, nil), name)
        }
        // glibc falls back from clone3 to clone on ENOSYS; clone3's flags live in memory, where BPF cannot look.
        try rule(context, cseccomp_action_errno(UInt16(ENOSYS)), "clone3", [])
        for flag in namespaceFlags {
            try rule(context, denied, "clone", [cseccomp_masked_equal(0, flag, flag)])
        }
        // Terminal injection, compared on the low 32 bits so that a high-bit variant of the request matches too.
        for request: UInt64 in [0x5412 /* TIOCSTI */, 0x541C /* TIOCLINUX */] {
            try rule(context, denied, "ioctl", [cseccomp_masked_equal(1, 0xFFFF_FFFF, request)])
        }
        // Packet sockets, and raw IPv4/IPv6 sockets (the empty network namespace holds nothing to reach, but the
        // code stays small). Raw netlink sockets stay allowed: glibc's getifaddrs and if_nameindex use them.
        try rule(context, denied, "socket", [cseccomp_equal(0, 17 /* AF_PACKET */)])
        for domain: UInt64 in [2 /* AF_INET */, 10 /* AF_INET6 */] {
            for type: UInt64 in [3 /* SOCK_RAW */, 10 /* SOCK_PACKET */] {
                try rule(context, denied, "socket", [cseccomp_equal(0, domain), cseccomp_masked_equal(1, 0xF, type)])
            }
        }
        return SeccompFilter(program: try export(context), unknown: unknown)
    }

    private static func rule(
        _ context: scmp_filter_ctx, _ action: UInt32, _ name: String, _ comparisons: [scmp_arg_cmp]
    ) throws(SandboxError) {
        let number = seccomp_syscall_resolve_name(name)
        guard number != __NR_SCMP_ERROR else { throw SandboxError(.unavailable, "libseccomp does not know \(name)") }
        try check(
            seccomp_rule_add_array(
                context, action, number, UInt32(comparisons.count), comparisons.isEmpty ? nil : comparisons),
            name)
    }

    private static func check(_ result: Int32, _ what: String) throws(SandboxError) {
        guard result == 0 else {
            throw SandboxError(.unavailable, "libseccomp rejected the rule for \(what)", errno: -result)
        }
    }

    /// libseccomp 2.5 exports only to a file descriptor: write to a memfd and read it back.
    private static func export(_ context: scmp_filter_ctx) throws(SandboxError) -> [UInt8] {
        let fd = cseccomp_memfd("council-seccomp")
        guard fd >= 0 else { throw SandboxError(.unavailable, "memfd_create failed", errno: errno) }
        defer { close(fd) }
        try check(seccomp_export_bpf(context, fd), "export")
        let size = lseek(fd, 0, SEEK_END)
        guard size > 0, lseek(fd, 0, SEEK_SET) == 0 else {
            throw SandboxError(.unavailable, "the exported seccomp program is empty")
        }
        var program = [UInt8](repeating: 0, count: Int(size))
        let read = program.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard read == size else { throw SandboxError(.unavailable, "could not read the seccomp program back") }
        return program
    }
}
