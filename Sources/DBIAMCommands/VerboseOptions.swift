import AWSAPI
import ArgumentParser
import MariaDB

/// `-v/--verbose`, on every command that talks to a server or AWS: each round trip to a
/// cluster and each AWS call on stderr, with its time. The lines say what an exchange
/// was for, never what it carried: no SQL, no password or token, no signature or key.
struct VerboseOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Print each database round trip and AWS call with its time on stderr (never a secret).")
    var verbose = false

    /// For `ClusterLogin.trace`: `dbiam: cluster local: round trip 1 (read the grant tables): 4.1 ms`.
    var roundTrips: (@Sendable (_ cluster: String, RoundTrip) -> Void)? {
        guard verbose else { return nil }
        return { cluster, trip in Terminal.writeError("dbiam: cluster \(cluster): \(Self.describe(trip))\n") }
    }

    /// For `AWSClient.trace`: `dbiam: AWS sts GetCallerIdentity (us-east-1): 200 in 12 ms`.
    var awsCalls: (@Sendable (AWSCallAttempt) -> Void)? {
        guard verbose else { return nil }
        return { call in Terminal.writeError("dbiam: \(Self.describe(call))\n") }
    }

    static func describe(_ trip: RoundTrip) -> String {
        let outcome = trip.failed ? "failed after \(milliseconds(trip.duration))" : milliseconds(trip.duration)
        return trip.number == 0 ? "\(trip.purpose): \(outcome)" : "round trip \(trip.number) (\(trip.purpose)): \(outcome)"
    }

    static func describe(_ call: AWSCallAttempt) -> String {
        let attempt = call.attempt > 1 ? ", attempt \(call.attempt)" : ""
        let outcome = call.status.map { "\($0) in" } ?? "no answer (\(call.problem ?? "unknown")) after"
        return "AWS \(call.service.cliName) \(call.operation) (\(call.region)\(attempt)): \(outcome) \(milliseconds(call.duration))"
    }

    /// `4.1 ms` below 10 ms, `12 ms` above: a tenth of a millisecond matters only there.
    static func milliseconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        guard value < 10 else { return "\(Int(value.rounded())) ms" }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) ms"
    }
}
