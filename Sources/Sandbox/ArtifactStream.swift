import CSandbox
import Glibc

/// The parent's reader of the artifact records init writes (`csandbox_artifact_header` frames), fed as bytes arrive.
///
/// The stream comes from init, never from the program, but it is read as if it could be hostile: every record is
/// checked against the policy the run was given (kinds, path lengths and shapes, per-file and total bytes, counts,
/// nothing after the end), the first violation discards everything, and no more than one record (at most a header,
/// a path and one file's capped bytes) is ever buffered.
struct ArtifactStream: Sendable {
    /// What the stream amounted to once it ended.
    enum Outcome: Sendable, Equatable {
        /// The end record arrived: the walk finished.
        case complete
        /// The stream stopped before its end record (init was killed).
        case cut
        /// A record broke the rules; everything was discarded.
        case malformed(String)
    }

    private static let headerSize = MemoryLayout<csandbox_artifact_header>.size
    private static let pathMax = Int(CSANDBOX_ARTIFACT_PATH_MAX)

    let policy: ArtifactPolicy
    private(set) var artifacts: [SandboxArtifact] = []
    private(set) var skipped: [SkippedArtifact] = []
    /// Skipped entries init counted but did not list (past ``ArtifactPolicy/skippedReports``).
    private(set) var unlisted = 0
    private var ended = false
    private var problem: String?
    private var totalBytes = 0
    private var paths: Set<String> = []
    private var buffer: [UInt8] = []
    private var start = 0

    init(policy: ArtifactPolicy) { self.policy = policy }

    /// Whether more bytes are welcome: false once the stream is malformed (the reader should close it).
    var wantsMore: Bool { problem == nil }

    /// Takes the next bytes read from the pipe and parses every whole record in them.
    mutating func feed(_ bytes: ArraySlice<UInt8>) {
        guard problem == nil else { return }
        if ended && !bytes.isEmpty { return fail("bytes after the end record") }
        buffer += bytes
        while problem == nil, let consumed = parseRecord() { start += consumed }
        if start > 0 && start * 2 >= buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
    }

    /// The stream at EOF.
    var outcome: Outcome {
        if let problem { return .malformed(problem) }
        return ended && start == buffer.count ? .complete : .cut
    }

    private mutating func fail(_ message: String) {
        problem = message
        artifacts = []
        skipped = []
        buffer = []
        start = 0
    }

    /// Parses one whole record at `start`: the bytes it used, or nil when it is not all there yet (or malformed).
    private mutating func parseRecord() -> Int? {
        let available = buffer.count - start
        guard available >= Self.headerSize else { return nil }
        let header = buffer.withUnsafeBytes {
            $0.loadUnaligned(fromByteOffset: start, as: csandbox_artifact_header.self)
        }
        let pathLength = Int(header.path_length)
        switch header.kind {
        case UInt32(CSANDBOX_ARTIFACT_END.rawValue):
            guard pathLength == 0, header.size <= UInt64(Int32.max) else {
                fail("an end record with a path or a huge count")
                return nil
            }
            ended = true
            unlisted = Int(header.size)
            if available > Self.headerSize { fail("bytes after the end record") }
            return problem == nil ? Self.headerSize : nil
        case UInt32(CSANDBOX_ARTIFACT_FILE.rawValue), UInt32(CSANDBOX_ARTIFACT_SKIPPED.rawValue):
            break
        default:
            fail("an unknown record kind \(header.kind)")
            return nil
        }
        guard (1...Self.pathMax).contains(pathLength) else {
            fail("a path of \(pathLength) bytes")
            return nil
        }
        let isFile = header.kind == UInt32(CSANDBOX_ARTIFACT_FILE.rawValue)
        if isFile {
            guard artifacts.count < policy.maxFiles, header.size <= UInt64(policy.maxFileBytes),
                totalBytes + Int(header.size) <= policy.maxTotalBytes
            else {
                fail("a file of \(header.size) bytes past the policy's caps")
                return nil
            }
        } else if skipped.count >= ArtifactPolicy.skippedReports {
            fail("more skipped entries than reported ones may be")
            return nil
        }
        let contentLength = isFile ? Int(header.size) : 0
        let length = Self.headerSize + pathLength + contentLength
        guard available >= length else { return nil }
        let pathStart = start + Self.headerSize
        let pathBytes = Array(buffer[pathStart..<pathStart + pathLength])
        guard Self.isRelativePath(pathBytes, allowingWorkspace: !isFile) else {
            fail("a path that leaves the workspace or is not plain")
            return nil
        }
        if isFile {
            guard let path = String(validating: pathBytes, as: UTF8.self) else {
                skipped.append(
                    SkippedArtifact(path: String(decoding: pathBytes, as: UTF8.self), reason: "name is not UTF-8"))
                return length
            }
            guard paths.insert(path).inserted else {
                fail("the file '\(path)' twice")
                return nil
            }
            let contentStart = pathStart + pathLength
            artifacts.append(
                SandboxArtifact(path: path, contents: Array(buffer[contentStart..<contentStart + contentLength])))
            totalBytes += contentLength
        } else {
            guard let reason = describe(header) else {
                fail("an unknown skip reason \(header.reason)")
                return nil
            }
            skipped.append(SkippedArtifact(path: String(decoding: pathBytes, as: UTF8.self), reason: reason))
        }
        return length
    }

    /// Whether `path` is `a/b/c`: no leading `/`, no empty, `.` or `..` component, no NUL (or exactly `.`).
    static func isRelativePath(_ path: [UInt8], allowingWorkspace: Bool) -> Bool {
        if path == [UInt8(ascii: ".")] { return allowingWorkspace }
        guard !path.contains(0) else { return false }
        return path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).allSatisfy { component in
            !component.isEmpty && component.elementsEqual([UInt8(ascii: ".")]) == false
                && component.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) == false
        }
    }

    private func describe(_ header: csandbox_artifact_header) -> String? {
        switch header.reason {
        case CSANDBOX_SKIP_SYMLINK.rawValue: "symbolic link (not followed)"
        case CSANDBOX_SKIP_FIFO.rawValue: "FIFO"
        case CSANDBOX_SKIP_SOCKET.rawValue: "socket"
        case CSANDBOX_SKIP_DEVICE.rawValue: "device"
        case CSANDBOX_SKIP_SPECIAL.rawValue: "not a regular file"
        case CSANDBOX_SKIP_FILE_TOO_LARGE.rawValue:
            "\(header.size) bytes, over the \(policy.maxFileBytes)-byte cap per file"
        case CSANDBOX_SKIP_TOTAL_EXCEEDED.rawValue:
            "\(header.size) bytes, past the \(policy.maxTotalBytes)-byte cap for all files"
        case CSANDBOX_SKIP_TOO_MANY_FILES.rawValue: "past the cap of \(policy.maxFiles) files"
        case CSANDBOX_SKIP_TOO_DEEP.rawValue: "directory past the depth cap (\(policy.maxDepth))"
        case CSANDBOX_SKIP_PATH_TOO_LONG.rawValue: "path longer than \(Self.pathMax) bytes"
        case CSANDBOX_SKIP_UNREADABLE.rawValue: "unreadable: \(SmallFiles.describe(header.error))"
        default: nil
        }
    }
}
