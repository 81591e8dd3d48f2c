import Glibc

/// Clocks the metrics read.
enum MetricsClock {
    /// Wall-clock Unix milliseconds from the coarse clock (a few ms resolution, a fraction of the cost): enough to
    /// pick a latency-window slot or notice a midnight.
    static func coarseUnixMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME_COARSE, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    /// Monotonic seconds, for uptime (immune to the wall clock being set, as a Raspberry Pi's is at boot).
    static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
