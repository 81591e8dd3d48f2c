import Glibc

/// Reading small text files (the configuration, secrets) with plain POSIX calls.
enum FileText {
    /// Why a file could not be read: the `strerror` text, e.g. "No such file or directory".
    struct Failure: Error {
        let reason: String
    }

    /// The file's contents decoded as UTF-8 (invalid sequences replaced). Refuses directories and files over 1 MiB.
    static func read(_ path: String) throws(Failure) -> String {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(reason: errnoText()) }
        defer { Glibc.close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw Failure(reason: errnoText()) }
        guard status.st_mode & S_IFMT != S_IFDIR else { throw Failure(reason: "is a directory") }
        let limit = 1 << 20
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(reason: errnoText())
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[..<count])
            guard bytes.count <= limit else { throw Failure(reason: "larger than 1 MiB") }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `path` names an existing regular file (following symlinks).
    static func isRegularFile(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
    }

    /// Whether `path` names an existing folder (following symlinks).
    static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }

    /// Whether this process may read `path`.
    static func isReadable(_ path: String) -> Bool {
        access(path, R_OK) == 0
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
