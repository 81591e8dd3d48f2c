/// One HTTP request for ``HTTPClient``: method, URL, headers, body and the limits of the transfer.
public struct HTTPRequest: Sendable, CustomStringConvertible {
    /// The HTTP methods the providers need.
    public enum Method: String, Sendable {
        /// GET.
        case get = "GET"
        /// POST.
        case post = "POST"
    }

    /// The method.
    public var method: Method
    /// The absolute `http://` or `https://` URL.
    public var url: String
    /// Header fields to send (credentials included; ``HTTPHeaders`` never prints them).
    public var headers: HTTPHeaders
    /// The body; sent with `Content-Length` when the method is POST.
    public var body: [UInt8]
    /// How long connecting (TCP and TLS) may take. Default 10 s.
    public var connectTimeout: Duration
    /// How long the whole transfer may take, body included. Default 300 s.
    public var timeout: Duration
    /// When the caller stops waiting: the transfer is aborted then, whichever of this and `timeout` comes first.
    public var deadline: ContinuousClock.Instant?
    /// The most body bytes accepted; a longer response fails as malformed. Default 32 MiB.
    public var maxResponseBytes: Int

    /// Creates a request with the default limits.
    public init(
        method: Method, url: String, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [],
        connectTimeout: Duration = .seconds(10), timeout: Duration = .seconds(300),
        deadline: ContinuousClock.Instant? = nil, maxResponseBytes: Int = 32 << 20
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.deadline = deadline
        self.maxResponseBytes = maxResponseBytes
    }

    /// `METHOD URL` (the URL never carries a key: every provider sends it in a header).
    public var description: String { "\(method.rawValue) \(url)" }
}
