/// Council's version, as published in `info` and packaged in the .deb.
public enum CouncilVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
