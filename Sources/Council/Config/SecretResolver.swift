/// Finds secrets (the broker password, model API keys) in credentials, files and the environment.
enum SecretResolver {
    /// The name of the systemd credential that holds the broker password.
    static let passwordCredential = "mqtt_password"

    /// The broker password: `$CREDENTIALS_DIRECTORY/mqtt_password` when it exists, else `password_file`,
    /// else the variable named by `password_env`. An unreadable configured file is a problem.
    static func mqttPassword(
        _ mqtt: CouncilConfig.MQTTSection, environment: [String: String], problems: ProblemList
    ) -> (Secret?, SecretSource) {
        if let (secret, source) = credential(passwordCredential, environment: environment, problems: problems) {
            return (secret, source)
        }
        return fileOrEnvironment(
            file: mqtt.passwordFile, fileKey: "mqtt.password_file",
            variable: mqtt.passwordEnvironmentVariable, environment: environment, problems: problems)
    }

    /// The control token: `$CREDENTIALS_DIRECTORY/control_token` when it exists, else `token_file`, else the
    /// variable named by `token_env`.
    static func controlToken(
        _ control: CouncilConfig.ControlSection, environment: [String: String], problems: ProblemList
    ) -> (Secret?, SecretSource) {
        if let (secret, source) = credential(controlTokenCredential, environment: environment, problems: problems) {
            return (secret, source)
        }
        return fileOrEnvironment(
            file: control.tokenFile, fileKey: "control.token_file", variable: control.tokenEnvironmentVariable,
            environment: environment, problems: problems)
    }

    /// The name of the systemd credential that holds the control token.
    static let controlTokenCredential = "control_token"

    /// A systemd credential by name, when the service manager provided it (nil when absent; an unreadable one is a
    /// problem and yields no secret).
    private static func credential(_ name: String, environment: [String: String], problems: ProblemList) -> (
        Secret?, SecretSource
    )? {
        guard let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty else { return nil }
        let path = "\(directory)/\(name)"
        guard FileText.isRegularFile(path) else { return nil }
        guard let secret = readSecret(path, key: "credential \(name)", problems: problems) else { return (nil, .none) }
        return (secret, .credential(path: path))
    }

    /// A model's API key: the systemd credential `api_key_<model name>` when it exists, else `api_key_file`, else
    /// the variable named by `api_key_env`.
    static func apiKey(
        _ model: CouncilConfig.Model, key: String, environment: [String: String], problems: ProblemList
    ) -> (Secret?, SecretSource) {
        if !model.name.isEmpty,
            let (secret, source) = credential("api_key_\(model.name)", environment: environment, problems: problems)
        {
            return (secret, source)
        }
        return fileOrEnvironment(
            file: model.apiKeyFile, fileKey: "\(key).api_key_file",
            variable: model.apiKeyEnvironmentVariable, environment: environment, problems: problems)
    }

    private static func fileOrEnvironment(
        file: String, fileKey: String, variable: String, environment: [String: String], problems: ProblemList
    ) -> (Secret?, SecretSource) {
        if !file.isEmpty {
            guard let secret = readSecret(file, key: fileKey, problems: problems) else { return (nil, .none) }
            return (secret, .file(path: file))
        }
        if !variable.isEmpty, let value = environment[variable], !value.isEmpty {
            return (Secret(trimmingLineEnd(value)), .environment(variable: variable))
        }
        return (nil, .none)
    }

    /// The file's contents without trailing line breaks; a problem naming `key` (never the contents) if unreadable.
    private static func readSecret(_ path: String, key: String, problems: ProblemList) -> Secret? {
        do {
            let text = trimmingLineEnd(try FileText.read(path))
            guard !text.isEmpty else {
                problems.add(.unreadableSecret, key: key, "\(key): \(path) is empty")
                return nil
            }
            return Secret(text)
        } catch {
            problems.add(.unreadableSecret, key: key, "\(key): cannot read \(path): \(error.reason)")
            return nil
        }
    }

    private static func trimmingLineEnd(_ text: String) -> String {
        var text = Substring(text)
        while let last = text.unicodeScalars.last, last == "\n" || last == "\r" {
            text = Substring(text.unicodeScalars.dropLast())
        }
        return String(text)
    }
}
