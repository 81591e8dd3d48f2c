import Foundation
import JSON
import XCTest

/// Escapes through the filesystem: host files, read-only binds, mount tricks, links, /proc and /sys, devices, disk.
/// Every attack runs twice: as root in this process and as `nobody` through the runner.
final class FilesystemEscapeTests: XCTestCase {
    func testReadingHostFiles() async throws {
        let code =
            attackPrelude + """
                for label, path in [("shadow", "/etc/shadow"), ("root", "/root"), ("home", "/home"), ("var", "/var"),
                                    ("run", "/run"), ("sys", "/sys"), ("config", "\(secretConfigPath)"),
                                    ("etc_council", "/etc/council/council.toml")]:
                    attempt(label, lambda p=path: os.listdir(p) if os.path.isdir(p) else open(p).read()[:80])
                attempt("host_environ", lambda: open("/proc/\(getpid())/environ").read())
                attempt("proc1_root", lambda: sorted(os.listdir("/proc/1/root")))
                attempt("self_root", lambda: sorted(os.listdir("/proc/self/root")))
                attempt("etc", lambda: sorted(os.listdir("/etc")))
                attempt("passwd", lambda: open("/etc/passwd").read())
                """
        for outcome in try await runBothWays(python(code)) {
            assertCompleted(outcome)
            assertRefused(
                outcome, ["shadow", "root", "home", "var", "run", "sys", "config", "etc_council", "host_environ"],
                errno: "ENOENT")
            assertRefused(outcome, ["proc1_root"], errno: "EACCES")  // the sandbox's init is not dumpable
            let root = try XCTUnwrap(outcome.report["self_root"])
            XCTAssertTrue(root.hasPrefix("ok") && root.contains("'work'"), root)
            for hostOnly in ["'home'", "'root'", "'var'", "'run'", "'sys'", "'opt'", "'srv'"] {
                XCTAssertFalse(root.contains(hostOnly), "\(hostOnly) visible through /proc/self/root: \(root)")
            }
            XCTAssertEqual(
                outcome.report["etc"], "ok ['group', 'hostname', 'hosts', 'nsswitch.conf', 'passwd']",
                "only the synthetic /etc")
            let passwd = try XCTUnwrap(outcome.report["passwd"])
            XCTAssertTrue(passwd.contains("sandbox:x:1000:1000"), passwd)
            XCTAssertFalse(passwd.contains("root:x:0"), passwd)
        }
    }

    func testWritingReadOnlyBindsAndProcSelfExe() async throws {
        let marker = "council-escape-\(UUID().uuidString)"
        let code =
            attackPrelude + """
                attempt("usr_bin", lambda: open("/usr/bin/\(marker)", "w").write("x"))
                attempt("usr_lib", lambda: open("/usr/lib/python3/\(marker)", "w").write("x"))
                attempt("bin_sh", lambda: open("/bin/sh", "a").write("x"))
                attempt("etc_passwd", lambda: open("/etc/passwd", "a").write("x"))
                attempt("new_root_file", lambda: open("/\(marker)", "w").write("x"))
                attempt("chmod_root", lambda: os.chmod("/", 0o777))
                attempt("self_exe", lambda: open("/proc/self/exe", "wb").write(b"x"))
                attempt("self_exe_append", lambda: open("/proc/self/exe", "ab").write(b"x"))
                attempt("workspace", lambda: open("/work/ok.txt", "w").write("fine"))
                attempt("tmp", lambda: open("/tmp/ok.txt", "w").write("fine"))
                """
        for outcome in try await runBothWays(python(code)) {
            assertCompleted(outcome)
            assertRefused(
                outcome,
                [
                    "usr_bin", "usr_lib", "bin_sh", "etc_passwd", "new_root_file", "chmod_root", "self_exe",
                    "self_exe_append",
                ])
            XCTAssertEqual(outcome.report["workspace"], "ok 4", outcome.summary)
            XCTAssertEqual(outcome.report["tmp"], "ok 4", outcome.summary)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/usr/bin/" + marker))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/usr/lib/python3/" + marker))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/" + marker))
    }

    func testChrootPivotRootMountAndUmountEscapes() async throws {
        let code =
            attackPrelude + """
                os.makedirs("/work/jail/inner", exist_ok=True)
                attempt("chroot", lambda: os.chroot("/work/jail"))
                attempt("chroot_breakout", lambda: (os.chroot("/work/jail/inner"), os.chdir("../../.."), os.chroot("."),
                                                    sorted(os.listdir("/")))[3])
                c("pivot_root", libc.syscall(155, b"/work", b"/work/jail"))
                c("mount_tmpfs", libc.mount(b"none", b"/work/jail", b"tmpfs", 0, None))
                c("mount_proc", libc.mount(b"proc", b"/work/jail", b"proc", 0, None))
                c("bind_root", libc.mount(b"/", b"/work/jail", None, 4096, None))
                c("remount_root_rw", libc.mount(None, b"/", None, 32 | 4096, None))
                c("umount_proc", libc.umount2(b"/proc", 2))
                c("umount_usr", libc.umount2(b"/usr", 0))
                c("fsopen", syscall(430, b"tmpfs", 0))
                c("open_tree", syscall(428, -100, b"/", 1))
                """
        for outcome in try await runBothWays(python(code)) {
            assertCompleted(outcome)
            assertRefused(
                outcome,
                [
                    "chroot", "chroot_breakout", "pivot_root", "mount_tmpfs", "mount_proc", "bind_root",
                    "remount_root_rw", "umount_proc", "umount_usr", "fsopen", "open_tree",
                ],
                errno: "EPERM")
        }
    }

    func testSymlinksAndHardlinksPlantedInTheWorkspace() async throws {
        let hostShadow = (try? String(contentsOfFile: "/etc/shadow", encoding: .utf8)) ?? ""
        let code =
            attackPrelude + """
                os.symlink("/etc/shadow", "/work/result.txt")
                os.symlink("/proc/1/root/../../../../", "/work/up")
                os.symlink("/proc/\(getpid())/root/etc/shadow", "/work/host-shadow")
                attempt("through_symlink", lambda: open("/work/result.txt").read())
                attempt("through_host_root", lambda: open("/work/host-shadow").read())
                attempt("up", lambda: sorted(os.listdir("/work/up")))
                attempt("hardlink_python", lambda: os.link("/usr/bin/python3", "/work/python"))
                attempt("hardlink_passwd", lambda: os.link("/etc/passwd", "/work/passwd"))
                attempt("hardlink_shadow", lambda: os.link("/etc/shadow", "/work/shadow"))
                print(open("/work/result.txt", errors="replace").read() if os.path.exists("/work/result.txt") else "")
                """
        for outcome in try await runBothWays(python(code)) {
            assertCompleted(outcome)
            assertRefused(outcome, ["through_symlink", "through_host_root", "hardlink_shadow"], errno: "ENOENT")
            assertRefused(outcome, ["hardlink_python", "hardlink_passwd"], errno: "EXDEV")
            let up = try XCTUnwrap(outcome.report["up"])
            XCTAssertFalse(up.contains("'home'") || up.contains("'root'"), "climbed out of the root: \(up)")
            // Results are stdout and stderr only: nothing is read back from the workspace.
            for line in hostShadow.split(separator: "\n").prefix(3) {
                XCTAssertFalse(outcome.stdout.contains(line) || outcome.stderr.contains(line), "host shadow leaked")
            }
            XCTAssertEqual(outcome.json.keys.count, 11, "no files collected: \(outcome.json.keys)")
        }
    }

    func testWritesToProcSysSysrqAndCorePattern() async throws {
        let corePattern = try String(contentsOfFile: "/proc/sys/kernel/core_pattern", encoding: .utf8)
        let code =
            attackPrelude + """
                for label, path in [("core_pattern", "/proc/sys/kernel/core_pattern"), ("sysrq", "/proc/sysrq-trigger"),
                                    ("sysrq_enable", "/proc/sys/kernel/sysrq"), ("hostname", "/proc/sys/kernel/hostname"),
                                    ("modprobe", "/proc/sys/kernel/modprobe"), ("oom_adj", "/proc/self/oom_score_adj")]:
                    attempt(label, lambda p=path: open(p, "w").write("|/work/evil"))
                attempt("core_pattern_now", lambda: open("/proc/sys/kernel/core_pattern").read().strip())
                """
        for outcome in try await runBothWays(python(code)) {
            assertCompleted(outcome)
            assertRefused(outcome, ["core_pattern", "sysrq", "sysrq_enable", "hostname", "modprobe", "oom_adj"])
            XCTAssertEqual(outcome.report["core_pattern_now"], "ok '\(corePattern.trimmingCharacters(in: .newlines))'")
        }
        XCTAssertEqual(try String(contentsOfFile: "/proc/sys/kernel/core_pattern", encoding: .utf8), corePattern)
    }

    func testSysAndCgroupReleaseAgent() async throws {
        let agent = try? String(contentsOfFile: "/sys/fs/cgroup/memory/release_agent", encoding: .utf8)
        let code =
            attackPrelude + """
                attempt("sys", lambda: os.listdir("/sys"))
                attempt("release_agent", lambda: open("/sys/fs/cgroup/memory/release_agent", "w").write("/work/x"))
                os.makedirs("/work/cg", exist_ok=True)
                c("mount_cgroup_v1", libc.mount(b"cgroup", b"/work/cg", b"cgroup", 0, b"memory"))
                c("mount_cgroup_v2", libc.mount(b"cgroup2", b"/work/cg", b"cgroup2", 0, None))
                c("mount_sysfs", libc.mount(b"sysfs", b"/work/cg", b"sysfs", 0, None))
                attempt("own_cgroup", lambda: open("/proc/self/cgroup").read().split())
                """
        for outcome in try await runBothWays(python(code)) {
            assertCompleted(outcome)
            assertRefused(outcome, ["sys", "release_agent"], errno: "ENOENT")
            assertRefused(outcome, ["mount_cgroup_v1", "mount_cgroup_v2", "mount_sysfs"], errno: "EPERM")
            let cgroup = try XCTUnwrap(outcome.report["own_cgroup"])
            XCTAssertFalse(cgroup.contains("council-sandbox") || cgroup.contains("process_api"), "host path: \(cgroup)")
        }
        XCTAssertEqual(try? String(contentsOfFile: "/sys/fs/cgroup/memory/release_agent", encoding: .utf8), agent)
    }

    func testMknodAndDeviceAccess() async throws {
        let code =
            attackPrelude + """
                attempt("mknod_block", lambda: os.mknod("/work/sda", 0o600 | stat.S_IFBLK, os.makedev(8, 0)))
                attempt("mknod_char", lambda: os.mknod("/work/mem", 0o600 | stat.S_IFCHR, os.makedev(1, 1)))
                for label, path in [("dev_mem", "/dev/mem"), ("dev_sda", "/dev/sda"), ("dev_kmsg", "/dev/kmsg"),
                                    ("dev_tty", "/dev/tty"), ("dev_ptmx", "/dev/ptmx"), ("dev_shm", "/dev/shm/x")]:
                    attempt(label, lambda p=path: open(p, "rb").read(1))
                attempt("new_dev_node", lambda: open("/dev/evil", "w"))
                attempt("dev_listing", lambda: sorted(os.listdir("/dev")))
                attempt("dev_null", lambda: open("/dev/null", "w").write("discarded"))
                attempt("dev_urandom", lambda: len(open("/dev/urandom", "rb").read(16)))
                attempt("dev_zero", lambda: open("/dev/zero", "rb").read(4))
                """
        for outcome in try await runBothWays(python(code)) {
            assertCompleted(outcome)
            assertRefused(outcome, ["mknod_block", "mknod_char"], errno: "EPERM")
            assertRefused(
                outcome, ["dev_mem", "dev_sda", "dev_kmsg", "dev_tty", "dev_ptmx", "dev_shm"], errno: "ENOENT")
            assertRefused(outcome, ["new_dev_node"], errno: "EROFS")
            XCTAssertEqual(
                outcome.report["dev_listing"],
                "ok ['fd', 'full', 'null', 'random', 'stderr', 'stdin', 'stdout', 'urandom', 'zero']")
            XCTAssertEqual(outcome.report["dev_null"], "ok 9")
            XCTAssertEqual(outcome.report["dev_urandom"], "ok 16")
            XCTAssertEqual(outcome.report["dev_zero"], "ok b'\\x00\\x00\\x00\\x00'")
        }
    }

    func testFillingTheDisk() async throws {
        let code =
            attackPrelude + """
                total = 0
                try:
                    with open("/tmp/fill", "wb") as f:
                        while True:
                            f.write(b"x" * 65536)
                            f.flush()
                            total += 65536
                except OSError as e:
                    print("bytes_stop:", name(e.errno))
                print("bytes:", total)
                os.remove("/tmp/fill")
                count = 0
                try:
                    while True:
                        open(f"/work/f{count}", "w").close()
                        count += 1
                except OSError as e:
                    print("inodes_stop:", name(e.errno))
                print("inodes:", count)
                """
        let limits: JSONObject = ["workspace_bytes": JSONValue(2 << 20), "workspace_inodes": 64]
        for outcome in try await runBothWays(python(code, limits: limits)) {
            assertCompleted(outcome)
            XCTAssertEqual(outcome.report["bytes_stop"], "ENOSPC", outcome.summary)
            let bytes = try XCTUnwrap(Int(outcome.report["bytes"] ?? ""))
            XCTAssertLessThanOrEqual(bytes, 2 << 20)
            XCTAssertGreaterThan(bytes, 1 << 20, "the workspace holds what it promises")
            XCTAssertEqual(outcome.report["inodes_stop"], "ENOSPC", outcome.summary)
            XCTAssertLessThanOrEqual(try XCTUnwrap(Int(outcome.report["inodes"] ?? "")), 64)
            XCTAssertEqual(outcome.limit("workspace_bytes")?["value"]?.intValue, 2 << 20)
        }
    }
}
