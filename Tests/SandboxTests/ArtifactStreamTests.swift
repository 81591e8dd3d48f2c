import XCTest

@testable import Sandbox

/// The parent's reader of init's artifact records, fed garbled and hostile streams: it keeps nothing it cannot trust.
final class ArtifactStreamTests: XCTestCase {
    private let policy = ArtifactPolicy(maxFiles: 4, maxFileBytes: 100, maxTotalBytes: 150, maxDepth: 2)

    func testWellFormedRecordsArrivingInPiecesAreParsed() {
        let bytes =
            record(kind: 1, path: "out/a.txt", content: Array("hello".utf8))
            + record(kind: 2, reason: 1, path: "link") + record(kind: 1, path: "b", content: [0, 255])
            + record(kind: 3, size: 2)
        var stream = ArtifactStream(policy: policy)
        for index in bytes.indices { stream.feed(bytes[index...index]) }  // one byte at a time
        XCTAssertEqual(stream.outcome, .complete)
        XCTAssertEqual(
            stream.artifacts,
            [
                SandboxArtifact(path: "out/a.txt", contents: Array("hello".utf8)),
                SandboxArtifact(path: "b", contents: [0, 255]),
            ])
        XCTAssertEqual(stream.skipped, [SkippedArtifact(path: "link", reason: "symbolic link (not followed)")])
        XCTAssertEqual(stream.unlisted, 2)
    }

    func testAStreamWithoutItsEndRecordIsCut() {
        var stream = ArtifactStream(policy: policy)
        stream.feed(record(kind: 1, path: "a", content: [1, 2, 3])[...])
        XCTAssertEqual(stream.outcome, .cut)
        var partial = ArtifactStream(policy: policy)
        partial.feed(record(kind: 1, path: "a", content: [1, 2, 3]).dropLast()[...])
        XCTAssertEqual(partial.outcome, .cut)
    }

    func testEveryBrokenRuleDiscardsEverything() {
        let good = record(kind: 1, path: "kept", content: [1])
        let broken: [(String, [UInt8])] = [
            ("unknown kind", record(kind: 9, path: "x")),
            ("absolute path", record(kind: 1, path: "/etc/passwd", content: [])),
            ("dot-dot", record(kind: 1, path: "a/../../x", content: [])),
            ("dot component", record(kind: 1, path: "a/./x", content: [])),
            ("empty component", record(kind: 1, path: "a//x", content: [])),
            ("trailing slash", record(kind: 1, path: "a/", content: [])),
            ("NUL in path", record(kind: 2, reason: 1, path: "a\0b")),
            ("empty path", record(kind: 2, reason: 1, path: "")),
            ("over the path limit", record(kind: 2, reason: 1, path: String(repeating: "p", count: 1025))),
            ("file over its cap", record(kind: 1, path: "big", content: Array(repeating: 0, count: 101))),
            (
                "files over the total",
                record(kind: 1, path: "x", content: Array(repeating: 0, count: 100))
                    + record(kind: 1, path: "y", content: Array(repeating: 0, count: 50))
            ),
            ("too many files", (0..<4).flatMap { record(kind: 1, path: "f\($0)", content: []) }),
            ("the same file twice", record(kind: 1, path: "kept", content: [2])),
            ("unknown skip reason", record(kind: 2, reason: 99, path: "x")),
            ("a file called '.'", record(kind: 1, path: ".", content: [])),
            ("bytes after the end", record(kind: 3) + [0]),
            ("an end with a path", record(kind: 3, path: "x")),
        ]
        for (name, bytes) in broken {
            var stream = ArtifactStream(policy: policy)
            stream.feed((good + bytes + record(kind: 3))[...])
            guard case .malformed = stream.outcome else {
                XCTFail("\(name): \(stream.outcome)")
                continue
            }
            XCTAssertEqual(stream.artifacts, [], name)
            XCTAssertEqual(stream.skipped, [], name)
            XCTAssertFalse(stream.wantsMore, name)
        }
        var late = ArtifactStream(policy: policy)
        late.feed(record(kind: 3)[...])
        late.feed([1][...])
        XCTAssertEqual(late.outcome, .malformed("bytes after the end record"))
    }

    func testTooManySkippedRecordsAreMalformedButTheWorkspaceItselfMayBeSkipped() {
        var flood = ArtifactStream(policy: policy)
        flood.feed((0...ArtifactPolicy.skippedReports).flatMap { record(kind: 2, reason: 2, path: "p\($0)") }[...])
        guard case .malformed = flood.outcome else { return XCTFail("\(flood.outcome)") }
        var workspace = ArtifactStream(policy: policy)
        workspace.feed((record(kind: 2, reason: 11, error: EACCES, path: ".") + record(kind: 3))[...])
        XCTAssertEqual(workspace.outcome, .complete)
        XCTAssertEqual(workspace.skipped, [SkippedArtifact(path: ".", reason: "unreadable: Permission denied")])
    }

    func testANonUTF8FileNameIsSkippedNotMangled() {
        var stream = ArtifactStream(policy: policy)
        stream.feed((record(kind: 1, pathBytes: [0x61, 0xFF], content: [7]) + record(kind: 3))[...])
        XCTAssertEqual(stream.outcome, .complete)
        XCTAssertEqual(stream.artifacts, [])
        XCTAssertEqual(stream.skipped.map(\.reason), ["name is not UTF-8"])
    }

    func testThePolicyNeverExceedsTheWorkspace() {
        let profile = SandboxProfile.light.lowered(by: [.workspaceBytes: 65_536, .workspaceInodes: 10])
        let effective = ArtifactPolicy(maxFiles: 500, maxFileBytes: 1 << 30, maxTotalBytes: 1 << 30, maxDepth: 99)
            .effective(for: profile)
        XCTAssertEqual(
            effective, ArtifactPolicy(maxFiles: 10, maxFileBytes: 65_536, maxTotalBytes: 65_536, maxDepth: 16))
    }

    /// One record as init writes it: kind, reason, path length, errno, size, then the path and the content.
    private func record(
        kind: UInt32, reason: UInt32 = 0, error: Int32 = 0, size: UInt64? = nil, path: String = "",
        content: [UInt8] = []
    ) -> [UInt8] {
        record(kind: kind, reason: reason, error: error, size: size, pathBytes: Array(path.utf8), content: content)
    }

    private func record(
        kind: UInt32, reason: UInt32 = 0, error: Int32 = 0, size: UInt64? = nil, pathBytes: [UInt8],
        content: [UInt8] = []
    ) -> [UInt8] {
        var bytes: [UInt8] = []
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value) { bytes += $0 } }
        append(kind)
        append(reason)
        append(UInt32(pathBytes.count))
        append(error)
        append(size ?? UInt64(content.count))
        return bytes + pathBytes + content
    }
}
