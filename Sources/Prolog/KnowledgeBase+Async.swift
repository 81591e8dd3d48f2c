extension KnowledgeBase {
    /// Runs a query like ``solve(_:maxSolutions:limits:cancellation:)`` on a thread of its own, so an async caller
    /// never blocks a Swift concurrency thread. Cancelling the calling task stops the query (it then throws
    /// ``PrologError/cancelled``).
    public func solveDetached(
        _ goal: String, maxSolutions: Int = 10, limits: PrologLimits = PrologLimits()
    ) async throws(PrologError) -> PrologResult {
        let cancellation = PrologCancellation()
        let knowledgeBase = self
        let result = await withTaskCancellationHandler {
            await LargeStack.detached { () -> Result<PrologResult, PrologError> in
                Result { () throws(PrologError) in
                    try knowledgeBase.solveHere(
                        goal, maxSolutions: maxSolutions, limits: limits, cancellation: cancellation)
                }
            }
        } onCancel: {
            cancellation.cancel()
        }
        return try result.get()
    }
}
