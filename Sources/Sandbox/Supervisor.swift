import CSandbox
import Glibc

/// What happened to a released child, as its supervisor saw it.
struct Supervision: Sendable {
    var stdout: [UInt8] = []
    var stderr: [UInt8] = []
    var truncated = false
    var timedOut = false
    var cancelled = false
    /// The program's wait status, or init's when init was killed first; nil if the child could not be reaped.
    var status: Int32?
    /// Why the sandbox could not start the program, if it could not.
    var setupFailure: SandboxError?
    var cpuMicroseconds: Int = 0
    var maxRSSKilobytes: Int = 0
    /// The artifact records read, when the job asked for them.
    var artifacts: ArtifactStream?
    /// init, when it reported the program's end but had not exited yet: everything else of the run is dead, only
    /// the namespaces' teardown is left; whoever holds this reaps it (off the run's path).
    var unreaped: ExitingInit?
}

/// A sandbox's init that has reported its program's status and is exiting: reaped with ``reap()``.
struct ExitingInit: Sendable {
    let pid: pid_t
    let pidfd: Int32

    /// Waits for init to exit (the kernel tears its namespaces down first) and reaps it.
    func reap() {
        var status: Int32 = 0
        while wait4(pid, &status, __WALL, nil) < 0 && errno == EINTR {}
        close(pidfd)
    }
}

/// Runs on a dedicated thread (SIGPIPE blocked) from release to the program's end: feeds stdin, collects stdout and
/// stderr up to the cap and the artifact records within their policy, reads init's reports, watches the wall clock
/// and the cancel pipe, and SIGKILLs the child on timeout or cancellation. The child is the first process of its pid
/// namespace, so killing it kills every process inside (double-forked, setsid'd, stopped or SIGTERM-ignoring alike)
/// before it can be reaped. When the program exits by itself, init kills and reaps the rest before it reports, so
/// the run is over once that report and the streams' EOF have arrived, without waiting for init's own exit.
struct Supervisor {
    let child: SpawnedChild
    /// The mount plan (the root's steps, then the job's), to name a failed step.
    let steps: [PlanStep]
    let stdin: [UInt8]
    let outputCap: Int
    /// CLOCK_MONOTONIC nanoseconds after which the child is killed.
    let deadline: UInt64
    /// Readable once the run is cancelled.
    let cancelFD: Int32
    /// The effective artifact policy, or nil when the job collects none (the artifact pipe is then closed at once).
    let artifacts: ArtifactPolicy?

    func run() -> Supervision {
        var result = Supervision()
        var stdinFD = child.raw.stdin_fd
        var stdoutFD = child.raw.stdout_fd
        var stderrFD = child.raw.stderr_fd
        var artifactsFD = child.raw.artifacts_fd
        var reportFD = child.raw.report_fd
        var reports = ReportReader()
        if let artifacts { result.artifacts = ArtifactStream(policy: artifacts) } else { closeFD(&artifactsFD) }
        var written = 0
        var exited = false
        var killed = false
        if stdin.isEmpty { closeFD(&stdinFD) } else { _ = csandbox_set_nonblocking(stdinFD, 1) }

        while !((exited || reports.status != nil) && stdoutFD < 0 && stderrFD < 0 && artifactsFD < 0) {
            var fds: [pollfd] = []
            func watch(_ fd: Int32, _ events: Int32) -> Int? {
                guard fd >= 0 else { return nil }
                fds.append(pollfd(fd: fd, events: Int16(events), revents: 0))
                return fds.count - 1
            }
            let pidSlot = exited ? nil : watch(child.raw.pidfd, POLLIN)
            let reportSlot = watch(reportFD, POLLIN)
            let outSlot = watch(stdoutFD, POLLIN)
            let errSlot = watch(stderrFD, POLLIN)
            let artifactsSlot = watch(artifactsFD, POLLIN)
            let inSlot = watch(stdinFD, POLLOUT)
            let cancelSlot = killed ? nil : watch(cancelFD, POLLIN)
            // Once the child is gone its pipes reach EOF at once; the bound only guards against a leaked writer.
            let timeout = exited ? 5_000 : killed ? 1_000 : Self.millisecondsUntil(deadline)
            let ready = poll(&fds, nfds_t(fds.count), Int32(clamping: timeout))
            if ready < 0 {
                if errno == EINTR { continue }
                kill(&killed)
                break
            }
            if ready == 0 {
                if exited { break }  // a writer outlived the namespace: give up on the rest of the output
                if !killed {
                    result.timedOut = true
                    kill(&killed)
                }
                continue
            }
            func fired(_ slot: Int?) -> Bool { slot.map { fds[$0].revents != 0 } ?? false }
            if fired(pidSlot) { exited = true }
            if fired(cancelSlot) {
                result.cancelled = true
                kill(&killed)
            }
            if fired(reportSlot) { reports.read(&reportFD) }
            if fired(outSlot) { drain(&stdoutFD, into: &result.stdout, truncated: &result.truncated) }
            if fired(errSlot) { drain(&stderrFD, into: &result.stderr, truncated: &result.truncated) }
            if fired(artifactsSlot) { drainArtifacts(&artifactsFD, into: &result.artifacts) }
            if fired(inSlot) { feed(&stdinFD, written: &written) }
        }
        closeFD(&stdinFD)
        closeFD(&stdoutFD)
        closeFD(&stderrFD)
        closeFD(&artifactsFD)
        if reportFD >= 0 && reports.status == nil { reports.read(&reportFD, untilEOF: true) }
        closeFD(&reportFD)
        if let failure = reports.failure {
            result.setupFailure = ChildSpawner.error(failure, steps: steps)
        } else if !reports.started && reports.status == nil {
            // Gone before its program started, without saying why.
            let failure = csandbox_failure(stage: Int32(CSANDBOX_STAGE_RELEASE.rawValue), error: EPIPE, index: -1)
            result.setupFailure = ChildSpawner.error(failure, steps: steps)
        }
        if let status = reports.status, !exited {
            // init is exiting on its own: nothing of the run is left but the namespaces' teardown.
            result.status = status.value
            result.cpuMicroseconds = Int(clamping: status.cpu_microseconds)
            result.maxRSSKilobytes = Int(clamping: status.max_rss_kilobytes)
            result.unreaped = ExitingInit(pid: child.pid, pidfd: child.raw.pidfd)
            return result
        }
        reap(into: &result, programStatus: reports.status)
        return result
    }

    private func kill(_ killed: inout Bool) {
        if csandbox_pidfd_signal(child.raw.pidfd, SIGKILL) != 0 { Glibc.kill(child.pid, SIGKILL) }
        killed = true
    }

    private func reap(into result: inout Supervision, programStatus: csandbox_report?) {
        defer { close(child.raw.pidfd) }
        var status: Int32 = 0
        var usage = rusage()
        var reaped: pid_t
        repeat {
            reaped = wait4(child.pid, &status, __WALL, &usage)
        } while reaped < 0 && errno == EINTR
        // init's own status says only how init ended (SIGKILL on timeout); the program's comes in its report.
        if let programStatus {
            result.status = programStatus.value
            result.cpuMicroseconds = Int(clamping: programStatus.cpu_microseconds)
            result.maxRSSKilobytes = Int(clamping: programStatus.max_rss_kilobytes)
            return
        }
        guard reaped == child.pid else {
            result.status = nil
            return
        }
        if result.setupFailure == nil { result.status = status }
        result.cpuMicroseconds =
            Int(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1_000_000
            + Int(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
        result.maxRSSKilobytes = Int(usage.ru_maxrss)
    }

    /// Reads what is there; past the cap the stream is closed, so the writer gets EPIPE/SIGPIPE like `| head -c`.
    private func drain(_ fd: inout Int32, into buffer: inout [UInt8], truncated: inout Bool) {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR || errno == EAGAIN { return }
            closeFD(&fd)
            return
        }
        if count == 0 {
            closeFD(&fd)
            return
        }
        let room = outputCap - buffer.count
        buffer += chunk[..<min(count, room)]
        if count > room {
            truncated = true
            closeFD(&fd)
        }
    }

    /// Parses what is there; a malformed stream is closed (init then stops writing, with EPIPE).
    private func drainArtifacts(_ fd: inout Int32, into stream: inout ArtifactStream?) {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 && (errno == EINTR || errno == EAGAIN) { return }
        guard count > 0 else { return closeFD(&fd) }
        stream?.feed(chunk[..<count])
        if stream?.wantsMore != true { closeFD(&fd) }
    }

    private func feed(_ fd: inout Int32, written: inout Int) {
        let count = stdin.withUnsafeBytes { bytes in
            write(fd, bytes.baseAddress! + written, min(bytes.count - written, 65_536))
        }
        if count < 0 {
            if errno == EINTR || errno == EAGAIN { return }
            closeFD(&fd)  // EPIPE: the program stopped reading
            return
        }
        written += count
        if written == stdin.count { closeFD(&fd) }
    }

    private func closeFD(_ fd: inout Int32) {
        if fd >= 0 { close(fd) }
        fd = -1
    }

    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    private static func millisecondsUntil(_ deadline: UInt64) -> Int {
        let now = monotonicNanoseconds()
        guard deadline > now else { return 0 }
        return Int((deadline - now + 999_999) / 1_000_000)
    }
}

/// Collects the reports init writes (`struct csandbox_report`, each written whole) as they arrive.
struct ReportReader {
    private var pending: [UInt8] = []
    /// The program's end, once reported.
    private(set) var status: csandbox_report?
    /// A setup failure, once reported.
    private(set) var failure: csandbox_failure?
    /// Whether the program was exec'd.
    private(set) var started = false

    private static let size = MemoryLayout<csandbox_report>.size

    /// Reads what is there (or, with `untilEOF`, everything until init closes its end); closes `fd` at EOF, on error
    /// and once the status has arrived.
    mutating func read(_ fd: inout Int32, untilEOF: Bool = false) {
        var chunk = [UInt8](repeating: 0, count: Self.size * 8)
        repeat {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                close(fd)
                fd = -1
                return
            }
            pending += chunk[..<count]
            while pending.count >= Self.size {
                let report = pending.withUnsafeBytes { $0.loadUnaligned(as: csandbox_report.self) }
                pending.removeFirst(Self.size)
                switch UInt32(bitPattern: report.kind) {
                case CSANDBOX_REPORT_STATUS.rawValue:
                    status = report
                case CSANDBOX_REPORT_FAILURE.rawValue:
                    failure = csandbox_failure(stage: report.stage, error: report.error, index: report.value)
                case CSANDBOX_REPORT_STARTED.rawValue:
                    started = true
                default:
                    continue  // prepared: nothing to do
                }
            }
            if status != nil {
                close(fd)
                fd = -1
                return
            }
        } while untilEOF
    }
}
