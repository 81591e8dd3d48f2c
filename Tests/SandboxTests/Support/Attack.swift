import Foundation
import XCTest

/// Python helpers every attack starts with: `attempt(label, fn)` prints `label: ok <value>` or `label: <ERRNO>`,
/// `c(label, result)` does the same for a libc call's return value.
let attackPrelude = """
    import ctypes, errno, os, signal, socket, stat, subprocess, sys, time
    libc = ctypes.CDLL(None, use_errno=True)
    def name(number):
        return errno.errorcode.get(number, str(number))
    def attempt(label, fn):
        try:
            print(f"{label}: ok {fn()!r}"[:400], flush=True)
        except OSError as e:
            print(f"{label}: {name(e.errno) if e.errno else type(e).__name__}", flush=True)
        except Exception as e:
            print(f"{label}: {type(e).__name__}", flush=True)
    def c(label, result):
        print(f"{label}: " + ("ok" if result >= 0 else name(ctypes.get_errno())), flush=True)
    def syscall(number, *args):
        return libc.syscall(ctypes.c_long(number), *[ctypes.c_long(a) if isinstance(a, int) else a for a in args])

    """

/// Asserts that every label in `labels` was refused (did not print `ok`), and with `errno` when given.
func assertRefused(
    _ outcome: Outcome, _ labels: [String], errno expected: String? = nil, file: StaticString = #filePath,
    line: UInt = #line
) {
    let report = outcome.report
    for label in labels {
        guard let value = report[label] else {
            XCTFail("\(label) was not reported; \(outcome.summary)", file: file, line: line)
            continue
        }
        XCTAssertFalse(
            value.hasPrefix("ok"), "\(label) succeeded: \(value) [\(outcome.runner)]", file: file, line: line)
        if let expected {
            XCTAssertEqual(value, expected, "\(label) [\(outcome.runner)]", file: file, line: line)
        }
    }
}

/// Asserts the run ended normally (exit 0), so that every line of its report was written.
func assertCompleted(_ outcome: Outcome, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(outcome.exitCode, 0, outcome.summary, file: file, line: line)
    XCTAssertFalse(outcome.timedOut, outcome.summary, file: file, line: line)
}
