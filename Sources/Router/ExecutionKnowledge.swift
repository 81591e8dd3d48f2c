/// What the estimators know about Python's and the shell's library: which names reach the network, start
/// processes, write files, sleep, or allocate; and what things cost. Costs were measured with Debian's python3
/// (3.11) on a 2-core x86-64 machine; they are orders of magnitude, not promises.
enum ExecutionKnowledge {
    /// Modules whose whole purpose is the network: importing one means the program talks to another machine.
    static let networkModules: Set<String> = [
        "requests", "urllib.request", "urllib2", "urllib3", "http.client", "httplib", "http.server", "ftplib",
        "smtplib", "smtpd", "poplib", "imaplib", "nntplib", "telnetlib", "xmlrpc.client", "xmlrpc.server",
        "xmlrpclib", "socketserver", "aiohttp", "httpx", "websockets", "websocket", "paramiko", "pycurl", "grpc",
        "zmq", "pika", "paho", "redis", "pymongo", "psycopg2", "psycopg", "pymysql", "mysql", "boto3", "botocore",
        "asyncssh", "twisted", "dns", "scapy", "ntplib", "wget", "mechanize", "selenium",
    ]

    /// Functions of general modules that open network connections or resolve names (the rest of those modules
    /// works offline: `socket.gethostname`, `ssl.create_default_context`).
    static let networkFunctions: Set<String> = [
        "socket.socket", "socket.create_connection", "socket.create_server", "socket.getaddrinfo",
        "socket.gethostbyname", "socket.gethostbyname_ex", "socket.gethostbyaddr", "socket.getnameinfo",
        "socket.getfqdn", "ssl.wrap_socket", "ssl.get_server_certificate", "asyncio.open_connection",
        "asyncio.start_server", "urllib.urlopen", "urllib.urlretrieve", "webbrowser.open",
    ]

    /// Method names that open connections on objects of `asyncio`, `socket` or `ssl` (`loop.create_connection`,
    /// `sock.connect`): counted only when the program imports one of those modules.
    static let networkMethods: Set<String> = [
        "create_connection", "create_server", "create_datagram_endpoint", "open_connection", "start_server",
        "sock_connect", "connect", "connect_ex", "bind", "sendto", "wrap_socket",
    ]

    /// The modules that make ``networkMethods`` meaningful.
    static let socketModules: Set<String> = ["socket", "ssl", "asyncio"]

    /// Functions that start another program or process.
    static let processFunctions: Set<String> = [
        "subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "subprocess.Popen",
        "subprocess.getoutput", "subprocess.getstatusoutput", "os.system", "os.popen", "os.fork", "os.spawnl",
        "os.spawnlp", "os.spawnv", "os.spawnvp", "os.execv", "os.execvp", "os.execl", "os.execlp", "os.posix_spawn",
        "os.posix_spawnp", "pty.spawn", "multiprocessing.Process", "asyncio.create_subprocess_exec",
        "asyncio.create_subprocess_shell",
    ]

    /// Functions that start other programs with a command line in their arguments (checked for network tools).
    static let commandFunctions: Set<String> = [
        "subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "subprocess.Popen",
        "subprocess.getoutput", "subprocess.getstatusoutput", "os.system", "os.popen",
        "asyncio.create_subprocess_exec", "asyncio.create_subprocess_shell",
    ]

    /// Pools of workers, with the argument that sizes them.
    static let poolFunctions: Set<String> = [
        "multiprocessing.Pool", "concurrent.futures.ProcessPoolExecutor", "concurrent.futures.ThreadPoolExecutor",
        "multiprocessing.pool.ThreadPool", "multiprocessing.pool.Pool",
    ]

    /// Functions that start one thread each.
    static let threadFunctions: Set<String> = ["threading.Thread", "_thread.start_new_thread"]

    /// Functions that write, create or remove files.
    static let fileFunctions: Set<String> = [
        "os.mkdir", "os.makedirs", "os.remove", "os.unlink", "os.rename", "os.replace", "os.rmdir", "os.symlink",
        "os.link", "os.mkfifo", "os.truncate", "shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree",
        "shutil.move", "shutil.rmtree", "shutil.make_archive", "tempfile.mkstemp", "tempfile.mkdtemp",
        "tempfile.NamedTemporaryFile", "tempfile.TemporaryFile", "tempfile.TemporaryDirectory", "numpy.save",
        "numpy.savez", "numpy.savetxt", "numpy.savez_compressed", "sqlite3.connect", "zipfile.ZipFile",
        "tarfile.open", "shelve.open", "dbm.open",
    ]

    /// Methods that write files whatever their receiver (`Path(...).write_text`, `frame.to_csv`).
    static let fileMethods: Set<String> = [
        "write_text", "write_bytes", "mkdir", "touch", "unlink", "rmdir", "to_csv", "to_json", "to_parquet",
        "to_excel", "savefig", "tofile",
    ]

    /// Functions that sleep for their first argument, in seconds.
    static let sleepFunctions: Set<String> = ["time.sleep", "asyncio.sleep"]

    /// Every qualified function name the call analysis knows something about (numpy's are recognised by prefix): a
    /// call of anything else is only an operation, found with one hash lookup instead of a walk through the tables.
    static let knownCalls: Set<String> = networkFunctions.union(processFunctions).union(commandFunctions)
        .union(poolFunctions).union(threadFunctions).union(fileFunctions).union(sleepFunctions)
        .union([
            "open", "io.open", "builtins.open", "codecs.open", "gzip.open", "bz2.open", "lzma.open", "__import__",
            "importlib.import_module", "sys.setrecursionlimit", "list", "tuple", "set", "frozenset", "dict.fromkeys",
            "collections.Counter", "dict", "sorted", "sum", "min", "max", "any", "all", "math.fsum", "math.prod",
            "statistics.mean", "statistics.median", "statistics.stdev", "len", "str.join", "bytearray", "bytes",
            "os.urandom", "secrets.token_bytes", "random.randbytes", "range", "enumerate", "reversed", "iter", "map",
            "filter", "zip", "itertools.cycle", "itertools.starmap", "itertools.product", "itertools.permutations",
            "itertools.combinations", "itertools.combinations_with_replacement", "itertools.repeat",
            "itertools.islice", "itertools.count",
        ])

    /// Method names the call analysis knows something about.
    static let knownMethods: Set<String> = fileMethods.union(networkMethods).union([
        "append", "add", "appendleft", "put", "push", "extend", "update", "sort", "join", "write", "writelines",
        "items", "keys", "values",
    ])

    /// Interpreter start (wall time of a sandbox run of an empty program), milliseconds.
    static func startMillis(_ language: String) -> Double {
        switch language {
        case "python": 20
        case "sh", "bash": 4
        case "node": 45
        default: 20
        }
    }

    /// Resident memory of an empty program, bytes.
    static func baseMemoryBytes(_ language: String) -> Double {
        switch language {
        case "python": 10 * mebibyte
        case "sh", "bash": 1.5 * mebibyte
        case "node": 40 * mebibyte
        default: 10 * mebibyte
        }
    }

    /// The cost of importing a module beyond the standard library's cheap ones: (milliseconds, bytes).
    static func importCost(_ module: String) -> (millis: Double, bytes: Double)? {
        switch module {
        case "numpy": (90, 21 * mebibyte)
        case "scipy": (250, 45 * mebibyte)
        case "pandas": (400, 70 * mebibyte)
        case "sympy": (500, 60 * mebibyte)
        case "matplotlib": (350, 45 * mebibyte)
        case "sklearn": (600, 90 * mebibyte)
        case "torch": (1500, 300 * mebibyte)
        case "tensorflow": (3000, 500 * mebibyte)
        case "PIL": (30, 6 * mebibyte)
        case "networkx": (200, 30 * mebibyte)
        case "numba": (500, 80 * mebibyte)
        case "yaml": (15, 3 * mebibyte)
        case "decimal", "fractions", "statistics", "random", "datetime": (3, 1 * mebibyte)
        default: nil
        }
    }

    static let mebibyte: Double = 1_048_576

    /// Shell commands that reach the network, with the sub-commands that do (nil: every use).
    static let networkCommands: [String: Set<String>?] = [
        "curl": nil, "wget": nil, "nc": nil, "ncat": nil, "netcat": nil, "ssh": nil, "scp": nil, "sftp": nil,
        "ftp": nil, "telnet": nil, "ping": nil, "ping6": nil, "dig": nil, "nslookup": nil, "host": nil,
        "socat": nil, "aria2c": nil, "lftp": nil, "mosquitto_pub": nil, "mosquitto_sub": nil,
        "git": ["clone", "fetch", "pull", "push", "ls-remote", "submodule"],
        "pip": ["install", "download"], "pip3": ["install", "download"],
        "apt": ["install", "update", "upgrade", "download"], "apt-get": ["install", "update", "upgrade", "download"],
        "npm": ["install", "i", "ci", "publish"], "rsync": nil,
    ]
}

/// Measured costs of Python work, for the estimator.
enum ExecutionCosts {
    /// A simple statement's fixed cost, nanoseconds.
    static let statementNanos: Double = 25
    /// Each operator, call or subscript in a statement, nanoseconds.
    static let operationNanos: Double = 15
    /// A loop iteration's own overhead, nanoseconds.
    static let iterationNanos: Double = 15
    /// One element of a C-level bulk operation (`sum(range(n))`, `[0] * n`), nanoseconds.
    static let bulkElementNanos: Double = 6
    /// One element materialised as a new object (`list(range(n))`), nanoseconds.
    static let objectElementNanos: Double = 27
    /// One comparison of a sort, nanoseconds.
    static let sortCompareNanos: Double = 12
    /// One byte of a zero-filled buffer, nanoseconds.
    static let byteNanos: Double = 0.5
    /// A list slot, bytes.
    static let slotBytes: Double = 8
    /// A small int or float object, bytes.
    static let numberBytes: Double = 28
    /// A set entry, bytes (table slots included).
    static let setEntryBytes: Double = 67
    /// A dict entry, bytes (table slots included).
    static let dictEntryBytes: Double = 81
    /// A short string object, bytes.
    static let stringBytes: Double = 55
    /// Iterations assumed for a loop whose bound the source does not fix.
    static let unknownIterations: Double = 100
    /// Recursion depth assumed when the argument is not a constant.
    static let unknownDepth: Double = 20
    /// Python's default recursion limit.
    static let recursionLimit: Double = 1000

    static func startMillis(_ language: String) -> Double { ExecutionKnowledge.startMillis(language) }
    static func baseMemoryBytes(_ language: String) -> Double { ExecutionKnowledge.baseMemoryBytes(language) }
}
