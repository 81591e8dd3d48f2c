/// The head of an HTTP response and its body, which arrives as it is received.
public struct HTTPResponse: Sendable {
    /// The status code of the final response (1xx interim responses are skipped).
    public let status: Int
    /// The header fields of the final response.
    public let headers: HTTPHeaders
    /// The body, delivered chunk by chunk as it arrives; iterate it once.
    public let body: HTTPBody

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }
}

/// A whole response, read to its end before the caller sees it.
public struct HTTPBufferedResponse: Sendable {
    /// The status code of the final response.
    public let status: Int
    /// The header fields of the final response.
    public let headers: HTTPHeaders
    /// The whole body.
    public let body: [UInt8]

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }
}

/// A response body as byte chunks in arrival order. Stopping the iteration early (or cancelling the task that
/// iterates) aborts the transfer and frees its connection.
public struct HTTPBody: AsyncSequence, Sendable {
    /// A chunk of bytes as libcurl received it.
    public typealias Element = [UInt8]
    /// Transfer failures: timeout, connection lost, too large, cancelled.
    public typealias Failure = ProviderError

    let chunks: AsyncThrowingStream<[UInt8], any Error>
    let abandon: @Sendable () -> Void

    /// Iterates the chunks.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: chunks.makeAsyncIterator(), guard: IterationGuard(abandon: abandon))
    }

    /// Reads the whole body, failing as malformed when it exceeds `limit` bytes.
    public func collect(upTo limit: Int) async throws(ProviderError) -> [UInt8] {
        var bytes: [UInt8] = []
        for try await chunk in self {
            guard bytes.count + chunk.count <= limit else {
                throw ProviderError(.malformedResponse, "the response body is larger than \(limit) bytes")
            }
            bytes.append(contentsOf: chunk)
        }
        return bytes
    }

    /// The iterator of ``HTTPBody``.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<[UInt8], any Error>.AsyncIterator
        let `guard`: IterationGuard

        /// The next chunk, or nil at the end of the body.
        public mutating func next() async throws(ProviderError) -> [UInt8]? {
            try await next(isolation: nil)
        }

        /// The next chunk, or nil at the end of the body.
        public mutating func next(isolation actor: isolated (any Actor)?) async throws(ProviderError) -> [UInt8]? {
            do {
                if let chunk = try await base.next(isolation: actor) { return chunk }
            } catch let error as ProviderError {
                `guard`.markFinished()
                throw error
            } catch {
                `guard`.markFinished()
                throw ProviderError(.cancelled, "the response body was abandoned")
            }
            `guard`.markFinished()
            // The stream also ends without an error when the iterating task is cancelled.
            if Task.isCancelled { throw ProviderError(.cancelled, "the request was cancelled") }
            return nil
        }
    }
}
