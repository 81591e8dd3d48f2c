/// An HTTP/1.1 and HTTP/2 client over libcurl for the LLM providers.
///
/// Transfers run on one dedicated thread (not the cooperative pool) that drives a `curl_multi` handle, so
/// connections are kept alive and reused across requests to the same host. A request is aborted promptly when the
/// calling task is cancelled, its deadline or timeout passes, or its body is abandoned.
public final class HTTPClient: Sendable {
    /// A client shared by the whole process; it is never shut down.
    public static let shared = HTTPClient()

    private let engine: CurlEngine

    /// Starts a client with its own thread and connection cache, keeping up to `maxIdleConnections` open.
    public init(maxIdleConnections: Int = 16) {
        engine = CurlEngine(maxIdleConnections: maxIdleConnections)
    }

    /// Sends `request` and returns as soon as the response head has arrived; the body streams in behind it.
    ///
    /// Throws ``ProviderError`` with code `timeout`, `connectionFailed`, `invalidRequest` or `cancelled`; an HTTP
    /// error status is not an error here (read ``HTTPResponse/status``).
    public func execute(_ request: HTTPRequest) async throws(ProviderError) -> HTTPResponse {
        let transfer = try CurlTransfer(request, delivery: .streaming, engine: engine)
        let engine = self.engine
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                transfer.onHead = continuation
                engine.submit(transfer)
            }
        } onCancel: {
            engine.cancel(transfer)
        }
        return try result.get()
    }

    /// Sends `request` and returns the whole response once it has arrived (the body read on the client's thread and
    /// handed over once, which is cheaper than ``execute(_:)`` for answers that are not streamed).
    ///
    /// Throws like ``execute(_:)``; a body larger than the request's `maxResponseBytes` fails as malformed.
    public func fetch(_ request: HTTPRequest) async throws(ProviderError) -> HTTPBufferedResponse {
        let transfer = try CurlTransfer(request, delivery: .buffered, engine: engine)
        let engine = self.engine
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                transfer.onComplete = continuation
                engine.submit(transfer)
            }
        } onCancel: {
            engine.cancel(transfer)
        }
        return try result.get()
    }

    /// Connections this client has opened so far; requests beyond that number reused a kept-alive connection.
    public var connectionsOpened: Int { engine.connectionsOpened }

    /// Aborts every transfer (they fail with `cancelled`) and stops the thread. Later requests fail at once.
    public func shutdown() {
        engine.stop()
    }

    deinit {
        engine.stop()
    }
}
