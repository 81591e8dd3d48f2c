import CSeccomp
import Foundation
import JSON
import XCTest

/// Escapes through privileges and the kernel: fds, capabilities, setuid, namespaces, ptrace, denied system calls,
/// other ABIs, terminal injection.
final class PrivilegeEscapeTests: XCTestCase {
    func testInheritedFileDescriptors() async throws {
        // An open descriptor to the secret config in the parent must not reach the program.
        let held = open(secretConfigPath, O_RDONLY)
        defer { close(held) }
        let code =
            attackPrelude + """
                fds = sorted(int(fd) for fd in os.listdir("/proc/self/fd"))
                print("fds:", fds)
                for fd in range(3, 4096):
                    try:
                        os.fstat(fd)
                        print("open:", fd, os.readlink(f"/proc/self/fd/{fd}"))
                    except OSError:
                        pass
                print("stdin:", os.readlink("/proc/self/fd/0").split(":")[0])
                """
        for outcome in try await runBothWays(python(code)) {
            assertCompleted(outcome)
            XCTAssertEqual(outcome.report["fds"], "[0, 1, 2, 3]", "0-2 and the listing's own: \(outcome.summary)")
            XCTAssertNil(outcome.report["open"], outcome.summary)
            XCTAssertEqual(outcome.report["stdin"], "pipe")
        }
    }

    func testCapabilitiesSetuidBinariesAndSetgroups() async throws {
        let code =
            attackPrelude + """
                status = dict(l.split(":", 1) for l in open("/proc/self/status").read().splitlines() if ":" in l)
                for key in ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp", "Uid", "Gid"]:
                    print(key + ":", " ".join(status[key].split()))
                attempt("setuid0", lambda: os.setuid(0))
                attempt("setresuid0", lambda: os.setresuid(0, 0, 0))
                attempt("setgroups_root", lambda: os.setgroups([0]))
                attempt("setgroups_empty", lambda: os.setgroups([]))
                attempt("setgroups_deny", lambda: open("/proc/self/setgroups").read().strip())
                print("su_setuid_bit:", bool(os.stat("/usr/bin/su").st_mode & stat.S_ISUID))
                print("mount_exit:", subprocess.run(["/usr/bin/mount", "-t", "tmpfs", "none", "/work"],
                                                    capture_output=True).returncode)
                print("su_exit:", subprocess.run(["/usr/bin/su", "-c", "id -u", "root"], capture_output=True,
                                                 input=b"").returncode)
                print("id:", subprocess.run(["/usr/bin/id", "-u"], capture_output=True, text=True).stdout.strip())
                """
        for outcome in try await runBothWays(python(code)) {
            assertCompleted(outcome)
            let report = outcome.report
            for key in ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"] {
                XCTAssertEqual(report[key], "0000000000000000", "\(key) [\(outcome.runner)]")
            }
            XCTAssertEqual(report["NoNewPrivs"], "1")
            XCTAssertEqual(report["Seccomp"], "2")
            XCTAssertEqual(report["Uid"], "1000 1000 1000 1000")
            XCTAssertEqual(report["Gid"], "1000 1000 1000 1000")
            assertRefused(outcome, ["setuid0", "setresuid0"])  // EINVAL: no uid 0 exists in the namespace
            assertRefused(outcome, ["setgroups_root", "setgroups_empty"], errno: "EPERM")
            XCTAssertEqual(report["su_setuid_bit"], "True", "the attack needs a setuid binary to try")
            XCTAssertNotEqual(report["mount_exit"], "0")
            XCTAssertNotEqual(report["su_exit"], "0")
            XCTAssertEqual(report["id"], "1000")
        }
    }

    func testNestedNamespacesAndClone3() async throws {
        let code =
            attackPrelude + """
                for label, flag in [("newuser", 0x10000000), ("newns", 0x20000), ("newpid", 0x20000000),
                                    ("newnet", 0x40000000), ("newcgroup", 0x02000000), ("newuts", 0x04000000)]:
                    c("unshare_" + label, libc.unshare(flag))
                    pid = syscall(56, flag | 17, 0, 0, 0, 0)
                    if pid == 0:
                        os._exit(0)
                    c("clone_" + label, pid)
                c("clone3", syscall(435, 0, 0))
                c("setns", libc.setns(0, 0))
                print("unshare_tool:", subprocess.run(["unshare", "-r", "true"], capture_output=True).returncode)
                pid = os.fork()
                if pid == 0:
                    os._exit(7)
                print("fork:", os.waitpid(pid, 0)[1] >> 8)
                import threading
                box = []
                thread = threading.Thread(target=lambda: box.append("ran"))
                thread.start()
                thread.join()
                print("thread:", box)
                """
        for outcome in try await runBothWays(python(code)) {
            assertCompleted(outcome)
            let namespaces = ["newuser", "newns", "newpid", "newnet", "newcgroup", "newuts"]
            assertRefused(
                outcome, namespaces.map { "unshare_" + $0 } + namespaces.map { "clone_" + $0 }, errno: "EPERM")
            assertRefused(outcome, ["setns"], errno: "EPERM")
            assertRefused(outcome, ["clone3"], errno: "ENOSYS")
            XCTAssertNotEqual(outcome.report["unshare_tool"], "0")
            XCTAssertEqual(outcome.report["fork"], "7", "plain fork still works")
            XCTAssertEqual(outcome.report["thread"], "['ran']", "threads still work (glibc falls back to clone)")
        }
    }

    func testPtraceAndProcessVMOfTheParent() async throws {
        let code =
            attackPrelude + """
                host = \(getpid())
                c("ptrace_attach_host", libc.ptrace(16, host, 0, 0))
                c("ptrace_traceme", libc.ptrace(0, 0, 0, 0))
                child = os.fork()
                if child == 0:
                    time.sleep(30)
                    os._exit(0)
                c("ptrace_attach_child", libc.ptrace(16, child, 0, 0))
                c("ptrace_seize_child", libc.ptrace(0x4206, child, 0, 0))
                c("process_vm_readv_host", syscall(310, host, 0, 0, 0, 0, 0))
                c("process_vm_readv_child", syscall(310, child, 0, 0, 0, 0, 0))
                c("process_vm_writev_child", syscall(311, child, 0, 0, 0, 0, 0))
                c("kcmp", syscall(312, os.getpid(), child, 0, 0, 0))
                pidfd = syscall(434, child, 0)
                c("pidfd_open", pidfd)
                c("pidfd_getfd", syscall(438, pidfd, 0, 0))
                attempt("host_mem", lambda: open(f"/proc/{host}/mem", "rb").read(1))
                os.kill(child, 9)
                """
        for outcome in try await runBothWays(python(code)) {
            assertCompleted(outcome)
            assertRefused(
                outcome,
                [
                    "ptrace_attach_host", "ptrace_traceme", "ptrace_attach_child", "ptrace_seize_child",
                    "process_vm_readv_host", "process_vm_readv_child", "process_vm_writev_child", "kcmp", "pidfd_getfd",
                ],
                errno: "EPERM")
            XCTAssertEqual(outcome.report["pidfd_open"], "ok", "an allowed call, for contrast")
            assertRefused(outcome, ["host_mem"], errno: "ENOENT")
        }
    }

    func testEveryDeniedSystemCallClass() async throws {
        let denied = [
            "io_uring_setup", "io_uring_enter", "io_uring_register", "userfaultfd", "bpf", "perf_event_open",
            "keyctl", "add_key", "request_key", "ptrace", "process_vm_readv", "process_vm_writev", "kcmp",
            "pidfd_getfd", "mount", "umount2", "pivot_root", "chroot", "open_tree", "move_mount", "fsopen", "fsconfig",
            "fsmount", "fspick", "mount_setattr", "unshare", "setns", "personality", "kexec_load", "kexec_file_load",
            "init_module", "finit_module", "delete_module", "reboot", "swapon", "swapoff", "acct", "settimeofday",
            "clock_settime", "clock_adjtime", "adjtimex", "syslog", "sethostname", "setdomainname", "iopl", "ioperm",
            "quotactl", "name_to_handle_at", "open_by_handle_at", "vhangup", "mbind", "set_mempolicy",
            "get_mempolicy", "move_pages", "migrate_pages", "fanotify_init", "process_madvise", "lookup_dcookie",
        ]
        let table = denied.map { name -> String in
            let number = seccomp_syscall_resolve_name(name)
            XCTAssertNotEqual(number, __NR_SCMP_ERROR, name)
            return "(\"\(name)\", \(number))"
        }.joined(separator: ", ")
        let code =
            attackPrelude + """
                for label, number in [\(table)]:
                    c(label, syscall(number, 0, 0, 0, 0, 0, 0))
                c("getpid", syscall(\(seccomp_syscall_resolve_name("getpid"))))
                """
        for outcome in try await runBothWays(python(code)) {
            assertCompleted(outcome)
            assertRefused(outcome, denied, errno: "EPERM")
            XCTAssertEqual(outcome.report["getpid"], "ok")
        }
    }

    #if arch(x86_64)
        func testX32AndI386SystemCallsKillTheProgram() async throws {
            let x32 =
                attackPrelude + """
                    print("before: x32", flush=True)
                    print("x32_getpid:", libc.syscall(ctypes.c_long(0x40000000 + 39)), flush=True)
                    """
            // `mov eax, 20 (getpid); int 0x80; ret` in executable memory: the i386 ABI from a 64-bit process.
            let i386 =
                attackPrelude + """
                    import mmap
                    page = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
                    page.write(bytes([0xb8, 20, 0, 0, 0, 0xcd, 0x80, 0xc3]))
                    function = ctypes.CFUNCTYPE(ctypes.c_int)(ctypes.addressof(ctypes.c_char.from_buffer(page)))
                    print("before: i386", flush=True)
                    print("i386_getpid:", function(), flush=True)
                    """
            for code in [x32, i386] {
                for outcome in try await runBothWays(python(code)) {
                    XCTAssertTrue(outcome.stdout.hasPrefix("before:"), outcome.summary)
                    XCTAssertEqual(
                        outcome.signal, Int(SIGSYS), "killed at the first foreign system call: \(outcome.summary)")
                    XCTAssertNil(outcome.report["x32_getpid"])
                    XCTAssertNil(outcome.report["i386_getpid"])
                }
            }
        }
    #endif

    func testTerminalInjectionWithTIOCSTI() async throws {
        let code =
            attackPrelude + """
                char = ctypes.c_char_p(b"x")
                c("tiocsti", libc.ioctl(0, ctypes.c_ulong(0x5412), char))
                c("tiocsti_high_bit", libc.ioctl(0, ctypes.c_ulong(0x100005412), char))
                c("tiocsti_stdout", libc.ioctl(1, ctypes.c_ulong(0xffffffff00005412), char))
                c("tioclinux", libc.ioctl(0, ctypes.c_ulong(0x541C), char))
                c("tiocgwinsz", libc.ioctl(0, ctypes.c_ulong(0x5413), ctypes.create_string_buffer(8)))
                attempt("controlling_tty", lambda: os.open("/dev/tty", os.O_RDWR))
                """
        for outcome in try await runBothWays(python(code)) {
            assertCompleted(outcome)
            assertRefused(outcome, ["tiocsti", "tiocsti_high_bit", "tiocsti_stdout", "tioclinux"], errno: "EPERM")
            // Not a denied request: the kernel itself answers (stdin is a pipe), which shows seccomp made the EPERMs.
            XCTAssertEqual(outcome.report["tiocgwinsz"], "ENOTTY")
            assertRefused(outcome, ["controlling_tty"], errno: "ENOENT")
        }
    }
}
