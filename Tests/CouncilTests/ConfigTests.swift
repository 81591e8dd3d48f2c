import Council
import Glibc
import Sandbox
import Testing

/// A scratch directory for config and secret files, removed when the test ends.
private final class ScratchDirectory {
    let path: String

    init() {
        var template = Array("/tmp/council-config-test-XXXXXX".utf8CString)
        path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
    }

    deinit {
        if let directory = opendir(path) {
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) {
                    String(cString: $0.bindMemory(to: CChar.self).baseAddress!)
                }
                if name != "." && name != ".." { unlink("\(path)/\(name)") }
            }
            closedir(directory)
        }
        rmdir(path)
    }

    /// Writes `contents` to `name` in the directory and returns the full path.
    @discardableResult
    func write(_ name: String, _ contents: String, mode: mode_t = 0o600) -> String {
        let file = "\(path)/\(name)"
        let descriptor = open(file, O_WRONLY | O_CREAT | O_TRUNC, mode)
        precondition(descriptor >= 0, "cannot create \(file)")
        _ = Array(contents.utf8).withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        return file
    }
}

/// Loads `toml` as if it were a file, with an empty environment unless one is given.
private func load(
    _ toml: String, overrides: ConfigOverrides = ConfigOverrides(), environment: [String: String] = [:]
) throws(ConfigError) -> CouncilConfig {
    try CouncilConfig.parse(toml: toml, overrides: overrides, environment: environment)
}

/// The error `toml` produces; records an issue if it loads.
private func failure(_ toml: String, environment: [String: String] = [:]) -> ConfigError? {
    do {
        let config = try load(toml, environment: environment)
        Issue.record("expected an error, loaded \(config)")
        return nil
    } catch {
        return error
    }
}

/// The error message `toml` produces (all problems, one per line).
private func message(_ toml: String) -> String? {
    failure(toml)?.description
}

@Suite("Configuration: defaults and the shipped file")
struct ConfigDefaultsTests {
    @Test func noFileGivesTheDocumentedDefaults() throws {
        let config = try CouncilConfig.load(path: nil, environment: [:])
        #expect(!config.node.name.isEmpty)
        #expect(NodeName.problem(with: config.node.name) == nil)
        #expect(config.node.stateDirectory == "/var/lib/council")
        #expect(config.mqtt.url.description == "mqtt://127.0.0.1:1883")
        #expect(config.mqtt.url.usesTLS == false)
        #expect(config.mqtt.baseTopic == "council")
        #expect(config.mqtt.clientID == "council-\(config.node.name)")
        #expect(config.mqtt.protocolVersion == .v5)
        #expect(config.mqtt.username == "")
        #expect(config.mqtt.passwordEnvironmentVariable == "COUNCIL_MQTT_PASSWORD")
        #expect(config.mqtt.password == nil)
        #expect(config.mqtt.passwordSource == .none)
        #expect(config.mqtt.keepaliveSeconds == 30)
        #expect(config.mqtt.sessionExpirySeconds == 86_400)
        #expect(config.mqtt.reconnectMinSeconds == 1)
        #expect(config.mqtt.reconnectMaxSeconds == 30)
        #expect(config.mqtt.maxPayloadBytes == 262_144)
        #expect(config.mqtt.caFile == "" && config.mqtt.certFile == "" && config.mqtt.keyFile == "")
        #expect(config.mqtt.tlsInsecure == false)
        #expect(config.journal.synchronous == .normal)
        #expect(config.journal.dedupeWindowSeconds == 600)
        #expect(config.requests.defaultTimeoutSeconds == 30)
        #expect(config.log.level == .info)
        #expect(config.models.isEmpty)
        #expect(config.budget.dailyUSD == 1.0)
        #expect(config.budget.monthlyUSD == 20.0)
        #expect(config.budget.timezone == "UTC")
        #expect(config.router.cloudEscalation == true)
        #expect(config.sandbox.enabled == true)
        #expect(config.sourcePath == nil)
    }

    @Test func emptyFileEqualsNoFile() throws {
        #expect(try load("") == CouncilConfig.load(path: nil, environment: [:]))
    }

    @Test func shippedFileLoadsToExactlyTheDefaults() throws {
        let shipped = try shippedConfigPath()
        var fromFile = try CouncilConfig.load(path: shipped, environment: [:])
        #expect(fromFile.sourcePath == shipped)
        fromFile.sourcePath = nil
        #expect(fromFile == (try CouncilConfig.load(path: nil, environment: [:])))
    }

    @Test func shippedFileMentionsTCPNoDelay() throws {
        let text = try readTextFile(try shippedConfigPath())
        #expect(text.contains("set_tcp_nodelay true"))
        #expect(text.contains("TCP_NODELAY"))
    }

    @Test func hostNamesAreSanitised() {
        #expect(NodeName.sanitized("kitchen-pi") == "kitchen-pi")
        #expect(NodeName.sanitized("kitchen.lan") == "kitchen-lan")
        #expect(NodeName.sanitized("Büro PC") == "B--ro-PC")
        #expect(NodeName.sanitized("") == "council")
        #expect(NodeName.sanitized(String(repeating: "a", count: 100)).count == NodeName.maximumLength)
    }

    /// etc/council.toml, found from this source file (through a symlink if the test was built from one).
    private func shippedConfigPath() throws -> String {
        guard let resolved = realpath(#filePath, nil) else { throw ConfigTestFailure("cannot resolve #filePath") }
        defer { free(resolved) }
        var components = String(cString: resolved).split(separator: "/", omittingEmptySubsequences: false)
        components.removeLast(3)  // Tests/CouncilTests/ConfigTests.swift
        return components.joined(separator: "/") + "/etc/council.toml"
    }
}

private struct ConfigTestFailure: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// The UTF-8 text of a file.
private func readTextFile(_ path: String) throws -> String {
    guard let file = fopen(path, "r") else { throw ConfigTestFailure("cannot open \(path)") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count == 0 { break }
        bytes += buffer[..<count]
    }
    return String(decoding: bytes, as: UTF8.self)
}

@Suite("Configuration: values from the file and from flags")
struct ConfigValuesTests {
    @Test func readsEveryKey() throws {
        let config = try load(
            """
            [node]
            name = "kitchen-pi"
            state_dir = "/srv/council"
            [mqtt]
            url = "mqtts://broker.lan"
            base_topic = "home/council"
            client_id = "my-client"
            protocol = "3.1.1"
            username = "council"
            password_env = "BROKER_PW"
            keepalive_s = 0
            session_expiry_s = 0
            reconnect_min_s = 2
            reconnect_max_s = 60
            max_payload_bytes = 1024
            tls_insecure = true
            [journal]
            synchronous = "full"
            dedupe_window_s = 0
            [requests]
            default_timeout_s = 120
            [log]
            level = "debug"
            [budget]
            daily_usd = 2
            monthly_usd = 15.5
            timezone = "Europe/Berlin"
            [router]
            cloud_escalation = false
            [sandbox]
            enabled = false
            """)
        #expect(config.node.name == "kitchen-pi")
        #expect(config.node.stateDirectory == "/srv/council")
        #expect(config.mqtt.url == BrokerURL(host: "broker.lan", port: 8883, usesTLS: true))
        #expect(config.mqtt.baseTopic == "home/council")
        #expect(config.mqtt.clientID == "my-client")
        #expect(config.mqtt.protocolVersion == .v311)
        #expect(config.mqtt.username == "council")
        #expect(config.mqtt.passwordEnvironmentVariable == "BROKER_PW")
        #expect(config.mqtt.keepaliveSeconds == 0)
        #expect(config.mqtt.sessionExpirySeconds == 0)
        #expect(config.mqtt.reconnectMinSeconds == 2)
        #expect(config.mqtt.reconnectMaxSeconds == 60)
        #expect(config.mqtt.maxPayloadBytes == 1024)
        #expect(config.mqtt.tlsInsecure)
        #expect(config.journal.synchronous == .full)
        #expect(config.journal.dedupeWindowSeconds == 0)
        #expect(config.requests.defaultTimeoutSeconds == 120)
        #expect(config.log.level == .debug)
        #expect(config.budget.dailyUSD == 2.0)
        #expect(config.budget.monthlyUSD == 15.5)
        #expect(config.budget.timezone == "Europe/Berlin")
        #expect(config.router.cloudEscalation == false)
        #expect(config.sandbox.enabled == false)
    }

    @Test func clientIDFollowsTheNodeName() throws {
        #expect(try load("[node]\nname = \"attic\"").mqtt.clientID == "council-attic")
        let flagged = try load("[node]\nname = \"attic\"", overrides: ConfigOverrides(node: "cellar"))
        #expect(flagged.mqtt.clientID == "council-cellar")
    }

    @Test func flagsWinOverTheFile() throws {
        let scratch = ScratchDirectory()
        let path = scratch.write(
            "council.toml",
            """
            [node]
            name = "from-file"
            state_dir = "/from/file"
            [mqtt]
            url = "mqtt://file-broker:1884"
            """)
        let overrides = ConfigOverrides(broker: "mqtts://flag-broker:9999", node: "from-flag", stateDirectory: "/tmp/x")
        let config = try CouncilConfig.load(path: path, overrides: overrides, environment: [:])
        #expect(config.mqtt.url.description == "mqtts://flag-broker:9999")
        #expect(config.node.name == "from-flag")
        #expect(config.node.stateDirectory == "/tmp/x")
        #expect(config.sourcePath == path)
        let fileOnly = try CouncilConfig.load(path: path, environment: [:])
        #expect(fileOnly.mqtt.url.description == "mqtt://file-broker:1884")
        #expect(fileOnly.node.name == "from-file")
    }

    @Test func badFlagsNameTheFlag() {
        let overrides = ConfigOverrides(broker: "tcp://x", node: "bad name", stateDirectory: "")
        #expect(throws: ConfigError.self) { try load("", overrides: overrides) }
        do {
            _ = try load("", overrides: overrides)
        } catch {
            #expect(error.problems.map(\.key) == ["--broker", "--node", "--state-dir"])
            #expect(error.problems[0].message == "--broker: must start with mqtt:// or mqtts://, got \"tcp://x\"")
        }
    }

    @Test(arguments: [
        ("mqtt://127.0.0.1", "127.0.0.1", 1883, false),
        ("mqtt://broker.lan:1884", "broker.lan", 1884, false),
        ("mqtts://broker.lan", "broker.lan", 8883, true),
        ("mqtts://broker.lan:443/", "broker.lan", 443, true),
        ("mqtt://[::1]:1883", "::1", 1883, false),
        ("mqtt://[fe80::1%eth0]", "fe80::1%eth0", 1883, false),
    ])
    func parsesBrokerURLs(text: String, host: String, port: Int, tls: Bool) throws {
        let url = try BrokerURL(parsing: text)
        #expect(url.host == host)
        #expect(url.port == port)
        #expect(url.usesTLS == tls)
        #expect(try BrokerURL(parsing: url.description) == url)
    }

    @Test(arguments: [
        ("http://broker", "must start with mqtt:// or mqtts://"),
        ("mqtt://", "has no host"),
        ("mqtt://broker:0", "has an invalid port \"0\""),
        ("mqtt://broker:65536", "has an invalid port"),
        ("mqtt://broker:abc", "has an invalid port"),
        ("mqtt://broker/topic", "must not have a path"),
        ("mqtt://user:pw@broker", "must not contain credentials"),
        ("mqtt://[::1", "has an unclosed '['"),
        ("mqtt://bro ker", "has an invalid host"),
    ])
    func rejectsInvalidURLsNamingTheKey(text: String, reason: String) {
        let error = failure("[mqtt]\nurl = \(text.debugDescription)")
        #expect(error?.problems.count == 1)
        #expect(error?.problems.first?.key == "mqtt.url")
        #expect(error?.code == .invalidValue)
        #expect(error?.description.hasPrefix("mqtt.url: \(reason)") == true, "\(String(describing: error))")
        #expect(error?.description.hasSuffix("got \(text.debugDescription)") == true)
    }
}

@Suite("Configuration: errors name the key")
struct ConfigErrorTests {
    @Test func wrongTypeNamesKeyAndValue() {
        let error = failure("[mqtt]\nurl = 42")
        #expect(error?.description == "mqtt.url: expected a string like mqtt://host:1883, got 42")
        #expect(error?.code == .wrongType)
        #expect(message("[mqtt]\nkeepalive_s = \"30\"") == "mqtt.keepalive_s: expected an integer, got \"30\"")
        #expect(message("[sandbox]\nenabled = \"yes\"") == "sandbox.enabled: expected true or false, got \"yes\"")
        #expect(message("[budget]\ndaily_usd = \"1\"") == "budget.daily_usd: expected a number, got \"1\"")
        #expect(message("mqtt = 1") == "mqtt: expected a table [mqtt], got 1")
        #expect(message("[node]\nname = 2021-01-01") == "node.name: expected a string, got a date")
    }

    @Test func choicesListTheAllowedValues() {
        #expect(message("[mqtt]\nprotocol = \"4\"") == #"mqtt.protocol: must be "5" or "3.1.1", got "4""#)
        #expect(message("[mqtt]\nprotocol = 5") == #"mqtt.protocol: must be "5" or "3.1.1", got 5"#)
        let level = failure("[log]\nlevel = \"verbose\"")?.description
        #expect(level?.hasPrefix(#"log.level: must be one of "trace", "debug", "info""#) == true)
        #expect(failure("[journal]\nsynchronous = \"off\"")?.code == .invalidValue)
    }

    @Test func unknownKeysAreErrorsWithSuggestions() {
        let topLevel = failure("[mqqt]\nurl = \"mqtt://x\"")
        #expect(topLevel?.description == "unknown key 'mqqt' (did you mean 'mqtt'?)")
        #expect(topLevel?.code == .unknownKey)
        #expect(message("[mqtt]\nurll = \"mqtt://x\"") == "unknown key 'mqtt.urll' (did you mean 'mqtt.url'?)")
        #expect(message("[mqtt]\nkeepalive = 10") == "unknown key 'mqtt.keepalive' (did you mean 'mqtt.keepalive_s'?)")
        #expect(message("[mqtt]\nfrobnicate = 1") == "unknown key 'mqtt.frobnicate'")
        #expect(message("colour = \"blue\"") == "unknown key 'colour'")
    }

    @Test func rangesAreChecked() {
        #expect(message("[mqtt]\nkeepalive_s = 3") == "mqtt.keepalive_s: must be 0 (off) or at least 5, got 3")
        #expect(message("[mqtt]\nkeepalive_s = 70000") == "mqtt.keepalive_s: must be between 0 and 65535, got 70000")
        #expect(failure("[requests]\ndefault_timeout_s = 0")?.problems.first?.key == "requests.default_timeout_s")
        let reconnect = failure("[mqtt]\nreconnect_min_s = 10\nreconnect_max_s = 5")
        #expect(reconnect?.problems.first?.key == "mqtt.reconnect_max_s")
        #expect(failure("[budget]\nmonthly_usd = -1.0")?.problems.first?.key == "budget.monthly_usd")
        #expect(failure("[budget]\ndaily_usd = nan")?.problems.first?.key == "budget.daily_usd")
        #expect(message("[journal]\ndedupe_window_s = -1") == "journal.dedupe_window_s: must be at least 0, got -1")
    }

    @Test(arguments: ["", "/council", "council/", "a//b", "council/+", "council/#", "$SYS"])
    func rejectsBadBaseTopics(topic: String) {
        let error = failure("[mqtt]\nbase_topic = \(topic.debugDescription)")
        #expect(error?.problems.first?.key == "mqtt.base_topic")
    }

    @Test func rejectsBadNodeNames() {
        #expect(
            failure("[node]\nname = \"kitchen pi\"")?.description
                == #"node.name: may contain only letters, digits, '-' and '_', got "kitchen pi""#)
        #expect(failure("[node]\nname = \"a/b\"")?.problems.first?.key == "node.name")
    }

    @Test func tlsSettingsNeedMQTTS() {
        let error = failure("[mqtt]\ntls_insecure = true")
        #expect(error?.description == "mqtt.tls_insecure: is set but mqtt.url uses mqtt:// (use mqtts:// for TLS)")
        let pair = failure("[mqtt]\nurl = \"mqtts://b\"\ncert_file = \"/etc/hostname\"")
        #expect(pair?.description == "mqtt.key_file: must be set together with cert_file")
        let missing = failure("[mqtt]\nurl = \"mqtts://b\"\nca_file = \"/nonexistent/ca.pem\"")
        #expect(missing?.description == "mqtt.ca_file: cannot read /nonexistent/ca.pem")
    }

    @Test func reportsEveryProblemAtOnce() {
        let error = failure(
            """
            [mqtt]
            url = 42
            protocol = "4"
            [budget]
            timezone = "Mars/Olympus"
            [sandbox]
            enabeld = true
            """)
        #expect(
            Set(error?.problems.compactMap(\.key) ?? [])
                == ["mqtt.url", "mqtt.protocol", "budget.timezone", "sandbox.enabeld"])
        #expect(error?.description.split(separator: "\n").count == 4)
    }

    @Test func syntaxErrorsHaveLineAndColumn() {
        let error = failure("[mqtt]\nurl = \"mqtt://x\"\nbase_topic = = \"x\"\n")
        #expect(error?.code == .syntax)
        #expect(error?.description.hasPrefix("<config>:3:") == true, "\(String(describing: error))")
        let scratch = ScratchDirectory()
        let path = scratch.write("broken.toml", "[node\nname = 1\n")
        do {
            _ = try CouncilConfig.load(path: path, environment: [:])
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.code == .syntax)
            #expect(error.description.hasPrefix("\(path):1:"), "\(error)")
        }
    }

    @Test func missingFileIsAnError() {
        do {
            _ = try CouncilConfig.load(path: "/nonexistent/council.toml", environment: [:])
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .unreadableFile)
            #expect(error.description == "cannot read config file /nonexistent/council.toml: No such file or directory")
        }
    }

    @Test func timeZonesMustExist() throws {
        let error = failure("[budget]\ntimezone = \"Mars/Olympus\"")
        #expect(error?.problems.first?.key == "budget.timezone")
        #expect(error?.description.hasPrefix(#"budget.timezone: unknown time zone "Mars/Olympus""#) == true)
        #expect(failure("[budget]\ntimezone = \"../../etc/passwd\"")?.problems.first?.key == "budget.timezone")
        #expect(failure("[budget]\ntimezone = \"Europe\"")?.problems.first?.key == "budget.timezone")
        #expect(try load("[budget]\ntimezone = \"America/New_York\"").budget.timezone == "America/New_York")
        #expect(try load("[budget]\ntimezone = \"UTC\"").budget.timezone == "UTC")
    }
}

@Suite("Configuration: secrets")
struct ConfigSecretTests {
    @Test func passwordFromEnvironment() throws {
        let config = try load("", environment: ["COUNCIL_MQTT_PASSWORD": "s3cret\n"])
        #expect(config.mqtt.password?.reveal() == "s3cret")
        #expect(config.mqtt.passwordSource == .environment(variable: "COUNCIL_MQTT_PASSWORD"))
        #expect(config.mqtt.passwordSource.description == "env COUNCIL_MQTT_PASSWORD")
        let renamed = try load("[mqtt]\npassword_env = \"PW\"", environment: ["PW": "x", "COUNCIL_MQTT_PASSWORD": "y"])
        #expect(renamed.mqtt.password?.reveal() == "x")
    }

    @Test func passwordFileWinsOverEnvironment() throws {
        let scratch = ScratchDirectory()
        let file = scratch.write("pw", "from-file\r\n")
        let config = try load("[mqtt]\npassword_file = \"\(file)\"", environment: ["COUNCIL_MQTT_PASSWORD": "env"])
        #expect(config.mqtt.password?.reveal() == "from-file")
        #expect(config.mqtt.passwordSource.description == "file \(file)")
    }

    @Test func credentialWinsOverFileAndEnvironment() throws {
        let scratch = ScratchDirectory()
        let credential = scratch.write("mqtt_password", "from-credential\n")
        let file = scratch.write("pw", "from-file")
        let environment = ["CREDENTIALS_DIRECTORY": scratch.path, "COUNCIL_MQTT_PASSWORD": "env"]
        let config = try load("[mqtt]\npassword_file = \"\(file)\"", environment: environment)
        #expect(config.mqtt.password?.reveal() == "from-credential")
        #expect(config.mqtt.passwordSource == .credential(path: credential))
        #expect(config.mqtt.passwordSource.description == "credential")
        // A credentials directory without mqtt_password falls through to the next source.
        let empty = ScratchDirectory()
        let fallback = try load("", environment: ["CREDENTIALS_DIRECTORY": empty.path, "COUNCIL_MQTT_PASSWORD": "env"])
        #expect(fallback.mqtt.password?.reveal() == "env")
    }

    @Test func unreadablePasswordFileNamesTheKeyNotTheContents() throws {
        let missing = failure("[mqtt]\npassword_file = \"/nonexistent/pw\"")
        #expect(missing?.description == "mqtt.password_file: cannot read /nonexistent/pw: No such file or directory")
        #expect(missing?.code == .unreadableSecret)
        let scratch = ScratchDirectory()
        let empty = scratch.write("empty", "\n")
        #expect(failure("[mqtt]\npassword_file = \"\(empty)\"")?.description == "mqtt.password_file: \(empty) is empty")
        if geteuid() != 0 {
            let locked = scratch.write("locked", "hunter2", mode: 0o000)
            let error = failure("[mqtt]\npassword_file = \"\(locked)\"")
            #expect(error?.description.contains("Permission denied") == true)
            #expect(error?.description.contains("hunter2") == false)
        }
    }

    @Test func controlTokenFromCredentialFileOrEnvironmentIsMasked() throws {
        let fromEnvironment = try load("", environment: ["COUNCIL_CONTROL_TOKEN": "dash-token"])
        #expect(fromEnvironment.control.token?.reveal() == "dash-token")
        #expect(fromEnvironment.renderEffective().contains("# token: ******** (from env COUNCIL_CONTROL_TOKEN)"))
        #expect(!fromEnvironment.renderEffective().contains("dash-token"))
        let scratch = ScratchDirectory()
        let file = scratch.write("token", "from-file\n")
        let fromFile = try load("[control]\ntoken_file = \"\(file)\"", environment: ["COUNCIL_CONTROL_TOKEN": "env"])
        #expect(fromFile.control.token?.reveal() == "from-file")
        _ = scratch.write("control_token", "from-credential")
        let fromCredential = try load("", environment: ["CREDENTIALS_DIRECTORY": scratch.path])
        #expect(fromCredential.control.token?.reveal() == "from-credential")
        #expect(try load("").control.token == nil)
        #expect(
            failure("[control]\ntoken_file = \"/nonexistent/t\"")?.description.hasPrefix("control.token_file") == true)
    }

    @Test func secretsNeverShowWhenPrinted() throws {
        let secret = "correct-horse-battery-staple"
        let config = try load("", environment: ["COUNCIL_MQTT_PASSWORD": secret])
        var dumped = ""
        dump(config, to: &dumped)
        for text in [
            config.description, config.debugDescription, config.renderEffective(), String(reflecting: config),
            "\(config.mqtt)", dumped,
        ] {
            #expect(!text.contains(secret))
        }
        #expect(config.description.contains("password: ******** (env COUNCIL_MQTT_PASSWORD)"))
        #expect(config.renderEffective().contains("# password: ******** (from env COUNCIL_MQTT_PASSWORD)"))
        #expect(try load("").renderEffective().contains("# password: none"))
    }
}

@Suite("Configuration: models and the effective view")
struct ConfigModelTests {
    static let twoModels = """
        [[models]]
        name = "local"
        provider = "openai-compatible"
        endpoint = "http://127.0.0.1:8080/v1"
        model = "llama3.2"
        tier = "local"

        [[models]]
        name = "claude"
        provider = "anthropic"
        model = "claude-3-5-haiku-latest"
        api_key_env = "ANTHROPIC_API_KEY"
        input_usd_per_mtok = 0.8
        output_usd_per_mtok = 4
        """

    @Test func readsModelsInOrderWithDefaults() throws {
        let config = try load(Self.twoModels, environment: ["ANTHROPIC_API_KEY": "sk-ant-123"])
        #expect(config.models.map(\.name) == ["local", "claude"])
        let local = config.models[0]
        #expect(local.provider == .openAICompatible && local.tier == .local && local.apiKey == nil)
        let claude = config.models[1]
        #expect(claude.provider == .anthropic)
        #expect(claude.endpoint == "https://api.anthropic.com/v1")
        #expect(claude.tier == .cloud)
        #expect(claude.apiKey?.reveal() == "sk-ant-123")
        #expect(claude.apiKeySource == .environment(variable: "ANTHROPIC_API_KEY"))
        #expect(claude.inputUSDPerMillionTokens == 0.8 && claude.outputUSDPerMillionTokens == 4.0)
        #expect(!config.renderEffective().contains("sk-ant-123"))
        #expect(config.renderEffective().contains("# api key: ******** (from env ANTHROPIC_API_KEY)"))
    }

    @Test func modelProblemsNameTheEntry() {
        let error = failure(
            """
            [[models]]
            name = "a"
            provider = "openai-compatible"
            model = "m"
            [[models]]
            name = "a"
            provider = "mistral"
            endpoint = "ftp://x"
            [[models]]
            name = "c"
            provider = "openai"
            model = "gpt"
            api_key_file = "/nonexistent/key"
            """)
        let keys = Set(error?.problems.compactMap(\.key) ?? [])
        #expect(
            keys == [
                "models[0].endpoint", "models[1].name", "models[1].provider", "models[1].endpoint", "models[1].model",
                "models[2].api_key_file", "models[0].output_usd_per_mtok", "models[1].output_usd_per_mtok",
                "models[2].output_usd_per_mtok",
            ])
        #expect(message("models = 3") == "models: expected an array of tables [[models]], got 3")
        #expect(failure("[models]\nname = \"x\"")?.problems.first?.key == "models")
        #expect(
            failure(
                "[[models]]\nname = \"x\"\nprovider = \"openai\"\nmodel = \"m\"\ntier = \"local\"\ntemperature = 1")?
                .description == "unknown key 'models[0].temperature'")
    }

    @Test func effectiveConfigurationLoadsBackToTheSameValue() throws {
        let scratch = ScratchDirectory()
        let keyFile = scratch.write("key", "sk-file")
        let toml =
            Self.twoModels + "\napi_key_file = \"\(keyFile)\"\n" + """
                [mqtt]
                base_topic = "home/\\"quoted\\""
                username = "tab\\there"
                [budget]
                daily_usd = 0.3
                """
        let environment = ["ANTHROPIC_API_KEY": "k", "COUNCIL_MQTT_PASSWORD": "pw"]
        let config = try load(toml, environment: environment)
        #expect(config.models[1].apiKeySource == .file(path: keyFile))
        let rendered = config.renderEffective()
        let reloaded = try CouncilConfig.parse(toml: rendered, environment: environment)
        #expect(reloaded == config)
        #expect(rendered.contains(#"base_topic = "home/\"quoted\"""#))
        #expect(rendered.contains("daily_usd = 0.3"))
        #expect(rendered.contains("[[models]]"))
    }

    @Test func sandboxProfilesFromTheFileOverrideAndExtendTheBuiltIns() throws {
        let config = try load(
            """
            [sandbox]
            max_concurrent = 4
            default_profile = "tiny"
            [sandbox.heavy]
            wall_ms = 120000
            [sandbox.tiny]
            memory_bytes = 67108864
            pids = 8
            """)
        #expect(config.sandbox.maxConcurrent == 4)
        #expect(config.sandbox.profiles["heavy"]?[.wallTime] == 120_000)
        #expect(config.sandbox.profiles["heavy"]?[.memory] == 1 << 30)
        #expect(config.sandbox.profiles["tiny"]?[.pids] == 8)
        #expect(config.sandbox.profiles["tiny"]?[.wallTime] == 5_000)
        #expect(config.sandbox.configuration.defaultProfile == "tiny")
        #expect(failure("[sandbox]\ndefault_profile = \"huge\"")?.problems.first?.key == "sandbox.default_profile")
        #expect(
            failure("[sandbox.light]\nwall_seconds = 3")?.description.contains("sandbox.light.wall_seconds") == true)
    }

    @Test func cloudModelsNeedPricesSoTheBudgetCanCapThem() {
        let error = failure("[[models]]\nname = \"gpt\"\nprovider = \"openai\"\nmodel = \"gpt-4o-mini\"")
        #expect(error?.problems.first?.key == "models[0].output_usd_per_mtok")
        #expect(error?.description.contains("tier = \"local\"") == true)
    }

    @Test func apiKeyFromTheModelsSystemdCredential() throws {
        let scratch = ScratchDirectory()
        _ = scratch.write("api_key_claude", "from-credential\n")
        let config = try load(
            Self.twoModels, environment: ["CREDENTIALS_DIRECTORY": scratch.path, "ANTHROPIC_API_KEY": "from-env"])
        #expect(config.models[1].apiKey?.reveal() == "from-credential")
        #expect(config.models[0].apiKey == nil)
    }

    @Test func infoJSONHasNoSecrets() throws {
        let environment = ["ANTHROPIC_API_KEY": "sk-ant-999", "COUNCIL_MQTT_PASSWORD": "pw-777"]
        let info = try load(Self.twoModels, environment: environment).infoJSON()
        let text = info.encodedString()
        #expect(!text.contains("sk-ant-999") && !text.contains("pw-777"))
        #expect(info.objectValue?.keys.first == "node")
        #expect(info["mqtt"]?["password_set"] == true)
        #expect(info["mqtt"]?["password_source"] == "env COUNCIL_MQTT_PASSWORD")
        #expect(info["mqtt"]?["url"] == "mqtt://127.0.0.1:1883")
        #expect(info["models"]?[1]?["api_key_set"] == true)
        #expect(info["models"]?[0]?["api_key_set"] == false)
        #expect(info["budget"]?["daily_usd"] == 1.0)
    }

    @Test func processEnvironmentIsRead() {
        let environment = CouncilConfig.processEnvironment()
        #expect(environment["PATH"] != nil)
        #expect(environment["PATH"] == getenv("PATH").map { String(cString: $0) })
    }

    @Test func effectiveDefaultsListEveryKey() throws {
        let rendered = try load("").renderEffective()
        for key in [
            "name", "state_dir", "url", "base_topic", "client_id", "protocol", "username", "password_file",
            "password_env", "keepalive_s", "session_expiry_s", "reconnect_min_s", "reconnect_max_s",
            "max_payload_bytes", "ca_file", "cert_file", "key_file", "tls_insecure", "synchronous", "dedupe_window_s",
            "default_timeout_s", "level", "daily_usd", "monthly_usd", "timezone", "cloud_escalation", "enabled",
        ] {
            #expect(rendered.contains("\n\(key) = "), "missing \(key)")
        }
    }
}
