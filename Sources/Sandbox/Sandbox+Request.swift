import JSON

extension Sandbox {
    /// Validates an `exec` request body — `language`, `code`, `stdin?`, `files?` (name → text), `limits?` (limit
    /// name → positive integer, only lowering), `profile?`, `artifacts?` (`true`, or an object of caps that only
    /// lower the defaults: `max_files`, `max_file_bytes`, `max_total_bytes`, `max_depth`) — into a job. Errors are
    /// `.badRequest` naming the field.
    public func job(from body: JSONObject) throws(SandboxError) -> SandboxJob {
        func bad(_ message: String) -> SandboxError { SandboxError(.badRequest, "exec: " + message) }
        func string(_ field: String, required: Bool) throws(SandboxError) -> String? {
            guard let value = body[field] else {
                if required { throw bad("'\(field)' is missing") }
                return nil
            }
            guard case .string(let text) = value else { throw bad("'\(field)' must be a string") }
            return text
        }

        let languageName = try string("language", required: true)!
        guard let language = language(named: languageName) else {
            let installed = languages.map(\.name).joined(separator: ", ")
            throw bad("unknown language '\(languageName)' (installed: \(installed))")
        }
        let code = try string("code", required: true)!
        let stdin = try string("stdin", required: false) ?? ""
        let profileName = try string("profile", required: false)
        guard let profile = profile(named: profileName) else {
            let known = configuration.profiles.keys.sorted().joined(separator: ", ")
            throw bad("unknown profile '\(profileName ?? configuration.defaultProfile)' (configured: \(known))")
        }

        var requested: [SandboxLimit: Int] = [:]
        if let value = body["limits"] {
            guard case .object(let limits) = value else { throw bad("'limits' must be an object") }
            for (key, value) in limits {
                guard let limit = SandboxLimit(rawValue: key) else {
                    let known = SandboxLimit.allCases.map(\.rawValue).joined(separator: ", ")
                    throw bad("'limits.\(key)' is not a limit (known: \(known))")
                }
                guard let number = value.intValue, number > 0 else {
                    throw bad("'limits.\(key)' must be a positive integer")
                }
                requested[limit] = number
            }
        }

        var files: [SandboxFile] = []
        if let value = body["files"] {
            guard case .object(let entries) = value else { throw bad("'files' must be an object of name to text") }
            for (name, content) in entries {
                guard SandboxFile.isValidName(name) else {
                    throw bad("'files': '\(name)' is not a plain file name (no '/', '.' or '..')")
                }
                guard name != language.fileName else {
                    throw bad("'files': '\(name)' is where the code goes; use another name")
                }
                guard case .string(let text) = content else { throw bad("'files.\(name)' must be a string") }
                files.append(SandboxFile(name: name, contents: Array(text.utf8)))
            }
        }
        let lowered = profile.lowered(by: requested)
        let size = code.utf8.count + files.reduce(0) { $0 + $1.contents.count }
        guard size <= lowered[.workspaceBytes] else {
            throw bad("'code' and 'files' (\(size) bytes) do not fit the workspace (\(lowered[.workspaceBytes]) bytes)")
        }
        return SandboxJob(
            program: .code(language, code), stdin: Array(stdin.utf8), files: files, profile: lowered,
            artifacts: try Self.artifactPolicy(from: body["artifacts"]))
    }

    /// The `artifacts` field: absent or `false` for none, `true` for the defaults, or an object of lower caps.
    static func artifactPolicy(from value: JSONValue?) throws(SandboxError) -> ArtifactPolicy? {
        func bad(_ message: String) -> SandboxError { SandboxError(.badRequest, "exec: " + message) }
        switch value {
        case nil, .bool(false): return nil
        case .bool(true): return ArtifactPolicy()
        case .object(let caps):
            var policy = ArtifactPolicy()
            let fields: [(String, WritableKeyPath<ArtifactPolicy, Int>, Int)] = [
                ("max_files", \.maxFiles, 1), ("max_file_bytes", \.maxFileBytes, 0),
                ("max_total_bytes", \.maxTotalBytes, 0), ("max_depth", \.maxDepth, 0),
            ]
            for (key, value) in caps {
                guard let (_, path, least) = fields.first(where: { $0.0 == key }) else {
                    let known = fields.map(\.0).joined(separator: ", ")
                    throw bad("'artifacts.\(key)' is not an artifact cap (known: \(known))")
                }
                guard let number = value.intValue, number >= least else {
                    throw bad("'artifacts.\(key)' must be an integer of at least \(least)")
                }
                policy[keyPath: path] = min(policy[keyPath: path], number)
            }
            return policy
        default:
            throw bad("'artifacts' must be true, false or an object of caps")
        }
    }
}
