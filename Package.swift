// swift-tools-version:6.1
import PackageDescription

/// Council: an AI assistant appliance for home labs. One daemon, MQTT in and out.
let package = Package(
    name: "Council",
    products: [
        .executable(name: "council", targets: ["council"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // C bindings: the only places that see C headers.
        .systemLibrary(
            name: "CMosquitto",
            pkgConfig: "libmosquitto",
            providers: [.apt(["libmosquitto-dev"])]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CSeccomp",
            pkgConfig: "libseccomp",
            providers: [.apt(["libseccomp-dev"])]
        ),
        // The only code that runs between clone and execve: async-signal-safe C.
        .target(name: "CSandbox"),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),

        // Pure Swift, no I/O.
        .target(name: "JSON"),
        .target(name: "ExactMath"),
        .target(name: "Prolog", dependencies: ["ExactMath"]),

        // Infrastructure.
        .target(
            name: "Bus",
            dependencies: ["CMosquitto", .product(name: "Logging", package: "swift-log")]
        ),
        .target(name: "Store", dependencies: ["CSQLite"]),
        .target(name: "Sandbox", dependencies: ["CSandbox", "CSeccomp", "JSON"]),
        .target(name: "Memory", dependencies: ["Store", "JSON", "Providers"]),
        .target(
            name: "Providers",
            dependencies: ["CCurl", "JSON", .product(name: "Logging", package: "swift-log")]
        ),

        // Answering.
        .target(name: "Skills", dependencies: ["ExactMath", "Prolog", "Memory", "JSON"]),
        .target(name: "Router", dependencies: ["Skills", "Store", "Sandbox", "JSON"]),

        // The daemon and its command line.
        .target(
            name: "Council",
            dependencies: [
                "Bus", "Store", "Router", "Skills", "Providers", "Sandbox", "Memory", "JSON",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "council",
            dependencies: [
                "Council", "Sandbox", "Memory", "Store", "Providers", "JSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "CouncilBench",
            dependencies: [
                "Council", "Bus", "Skills", "Router", "ExactMath", "Prolog", "JSON", "Store", "Providers", "Sandbox",
                "Memory",
            ],
            path: "Benchmarks/CouncilBench"
        ),

        // What several test targets share: a real llama.cpp server and loopback ports.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "ExactMathTests", dependencies: ["ExactMath"]),
        .testTarget(name: "StoreTests", dependencies: ["Store"]),
        .testTarget(
            name: "ProvidersTests",
            dependencies: ["Providers", "JSON", "TestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "MemoryTests", dependencies: ["Memory", "Store", "Skills", "JSON", "Providers", "TestSupport"]),
        .testTarget(name: "PrologTests", dependencies: ["Prolog", "Skills"]),
        .testTarget(name: "RouterTests", dependencies: ["Router", "Skills", "Sandbox", "Store", "JSON"]),
        .testTarget(
            name: "CouncilTests",
            dependencies: [
                "Council", "Bus", "Store", "Skills", "Router", "Providers", "Sandbox", "Prolog", "Memory", "JSON",
                "TestSupport",
            ]),
        // Runs one sandbox job from the command line, so the escape suite can also run as an unprivileged user.
        .executableTarget(name: "SandboxRunner", dependencies: ["Sandbox", "JSON"], path: "Tests/SandboxRunner"),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "CSeccomp", "JSON", "SandboxRunner"]),
    ],
    swiftLanguageModes: [.v6]
)
