import Glibc

/// One step of building the sandbox's root, run by the child in order. Paths are relative to the new root.
struct PlanStep: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case directory(mode: UInt32)
        case bindReadOnly(source: String, isFile: Bool)
        case bindDevice(source: String)
        case tmpfs(options: String)
        case proc
        case symlink(target: String)
        case file(contents: [UInt8], mode: UInt32)
        case readOnly
    }

    var path: String
    var kind: Kind
}

/// What the new root contains: read-only binds of the host's system directories (or the same symlinks, on
/// merged-/usr systems), a synthetic /etc, a minimal /dev, a fresh /proc and a writable workspace. Nothing of the
/// host's /etc, /home, /root, /var, /run or /sys.
struct MountPlan: Sendable {
    /// The uid and gid the program runs as inside.
    static let sandboxUser: UInt32 = 1000
    /// Where the workspace is mounted and the program starts.
    static let workspace = "/work"

    /// How the host's top-level system directories look: real directories are bound, symlinks reproduced.
    private let system: [PlanStep]

    /// Reads the host's layout of /usr, /bin, /sbin, /lib* once.
    init() {
        var steps: [PlanStep] = []
        for name in ["usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32"] {
            var info = stat()
            guard lstat("/" + name, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFLNK:
                if let target = Self.readLink("/" + name) {
                    steps.append(PlanStep(path: name, kind: .symlink(target: target)))
                }
            case S_IFDIR:
                steps.append(PlanStep(path: name, kind: .bindReadOnly(source: "/" + name, isFile: false)))
            default:
                continue
            }
        }
        // Real directories first, so that symlinks into them (bin -> usr/bin) are made after their targets exist.
        system =
            steps.filter { if case .bindReadOnly = $0.kind { true } else { false } }
            + steps.filter { if case .symlink = $0.kind { true } else { false } }
    }

    /// The steps every run shares, done before the job is known (ahead of it, in a spare child): the system, /etc,
    /// /dev, /proc, the workspace's mount point and /tmp pointing at it. The root is then made read-only.
    var rootSteps: [PlanStep] {
        var steps = system
        steps.append(PlanStep(path: "etc", kind: .directory(mode: 0o755)))
        for (name, text) in Self.etcFiles {
            steps.append(PlanStep(path: "etc/" + name, kind: .file(contents: Array(text.utf8), mode: 0o644)))
        }
        steps.append(PlanStep(path: "dev", kind: .tmpfs(options: "size=64k,nr_inodes=64,mode=0755")))
        for device in ["null", "zero", "full", "random", "urandom"] {
            steps.append(PlanStep(path: "dev/" + device, kind: .bindDevice(source: "/dev/" + device)))
        }
        for (name, target) in [
            ("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
            ("stderr", "/proc/self/fd/2"),
        ] {
            steps.append(PlanStep(path: "dev/" + name, kind: .symlink(target: target)))
        }
        steps.append(PlanStep(path: "dev", kind: .readOnly))
        steps.append(PlanStep(path: "proc", kind: .proc))
        let workspace = String(Self.workspace.dropFirst())
        steps.append(PlanStep(path: workspace, kind: .directory(mode: 0o755)))
        steps.append(PlanStep(path: "tmp", kind: .symlink(target: workspace)))
        return steps
    }

    /// The steps of one run, done once it is released: the workspace, sized by `profile`, with `files` (name →
    /// contents) in it.
    static func jobSteps(profile: SandboxProfile, files: [(name: String, contents: [UInt8])]) -> [PlanStep] {
        let workspace = String(Self.workspace.dropFirst())
        let options = "size=\(profile[.workspaceBytes]),nr_inodes=\(profile[.workspaceInodes]),mode=0755"
        var steps = [PlanStep(path: workspace, kind: .tmpfs(options: options))]
        for file in files {
            steps.append(PlanStep(path: workspace + "/" + file.name, kind: .file(contents: file.contents, mode: 0o644)))
        }
        return steps
    }

    /// The whole of /etc inside: the sandbox user, localhost, files-only name service.
    static let etcFiles: [(String, String)] = [
        (
            "passwd",
            "sandbox:x:\(sandboxUser):\(sandboxUser):sandbox:\(workspace):/bin/sh\n"
                + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
        ),
        ("group", "sandbox:x:\(sandboxUser):\nnogroup:x:65534:\n"),
        ("hosts", "127.0.0.1\tlocalhost sandbox\n::1\tlocalhost sandbox\n"),
        ("hostname", "sandbox\n"),
        ("nsswitch.conf", "passwd: files\ngroup: files\nhosts: files\n"),
    ]

    private static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink(path, &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
