import DBIAMCore
import MariaDB

/// Reading and changing many clusters at once, each on its own session.
public enum Fleet {
    /// One cluster after reading: its open session (kept for apply) and what it holds,
    /// or why it could not be read.
    public struct Reading: Sendable {
        public var cluster: String
        public var session: ClusterSession?
        public var state: LiveState?
        public var failure: String?
        /// Round trips of the read, for `make bench` and the plan's figures.
        public var roundTrips: Int

        init(cluster: String, session: ClusterSession?, state: LiveState?, failure: String?, roundTrips: Int) {
            self.cluster = cluster
            self.session = session
            self.state = state
            self.failure = failure
            self.roundTrips = roundTrips
        }

        public var asClusterReading: ClusterReading {
            if let state { return .live(state) }
            return .failed(failure ?? "not read")
        }
    }

    /// A cluster's visit began or ended, for a command that shows which it waits for.
    public enum Progress: Sendable {
        case started(cluster: String)
        case finished(cluster: String)
    }

    /// Connects to every cluster and reads its live state, at most `parallelism` at a
    /// time. A cluster that fails does not stop the others.
    public static func read(
        _ clusters: [Cluster], login: ClusterLogin, parallelism: Int, progress: (@Sendable (Progress) -> Void)? = nil
    ) async -> [Reading] {
        await visit(clusters, login: login, parallelism: parallelism, read: true, progress: progress)
    }

    /// Connects to every cluster without reading it (apply re-reads under its lock).
    public static func connect(_ clusters: [Cluster], login: ClusterLogin, parallelism: Int) async -> [Reading] {
        await visit(clusters, login: login, parallelism: parallelism, read: false)
    }

    private static func visit(
        _ clusters: [Cluster], login: ClusterLogin, parallelism: Int, read: Bool, progress: (@Sendable (Progress) -> Void)? = nil
    ) async -> [Reading] {
        await forEach(clusters, parallelism: parallelism) { cluster in
            progress?(.started(cluster: cluster.name))
            defer { progress?(.finished(cluster: cluster.name)) }
            let options: ConnectionOptions
            do {
                options = try await login.options(for: cluster)
            } catch {
                return Reading(cluster: cluster.name, failure: "\(error)", roundTrips: 0)
            }
            do throws(MariaDBError) {
                let session = try await ClusterSession.open(options, label: cluster.name)
                let state = read ? try await session.readState() : nil
                return Reading(cluster: cluster.name, session: session, state: state, failure: nil, roundTrips: await session.roundTrips)
            } catch {
                return Reading(cluster: cluster.name, failure: ConnectionFailure.explain(error, cluster: cluster, timeout: login.connectTimeout), roundTrips: 0)
            }
        }
    }

    /// Runs `body` for every element, at most `parallelism` at a time, and returns the
    /// results in the order of the input.
    public static func forEach<Element: Sendable, Result: Sendable>(
        _ elements: [Element], parallelism: Int, _ body: @escaping @Sendable (Element) async -> Result
    ) async -> [Result] {
        await withTaskGroup(of: (Int, Result).self) { group in
            var results = [Result?](repeating: nil, count: elements.count)
            var next = 0
            func startNext() {
                guard next < elements.count else { return }
                let index = next
                let element = elements[index]
                group.addTask { (index, await body(element)) }
                next += 1
            }
            for _ in 0..<max(1, parallelism) { startNext() }
            for await (index, result) in group {
                results[index] = result
                startNext()
            }
            return results.compactMap { $0 }
        }
    }
}

extension Fleet.Reading {
    init(cluster: String, failure: String, roundTrips: Int) {
        self.init(cluster: cluster, session: nil, state: nil, failure: failure, roundTrips: roundTrips)
    }
}
