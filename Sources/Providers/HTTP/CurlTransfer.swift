import CCurl
import Synchronization

/// One HTTP request on one libcurl easy handle, from setup to the last body byte.
///
/// Created on the caller's task, then owned by the engine thread: every method but `requestCancel` runs there.
final class CurlTransfer: @unchecked Sendable {  // the engine thread alone touches the mutable state after submit
    /// The easy handle (`CURL *`); valid until `release()`.
    let easy: UnsafeMutableRawPointer
    /// `METHOD URL`, for error messages.
    let summary: String
    /// Set from any thread when the caller gives up; the engine removes the transfer when it sees it.
    let cancelRequested = Atomic<Bool>(false)

    private weak var engine: CurlEngine?
    private let maxResponseBytes: Int
    private let timeoutMilliseconds: Int
    private let deadlineBound: Bool
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var chunks: AsyncThrowingStream<[UInt8], any Error>?
    private let chunkSink: AsyncThrowingStream<[UInt8], any Error>.Continuation?

    /// How the response reaches the caller.
    enum Delivery {
        /// The head as soon as it is complete (``onHead``), then the body chunk by chunk.
        case streaming
        /// Head and body together when the transfer ends (``onComplete``): one hand-over instead of many.
        case buffered
    }

    let delivery: Delivery
    /// Streaming: resumed once with the response head or the failure before it; set before submitting.
    var onHead: CheckedContinuation<Result<HTTPResponse, ProviderError>, Never>?
    /// Buffered: resumed once with the whole response or the failure; set before submitting.
    var onComplete: CheckedContinuation<Result<HTTPBufferedResponse, ProviderError>, Never>?
    private var status = 0
    private var headers = HTTPHeaders()
    private var headComplete = false
    private var buffer: [UInt8] = []
    private var receivedBytes = 0
    private var failure: ProviderError?

    /// Prepares the easy handle; throws when the deadline has already passed or libcurl refuses an option.
    init(_ request: HTTPRequest, delivery: Delivery, engine: CurlEngine) throws(ProviderError) {
        self.delivery = delivery
        summary = request.description
        maxResponseBytes = request.maxResponseBytes
        var total = request.timeout
        var deadlineBound = false
        if let deadline = request.deadline {
            let remaining = deadline - ContinuousClock.now
            if remaining < total {
                total = remaining
                deadlineBound = true
            }
        }
        guard total > .zero else {
            throw ProviderError(.timeout, "\(request.description): the deadline passed before the request was sent")
        }
        self.deadlineBound = deadlineBound
        timeoutMilliseconds = max(1, Self.milliseconds(total))
        guard let easy = engine.takeHandle() else {
            throw ProviderError(.connectionFailed, "\(request.description): libcurl could not create a handle")
        }
        self.easy = easy
        self.engine = engine
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        if delivery == .streaming {
            let (chunks, chunkSink) = AsyncThrowingStream.makeStream(of: [UInt8].self)
            self.chunks = chunks
            self.chunkSink = chunkSink
            chunkSink.onTermination = { [weak self] termination in
                if case .cancelled = termination, let self { self.engine?.cancel(self) }
            }
        } else {
            chunks = nil
            chunkSink = nil
        }
        do throws(ProviderError) {
            try configure(request)
        } catch {
            release()
            throw error
        }
    }

    private func configure(_ request: HTTPRequest) throws(ProviderError) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        try set(CURLOPT_URL, string: request.url)
        try set(CURLOPT_PROTOCOLS_STR, string: "http,https")
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_TCP_NODELAY, 1)
        try set(CURLOPT_TCP_KEEPALIVE, 1)
        try set(CURLOPT_ACCEPT_ENCODING, string: "")
        try set(CURLOPT_CONNECTTIMEOUT_MS, max(1, Self.milliseconds(request.connectTimeout)))
        try set(CURLOPT_TIMEOUT_MS, timeoutMilliseconds)
        try check(council_curl_easy_setopt_pointer(easy, CURLOPT_PRIVATE, context), CURLOPT_PRIVATE)
        try check(council_curl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer), CURLOPT_ERRORBUFFER)
        try check(council_curl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context), CURLOPT_WRITEDATA)
        try check(council_curl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, context), CURLOPT_HEADERDATA)
        try check(
            council_curl_easy_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION) { data, size, count, context in
                let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
                return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
            }, CURLOPT_WRITEFUNCTION)
        try check(
            council_curl_easy_setopt_data_callback(easy, CURLOPT_HEADERFUNCTION) { data, size, count, context in
                let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
                return transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
            }, CURLOPT_HEADERFUNCTION)
        switch request.method {
        case .get:
            try set(CURLOPT_HTTPGET, 1)
        case .post:
            try set(CURLOPT_POST, 1)
            try check(
                council_curl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)),
                CURLOPT_POSTFIELDSIZE_LARGE)
            let code = request.body.withUnsafeBytes { bytes in
                // COPYPOSTFIELDS copies the bytes now; an empty body still needs a valid pointer.
                let pointer = bytes.baseAddress ?? UnsafeRawPointer(errorBuffer)
                return council_curl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, pointer)
            }
            try check(code, CURLOPT_COPYPOSTFIELDS)
        }
        // "Expect:" stops libcurl from waiting for a 100 Continue before sending larger bodies.
        for line in request.headers.map({ "\($0.name): \($0.value)" }) + ["Expect:"] {
            guard let list = curl_slist_append(headerList, line) else {
                throw ProviderError(.invalidRequest, "\(summary): libcurl could not store a header")
            }
            headerList = list
        }
        try check(council_curl_easy_setopt_pointer(easy, CURLOPT_HTTPHEADER, headerList), CURLOPT_HTTPHEADER)
    }

    private func set(_ option: CURLoption, _ value: Int) throws(ProviderError) {
        try check(council_curl_easy_setopt_long(easy, option, value), option)
    }

    private func set(_ option: CURLoption, string: String) throws(ProviderError) {
        // libcurl copies string options (since 7.17).
        let code = string.withCString { council_curl_easy_setopt_pointer(easy, option, $0) }
        try check(code, option)
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws(ProviderError) {
        guard code != CURLE_OK else { return }
        let reason = String(cString: curl_easy_strerror(code))
        let kind: ProviderError.Code = code == CURLE_UNSUPPORTED_PROTOCOL ? .invalidRequest : .connectionFailed
        throw ProviderError(
            kind, "\(summary): libcurl rejected option \(option.rawValue): \(reason)", underlying: Int32(code.rawValue))
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        guard seconds < Int64(Int32.max) else { return Int(Int32.max) }
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }

    // MARK: Engine thread

    /// One header line (status line, field, or the blank line that ends a head), as libcurl hands it over.
    private func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard !headComplete else { return bytes.count }  // trailers
        var end = bytes.count
        while end > 0, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<end]), as: UTF8.self)
        if line.isEmpty {
            _ = council_curl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            if (100..<200).contains(status) && status != 101 {
                headers = HTTPHeaders()  // an interim response; the real one follows
            } else {
                finishHead()
            }
        } else if line.hasPrefix("HTTP/") {
            headers = HTTPHeaders()
        } else if let colon = line.firstIndex(of: ":") {
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingWhitespace()
            headers.add(name, value)
        }
        return bytes.count
    }

    /// A piece of the body; returning less than its size makes libcurl abort the transfer.
    private func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        if !headComplete {
            _ = council_curl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            finishHead()
        }
        receivedBytes += bytes.count
        guard receivedBytes <= maxResponseBytes else {
            failure = ProviderError(
                .malformedResponse, "\(summary): the response body is larger than \(maxResponseBytes) bytes")
            return 0
        }
        if let chunkSink {
            if bytes.count > 0 { chunkSink.yield(Array(bytes)) }
        } else {
            buffer.append(contentsOf: bytes)
        }
        return bytes.count
    }

    /// The head is complete: a streaming caller gets it now.
    private func finishHead() {
        headComplete = true
        guard let chunks else { return }
        self.chunks = nil  // the response owns the stream now; the transfer keeps only the continuation
        let body = HTTPBody(chunks: chunks) { [weak self] in self?.requestCancel() }
        let response = HTTPResponse(status: status, headers: headers, body: body)
        onHead?.resume(returning: .success(response))
        onHead = nil
    }

    /// libcurl finished the transfer (the handle is already out of the multi handle).
    func complete(_ code: CURLcode) {
        if code == CURLE_OK {
            if !headComplete {
                _ = council_curl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
                finishHead()
            }
            chunkSink?.finish()
            onComplete?.resume(
                returning: .success(HTTPBufferedResponse(status: status, headers: headers, body: buffer)))
            onComplete = nil
            buffer = []
            release()
        } else {
            fail(failure ?? transportError(code))
        }
    }

    /// The transfer ends with `error` (the handle is already out of the multi handle, or was never in it).
    func fail(_ error: ProviderError) {
        if let onHead {
            onHead.resume(returning: .failure(error))
            self.onHead = nil
        } else if let onComplete {
            onComplete.resume(returning: .failure(error))
            self.onComplete = nil
        } else {
            chunkSink?.finish(throwing: error)
        }
        release()
    }

    /// New connections this transfer opened (0 when it reused one).
    var connectionsOpened: Int {
        var count = 0
        _ = council_curl_easy_getinfo_long(easy, CURLINFO_NUM_CONNECTS, &count)
        return count
    }

    private func transportError(_ code: CURLcode) -> ProviderError {
        let detail = errorBuffer[0] != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
        let underlying = Int32(code.rawValue)
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            let bound = deadlineBound ? "the caller's deadline" : "the request timeout"
            return ProviderError(
                .timeout, "\(summary): \(bound) of \(timeoutMilliseconds) ms passed (\(detail))", underlying: underlying
            )
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return ProviderError(.invalidRequest, "\(summary): \(detail)", underlying: underlying)
        default:
            let when = headComplete ? "the connection broke mid-response" : "no response"
            return ProviderError(.connectionFailed, "\(summary): \(when) (\(detail))", underlying: underlying)
        }
    }

    private var released = false

    /// Frees the handle and its buffers; once.
    private func release() {
        guard !released else { return }
        released = true
        if let engine {
            engine.recycle(easy)
        } else {
            curl_easy_cleanup(easy)
        }
        curl_slist_free_all(headerList)
        headerList = nil
        errorBuffer.deallocate()
    }

    /// Abandons the transfer from any thread; the engine aborts it promptly.
    func requestCancel() {
        engine?.cancel(self)
    }

    deinit {
        release()
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> String {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return String(text)
    }
}
