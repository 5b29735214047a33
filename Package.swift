// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "dbiam",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "dbiam", targets: ["dbiam"]),
        .library(name: "DBIAMCore", targets: ["DBIAMCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // Manifest, model, planner and renderers: values in, values out, no I/O.
        .target(name: "DBIAMCore"),

        // libmariadb, seen only by the MariaDB module.
        .systemLibrary(
            name: "CMariaDB",
            pkgConfig: "libmariadb",
            providers: [.apt(["libmariadb-dev"])]
        ),
        .target(name: "MariaDB", dependencies: ["CMariaDB"]),

        // SigV4 presigning of rds-db tokens and the AWS credential chain.
        .target(name: "AWSAuth", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),

        // OpenSSL (which libmariadb loads anyway), seen only by the HTTP client's TLS.
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        // HTTP/1.1 over verified TLS, with proxies and kept connections, for the AWS calls.
        .target(name: "HTTPClient", dependencies: ["COpenSSL"]),

        // The AWS API calls dbiam makes: endpoints, the query and JSON protocols, retries.
        .target(name: "AWSAPI", dependencies: ["AWSAuth", "HTTPClient"]),

        // Reading live state, applying plans, locks and login checks.
        .target(
            name: "DBIAMEngine",
            dependencies: ["DBIAMCore", "MariaDB", "AWSAuth", "AWSAPI", .product(name: "Crypto", package: "swift-crypto")]
        ),

        .target(
            name: "DBIAMCommands",
            dependencies: [
                "DBIAMCore", "DBIAMEngine", "AWSAuth", "AWSAPI", "HTTPClient", "MariaDB",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // How glibc's heaps grow, set before main (heap_settings.c); the executable's alone.
        .target(name: "CHeapSettings"),
        .executableTarget(name: "dbiam", dependencies: ["DBIAMCommands", "CHeapSettings"]),

        // `make bench`: dbiam's figures next to their references, measured in one run.
        .executableTarget(
            name: "dbiam-bench",
            dependencies: [
                "DBIAMCore", "DBIAMEngine", "MariaDB", "AWSAPI", "AWSAuth",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // What the tests of several modules share: the local server and its accounts.
        .target(name: "DBIAMTestSupport", dependencies: ["MariaDB", "AWSAuth"], path: "Tests/DBIAMTestSupport"),

        .testTarget(name: "DBIAMCoreTests", dependencies: ["DBIAMCore", "DBIAMTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "MariaDBTests", dependencies: ["MariaDB", "DBIAMTestSupport"]),
        .testTarget(name: "AWSAuthTests", dependencies: ["AWSAuth"], resources: [.copy("Fixtures")]),
        .testTarget(name: "HTTPClientTests", dependencies: ["HTTPClient", "DBIAMTestSupport"]),
        .testTarget(name: "AWSAPITests", dependencies: ["AWSAPI", "AWSAuth", "HTTPClient", "DBIAMTestSupport"]),
        .testTarget(
            name: "DBIAMEngineTests",
            dependencies: ["DBIAMEngine", "DBIAMCore", "MariaDB", "AWSAuth", "DBIAMTestSupport"]
        ),
        .testTarget(name: "DBIAMCommandsTests", dependencies: ["DBIAMCommands", "DBIAMCore", "DBIAMEngine", "AWSAPI", "DBIAMTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
