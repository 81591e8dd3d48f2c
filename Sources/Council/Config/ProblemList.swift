/// Collects the problems found while reading a configuration, so that one run reports all of them.
final class ProblemList {
    private(set) var problems: [ConfigError.Problem] = []

    /// Records a problem.
    func add(_ code: ConfigError.Code, key: String?, _ message: String) {
        problems.append(ConfigError.Problem(code, key: key, message: message))
    }

    /// Records that `key` has a value that is not allowed: "`key`: `reason`".
    func invalid(_ key: String, _ reason: String) {
        add(.invalidValue, key: key, "\(key): \(reason)")
    }

    /// Throws everything recorded so far, if anything.
    func throwIfAny() throws(ConfigError) {
        if !problems.isEmpty { throw ConfigError(problems: problems) }
    }
}
