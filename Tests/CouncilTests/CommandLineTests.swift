import Council
import Foundation
import XCTest

/// The `council` executable as a user runs it: `config check`, `ask`, and `serve` against brokers that are missing,
/// come late, or want a password.
final class CommandLineTests: XCTestCase {
    func testConfigCheckPrintsEffectiveConfigurationWithSecretsMasked() throws {
        let folder = try temporaryFolder("check")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "hunter2-very-secret\n".write(toFile: folder + "/password", atomically: true, encoding: .utf8)
        try """
        [node]
        name = "checker"
        [mqtt]
        username = "council"
        password_file = "\(folder)/password"
        """.write(toFile: folder + "/council.toml", atomically: true, encoding: .utf8)
        let result = try runCouncil([
            "config", "check", "--config", folder + "/council.toml", "--broker", "mqtt://broker.lan:1884",
        ])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("mqtt://broker.lan:1884"), "the flag overrides mqtt.url")
        XCTAssertTrue(result.stdout.contains("checker"))
        XCTAssertTrue(result.stdout.contains("********"))
        XCTAssertFalse(result.stdout.contains("hunter2"), "the password must never be printed")
        XCTAssertFalse(result.stderr.contains("hunter2"))
        XCTAssertTrue(result.stderr.contains("configuration OK"))
    }

    func testInvalidConfigurationFailsNamingTheKey() throws {
        let folder = try temporaryFolder("invalid")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "[mqtt]\nurl = 42\nprotocol = \"4\"\n[mqqt]\n".write(
            toFile: folder + "/council.toml", atomically: true, encoding: .utf8)
        for command in [["config", "check"], ["serve"]] {
            let result = try runCouncil(command + ["--config", folder + "/council.toml"])
            XCTAssertEqual(result.status, 78, "EX_CONFIG for \(command)")
            XCTAssertTrue(result.stderr.contains("mqtt.url"), result.stderr)
            XCTAssertTrue(result.stderr.contains("mqtt.protocol"), result.stderr)
            XCTAssertTrue(result.stderr.contains("mqqt"), result.stderr)
        }
    }

    func testAskPrintsTheAnswerAndFailsClearlyWhenNothingCanAnswer() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let state = try temporaryFolder("ask")
        let daemon = try await RunningDaemon(settings: daemonSettings(broker: broker, stateDirectory: state))
        let noConfig = ["--config", "/dev/null", "--broker", broker.url]

        let answered = try runCouncil(["ask", "What is 15% of 240?"] + noConfig)
        XCTAssertEqual(answered.status, 0, answered.stderr)
        XCTAssertTrue(answered.stdout.hasSuffix("Answer: 36\n"), answered.stdout)

        let json = try runCouncil(["ask", "--json", "Solve", "x^2", "=", "9"] + noConfig)
        XCTAssertEqual(json.status, 0, json.stderr)
        let reply = try envelope(Array(json.stdout.utf8))
        XCTAssertEqual(reply["data"]?.objectValue?["answer"], "x = −3 or x = 3")

        let unanswerable = try runCouncil(["ask", "Who wrote Hamlet?"] + noConfig)
        XCTAssertEqual(unanswerable.status, 1)
        XCTAssertTrue(unanswerable.stderr.contains("no_backend"), unanswerable.stderr)

        let targeted = try runCouncil(["ask", "--node", "testnode", "2+3"] + noConfig)
        XCTAssertTrue(targeted.stdout.hasSuffix("Answer: 5\n"), targeted.stdout)
        try await daemon.stop()

        let noBroker = try runCouncil([
            "ask", "--timeout", "2", "2+2", "--config", "/dev/null", "--broker",
            "mqtt://127.0.0.1:\(try TestBroker.freePort())",
        ])
        XCTAssertEqual(noBroker.status, 1)
        XCTAssertTrue(noBroker.stderr.contains("could not connect"), noBroker.stderr)
    }

    /// The daemon says in its log that it cannot reach the broker, keeps retrying, and serves once the broker is up.
    func testServeLogsWhileTheBrokerIsMissingAndConnectsWhenItAppears() async throws {
        let folder = try temporaryFolder("late")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let port = try TestBroker.freePort()
        let serve = try startCouncil(
            [
                "serve", "--config", "/dev/null", "--broker", "mqtt://127.0.0.1:\(port)", "--state-dir",
                folder + "/state",
                "--node", "late",
            ],
            stdout: folder + "/out", stderr: folder + "/err")
        defer {
            kill(serve.processIdentifier, SIGKILL)
            waitForExit(serve)
        }
        let complained = await waitForText("cannot connect to mqtt://127.0.0.1:\(port)", inFile: folder + "/err")
        XCTAssertTrue(complained, (try? String(contentsOfFile: folder + "/err", encoding: .utf8)) ?? "")

        let broker = try TestBroker(port: port)
        defer { broker.stop() }
        let connected = await waitForText("connected to MQTT broker", inFile: folder + "/err", timeout: 15)
        XCTAssertTrue(connected)
        let requester = try await connectRequester(to: broker, node: "late")
        let reply = try envelope(try await requester.send(op: "ask", body: ["prompt": "6*7"], timeout: .seconds(10)))
        await requester.close()
        XCTAssertEqual(reply["data"]?.objectValue?["answer"], "42")
    }

    /// Username and password reach the broker; a wrong password is refused and said so in the log, without the
    /// password in it.
    func testBrokerPasswordFromTheEnvironmentAndRefusalIsLogged() async throws {
        let folder = try temporaryFolder("auth")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let passwords = folder + "/passwords"
        let make = Process()
        make.executableURL = URL(fileURLWithPath: "/usr/bin/mosquitto_passwd")
        make.arguments = ["-c", "-b", passwords, "council", "s3cret-pass"]
        try make.run()
        waitForExit(make)
        chmod(passwords, 0o644)
        let broker = try TestBroker(extraConfiguration: "password_file \(passwords)", allowAnonymous: false)
        defer { broker.stop() }
        try "[mqtt]\nusername = \"council\"\n".write(
            toFile: folder + "/council.toml", atomically: true, encoding: .utf8)
        let arguments = ["serve", "--config", folder + "/council.toml", "--broker", broker.url, "--node", "authnode"]

        let refused = try startCouncil(
            arguments + ["--state-dir", folder + "/s1"], environment: ["COUNCIL_MQTT_PASSWORD": "wrong-pass"],
            stdout: folder + "/out1", stderr: folder + "/err1")
        let logged = await waitForText("refused the connection", inFile: folder + "/err1")
        kill(refused.processIdentifier, SIGKILL)
        waitForExit(refused)
        XCTAssertTrue(logged, (try? String(contentsOfFile: folder + "/err1", encoding: .utf8)) ?? "")
        XCTAssertFalse(((try? String(contentsOfFile: folder + "/err1", encoding: .utf8)) ?? "").contains("wrong-pass"))

        let accepted = try startCouncil(
            arguments + ["--state-dir", folder + "/s2"], environment: ["COUNCIL_MQTT_PASSWORD": "s3cret-pass"],
            stdout: folder + "/out2", stderr: folder + "/err2")
        defer {
            kill(accepted.processIdentifier, SIGKILL)
            waitForExit(accepted)
        }
        let connected = await waitForText("connected to MQTT broker", inFile: folder + "/err2")
        XCTAssertTrue(connected, (try? String(contentsOfFile: folder + "/err2", encoding: .utf8)) ?? "")
        let ask = try runCouncil(
            ["ask", "--node", "authnode", "10 choose 3", "--config", folder + "/council.toml", "--broker", broker.url],
            environment: ["COUNCIL_MQTT_PASSWORD": "s3cret-pass"])
        XCTAssertTrue(ask.stdout.hasSuffix("Answer: 120\n"), ask.stdout + ask.stderr)
    }
}

/// `mqtts://` with a CA file: the daemon verifies the broker's certificate, and refuses one it cannot verify.
final class TLSTests: XCTestCase {
    func testServeOverTLSVerifiesTheBrokerCertificate() async throws {
        let folder = try temporaryFolder("tls")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try makeCertificates(in: folder)
        let port = try TestBroker.freePort()
        let plainPort = try TestBroker.freePort()
        let broker = try TestBroker(
            port: plainPort,
            extraConfiguration: """
                listener \(port) 127.0.0.1
                cafile \(folder)/ca.pem
                certfile \(folder)/server.pem
                keyfile \(folder)/server.key
                """)
        defer { broker.stop() }
        try "[mqtt]\nca_file = \"\(folder)/ca.pem\"\n".write(
            toFile: folder + "/council.toml", atomically: true, encoding: .utf8)
        let serve = try startCouncil(
            [
                "serve", "--config", folder + "/council.toml", "--broker", "mqtts://127.0.0.1:\(port)",
                "--state-dir", folder + "/state", "--node", "tlsnode",
            ],
            stdout: folder + "/out", stderr: folder + "/err")
        defer {
            kill(serve.processIdentifier, SIGKILL)
            waitForExit(serve)
        }
        let connected = await waitForText("connected to MQTT broker", inFile: folder + "/err")
        XCTAssertTrue(connected, (try? String(contentsOfFile: folder + "/err", encoding: .utf8)) ?? "")
        let ask = try runCouncil(
            [
                "ask", "--node", "tlsnode", "What is 2^10?", "--config", folder + "/council.toml",
                "--broker", "mqtts://127.0.0.1:\(port)",
            ])
        XCTAssertTrue(ask.stdout.hasSuffix("Answer: 1024\n"), ask.stdout + ask.stderr)

        // A client trusting a different CA must not connect.
        try makeCertificates(in: folder + "/other")
        try "[mqtt]\nca_file = \"\(folder)/other/ca.pem\"\n".write(
            toFile: folder + "/other.toml", atomically: true, encoding: .utf8)
        let untrusted = try runCouncil(
            [
                "ask", "--timeout", "2", "2+2", "--config", folder + "/other.toml", "--broker",
                "mqtts://127.0.0.1:\(port)",
            ])
        XCTAssertEqual(untrusted.status, 1)
        XCTAssertFalse(untrusted.stdout.contains("Answer"))
    }

    /// A throwaway CA and a server certificate for 127.0.0.1, made with openssl.
    private func makeCertificates(in folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let script = """
            set -e
            cd '\(folder)'
            openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=council-test-ca -keyout ca.key -out ca.pem 2>/dev/null
            openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout server.key -out server.csr 2>/dev/null
            printf 'subjectAltName=IP:127.0.0.1\\n' > san.ext
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile san.ext -out server.pem 2>/dev/null
            chmod 644 server.key ca.key
            """
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", script]
        try shell.run()
        XCTAssertEqual(waitForExit(shell, seconds: 30), 0, "openssl failed")
    }
}
