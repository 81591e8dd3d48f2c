import Glibc

/// An interpreter the sandbox can run code with.
public struct Language: Sendable, Hashable {
    /// The name requests use (`python`, `sh`, ...).
    public let name: String
    /// The interpreter's absolute path, the same on the host and inside the sandbox.
    public let executable: String
    /// Arguments before the program's file.
    public let arguments: [String]
    /// The file the code is written to in the workspace.
    public let fileName: String
    /// Whether the interpreter starts under an address-space limit equal to its memory limit. Runtimes that reserve
    /// large virtual ranges up front (V8) do not; without a memory cgroup they get a data-segment limit instead.
    public let fitsAddressSpaceLimit: Bool

    /// Creates a language.
    public init(name: String, executable: String, arguments: [String], fileName: String, fitsAddressSpaceLimit: Bool) {
        self.name = name
        self.executable = executable
        self.arguments = arguments
        self.fileName = fileName
        self.fitsAddressSpaceLimit = fitsAddressSpaceLimit
    }

    /// Every language Council knows, installed or not. Python is Debian's own interpreter, never a shim on PATH.
    public static let known: [Language] = [
        Language(
            name: "python", executable: "/usr/bin/python3", arguments: ["-B"], fileName: "main.py",
            fitsAddressSpaceLimit: true),
        Language(name: "sh", executable: "/bin/sh", arguments: [], fileName: "main.sh", fitsAddressSpaceLimit: true),
        Language(
            name: "bash", executable: "/bin/bash", arguments: [], fileName: "main.sh", fitsAddressSpaceLimit: true),
        Language(
            name: "perl", executable: "/usr/bin/perl", arguments: [], fileName: "main.pl",
            fitsAddressSpaceLimit: true),
        Language(
            name: "node", executable: "/usr/bin/node", arguments: [], fileName: "main.js",
            fitsAddressSpaceLimit: false),
        Language(
            name: "ruby", executable: "/usr/bin/ruby", arguments: [], fileName: "main.rb",
            fitsAddressSpaceLimit: true),
    ]

    /// The known languages whose interpreter is installed on this machine.
    public static func installed() -> [Language] {
        known.filter { access($0.executable, X_OK) == 0 }
    }
}
