/// Where the MQTT broker listens: `mqtt://host[:port]` (plain TCP, default port 1883) or
/// `mqtts://host[:port]` (TLS, default port 8883). IPv6 hosts go in brackets: `mqtt://[::1]:1883`.
public struct BrokerURL: Sendable, Hashable, CustomStringConvertible {
    /// Whether the connection uses TLS (`mqtts://`).
    public var usesTLS: Bool
    /// Host name or IP address, without brackets.
    public var host: String
    /// TCP port.
    public var port: Int

    /// The port used when the URL names none.
    public static func defaultPort(tls: Bool) -> Int { tls ? 8883 : 1883 }

    /// A broker address.
    public init(host: String, port: Int? = nil, usesTLS: Bool = false) {
        self.usesTLS = usesTLS
        self.host = host
        self.port = port ?? Self.defaultPort(tls: usesTLS)
    }

    /// Parses `text`; the error is a sentence to show after the key name.
    public init(parsing text: String) throws(BrokerURLError) {
        let tls: Bool
        let rest: Substring
        if text.hasPrefix("mqtt://") {
            tls = false
            rest = text.dropFirst("mqtt://".count)
        } else if text.hasPrefix("mqtts://") {
            tls = true
            rest = text.dropFirst("mqtts://".count)
        } else {
            throw BrokerURLError("must start with mqtt:// or mqtts://")
        }
        var authority = rest
        if authority.hasSuffix("/") { authority = authority.dropLast() }
        guard !authority.contains("/"), !authority.contains("?"), !authority.contains("#") else {
            throw BrokerURLError("must not have a path or query, only mqtt://host:port")
        }
        guard !authority.contains("@") else {
            throw BrokerURLError("must not contain credentials; use mqtt.username and mqtt.password_file")
        }
        let host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw BrokerURLError("has an unclosed '['") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw BrokerURLError("expected ':port' after ']'") }
                portText = after.dropFirst()
            }
            guard host.contains(":") else { throw BrokerURLError("brackets are only for IPv6 addresses") }
        } else if let colon = authority.firstIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { throw BrokerURLError("has no host") }
        guard host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._:%".contains($0)) }) else {
            throw BrokerURLError("has an invalid host \"\(host)\"")
        }
        var port: Int?
        if let portText {
            guard let number = Int(portText), (1...65535).contains(number), portText.allSatisfy(\.isASCII) else {
                throw BrokerURLError("has an invalid port \"\(portText)\" (1-65535)")
            }
            port = number
        }
        self.init(host: String(host), port: port, usesTLS: tls)
    }

    /// `mqtt://host:port` or `mqtts://host:port`, always with the port.
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(usesTLS ? "mqtts" : "mqtt")://\(shownHost):\(port)"
    }
}

/// Why a broker URL was rejected.
public struct BrokerURLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, e.g. "must start with mqtt:// or mqtts://".
    public let reason: String

    init(_ reason: String) { self.reason = reason }

    /// The reason.
    public var description: String { reason }
}
