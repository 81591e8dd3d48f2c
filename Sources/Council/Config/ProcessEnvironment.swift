import Glibc

extension CouncilConfig {
    /// This process's environment variables, to pass to ``load(path:overrides:environment:)``.
    public static func processEnvironment() -> [String: String] {
        var variables: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                variables[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            cursor += 1
        }
        return variables
    }
}
