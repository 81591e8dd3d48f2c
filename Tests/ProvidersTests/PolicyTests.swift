import Providers
import XCTest

/// Prices and the retry policy as the router and the budget use them.
final class PolicyTests: XCTestCase {
    func testCostChargesCachedInputAtItsOwnPrice() {
        let prices = ModelPrices(
            inputUSDPerMillionTokens: 2.5, outputUSDPerMillionTokens: 10, cachedInputUSDPerMillionTokens: 1.25)
        let usage = Usage(inputTokens: 1_000_000, outputTokens: 100_000, cachedInputTokens: 400_000)
        XCTAssertEqual(prices.cost(of: usage), 0.6 * 2.5 + 0.4 * 1.25 + 0.1 * 10, accuracy: 1e-12)
        let uncachedPrice = ModelPrices(inputUSDPerMillionTokens: 2.5, outputUSDPerMillionTokens: 10)
        XCTAssertEqual(uncachedPrice.cost(of: usage), 2.5 + 1.0, accuracy: 1e-12)
        XCTAssertEqual(ModelPrices().cost(of: usage), 0)
        XCTAssertTrue(ModelPrices().isFree)
        XCTAssertFalse(prices.isFree)
    }

    func testBackoffGrowsWithJitterAndStopsAtTheLimits() throws {
        let policy = RetryPolicy(
            maxAttempts: 4, initialBackoff: .milliseconds(100), maxBackoff: .milliseconds(300),
            maxRetryAfter: .seconds(5))
        let overloaded = ProviderError(.overloaded, "busy")
        for _ in 0..<50 {
            let first = try XCTUnwrap(policy.delay(after: overloaded, attempt: 1, deadline: nil))
            XCTAssertTrue((.milliseconds(50)...(.milliseconds(100))).contains(first), "\(first)")
            let second = try XCTUnwrap(policy.delay(after: overloaded, attempt: 2, deadline: nil))
            XCTAssertTrue((.milliseconds(100)...(.milliseconds(200))).contains(second), "\(second)")
            let third = try XCTUnwrap(policy.delay(after: overloaded, attempt: 3, deadline: nil))
            XCTAssertTrue((.milliseconds(150)...(.milliseconds(300))).contains(third), "\(third)")
        }
        XCTAssertNil(policy.delay(after: overloaded, attempt: 4, deadline: nil), "out of attempts")
        XCTAssertNil(policy.delay(after: ProviderError(.quotaExhausted, "pay"), attempt: 1, deadline: nil))
        XCTAssertNil(policy.delay(after: ProviderError(.contextTooLong, "long"), attempt: 1, deadline: nil))
        XCTAssertNil(policy.delay(after: ProviderError(.cancelled, "bye"), attempt: 1, deadline: nil))
    }

    func testRetryAfterSetsTheFloorWithinTheDeadline() {
        let policy = RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(10))
        let limited = ProviderError(.rateLimited, "slow down", status: 429, retryAfter: .seconds(2))
        XCTAssertEqual(policy.delay(after: limited, attempt: 1, deadline: nil), .seconds(2))
        let now = ContinuousClock.now
        XCTAssertNil(policy.delay(after: limited, attempt: 1, deadline: now + .seconds(1), now: now))
        XCTAssertNotNil(policy.delay(after: limited, attempt: 1, deadline: now + .seconds(3), now: now))
        let tooLong = ProviderError(.rateLimited, "later", status: 429, retryAfter: .seconds(60))
        XCTAssertNil(policy.delay(after: tooLong, attempt: 1, deadline: nil))
    }

    func testErrorCodesSayWhatToDo() {
        let retryable: [ProviderError.Code] = [.rateLimited, .overloaded, .serverError, .timeout, .connectionFailed]
        let final: [ProviderError.Code] = [
            .malformedResponse, .contextTooLong, .authenticationFailed, .quotaExhausted, .invalidRequest,
            .coolingDown, .cancelled,
        ]
        XCTAssertTrue(retryable.allSatisfy(\.isRetryable))
        XCTAssertFalse(final.contains(where: \.isRetryable))
        XCTAssertEqual(ProviderError.Code.quotaExhausted.description, "quota_exhausted")
        XCTAssertEqual(ProviderError.Code.contextTooLong.description, "context_too_long")
    }
}
