@preconcurrency import Glibc

/// Prints each line as it is written, also when the output is piped (a killed or slow run still shows its lines).
func lineBufferStandardOutput() {
    setvbuf(stdout, nil, _IOLBF, 0)
}
