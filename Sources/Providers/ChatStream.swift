/// What a streamed answer delivers: text as it is generated, then the whole result.
public enum ChatStreamEvent: Sendable, Equatable {
    /// The next piece of text.
    case delta(String)
    /// The end: the whole text, finish reason and usage. Always the last event of a successful stream.
    case finished(ChatResult)
}

/// A streamed answer: ``ChatStreamEvent/delta(_:)`` events as tokens arrive, then one
/// ``ChatStreamEvent/finished(_:)``. The request starts when the stream is made; stopping the iteration (or
/// cancelling the iterating task) aborts it. Errors are ``ProviderError``s.
public struct ChatStream: AsyncSequence, Sendable {
    /// A stream event.
    public typealias Element = ChatStreamEvent
    /// Why the stream failed.
    public typealias Failure = ProviderError

    /// Where a producer puts the events of a ``ChatStream``.
    public struct Sink: Sendable {
        let continuation: AsyncThrowingStream<ChatStreamEvent, any Error>.Continuation

        /// Delivers a piece of text (empty pieces are dropped).
        public func delta(_ text: String) {
            if !text.isEmpty { continuation.yield(.delta(text)) }
        }

        /// Delivers the final result; the producer should return after it.
        public func finish(_ result: ChatResult) {
            continuation.yield(.finished(result))
        }
    }

    private let events: AsyncThrowingStream<ChatStreamEvent, any Error>
    private let cancel: @Sendable () -> Void

    /// A stream whose events `produce` delivers; it runs in its own task, which is cancelled when the consumer
    /// stops iterating. What `produce` throws ends the stream with that error.
    public init(_ produce: @escaping @Sendable (Sink) async throws(ProviderError) -> Void) {
        let (events, continuation) = AsyncThrowingStream.makeStream(of: ChatStreamEvent.self)
        self.events = events
        let task = Task {
            do throws(ProviderError) {
                try await produce(Sink(continuation: continuation))
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        cancel = { task.cancel() }
    }

    /// A stream that fails at once with `error`.
    public init(failing error: ProviderError) {
        self.init { _ throws(ProviderError) in throw error }
    }

    /// Iterates the events.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: events.makeAsyncIterator(), guard: IterationGuard(abandon: cancel))
    }

    /// Reads the stream to its end and returns the final result (the deltas are in its text).
    public func result() async throws(ProviderError) -> ChatResult {
        for try await event in self {
            if case .finished(let result) = event { return result }
        }
        throw ProviderError(.malformedResponse, "the stream ended without a final result")
    }

    /// The iterator of ``ChatStream``.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<ChatStreamEvent, any Error>.AsyncIterator
        let `guard`: IterationGuard

        /// The next event, or nil after the last.
        public mutating func next() async throws(ProviderError) -> ChatStreamEvent? {
            try await next(isolation: nil)
        }

        /// The next event, or nil after the last.
        public mutating func next(
            isolation actor: isolated (any Actor)?
        ) async throws(ProviderError) -> ChatStreamEvent? {
            do {
                if let event = try await base.next(isolation: actor) { return event }
            } catch let error as ProviderError {
                `guard`.markFinished()
                throw error
            } catch {
                `guard`.markFinished()
                throw ProviderError(.cancelled, "the stream was abandoned")
            }
            `guard`.markFinished()
            if Task.isCancelled { throw ProviderError(.cancelled, "the stream was cancelled") }
            return nil
        }
    }
}
