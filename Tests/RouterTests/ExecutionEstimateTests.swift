import Router
import Testing

/// The static analyzer on programs it has not seen: network use, memory, CPU, sleeps, files, processes, and text
/// that only looks like code (strings, comments).
@Suite struct ExecutionEstimateTests {
    private func python(_ code: String) -> ExecutionEstimate { ExecutionEstimate(analyzing: code, language: "python") }

    private static let mebibyte = 1_048_576.0

    // MARK: Network

    @Test func networkWordsInStringsAndCommentsAreNotNetworkUse() {
        let estimate = python(
            """
            # import socket; socket.create_connection(("example.com", 80))
            text = "import socket"
            doc = '''
            import requests
            requests.get("http://example.com")
            '''
            print(text, doc, r"urllib.request.urlopen('x')", b'import ssl')
            """)
        #expect(!estimate.usesNetwork, "\(estimate.network)")
        #expect(estimate.imports.isEmpty)
    }

    @Test func urllibParseIsNotNetworkButUrllibRequestIs() {
        #expect(!python("from urllib.parse import quote\nprint(quote('a b'))").usesNetwork)
        #expect(!python("import urllib.parse\nprint(urllib.parse.quote('a b'))").usesNetwork)
        let request = python("import urllib.request\nprint(urllib.request.urlopen('http://example.com').read())")
        #expect(request.usesNetwork)
        #expect(request.network.first?.line == 1)
        #expect(python("from urllib import request\nrequest.urlopen('http://x')").usesNetwork)
        #expect(python("import urllib\nurllib.request.urlopen('http://x')").usesNetwork)
        #expect(python("import requests as r\nprint(r.get('http://x').text)").usesNetwork)
        #expect(python("import json, http.client").usesNetwork)
    }

    @Test func socketIsNetworkOnlyWhenItConnects() {
        #expect(!python("import socket\nprint(socket.gethostname())").usesNetwork)
        let connects = python(
            """
            import socket

            def fetch(host):
                s = socket.create_connection((host, 80))
                return s.recv(10)
            print(fetch("example.com"))
            """)
        #expect(connects.usesNetwork)
        #expect(connects.network.contains { $0.line == 4 && $0.what.contains("socket.create_connection") })
        #expect(python("from socket import *\ns = socket(AF_INET, SOCK_STREAM)\ns.connect(('h', 1))").usesNetwork)
        #expect(!python("import socket\na, b = socket.socketpair()\na.send(b'x')\nprint(b.recv(1))").usesNetwork)
        #expect(!python("import socket\ns = socket.socket(socket.AF_UNIX)\ns.connect('/tmp/x.sock')").usesNetwork)
        #expect(python("s = __import__('socket').create_connection(('h', 80))").usesNetwork)
        #expect(
            python("import asyncio\nasync def main():\n    r, w = await asyncio.open_connection('h', 80)").usesNetwork)
    }

    @Test func commandsThatReachTheNetworkAreNetworkUse() {
        #expect(python("import subprocess\nsubprocess.run(['curl', '-s', 'http://x'])").usesNetwork)
        #expect(python("import os\nos.system('wget http://x -O f')").usesNetwork)
        #expect(python("import subprocess\nsubprocess.run('git clone http://x', shell=True)").usesNetwork)
        let local = python("import subprocess\nprint(subprocess.run(['ls', '-l'], capture_output=True).stdout)")
        #expect(!local.usesNetwork)
        #expect(local.processes >= 2)
    }

    // MARK: Memory

    @Test func literalAllocationsAreSized() {
        let list = python("data = [0] * 10**9\nprint(len(data))")
        #expect(list.certainMemoryBytes >= 8e9)
        #expect(list.largestAllocation?.line == 1)
        let buffer = python("buffer = bytearray(2 * 1024**3)")
        #expect(buffer.certainMemoryBytes >= 2 * 1024 * Self.mebibyte)
        let text = python("N = 10**8\ns = 'x' * N\nprint(len(s))")
        #expect(text.certainMemoryBytes >= 1e8)
        #expect(text.certainMemoryBytes < 2e8)
        let small = python("print(sum(range(100)))")
        #expect(small.peakMemoryBytes < 20 * Self.mebibyte)
        #expect(small.certainMemoryBytes < 20 * Self.mebibyte)
    }

    @Test func numpyArraysAreSizedByShapeAndType() {
        let square = python("import numpy as np\na = np.zeros((10000, 10000))\nprint(a.sum())")
        #expect(square.certainMemoryBytes >= 8e8)
        let bytes = python("import numpy\na = numpy.ones(10**6, dtype=numpy.uint8)")
        #expect(bytes.certainMemoryBytes < 40 * Self.mebibyte)
        #expect(bytes.certainMemoryBytes > 1e6)
        #expect(bytes.imports == ["numpy"])
    }

    @Test func comprehensionsAndAppendsInLoopsGrowMemory() {
        let comprehension = python("squares = [i * i for i in range(10**7)]")
        #expect(comprehension.peakMemoryBytes > 300 * Self.mebibyte)
        let appended = python(
            """
            out = []
            for i in range(10**7):
                out.append(i)
            """)
        #expect(appended.peakMemoryBytes > 300 * Self.mebibyte)
        let grid = python("grid = [[0] * 1000 for _ in range(1000)]")
        #expect(grid.certainMemoryBytes > 8e6)
    }

    // MARK: Time

    @Test func loopBoundsGiveTheWork() {
        let single = python("s = 0\nfor i in range(10**7):\n    s += i\nprint(s)")
        #expect(single.cpuMillis > 200 && single.cpuMillis < 3_000, "\(single.cpuMillis)")
        #expect(single.cpuClass == .light || single.cpuClass == .moderate)
        let nested = python(
            """
            n = 3000
            total = 0
            for i in range(n):
                for j in range(n):
                    total += i * j
            print(total)
            """)
        #expect(nested.cpuMillis > 200 && nested.cpuMillis < 3_000, "\(nested.cpuMillis)")
        let tiny = python("print(2 ** 100)")
        #expect(tiny.cpuClass == .trivial)
        let counted = python("i = 0\nwhile i < 10**7:\n    i += 1")
        #expect(counted.cpuMillis > 200, "\(counted.cpuMillis)")
        #expect(!counted.hasUnknowns)
    }

    @Test func loopsWithoutAWayOutNeverEnd() {
        let forever = python("while True:\n    pass")
        #expect(forever.neverEnds)
        #expect(forever.cpuMillis == .infinity)
        #expect(forever.reasons.contains { $0.contains("time limit") })
        #expect(!python("while True:\n    line = 1\n    if line:\n        break").neverEnds)
        #expect(!python("def f():\n    while True:\n        return 1\nf()").neverEnds)
        #expect(python("while True:\n    for x in range(3):\n        break").neverEnds)
    }

    @Test func recursionIsCountedByItsBranching() {
        let fib = python(
            """
            def fib(n):
                return n if n < 2 else fib(n - 1) + fib(n - 2)
            print(fib(32))
            """)
        #expect(fib.cpuMillis > 100, "\(fib.cpuMillis)")
        let cached = python(
            """
            from functools import lru_cache
            @lru_cache(maxsize=None)
            def fib(n):
                return n if n < 2 else fib(n - 1) + fib(n - 2)
            print(fib(32))
            """)
        #expect(cached.cpuClass == .trivial, "\(cached.cpuMillis)")
        let deep = python("def down(n):\n    return 0 if n == 0 else down(n - 1)\nprint(down(100000))")
        #expect(deep.reasons.contains { $0.contains("RecursionError") })
    }

    @Test func sleepsAddWallTime() {
        let estimate = python("import time\nfor _ in range(3):\n    time.sleep(2)")
        #expect(estimate.sleepMillis == 6_000)
        #expect(estimate.durationMillis >= 6_000)
        #expect(python("from time import sleep\nsleep(0.5)").sleepMillis == 500)
    }

    // MARK: Files, processes, signatures

    @Test func fileWritesAreNoticed() {
        #expect(python("with open('out.txt', 'w') as f:\n    f.write('x' * 100)").writesFiles)
        #expect(python("from pathlib import Path\nPath('a.txt').write_text('hi')").writesFiles)
        #expect(!python("print(open('/etc/hostname').read())").writesFiles)
        let big = python("with open('big.bin', 'wb') as f:\n    for _ in range(100):\n        f.write(b'x' * 10**6)")
        #expect(big.fileBytes >= 1e8)
    }

    @Test func threadsAndPoolsCountAsProcesses() {
        let threads = python(
            """
            import threading
            workers = [threading.Thread(target=print) for _ in range(50)]
            """)
        #expect(threads.processes > 32, "\(threads.processes)")
        #expect(python("from multiprocessing import Pool\nwith Pool(4) as p:\n    pass").processes >= 5)
    }

    @Test func similarProgramsShareASignatureAndDifferentOnesDoNot() {
        let a = python("total = 0\nfor i in range(1000):\n    total += i\nprint(total)")
        let b = python("acc = 0\nfor k in range(1200):\n    acc += k * 1\nprint(acc)")
        #expect(a.signature == b.signature)
        let c = python("import numpy as np\nprint(np.arange(1000).sum())")
        #expect(a.signature != c.signature)
        let d = python("total = 0\nfor i in range(10**7):\n    total += i\nprint(total)")
        #expect(a.signature != d.signature)
        #expect(a.signature.hasPrefix("python;"))
    }

    @Test func malformedSourceNeverTraps() {
        let fragments = [
            "(", "'''", "def", "for x in:", "x = [1, 2", "\\", "0x", "1e", "))]]", "@", "lambda: (", "é = 1",
        ]
        for code in fragments + ["while", "for i in range(", "x = [0] *", "def f(:\n  f(", "import", "from x import"] {
            let estimate = python(code)
            #expect(estimate.cpuMillis > 0)
        }
    }

    // MARK: Shell

    @Test func shellScriptsGetASimplerEstimate() {
        let sh = { (code: String) in ExecutionEstimate(analyzing: code, language: "sh") }
        #expect(sh("curl -s http://example.com").usesNetwork)
        #expect(sh("x=$(wget -qO- http://x)").usesNetwork)
        #expect(sh("echo \"result: $(curl http://x)\"").usesNetwork)
        #expect(!sh("echo \"curl is a tool\" # curl http://x").usesNetwork)
        #expect(!sh("git status").usesNetwork)
        #expect(sh("git clone http://x").usesNetwork)
        #expect(sh("sleep 2\necho done").sleepMillis == 2_000)
        #expect(sh("for i in $(seq 1 5); do sleep 1; done").sleepMillis == 5_000)
        #expect(sh("echo hi > out.txt").writesFiles)
        #expect(!sh("echo hi >&2; echo x > /dev/null").writesFiles)
        #expect(sh("while true; do echo x; done").neverEnds)
    }
}
