import Glibc

/// A fresh folder under /tmp for one test's database files, removed with everything in it on deinit.
final class TemporaryFolder {
    let path: String

    init() throws {
        var template = Array("/tmp/council-store-test-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else {
            throw TestFailure("mkdtemp failed: errno \(errno)")
        }
        path = String(cString: created)
    }

    deinit { Self.removeTree(path) }

    /// The path of a file inside the folder.
    func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Whether a file exists in the folder.
    func exists(_ name: String) -> Bool { access(file(name), F_OK) == 0 }

    /// The size of a file in bytes, or nil when it does not exist.
    func size(_ name: String) -> Int? {
        var info = stat()
        return stat(file(name), &info) == 0 ? Int(info.st_size) : nil
    }

    /// Copies a file byte for byte (as the page cache holds it: what a killed process leaves on disk).
    func copy(_ name: String, to destination: String) throws {
        guard let input = fopen(file(name), "rb") else { throw TestFailure("cannot read \(name)") }
        defer { fclose(input) }
        guard let output = fopen(destination, "wb") else { throw TestFailure("cannot write \(destination)") }
        defer { fclose(output) }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = fread(&buffer, 1, buffer.count, input)
            if count == 0 { break }
            guard fwrite(buffer, 1, count, output) == count else { throw TestFailure("short write to \(destination)") }
        }
    }

    private static func removeTree(_ path: String) {
        if let directory = opendir(path) {
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
                }
                if name == "." || name == ".." { continue }
                let child = "\(path)/\(name)"
                var info = stat()
                if lstat(child, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
                    removeTree(child)
                } else {
                    unlink(child)
                }
            }
            closedir(directory)
        }
        rmdir(path)
    }
}

/// A failure in a test's own setup, with a message.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
