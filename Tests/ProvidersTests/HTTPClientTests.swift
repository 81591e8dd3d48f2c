import Foundation
import Providers
import XCTest

/// The libcurl client against a real socket: streaming, keep-alive, timeouts, cancellation.
final class HTTPClientTests: XCTestCase {
    var client: HTTPClient!

    override func setUp() {
        client = HTTPClient()
    }

    override func tearDown() {
        client.shutdown()
    }

    func testStatusHeadersAndBodyArrive() async throws {
        let server = try FakeServer { request in
            Respond.json(
                #"{"seen":"\#(request.method)"}"#, status: 201, headers: [("X-Echo", request.header("x-test") ?? "")])
        }
        defer { server.stop() }
        let response = try await client.execute(
            HTTPRequest(method: .post, url: server.url("/echo"), headers: ["X-Test": "42"], body: Array("{}".utf8)))
        XCTAssertEqual(response.status, 201)
        XCTAssertEqual(response.headers["x-echo"], "42")
        XCTAssertEqual(response.headers["content-type"], "application/json")
        let body = try await response.body.collect(upTo: 1000)
        XCTAssertEqual(String(decoding: body, as: UTF8.self), #"{"seen":"POST"}"#)
        XCTAssertEqual(server.requests.first?.body, Array("{}".utf8))
        XCTAssertEqual(server.requests.first?.header("content-length"), "2")
    }

    func testBodyChunksArriveBeforeTheResponseEnds() async throws {
        let gate = Gate()
        let server = try FakeServer { _ in
            [Respond.streamHead(), Respond.chunk("first"), .wait(gate), Respond.chunk("second"), Respond.lastChunk]
        }
        defer { server.stop() }
        let response = try await client.execute(HTTPRequest(method: .get, url: server.url("/stream")))
        var chunks: [String] = []
        for try await chunk in response.body {
            // The server holds "second" back until the test has seen "first": only incremental delivery gets here.
            if chunks.isEmpty { XCTAssertFalse(gate.wasOpened) }
            chunks.append(String(decoding: chunk, as: UTF8.self))
            gate.open()
        }
        XCTAssertEqual(chunks.joined(), "firstsecond")
        XCTAssertGreaterThanOrEqual(chunks.count, 2)
    }

    func testFetchReturnsTheWholeResponseAtOnce() async throws {
        let server = try FakeServer { _ in
            [
                Respond.streamHead(), Respond.chunk("one "), .pause(.milliseconds(5)), Respond.chunk("two"),
                Respond.lastChunk,
            ]
        }
        defer { server.stop() }
        let response = try await client.fetch(HTTPRequest(method: .get, url: server.url("/whole")))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.headers["content-type"], "text/event-stream")
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "one two")
    }

    func testCancellingAFetchAbortsIt() async throws {
        let server = try FakeServer { _ in [.hang] }
        defer { server.stop() }
        let client = self.client!
        let task = Task { try await client.fetch(HTTPRequest(method: .get, url: server.url("/hang"))) }
        _ = await eventually { server.requests.count == 1 }
        task.cancel()
        let error = await providerError { try await task.value }
        XCTAssertEqual(error?.code, .cancelled)
        let closed = await eventually { server.clientDisconnects == 1 }
        XCTAssertTrue(closed)
    }

    func testKeepAliveReusesOneConnectionAcrossRequests() async throws {
        let server = try FakeServer { _ in Respond.json(#"{"ok":true}"#) }
        defer { server.stop() }
        for _ in 0..<3 {
            let response = try await client.execute(HTTPRequest(method: .get, url: server.url("/v1/models")))
            _ = try await response.body.collect(upTo: 100)
            _ = try await client.fetch(HTTPRequest(method: .post, url: server.url("/v1/chat"), body: [1, 2]))
        }
        XCTAssertEqual(server.requests.count, 6)
        XCTAssertEqual(server.connectionsAccepted, 1)
        XCTAssertEqual(Set(server.requests.map(\.connection)).count, 1)
        XCTAssertEqual(client.connectionsOpened, 1)
    }

    func testARefusedConnectionIsAConnectionFailure() async throws {
        let server = try FakeServer { _ in [] }
        let url = server.url("/v1/models")
        server.stop()
        let error = await providerError { try await self.client.execute(HTTPRequest(method: .get, url: url)) }
        XCTAssertEqual(error?.code, .connectionFailed)
        XCTAssertTrue(error?.message.contains(url) ?? false, error?.message ?? "")
    }

    func testAHungResponseTimesOut() async throws {
        let server = try FakeServer { _ in [.hang] }
        defer { server.stop() }
        let error = await providerError {
            try await self.client.execute(
                HTTPRequest(method: .get, url: server.url("/slow"), timeout: .milliseconds(300)))
        }
        XCTAssertEqual(error?.code, .timeout)
        XCTAssertTrue(error?.message.contains("request timeout") ?? false, error?.message ?? "")
    }

    func testAStalledStreamStopsAtTheDeadline() async throws {
        let server = try FakeServer { _ in [Respond.streamHead(), Respond.chunk("data: a\n\n"), .hang] }
        defer { server.stop() }
        let response = try await client.execute(
            HTTPRequest(method: .get, url: server.url("/stream"), deadline: .now + .milliseconds(400)))
        let error = await providerError { try await response.body.collect(upTo: 1000) }
        XCTAssertEqual(error?.code, .timeout)
        XCTAssertTrue(error?.message.contains("deadline") ?? false, error?.message ?? "")
    }

    func testAPassedDeadlineFailsWithoutSending() async throws {
        let server = try FakeServer { _ in Respond.json("{}") }
        defer { server.stop() }
        let error = await providerError {
            try await self.client.execute(HTTPRequest(method: .get, url: server.url("/"), deadline: .now - .seconds(1)))
        }
        XCTAssertEqual(error?.code, .timeout)
        XCTAssertEqual(server.requests.count, 0)
    }

    func testCancellingTheTaskAbortsTheTransferPromptly() async throws {
        let server = try FakeServer { _ in [.hang] }
        defer { server.stop() }
        let client = self.client!
        let task = Task { try await client.execute(HTTPRequest(method: .get, url: server.url("/hang"))) }
        let sent = await eventually { server.requests.count == 1 }
        XCTAssertTrue(sent)
        let start = ContinuousClock.now
        task.cancel()
        let error = await providerError { try await task.value }
        let elapsed = ContinuousClock.now - start
        XCTAssertEqual(error?.code, .cancelled)
        XCTAssertLessThan(elapsed, .seconds(5), "cancellation took \(elapsed)")
        let closed = await eventually { server.clientDisconnects == 1 }
        XCTAssertTrue(closed, "the server never saw the connection close")
    }

    func testAbandoningTheBodyClosesTheConnection() async throws {
        let server = try FakeServer { _ in [Respond.streamHead(), Respond.chunk("data: a\n\n"), .hang] }
        defer { server.stop() }
        let response = try await client.execute(HTTPRequest(method: .get, url: server.url("/stream")))
        for try await _ in response.body { break }
        let closed = await eventually { server.clientDisconnects == 1 }
        XCTAssertTrue(closed, "the server never saw the connection close")
    }

    func testADisconnectMidBodyIsAConnectionFailure() async throws {
        let server = try FakeServer { _ in [Respond.streamHead(), Respond.chunk("data: a\n\n"), .close] }
        defer { server.stop() }
        let response = try await client.execute(HTTPRequest(method: .get, url: server.url("/stream")))
        let error = await providerError { try await response.body.collect(upTo: 1000) }
        XCTAssertEqual(error?.code, .connectionFailed)
    }

    func testAnOversizedBodyIsRefused() async throws {
        let server = try FakeServer { _ in Respond.raw(status: 200, body: String(repeating: "x", count: 5000)) }
        defer { server.stop() }
        let response = try await client.execute(
            HTTPRequest(method: .get, url: server.url("/big"), maxResponseBytes: 1000))
        let error = await providerError { try await response.body.collect(upTo: 100_000) }
        XCTAssertEqual(error?.code, .malformedResponse)
    }

    func testShutdownFailsRequestsInFlightAndLater() async throws {
        let server = try FakeServer { _ in [.hang] }
        defer { server.stop() }
        let client = self.client!
        let task = Task { try await client.execute(HTTPRequest(method: .get, url: server.url("/hang"))) }
        _ = await eventually { server.requests.count == 1 }
        client.shutdown()
        let inFlight = await providerError { try await task.value }
        XCTAssertEqual(inFlight?.code, .cancelled)
        let later = await providerError { try await client.execute(HTTPRequest(method: .get, url: server.url("/"))) }
        XCTAssertEqual(later?.code, .cancelled)
    }

    func testCredentialHeadersNeverPrint() {
        let headers: HTTPHeaders = ["Authorization": "Bearer sk-secret", "x-api-key": "sk-ant-secret", "Accept": "x"]
        XCTAssertFalse("\(headers)".contains("secret"))
        XCTAssertFalse(String(reflecting: headers).contains("secret"))
        XCTAssertTrue("\(headers)".contains("Accept: x"))
    }
}
