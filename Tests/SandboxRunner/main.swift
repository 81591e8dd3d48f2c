import Glibc
import JSON
import Sandbox

// A test helper: reads one `exec` request body (JSON) from stdin, runs it in the sandbox, prints the reply data
// (JSON) on stdout. Exit 0 when it ran, 2 with {"error","code"} when it could not. The escape suite starts it as an
// unprivileged user to run the same attacks the way a daemon under `User=council` would.

func readAll(_ fd: Int32) -> [UInt8] {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { break }
        bytes += buffer[..<count]
    }
    return bytes
}

func emit(_ object: JSONObject, status: Int32) -> Never {
    print(JSONValue.object(object).encodedString())
    exit(status)
}

do {
    let sandbox = try Sandbox()
    guard case .object(let body) = try JSONParser.parse(readAll(STDIN_FILENO)) else {
        emit(["error": "the request must be a JSON object", "code": "bad_request"], status: 2)
    }
    let result = try await sandbox.run(try sandbox.job(from: body))
    emit(result.json, status: 0)
} catch let error as SandboxError {
    emit(["error": .string(error.description), "code": .string(error.code.description)], status: 2)
} catch {
    emit(["error": .string("\(error)"), "code": "bad_request"], status: 2)
}
